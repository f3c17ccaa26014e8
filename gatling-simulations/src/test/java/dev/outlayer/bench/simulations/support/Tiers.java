package dev.outlayer.bench.simulations.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiers the simulations expect: by default the rows of {@code feeders/tiers.csv}, the file the
 * embedded target loads (the spec's tiers as committed: anonymous 5 rps, burst 10, 4 in flight; a
 * standard key 20 rps, burst 40), so an edited file moves both together. Override them with
 * {@code -Dtier.*} to match another deployment's tiers.
 */
public final class Tiers {
    private static final Map<String, Map<String, String>> FILE = readTiersFile();

    /** The tier whose key {@link JsonRpc#apiKeyFeeder(String)} picks for the keyed client. */
    public static final String KEYED_TIER = Params.string("tier.keyed.name", "standard");

    public static final double ANONYMOUS_RATE = decimal("tier.anonymous.rate", "anonymous", "rate_per_second");
    public static final double KEYED_RATE = decimal("tier.keyed.rate", KEYED_TIER, "rate_per_second");
    /** The calls a full bucket admits at once. */
    public static final int ANONYMOUS_BURST = integer("tier.anonymous.burst", "anonymous", "burst");

    public static final int KEYED_BURST = integer("tier.keyed.burst", KEYED_TIER, "burst");

    /**
     * Slack on the spec's durations: whole-second {@code Retry-After}s make a throttled client wait up to a
     * second longer than the bucket would, once at the end of the run.
     */
    public static final double DURATION_SLACK_SECONDS = Params.decimal("duration.slackSeconds", 1);

    /** Relative tolerance of every rate and ratio verdict. */
    public static final double TOLERANCE = Params.decimal("tolerance", 0.10);

    /** The anonymous tier's cap on requests in flight (4 as committed, OutLayer's anon profile). */
    public static final int ANONYMOUS_IN_FLIGHT = integer("tier.anonymous.inFlight", "anonymous", "max_in_flight");

    private Tiers() {}

    /** {@code -Dproperty} when set, else the tier's column of the file (which then must have it). */
    private static double decimal(String property, String tier, String column) {
        return Params.decimal(
                property, System.getProperty(property) != null ? 0 : Double.parseDouble(column(tier, column)));
    }

    private static int integer(String property, String tier, String column) {
        return Params.integer(
                property, System.getProperty(property) != null ? 0 : Integer.parseInt(column(tier, column)));
    }

    /**
     * tiers.csv from the classpath, as the feeders load, by tier (Gatling's csv() needs a running
     * simulation; this is read when the class loads).
     */
    private static Map<String, Map<String, String>> readTiersFile() {
        Map<String, Map<String, String>> rows = new HashMap<>();
        try (InputStream in = Tiers.class.getClassLoader().getResourceAsStream("tiers.csv")) {
            if (in == null) {
                return rows;
            }
            List<String> lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .filter(line -> !line.isBlank())
                    .toList();
            String[] header = lines.get(0).split(",");
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length && i < cells.length; i++) {
                    row.put(header[i].strip(), cells[i].strip());
                }
                rows.put(row.get("tier"), row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tiers.csv", e);
        }
    }

    private static String column(String tier, String name) {
        Map<String, String> row = FILE.get(tier);
        if (row == null || row.get(name) == null) {
            throw new IllegalArgumentException(
                    "feeders/tiers.csv has no " + name + " for tier '" + tier + "' (set -Dtier.* to run without it)");
        }
        return row.get(name);
    }

    /**
     * Under OutLayer's keying a refused client comes back after a fixed 5 s, when the shared bucket holds
     * at most {@code min(burst, 5 * rate)} tokens: the admissions per wave of retries.
     */
    public static double outlayerRefillPerRetry(double rate, int burst) {
        return Math.min(burst, rate * ExpectedThrottle.OUTLAYER_RETRY_AFTER_SECONDS);
    }

    /** One client calling one after another under OutLayer's keying: admitted calls per second after the burst. */
    public static double outlayerSequentialRate(double rate, int burst) {
        return outlayerRefillPerRetry(rate, burst) / ExpectedThrottle.OUTLAYER_RETRY_AFTER_SECONDS;
    }

    /** The waits of 5 s a sequential client makes for {@code calls} after its burst, under OutLayer's keying. */
    public static double outlayerSequentialSeconds(int calls, double rate, int burst) {
        double perRetry = outlayerRefillPerRetry(rate, burst);
        return ExpectedThrottle.OUTLAYER_RETRY_AFTER_SECONDS * Math.ceil(Math.max(0, calls - burst) / perRetry);
    }

    /**
     * The longest {@code calls} fired at once (within {@code spreadSeconds}) take under OutLayer's keying: a
     * wave of retries every 5 s admits at least {@code leastPerWave} (the in-flight cap when they arrive
     * together), plus the spread and the slack.
     */
    public static double outlayerMostSeconds(int calls, int burst, double leastPerWave, double spreadSeconds) {
        return ExpectedThrottle.OUTLAYER_RETRY_AFTER_SECONDS * Math.ceil(Math.max(0, calls - burst) / leastPerWave)
                + spreadSeconds
                + DURATION_SLACK_SECONDS;
    }

    /**
     * The spec's duration of {@code calls} at {@code rate} is {@code calls / rate} (20 at 5 rps: about 4 s);
     * it leaves the burst out. A bucket admits its {@code burst} at once, so the run takes at least
     * {@code (calls - burst) / rate}; at most the spec's figure plus {@link #DURATION_SLACK_SECONDS}.
     */
    public static double leastSeconds(int calls, double rate, int burst) {
        return Math.max(0, calls - burst) / rate;
    }

    /** The upper bound of {@link #leastSeconds}: the spec's {@code calls / rate} plus the slack. */
    public static double specSecondsWithSlack(int calls, double rate) {
        return calls / rate + DURATION_SLACK_SECONDS;
    }
}

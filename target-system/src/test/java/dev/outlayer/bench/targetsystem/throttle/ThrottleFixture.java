package dev.outlayer.bench.targetsystem.throttle;

import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiers and keys files in a temporary directory, and a Throttle reading them. */
public final class ThrottleFixture {
    public static final String TIERS = "tier,rate_per_second,burst,max_in_flight\n"
            + "anonymous,5,10,4\nstandard,20,40,8\nwide,100,10,1000\nsteady,1,10,1000\n";
    public static final String KEYS = "api_key,tier,owner\n"
            + "key-a,standard,alice.test.near\nkey-b,standard,bob.test.near\nkey-wide,wide,carol.test.near\nkey-steady,steady,erin.test.near\n";

    public final Path tiers;
    public final Path keys;

    public ThrottleFixture(Path dir) {
        this(dir, TIERS, KEYS);
    }

    public ThrottleFixture(Path dir, String tiersCsv, String keysCsv) {
        this.tiers = dir.resolve("tiers.csv");
        this.keys = dir.resolve("api-keys.csv");
        write(tiers, tiersCsv);
        write(keys, keysCsv);
    }

    public Throttle throttle(long graceNanos) {
        return new Throttle(tiers, keys, new SimpleMeterRegistry(), new LocalRateLimitStore(), 100_000, graceNanos);
    }

    /** As {@link #throttle(long)}, the buckets refilling by {@code clock}. */
    public Throttle throttle(long graceNanos, TimeMeter clock) {
        return new Throttle(
                tiers,
                keys,
                new SimpleMeterRegistry(),
                new LocalRateLimitStore(),
                100_000,
                graceNanos,
                ThrottleKeying.PER_CLIENT,
                null,
                clock);
    }

    public static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

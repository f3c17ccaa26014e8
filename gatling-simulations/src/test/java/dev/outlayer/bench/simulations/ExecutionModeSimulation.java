package dev.outlayer.bench.simulations;

import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Latencies;
import dev.outlayer.bench.simulations.support.Observed;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Target;
import dev.outlayer.bench.simulations.support.Verdicts;
import dev.outlayer.bench.simulations.support.results.Results;
import dev.outlayer.bench.reports.results.NamedValue;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Spec Scenario 5, "Linux Mode vs Direct Mode": the same bundled contract called in {@code direct} mode
 * and in {@code linux} mode (the Linux emulator runs it as a process whose NEAR host calls are kernel
 * syscalls), alternately from one client, at three complexity levels: simple (counter {@code increment}),
 * medium (NFT {@code nft_mint}) and complex (compute {@code compute}, SHA-256 rounds). Reports per level the
 * client-side latency ratio linux/direct and both instruction counts, plus a Linux cold start (a call on a
 * newly booted task worker). Asserts the spec's overhead Target (2-3x: at most 3x) and Acceptable (5x),
 * the cold-start target (< 50 ms at p50) and that every call succeeds.
 */
public class ExecutionModeSimulation extends Simulation {
    private static final int CALLS = Params.integer("modes.calls", 200, 40);
    private static final int WARM_UP = Params.integer("modes.warmUp", 300, 100);
    private static final int COLD_STARTS = Params.integer("modes.coldStarts", 30, 10);
    private static final int COMPUTE_ROUNDS = Params.integer("modes.computeRounds", 200);
    private static final double TARGET_RATIO = Params.decimal("modes.targetRatio", 3.0);
    private static final double ACCEPTABLE_RATIO = Params.decimal("modes.acceptableRatio", 5.0);
    private static final double COLD_START_P50_MS = Params.decimal("modes.coldStartP50Ms", 50);
    private static final String NFT_OWNER = "nft.test.near";
    /** 0.01 NEAR: comfortably covers the storage one minted token takes. */
    private static final String STORAGE_DEPOSIT = "10000000000000000000000";

    /** One complexity level: a contract, a method and its arguments. */
    private record Level(String name, String account, String method, String signer, String deposit) {
        String body(String mode, long sequence, boolean coldStart) {
            String args = switch (name) {
                case "nft" -> "{\"token_id\":\"m" + mode.charAt(0) + "-" + sequence + "\",\"token_owner_id\":\""
                        + NFT_OWNER + "\",\"token_metadata\":{\"title\":\"Scenario 5 token\"}}";
                case "compute" -> "{\"n\":" + COMPUTE_ROUNDS + "}";
                default -> "{}";
            };
            return "{\"method\":\"" + method + "\",\"args\":" + args + ",\"mode\":\"" + mode + "\",\"signer_id\":\""
                    + signer + "\",\"attached_deposit\":\"" + deposit + "\"" + (coldStart ? ",\"cold_start\":true" : "") + "}";
        }

        String request(String mode) {
            return name + " " + mode;
        }
    }

    private static final List<Level> LEVELS = List.of(
            new Level("counter", "counter.test.near", "increment", "bench.test.near", "0"),
            new Level("nft", NFT_OWNER, "nft_mint", NFT_OWNER, STORAGE_DEPOSIT),
            new Level("compute", "compute.test.near", "compute", "bench.test.near", "0"));
    private static final String COLD_START = "linux cold start";

    private static final HttpProtocolBuilder PROTOCOL = JsonRpc.protocol();
    private static final Latencies LATENCIES = new Latencies("exec", "worker", "boot");
    private static final AtomicLong SEQUENCE = new AtomicLong();
    /** Instruction counts per request name: "instructions", and for linux mode its two parts. */
    private static final Map<String, ConcurrentHistogram> INSTRUCTIONS = new ConcurrentHashMap<>();

    static {
        Observed.listen(LATENCIES);
    }

    private static ChainBuilder call(Level level, String mode, String name, boolean coldStart) {
        return Observed.send(name, http(name).post("/contracts/" + level.account() + "/call")
                        .body(StringBody(session -> level.body(mode, SEQUENCE.incrementAndGet(), coldStart)))
                        .check(status().is(200), jsonPath("$.status").is("success"), jsonPath("$.mode").is(mode),
                                jsonPath("$.instructions").ofLong().saveAs("instructions"),
                                jsonPath("$.wasm_instructions").ofLong().optional().saveAs("wasm_instructions"),
                                jsonPath("$.translation_instructions").ofLong().optional().saveAs("translation")))
                .exec(session -> recordInstructions(name, session));
    }

    private static Session recordInstructions(String name, Session session) {
        record(name + " instructions", session, "instructions");
        record(name + " wasm", session, "wasm_instructions");
        record(name + " translation", session, "translation");
        return session.remove("instructions").remove("wasm_instructions").remove("translation");
    }

    private static void record(String key, Session session, String attribute) {
        if (session.contains(attribute)) {
            INSTRUCTIONS.computeIfAbsent(key, k -> new ConcurrentHistogram(3)).recordValue(session.getLong(attribute));
        }
    }

    /** A direct call then the same call in linux mode, so that drift in the machine's load hits both alike. */
    private static ChainBuilder pair(Level level, boolean warmUp) {
        String prefix = warmUp ? "warm-up " : "";
        return exec(call(level, "direct", prefix + level.request("direct"), false),
                call(level, "linux", prefix + level.request("linux"), false));
    }

    private static final ScenarioBuilder COMPARE = compare();

    private static ScenarioBuilder compare() {
        List<ChainBuilder> steps = new ArrayList<>();
        for (Level level : LEVELS) {
            steps.add(repeat(WARM_UP).on(pair(level, true)));
            steps.add(repeat(CALLS).on(pair(level, false)));
        }
        // Cold starts last: each boots a task worker, which must not disturb the warm comparison.
        steps.add(repeat(COLD_STARTS).on(call(LEVELS.get(0), "linux", COLD_START, true)));
        return scenario("direct vs linux mode").exec(steps);
    }

    private static final Verdicts VERDICTS = verdicts();

    private static Verdicts verdicts() {
        Verdicts verdicts = new Verdicts();
        for (Level level : LEVELS) {
            verdicts.atMost(level.name() + " linux/direct p50 ratio (Target)", () -> ratio(level, 50), TARGET_RATIO, "x");
            verdicts.atMost(level.name() + " linux/direct p50 ratio (Acceptable)", () -> ratio(level, 50), ACCEPTABLE_RATIO, "x");
        }
        verdicts.atMost("linux cold start p50", () -> LATENCIES.elapsed(COLD_START).getValueAtPercentile(50) / 1000.0,
                COLD_START_P50_MS, "ms");
        return verdicts;
    }

    {
        List<Assertion> assertions = new ArrayList<>(List.of(VERDICTS.assertions()));
        for (Level level : LEVELS) {
            assertions.add(details(level.request("direct")).successfulRequests().percent().is(100.0));
            assertions.add(details(level.request("linux")).successfulRequests().percent().is(100.0));
        }
        assertions.add(details(COLD_START).successfulRequests().percent().is(100.0));
        setUp(COMPARE.injectOpen(atOnceUsers(1)).andThen(VERDICTS.population()))
                .protocols(PROTOCOL)
                .assertions(assertions);
    }

    /** Client-side p-th percentile of linux mode over direct mode for one level. */
    private static double ratio(Level level, double percentile) {
        double direct = LATENCIES.elapsed(level.request("direct")).getValueAtPercentile(percentile);
        double linux = LATENCIES.elapsed(level.request("linux")).getValueAtPercentile(percentile);
        return direct == 0 ? Double.NaN : linux / direct;
    }

    private static long median(String key) {
        ConcurrentHistogram histogram = INSTRUCTIONS.get(key);
        return histogram == null ? -1 : histogram.getValueAtPercentile(50);
    }

    @Override
    public void after() {
        System.out.println("Parameters: " + Params.describe());
        double worstRatio = 0;
        for (Level level : LEVELS) {
            double levelRatio = ratio(level, 50);
            worstRatio = Math.max(worstRatio, levelRatio);
            Results.value("linux_overhead_x_" + level.name(), "x", levelRatio, NamedValue.Merge.MAX);
            Results.value("instructions_direct_" + level.name(), "instructions",
                    median(level.request("direct") + " instructions"), NamedValue.Merge.MAX);
            Results.value("instructions_linux_" + level.name(), "instructions",
                    median(level.request("linux") + " instructions"), NamedValue.Merge.MAX);
            Histogram direct = LATENCIES.elapsed(level.request("direct"));
            Histogram linux = LATENCIES.elapsed(level.request("linux"));
            long directInstructions = median(level.request("direct") + " instructions");
            long linuxInstructions = median(level.request("linux") + " instructions");
            System.out.printf(Locale.ROOT, "%-8s direct p50 %.3f ms p95 %.3f ms | linux p50 %.3f ms p95 %.3f ms"
                            + " | ratio p50 %.2fx p95 %.2fx (Target <= %.1fx, Acceptable <= %.1fx)%n",
                    level.name(), direct.getValueAtPercentile(50) / 1000.0, direct.getValueAtPercentile(95) / 1000.0,
                    linux.getValueAtPercentile(50) / 1000.0, linux.getValueAtPercentile(95) / 1000.0,
                    ratio(level, 50), ratio(level, 95), TARGET_RATIO, ACCEPTABLE_RATIO);
            System.out.printf(Locale.ROOT, "%-8s instructions: direct %,d | linux %,d = wasm %,d + translation %,d (+%.2f%%)%n",
                    level.name(), directInstructions, linuxInstructions, median(level.request("linux") + " wasm"),
                    median(level.request("linux") + " translation"),
                    directInstructions <= 0 ? Double.NaN : 100.0 * (linuxInstructions - directInstructions) / directInstructions);
            System.out.printf(Locale.ROOT, "%-8s server exec phase p50: direct %.3f ms, linux %.3f ms%n", level.name(),
                    LATENCIES.phase(level.request("direct"), "exec").getValueAtPercentile(50) / 1000.0,
                    LATENCIES.phase(level.request("linux"), "exec").getValueAtPercentile(50) / 1000.0);
        }
        Histogram cold = LATENCIES.elapsed(COLD_START);
        System.out.printf(Locale.ROOT, "linux cold start (new task worker + first call): %d calls, p50 %.3f ms, p95 %.3f ms,"
                        + " max %.3f ms; server boot phase p50 %.3f ms%n", cold.getTotalCount(),
                cold.getValueAtPercentile(50) / 1000.0, cold.getValueAtPercentile(95) / 1000.0, cold.getMaxValue() / 1000.0,
                LATENCIES.phase(COLD_START, "boot").getValueAtPercentile(50) / 1000.0);
        // The matrix's "Linux mode overhead": the worst level's p50 ratio, measured in this run.
        Results.value("linux_overhead_x", "x", worstRatio, NamedValue.Merge.MAX);
        Results.finish(getClass(), Target.coordinatorUrl(), Params.describe());
        Target.stop();
    }
}

package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Linux emulator's performance targets (issue 5), in process:
 * <ul>
 *   <li>{@code pairedCall}: a warm linux-mode contract call against a direct call of the same contract,
 *       alternated so both see the same machine; prints each p50 and the ratio linux/direct (target <= 2x)
 *       per level: counter increment, NFT mint, compute-heavy;</li>
 *   <li>{@code coldStart}: a newly booted task worker (its image and syscall binding) plus its first run
 *       of a trivial program (target <= 50 ms), and {@code coldContractCall}, the same for a contract;</li>
 *   <li>{@code warmTrivialRun}: a warm WASI run of echo_json, stdin to stdout (target p50 <= 1 ms).</li>
 * </ul>
 * Run: {@code mvn -q -pl target-system test-compile exec:exec@jmh -Djmh.args=LinuxModeBench}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class LinuxModeBench {
    private static final BigInteger STORAGE_DEPOSIT = new BigInteger("10000000000000000000000");

    /** The emulator with the test programs loaded. */
    @State(Scope.Benchmark)
    public static class Programs {
        LinuxEmulator emulator;
        RunRequest trivial;
        RunRequest coldTrivial;

        @Setup(Level.Trial)
        public void boot() {
            emulator = TestPrograms.emulator(4);
            byte[] stdin = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
            trivial = new RunRequest(
                    List.of(),
                    Map.of(),
                    stdin,
                    null,
                    ProcessLimits.DEFAULT,
                    "bench.test.near",
                    "bench.test.near",
                    null,
                    false);
            coldTrivial = new RunRequest(
                    List.of(),
                    Map.of(),
                    stdin,
                    null,
                    ProcessLimits.DEFAULT,
                    "bench.test.near",
                    "bench.test.near",
                    null,
                    true);
        }

        @TearDown(Level.Trial)
        public void close() {
            emulator.close();
        }
    }

    /** A contract of one complexity level deployed twice: one account called directly, its twin in linux mode. */
    @State(Scope.Benchmark)
    public static class Contracts {
        @Param({"counter", "nft", "compute"})
        public String level;

        LinuxEmulator emulator;
        ContractSimulator simulator;
        final Histogram direct = new Histogram(3);
        final Histogram linux = new Histogram(3);
        long wasmInstructions;
        long translationInstructions;
        private long tokens;

        @Setup(Level.Trial)
        public void boot() throws Exception {
            emulator = TestPrograms.emulator(4);
            simulator = new ContractSimulator(true, BlockClock.startingNow(1000));
            byte[] code = Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/" + level + ".wasm"));
            for (String account : new String[] {"bench-d.test.near", "bench-l.test.near"}) {
                simulator.deploy(account, code);
                if (level.equals("nft")) {
                    simulator.execute(CallRequest.call(
                                    account,
                                    "new_default_meta",
                                    ("{\"owner_id\":\"" + account + "\"}").getBytes(StandardCharsets.UTF_8))
                            .withCaller(account, account));
                }
            }
        }

        /** The ratio is printed from the last (measurement) iteration's samples, not the warm-up's. */
        @Setup(Level.Iteration)
        public void resetSamples() {
            direct.reset();
            linux.reset();
        }

        CallRequest request(String account) {
            String args = switch (level) {
                case "counter" -> "{}";
                case "nft" ->
                    "{\"token_id\":\"t" + (tokens++) + "\",\"token_owner_id\":\"" + account
                            + "\",\"token_metadata\":{\"title\":\"Bench\"}}";
                default -> "{\"n\":100}";
            };
            String method = switch (level) {
                case "counter" -> "increment";
                case "nft" -> "nft_mint";
                default -> "compute";
            };
            CallRequest call = CallRequest.call(account, method, args.getBytes(StandardCharsets.UTF_8))
                    .withCaller(account, account);
            return level.equals("nft") ? call.withDeposit(STORAGE_DEPOSIT) : call;
        }

        @TearDown(Level.Trial)
        public void report() {
            if (direct.getTotalCount() > 0) {
                double ratio = (double) linux.getValueAtPercentile(50) / Math.max(1, direct.getValueAtPercentile(50));
                System.out.printf(
                        Locale.ROOT,
                        "%n[linux-mode %s] direct p50 %d us p90 %d us | linux p50 %d us p90 %d us"
                                + " | ratio linux/direct p50 %.2fx (target <= 2x) | wasm instructions %d + translation %d%n",
                        level,
                        direct.getValueAtPercentile(50),
                        direct.getValueAtPercentile(90),
                        linux.getValueAtPercentile(50),
                        linux.getValueAtPercentile(90),
                        ratio,
                        wasmInstructions,
                        translationInstructions);
            }
            simulator.close();
            emulator.close();
        }
    }

    /** One direct call, then the same call in linux mode on a twin account. */
    @Benchmark
    public Outcome pairedCall(Contracts c) {
        long start = System.nanoTime();
        Outcome d = c.simulator.execute(c.request("bench-d.test.near"));
        long middle = System.nanoTime();
        ContractProcess process = c.emulator.contractProcess(
                "bench-l.test.near", "call", "bench-l.test.near", "bench-l.test.near", false);
        Outcome l = c.simulator.execute(c.request("bench-l.test.near"), process);
        long end = System.nanoTime();
        if (!d.success() || !l.success()) {
            throw new IllegalStateException(c.level + " call failed: " + d.errorMessage() + " / " + l.errorMessage());
        }
        c.direct.recordValue((middle - start) / 1000);
        c.linux.recordValue((end - middle) / 1000);
        c.wasmInstructions = l.instructions();
        c.translationInstructions = process.translationInstructions();
        return l;
    }

    /** A newly booted worker and its first run: what a request pays when no booted worker is free. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 5, batchSize = 1)
    @Measurement(iterations = 30, batchSize = 1)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Execution coldStart(Programs p) throws Exception {
        return p.emulator.run("echo_json", p.coldTrivial);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 5, batchSize = 1)
    @Measurement(iterations = 30, batchSize = 1)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Outcome coldContractCall(Contracts c) {
        ContractProcess process =
                c.emulator.contractProcess("bench-l.test.near", "call", "bench-l.test.near", "bench-l.test.near", true);
        return c.simulator.execute(c.request("bench-l.test.near"), process);
    }

    /** A warm run of a trivial stdin -> stdout WASI program on a booted worker. */
    @Benchmark
    public Execution warmTrivialRun(Programs p) throws Exception {
        return p.emulator.run("echo_json", p.trivial);
    }
}

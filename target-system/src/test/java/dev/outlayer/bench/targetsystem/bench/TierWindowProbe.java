package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.CompiledContract;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Issue 14's "no call slower than 5x its compiled time after the first 200 ms": deploys a
 * never-seen 213 KiB contract (TIERED, as the target system) and calls {@code increment} back to
 * back for {@code seconds}; reports, per round, deploy + first call, when the compiled code
 * arrived, the median call of the window's last half, the slowest call that started after 200 ms
 * and its ratio to the compiled call, and the GC pause time inside the window. The compiled call
 * is the same code's steady state: the median of 5,000 calls to a copy compiled and called 30,000
 * times before (its own classes, the JVM's JIT done with them). Rounds
 * start once earlier compilations have ended (a warm JVM at rest), after {@link #WARM_UP} short
 * rounds that compile the JVM's own deploy path. Prints one {@code tier-window ...} line per round
 * and a {@code tier-window-summary} line (medians over the rounds, and the worst ratio).
 * Args: rounds (default 6), seconds (default 2).
 */
public final class TierWindowProbe {
    private static final byte[] NO_ARGS = "{}".getBytes(StandardCharsets.UTF_8);
    private static final long AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Rounds of 0.5 s before the measured ones: the first deploys of a JVM run its deploy path cold. */
    private static final int WARM_UP = 4;

    private TierWindowProbe() {}

    /** One round's figures. */
    private record Round(
            double firstMs, double compiledAtMs, double lateUs, double slowestUs, double slowestAtMs, double gcMs) {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        byte[] large = BenchContracts.synthetic(2000, 0);
        ContractSimulator sim = new ContractSimulator(true, ContractCompiler.Path.TIERED, BlockClock.startingNow(1000));
        for (int r = 0; r < WARM_UP; r++) {
            round(sim, BenchContracts.distinct(large, 4000 + r), "warmup" + r + ".test.near", 0.5);
        }
        double compiledUs = compiledCall(sim, BenchContracts.distinct(large, 3999));
        Round[] results = new Round[rounds];
        for (int r = 0; r < rounds; r++) {
            results[r] = round(sim, BenchContracts.distinct(large, 5000 + r), "window" + r + ".test.near", seconds);
            Round x = results[r];
            System.out.printf(
                    "tier-window round=%d first_ms=%.1f compiled_at_ms=%.0f late_half_median_us=%.1f"
                            + " slowest_after_200ms_us=%.1f at_ms=%.0f ratio=%.0f gc_ms=%.0f%n",
                    r,
                    x.firstMs,
                    x.compiledAtMs,
                    x.lateUs,
                    x.slowestUs,
                    x.slowestAtMs,
                    x.slowestUs / compiledUs,
                    x.gcMs);
        }
        double slowest = median(results, Round::slowestUs);
        System.out.printf(
                "tier-window-summary rounds=%d first_ms=%.1f compiled_at_ms=%.0f compiled_call_us=%.1f"
                        + " late_half_median_us=%.1f slowest_after_200ms_us=%.1f ratio=%.1f worst_ratio=%.1f gc_ms=%.0f%n",
                rounds,
                median(results, Round::firstMs),
                median(results, Round::compiledAtMs),
                compiledUs,
                median(results, Round::lateUs),
                slowest,
                slowest / compiledUs,
                Arrays.stream(results).mapToDouble(Round::slowestUs).max().orElse(Double.NaN) / compiledUs,
                median(results, Round::gcMs));
    }

    /** The steady compiled call of this code: compiled, called until the JIT is done with it, then timed. */
    private static double compiledCall(ContractSimulator sim, byte[] code) {
        String account = "reference.test.near";
        sim.deploy(account, code);
        sim.account(account).orElseThrow().contract().awaitCompiled(120, TimeUnit.SECONDS);
        CallRequest call = CallRequest.call(account, "increment", NO_ARGS);
        for (int i = 0; i < 30_000; i++) {
            BenchContracts.succeeded(sim.execute(call));
        }
        long[] nanos = new long[5_000];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            BenchContracts.succeeded(sim.execute(call));
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2] / 1e3;
    }

    private static Round round(ContractSimulator sim, byte[] code, String account, double seconds) {
        for (var other : sim.accounts()) {
            other.contract().awaitCompiled(120, TimeUnit.SECONDS);
        }
        long end = (long) (seconds * 1e9);
        long[] starts = new long[1 << 20];
        long[] durations = new long[starts.length];
        int n = 0;
        long gcBefore = gcMillis();
        long t0 = System.nanoTime();
        sim.deploy(account, code);
        CompiledContract contract = sim.account(account).orElseThrow().contract();
        long compiledAt = -1;
        double firstMs = -1;
        while (n < starts.length) {
            long start = System.nanoTime();
            if (n > 0 && start - t0 > end) {
                break;
            }
            BenchContracts.succeeded(sim.execute(CallRequest.call(account, "increment", NO_ARGS)));
            long done = System.nanoTime();
            if (firstMs < 0) {
                firstMs = (done - t0) / 1e6;
            }
            if (compiledAt < 0 && contract.isCompiled()) {
                compiledAt = done - t0;
            }
            starts[n] = start - t0;
            durations[n++] = done - start;
        }
        long gcMs = gcMillis() - gcBefore;
        long[] tail = Arrays.copyOfRange(durations, n / 2, n);
        Arrays.sort(tail);
        double lateUs = tail[tail.length / 2] / 1e3;
        long slowest = 0;
        long slowestAt = 0;
        for (int i = 0; i < n; i++) {
            if (starts[i] >= AFTER_NANOS && durations[i] > slowest) {
                slowest = durations[i];
                slowestAt = starts[i];
            }
        }
        return new Round(firstMs, compiledAt / 1e6, lateUs, slowest / 1e3, slowestAt / 1e6, gcMs);
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static double median(Round[] rounds, java.util.function.ToDoubleFunction<Round> figure) {
        double[] values = Arrays.stream(rounds).mapToDouble(figure).sorted().toArray();
        return values[values.length / 2];
    }
}

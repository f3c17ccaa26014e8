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
 * arrived, the steady compiled call (median of the last half), the slowest call that started
 * after 200 ms and its ratio to the steady call, and the GC pause time inside the window. Rounds
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
    private record Round(double firstMs, double compiledAtMs, double steadyUs, double slowestUs, double slowestAtMs,
            double gcMs) {
        double ratio() {
            return slowestUs / steadyUs;
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        byte[] large = BenchContracts.synthetic(2000, 0);
        ContractSimulator sim = new ContractSimulator(true, ContractCompiler.Path.TIERED, BlockClock.startingNow(1000));
        for (int r = 0; r < WARM_UP; r++) {
            round(sim, BenchContracts.distinct(large, 4000 + r), "warmup" + r + ".test.near", 0.5);
        }
        Round[] results = new Round[rounds];
        for (int r = 0; r < rounds; r++) {
            results[r] = round(sim, BenchContracts.distinct(large, 5000 + r), "window" + r + ".test.near", seconds);
            Round x = results[r];
            System.out.printf(
                    "tier-window round=%d first_ms=%.1f compiled_at_ms=%.0f steady_us=%.1f slowest_after_200ms_us=%.1f"
                            + " at_ms=%.0f ratio=%.1f gc_ms=%.0f%n",
                    r, x.firstMs, x.compiledAtMs, x.steadyUs, x.slowestUs, x.slowestAtMs, x.ratio(), x.gcMs);
        }
        Round[] warm = results;
        System.out.printf(
                "tier-window-summary rounds=%d first_ms=%.1f compiled_at_ms=%.0f steady_us=%.1f slowest_after_200ms_us=%.1f"
                        + " ratio=%.1f worst_ratio=%.1f%n",
                warm.length,
                median(warm, Round::firstMs),
                median(warm, Round::compiledAtMs),
                median(warm, Round::steadyUs),
                median(warm, Round::slowestUs),
                median(warm, Round::ratio),
                Arrays.stream(warm).mapToDouble(Round::ratio).max().orElse(Double.NaN));
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
        double steadyUs = tail[tail.length / 2] / 1e3;
        long slowest = 0;
        long slowestAt = 0;
        for (int i = 0; i < n; i++) {
            if (starts[i] >= AFTER_NANOS && durations[i] > slowest) {
                slowest = durations[i];
                slowestAt = starts[i];
            }
        }
        return new Round(firstMs, compiledAt / 1e6, steadyUs, slowest / 1e3, slowestAt / 1e6, gcMs);
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

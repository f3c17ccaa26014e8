package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.CompiledContract;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Issue 14's "no call slower than 5x its compiled time after the first 200 ms": deploys a
 * never-seen 213 KiB contract (TIERED, as the target system) and calls {@code increment} back to
 * back for {@code seconds}; reports, per round, deploy + first call, when the compiled code
 * arrived, the median call of the window's last half, the slowest call that started after 200 ms
 * and its ratio to the compiled call, and the GC pause time inside the window. For a decision on
 * that clause (unmet by orders of magnitude: docs/performance.md) it also reports what other forms
 * of it would measure: the p99 of the calls after 200 ms, the slowest call after the compiled code
 * arrived and the most CPU time one of those calls used (the rest of a slow call is its thread
 * waiting: for a core the JIT's compiler threads hold, or in a GC pause), and when the last call
 * over 5x the compiled call ended (the window the clause would need instead of 200 ms). The compiled call
 * is the same code's steady state: a copy compiled and called until the JVM's JIT is done with
 * its classes and its block medians stop falling ({@link #steadyCall}), measured twice, before the
 * rounds on a copy of its own and after them on the last round's contract; the faster of the two
 * is the reference, and the summary says whether they agree and whether the reference is at most
 * the rounds' own late calls (a reference slower than the code it is the reference for is not
 * steady: it would understate every ratio). Rounds
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
    /** At most 750,000 calls to find the steady compiled call (3-6 s). */
    private static final int MAX_REFERENCE_BLOCKS = 150;

    private TierWindowProbe() {}

    /**
     * The steady compiled call: its median, and the slowest of the same code's 15,000 or more steady
     * calls (what the machine alone, with no deploy or compile in sight, does to a call of a few
     * us); NaN when the JIT never came to rest; {@code calls} it took to get there.
     */
    /** The steady reference; {@code lastBlock}: the durations of its last block of calls, sorted (ns). */
    private record Steady(double medianUs, double slowestUs, int calls, long[] lastBlock) {}

    /** The share of {@code sorted} durations (ns) over {@code limitUs}, in percent (NaN: none). */
    private static double percentOver(long[] sorted, double limitUs) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int firstOver = Arrays.binarySearch(sorted, (long) (limitUs * 1e3) + 1);
        int over = sorted.length - (firstOver >= 0 ? firstOver : -firstOver - 1);
        return 100.0 * over / sorted.length;
    }

    /**
     * One round's figures. The last call over 5x the reference depends on the reference, known
     * only after the rounds: {@code lastSlowEnds} keeps the calls slower than every later call
     * (end, duration; latest first), from which it is read for any threshold.
     */
    private record Round(
            double firstMs,
            double compiledAtMs,
            double lateUs,
            double slowestUs,
            double slowestAtMs,
            double gcMs,
            double p99AfterUs,
            double slowestAfterCompiledUs,
            double slowestCpuAfterCompiledUs,
            long[][] lastSlowEnds,
            long[] lastSecond) {

        /** When the last call over {@code limitUs} ended, in ms after the deploy (0: none). */
        double settledMs(double limitUs) {
            for (long[] endAndDuration : lastSlowEnds) {
                if (endAndDuration[1] > limitUs * 1e3) {
                    return endAndDuration[0] / 1e6;
                }
            }
            return 0;
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        byte[] large = BenchContracts.synthetic(2000, 0);
        try (ContractSimulator sim =
                new ContractSimulator(true, ContractCompiler.Path.TIERED, BlockClock.startingNow(1000))) {
            for (int r = 0; r < WARM_UP; r++) {
                round(sim, BenchContracts.distinct(large, 4000 + r), "warmup" + r + ".test.near", 0.5);
            }
            String reference = "reference.test.near";
            sim.deploy(reference, BenchContracts.distinct(large, 3999));
            Steady before = steadyCall(sim, reference);
            Round[] results = new Round[rounds];
            for (int r = 0; r < rounds; r++) {
                results[r] = round(sim, BenchContracts.distinct(large, 5000 + r), "window" + r + ".test.near", seconds);
            }
            Steady after = steadyCall(sim, "window" + (rounds - 1) + ".test.near");
            Steady steady = Double.isNaN(after.medianUs()) || before.medianUs() <= after.medianUs() ? before : after;
            double compiledUs = steady.medianUs();
            double[] settled = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                Round x = results[r];
                settled[r] = x.settledMs(5 * compiledUs);
                System.out.printf(
                        "tier-window round=%d first_ms=%.1f compiled_at_ms=%.0f late_half_median_us=%.1f"
                                + " slowest_after_200ms_us=%.1f at_ms=%.0f ratio=%.0f gc_ms=%.0f"
                                + " p99_after_200ms_us=%.1f slowest_after_compiled_us=%.1f"
                                + " slowest_cpu_after_compiled_us=%.1f settled_ms=%.0f over5x_last_second_pct=%.2f%n",
                        r,
                        x.firstMs,
                        x.compiledAtMs,
                        x.lateUs,
                        x.slowestUs,
                        x.slowestAtMs,
                        x.slowestUs / compiledUs,
                        x.gcMs,
                        x.p99AfterUs,
                        x.slowestAfterCompiledUs,
                        x.slowestCpuAfterCompiledUs,
                        settled[r],
                        percentOver(x.lastSecond, 5 * compiledUs));
            }
            double slowest = median(results, Round::slowestUs);
            double lateUs = median(results, Round::lateUs);
            Arrays.sort(settled);
            System.out.printf(
                    "tier-window-summary rounds=%d first_ms=%.1f compiled_at_ms=%.0f compiled_call_us=%.1f"
                            + " reference_before_us=%.1f reference_after_us=%.1f reference_calls=%d,%d"
                            + " reference_agree=%b reference_steady=%b steady_slowest_us=%.1f"
                            + " late_half_median_us=%.1f slowest_after_200ms_us=%.1f ratio=%.1f worst_ratio=%.1f gc_ms=%.0f"
                            + " p99_after_200ms_us=%.1f slowest_after_compiled_us=%.1f slowest_cpu_after_compiled_us=%.1f"
                            + " settled_ms=%.0f worst_settled_ms=%.0f over5x_last_second_pct=%.2f"
                            + " steady_over5x_pct=%.2f%n",
                    rounds,
                    median(results, Round::firstMs),
                    median(results, Round::compiledAtMs),
                    compiledUs,
                    before.medianUs(),
                    after.medianUs(),
                    before.calls(),
                    after.calls(),
                    // Two copies of the same code, measured seconds apart, within 20% of each other.
                    Math.max(before.medianUs(), after.medianUs()) <= 1.2 * compiledUs,
                    // A steady call is not slower than the rounds' own late calls (which include
                    // calls still settling): if it is, the ratios are understated.
                    compiledUs <= 1.05 * lateUs,
                    steady.slowestUs(),
                    lateUs,
                    slowest,
                    slowest / compiledUs,
                    Arrays.stream(results).mapToDouble(Round::slowestUs).max().orElse(Double.NaN) / compiledUs,
                    median(results, Round::gcMs),
                    median(results, Round::p99AfterUs),
                    median(results, Round::slowestAfterCompiledUs),
                    median(results, Round::slowestCpuAfterCompiledUs),
                    settled[rounds / 2],
                    settled[rounds - 1],
                    median(results, x -> percentOver(x.lastSecond, 5 * compiledUs)),
                    percentOver(steady.lastBlock(), 5 * compiledUs));
        }
    }

    /**
     * The steady compiled call of {@code account}'s code: compiled, then called in blocks of 5,000
     * until the JVM's JIT compiler threads have been idle for three blocks in a row (at most one
     * clock tick of CPU each: one of these classes' methods can take the C2 compiler seconds) and
     * the last of those blocks did not beat the earlier ones by more than 3% (medians still
     * falling: the code is not steady yet); the best of the quiet blocks' medians. The JIT takes
     * 100,000 calls or more with these classes: a fixed 30,000 calls measured them half-compiled,
     * at 2-4x their steady time.
     */
    private static Steady steadyCall(ContractSimulator sim, String account) {
        sim.account(account).orElseThrow().contract().awaitCompiled(120, TimeUnit.SECONDS);
        CallRequest call = CallRequest.call(account, "increment", NO_ARGS);
        long[] nanos = new long[5_000];
        double best = Double.MAX_VALUE;
        long slowest = 0;
        int quietBlocks = 0;
        int block = 0;
        boolean steady = false;
        while (block < MAX_REFERENCE_BLOCKS && !steady) {
            block++;
            long jitTicks = jitTicks();
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                BenchContracts.succeeded(sim.execute(call));
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            double median = nanos[nanos.length / 2] / 1e3;
            long ticks = jitTicks() - jitTicks;
            // On stderr, which bench/contract-calls.sh drops: how the reference came to rest.
            System.err.printf("steady-call %s block=%d median_us=%.2f jit_ticks=%d%n", account, block, median, ticks);
            if (ticks <= 1) {
                quietBlocks++;
                steady = quietBlocks >= 3 && median >= 0.97 * best;
                best = Math.min(best, median);
                slowest = Math.max(slowest, nanos[nanos.length - 1]);
            } else {
                quietBlocks = 0;
                best = Double.MAX_VALUE;
                slowest = 0;
            }
        }
        // Never steady within the blocks allowed (a machine too busy): no reference from this copy.
        return steady
                ? new Steady(best, slowest / 1e3, block * nanos.length, nanos.clone())
                : new Steady(Double.NaN, Double.NaN, 0, new long[0]);
    }

    private static Round round(ContractSimulator sim, byte[] code, String account, double seconds) {
        for (var other : sim.accounts()) {
            other.contract().awaitCompiled(120, TimeUnit.SECONDS);
        }
        long end = (long) (seconds * 1e9);
        long[] starts = new long[1 << 20];
        long[] durations = new long[starts.length];
        long[] cpuTimes = new long[starts.length]; // read outside the timed span: it costs a system call
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = 0;
        long gcBefore = gcMillis();
        long t0 = System.nanoTime();
        sim.deploy(account, code);
        CompiledContract contract = sim.account(account).orElseThrow().contract();
        long compiledAt = -1;
        double firstMs = -1;
        while (n < starts.length) {
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            if (n > 0 && start - t0 > end) {
                break;
            }
            BenchContracts.succeeded(sim.execute(CallRequest.call(account, "increment", NO_ARGS)));
            long done = System.nanoTime();
            cpuTimes[n] = threads.getCurrentThreadCpuTime() - cpuBefore;
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
        long slowestAfterCompiled = 0;
        long slowestCpuAfterCompiled = 0;
        List<long[]> lastSlowEnds = new ArrayList<>(); // (end, duration) of calls slower than every later one
        int after = 0;
        for (int i = 0; i < n; i++) {
            if (starts[i] >= AFTER_NANOS) {
                after++;
                if (durations[i] > slowest) {
                    slowest = durations[i];
                    slowestAt = starts[i];
                }
            }
            if (compiledAt >= 0 && starts[i] >= compiledAt) {
                slowestAfterCompiled = Math.max(slowestAfterCompiled, durations[i]);
                slowestCpuAfterCompiled = Math.max(slowestCpuAfterCompiled, cpuTimes[i]);
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            if (lastSlowEnds.isEmpty() || durations[i] > lastSlowEnds.get(lastSlowEnds.size() - 1)[1]) {
                lastSlowEnds.add(new long[] {starts[i] + durations[i], durations[i]});
            }
        }
        long[] late = new long[after];
        for (int i = 0, j = 0; i < n; i++) {
            if (starts[i] >= AFTER_NANOS) {
                late[j++] = durations[i];
            }
        }
        Arrays.sort(late);
        // The window's last second: how many calls still take over 5x the steady call, long after the compiled
        // code arrived (known only once the reference is, after the rounds).
        long lastSecondFrom = end - 1_000_000_000L;
        int from = 0;
        while (from < n && starts[from] < lastSecondFrom) {
            from++;
        }
        long[] lastSecond = Arrays.copyOfRange(durations, from, n);
        Arrays.sort(lastSecond);
        double p99AfterUs =
                after == 0 ? Double.NaN : late[(int) Math.min(after - 1L, (long) Math.ceil(after * 0.99) - 1)] / 1e3;
        return new Round(
                firstMs,
                compiledAt < 0 ? Double.NaN : compiledAt / 1e6, // NaN: not compiled within the window
                lateUs,
                slowest / 1e3,
                slowestAt / 1e6,
                gcMs,
                p99AfterUs,
                compiledAt < 0 ? Double.NaN : slowestAfterCompiled / 1e3,
                compiledAt < 0 ? Double.NaN : slowestCpuAfterCompiled / 1e3,
                lastSlowEnds.toArray(long[][]::new),
                lastSecond);
    }

    /** CPU clock ticks the JVM's JIT compiler threads have used so far (Linux: /proc/self/task). */
    private static long jitTicks() {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm"));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        String stat = Files.readString(task.resolve("stat"));
                        // Fields after "(comm) ": state is the 3rd field; utime and stime the 14th and 15th.
                        String[] fields =
                                stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (NoSuchFileException ended) {
                    // a compiler thread the JVM stopped meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JIT's threads from /proc", e);
        }
        return ticks;
    }

    /** Milliseconds the collectors have spent so far (shared with {@link CompileQueueProbe}). */
    static long gcMillis() {
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

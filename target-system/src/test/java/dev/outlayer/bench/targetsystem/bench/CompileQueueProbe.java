package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A call to a just-deployed 213 KiB contract (a 300 Tgas loop, until GasExceeded) alone, and
 * again right after ten other accounts deployed contracts of the same size (issue 14 target: at
 * most 2x the time alone). Both on the target system's path (TIERED: interpreter until compiled).
 * After two warm-up rounds, each round times the call alone then queued; prints {@code
 * compile-queue alone_ms=.. queued_ms=.. ratio=.. ratio_min=.. ratio_max=.. ratios=..
 * ratio_of_medians=..}: medians over the rounds, the ratio being each round's queued / alone, and
 * the median queued call over the median call alone. Before it, a {@code queue-round} line per
 * round says where each call's time went: the deploy ({@code deployed_ms}), until its own
 * compiled code arrived ({@code compiled_ms}, from the deploy; the call restarts on it) and after
 * ({@code rest_ms}: the compiled run, in classes the JVM has just loaded), and the collectors' pauses
 * meanwhile ({@code gc_ms}). Args: rounds (default 3).
 * Run from the repository root: {@code mvn -q -pl target-system test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.outlayer.bench.targetsystem.bench.CompileQueueProbe}
 */
public final class CompileQueueProbe {
    private static final byte[] NO_ARGS = "{}".getBytes(StandardCharsets.UTF_8);
    private static int salt = 1000;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        byte[] large = BenchContracts.synthetic(2000, 0);
        try (ContractSimulator sim =
                new ContractSimulator(true, ContractCompiler.Path.TIERED, BlockClock.startingNow(1000))) {
            int warmUp = 2; // the JVM's own code paths (parser, instrumenter, compiler) get compiled
            double[] alone = new double[rounds];
            double[] queued = new double[rounds];
            double[] ratios = new double[rounds];
            for (int round = -warmUp; round < rounds; round++) {
                awaitIdle(sim);
                Timed a = loopOnFresh(sim, large);
                awaitIdle(sim);
                for (int i = 0; i < 10; i++) {
                    sim.deploy("other" + (++salt) + ".test.near", BenchContracts.distinct(large, salt));
                }
                Timed q = loopOnFresh(sim, large);
                if (round >= 0) {
                    alone[round] = a.ms();
                    queued[round] = q.ms();
                    ratios[round] = q.ms() / a.ms();
                    System.out.printf(
                            "queue-round %d alone_ms=%.1f (deployed_ms=%.1f compiled_ms=%.1f rest_ms=%.1f gc_ms=%d)"
                                    + " queued_ms=%.1f (deployed_ms=%.1f compiled_ms=%.1f rest_ms=%.1f gc_ms=%d)"
                                    + " ratio=%.2f%n",
                            round + 1,
                            a.ms(),
                            a.deployMs(),
                            a.compiledMs(),
                            a.ms() - a.compiledMs(),
                            a.gcMs(),
                            q.ms(),
                            q.deployMs(),
                            q.compiledMs(),
                            q.ms() - q.compiledMs(),
                            q.gcMs(),
                            ratios[round]);
                }
            }
            awaitIdle(sim);
            StringBuilder each = new StringBuilder();
            for (double r : ratios) {
                each.append(each.length() == 0 ? "" : ",").append(String.format("%.2f", r));
            }
            System.out.printf(
                    "compile-queue alone_ms=%.1f queued_ms=%.1f ratio=%.2f ratio_min=%.2f ratio_max=%.2f ratios=%s"
                            + " ratio_of_medians=%.2f%n",
                    median(alone),
                    median(queued),
                    median(ratios),
                    Arrays.stream(ratios).min().orElseThrow(),
                    Arrays.stream(ratios).max().orElseThrow(),
                    each,
                    median(queued) / median(alone));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * A call's time from its deploy, when the deploy returned and when its compiled code arrived (all
     * in ms from the deploy), and the collectors' time meanwhile.
     */
    private record Timed(double ms, double deployMs, double compiledMs, long gcMs) {}

    /** Deploys a never-seen copy and times deploy + the loop call to GasExceeded, and when it was compiled. */
    private static Timed loopOnFresh(ContractSimulator sim, byte[] large) {
        String account = "target" + (++salt) + ".test.near";
        long gcBefore = TierWindowProbe.gcMillis();
        long start = System.nanoTime();
        sim.deploy(account, BenchContracts.distinct(large, salt));
        long deployed = System.nanoTime();
        CompletableFuture<Long> compiledAt = CompletableFuture.supplyAsync(() -> {
            sim.account(account).orElseThrow().contract().awaitCompiled(120, TimeUnit.SECONDS);
            return System.nanoTime();
        });
        Outcome outcome = sim.execute(CallRequest.call(account, "loop", NO_ARGS));
        long end = System.nanoTime();
        if (!"GasExceeded".equals(outcome.errorKind())) {
            throw new IllegalStateException("expected GasExceeded, got " + outcome.errorKind());
        }
        return new Timed(
                (end - start) / 1e6,
                (deployed - start) / 1e6,
                (compiledAt.join() - start) / 1e6,
                TierWindowProbe.gcMillis() - gcBefore);
    }

    /**
     * Until every compilation ended, then a full collection: each timed part starts from the same
     * heap, not in the collector's work left by the round before (hundreds of MB of compilation
     * garbage; pauses of 50-500 ms that landed in either part at random made the ratio swing).
     */
    private static void awaitIdle(ContractSimulator sim) {
        for (var account : sim.accounts()) {
            account.contract().awaitCompiled(120, TimeUnit.SECONDS);
        }
        System.gc();
    }
}

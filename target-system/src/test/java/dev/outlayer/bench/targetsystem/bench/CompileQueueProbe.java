package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A call to a just-deployed 213 KiB contract (a 300 Tgas loop, until GasExceeded) alone, and
 * again right after ten other accounts deployed contracts of the same size (issue 14 target: at
 * most 2x the time alone). Both on the target system's path (TIERED: interpreter until compiled).
 * After two warm-up rounds, each round times the call alone then queued; prints {@code
 * compile-queue alone_ms=.. queued_ms=.. ratio=.. ratio_min=.. ratio_max=.. ratios=..}: medians
 * over the rounds, the ratio being each round's queued / alone. Args: rounds (default 3).
 * Run from the repository root: {@code mvn -q -pl target-system test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.outlayer.bench.targetsystem.bench.CompileQueueProbe}
 */
public final class CompileQueueProbe {
    private static final byte[] NO_ARGS = "{}".getBytes(StandardCharsets.UTF_8);
    private static int salt = 1000;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        byte[] large = BenchContracts.synthetic(2000, 0);
        ContractSimulator sim = new ContractSimulator(true, ContractCompiler.Path.TIERED, BlockClock.startingNow(1000));
        int warmUp = 2; // the JVM's own code paths (parser, instrumenter, compiler) get compiled
        double[] alone = new double[rounds];
        double[] queued = new double[rounds];
        double[] ratios = new double[rounds];
        for (int round = -warmUp; round < rounds; round++) {
            awaitIdle(sim);
            double a = loopOnFresh(sim, large);
            awaitIdle(sim);
            for (int i = 0; i < 10; i++) {
                sim.deploy("other" + (++salt) + ".test.near", BenchContracts.distinct(large, salt));
            }
            double q = loopOnFresh(sim, large);
            if (round >= 0) {
                alone[round] = a;
                queued[round] = q;
                ratios[round] = q / a;
            }
        }
        awaitIdle(sim);
        StringBuilder each = new StringBuilder();
        for (double r : ratios) {
            each.append(each.length() == 0 ? "" : ",").append(String.format("%.2f", r));
        }
        System.out.printf(
                "compile-queue alone_ms=%.1f queued_ms=%.1f ratio=%.2f ratio_min=%.2f ratio_max=%.2f ratios=%s%n",
                median(alone),
                median(queued),
                median(ratios),
                Arrays.stream(ratios).min().orElseThrow(),
                Arrays.stream(ratios).max().orElseThrow(),
                each);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Deploys a never-seen copy and times deploy + the loop call to GasExceeded, in ms. */
    private static double loopOnFresh(ContractSimulator sim, byte[] large) {
        String account = "target" + (++salt) + ".test.near";
        long start = System.nanoTime();
        sim.deploy(account, BenchContracts.distinct(large, salt));
        Outcome outcome = sim.execute(CallRequest.call(account, "loop", NO_ARGS));
        double ms = (System.nanoTime() - start) / 1e6;
        if (!"GasExceeded".equals(outcome.errorKind())) {
            throw new IllegalStateException("expected GasExceeded, got " + outcome.errorKind());
        }
        return ms;
    }

    private static void awaitIdle(ContractSimulator sim) {
        for (var account : sim.accounts()) {
            account.contract().awaitCompiled(120, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}

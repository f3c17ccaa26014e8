package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.nio.charset.StandardCharsets;

/**
 * A call to a just-deployed 213 KiB contract (a 300 Tgas loop, until GasExceeded) alone, and
 * again right after ten other accounts deployed contracts of the same size (issue 14 target: at
 * most 2x the time alone). Both on the target system's path (TIERED: interpreter until compiled).
 * Prints {@code compile-queue alone_ms=.. queued_ms=.. ratio=..}; args: rounds (default 3).
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
        loopOnFresh(sim, large); // warm the JVM's own code paths once
        double alone = Double.MAX_VALUE;
        double queued = Double.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            awaitIdle(sim);
            alone = Math.min(alone, loopOnFresh(sim, large));
            awaitIdle(sim);
            for (int i = 0; i < 10; i++) {
                sim.deploy("other" + (++salt) + ".test.near", BenchContracts.distinct(large, salt));
            }
            queued = Math.min(queued, loopOnFresh(sim, large));
        }
        awaitIdle(sim);
        System.out.printf("compile-queue alone_ms=%.1f queued_ms=%.1f ratio=%.2f%n", alone, queued, queued / alone);
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

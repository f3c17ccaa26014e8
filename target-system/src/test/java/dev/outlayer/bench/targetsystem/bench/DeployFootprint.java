package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Heap a deployed contract keeps: deploys never-seen copies of the 213 KiB contract one after
 * another (each called once, then compiled), and prints the heap in use after a full collection
 * per contract held. Run it with the embedded target's heap ({@code -Xmx512m -XX:+UseSerialGC}):
 * a target that keeps too much per contract runs out of memory here.
 * Usage: {@code DeployFootprint [contracts]} (from the repository root, on the test classpath).
 */
public final class DeployFootprint {
    private DeployFootprint() {}

    public static void main(String[] args) {
        int contracts = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        byte[] large = BenchContracts.synthetic(2000, 0);
        ContractSimulator simulator =
                new ContractSimulator(true, ContractCompiler.Path.TIERED, BlockClock.startingNow(1000));
        long before = heapAfterGc();
        for (int r = 1; r <= contracts; r++) {
            String account = "footprint" + r + ".test.near";
            simulator.deploy(account, BenchContracts.distinct(large, r));
            Outcome outcome = simulator.execute(CallRequest.call(account, "increment", new byte[0]));
            if (!outcome.success()) {
                throw new IllegalStateException(outcome.errorKind() + ": " + outcome.errorMessage());
            }
            simulator.account(account).orElseThrow().contract().awaitCompiled(60, TimeUnit.SECONDS);
        }
        long after = heapAfterGc();
        System.out.printf(
                "deploy-footprint contracts=%d code_kib=%.1f heap_before_mib=%.1f heap_after_mib=%.1f"
                        + " per_contract_kib=%.1f max_heap_mib=%.0f%n",
                contracts,
                large.length / 1024.0,
                before / 1048576.0,
                after / 1048576.0,
                (after - before) / 1024.0 / contracts,
                Runtime.getRuntime().maxMemory() / 1048576.0);
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

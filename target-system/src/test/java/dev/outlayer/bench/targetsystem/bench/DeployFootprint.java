package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap a deployed contract keeps, and a flood of deploys: {@code threads} clients deploy
 * never-seen copies of the 213 KiB contract and call each once, without waiting for compilation
 * (deploys outrun the compiler several times over), then every contract is awaited compiled and
 * the heap in use after a full collection is printed per contract. Run it with the embedded
 * target's heap ({@code -Xms512m -Xmx512m -XX:+UseSerialGC}): a target that holds too much per contract,
 * or lets deploys pile up uncompiled modules, runs out of memory here.
 * Usage: {@code DeployFootprint [contracts] [threads]} (from the repository root, on the test classpath).
 */
public final class DeployFootprint {
    private DeployFootprint() {}

    public static void main(String[] args) throws Exception {
        int contracts = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        byte[] large = BenchContracts.synthetic(2000, 0);
        try (ContractSimulator simulator =
                new ContractSimulator(true, ContractCompiler.Path.TIERED, BlockClock.startingNow(1000))) {
            long before = heapAfterGc();
            AtomicInteger next = new AtomicInteger();
            AtomicLong slowestNanos = new AtomicLong();
            long start = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(clients.submit(() -> {
                    for (int r = next.incrementAndGet(); r <= contracts; r = next.incrementAndGet()) {
                        long t0 = System.nanoTime();
                        String account = "footprint" + r + ".test.near";
                        simulator.deploy(account, BenchContracts.distinct(large, r));
                        Outcome outcome = simulator.execute(CallRequest.call(account, "increment", new byte[0]));
                        if (!outcome.success()) {
                            throw new IllegalStateException(outcome.errorKind() + ": " + outcome.errorMessage());
                        }
                        slowestNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    }
                    return null;
                }));
            }
            try {
                for (Future<?> client : done) {
                    client.get();
                }
            } finally {
                clients.shutdownNow();
            }
            long deployed = System.nanoTime();
            for (int r = 1; r <= contracts; r++) {
                simulator
                        .account("footprint" + r + ".test.near")
                        .orElseThrow()
                        .contract()
                        .awaitCompiled(10, TimeUnit.MINUTES);
            }
            long compiled = System.nanoTime();
            long after = heapAfterGc();
            System.out.printf(
                    "deploy-footprint contracts=%d threads=%d code_kib=%.1f deploys_s=%.1f slowest_deploy_ms=%.0f"
                            + " all_compiled_s=%.1f heap_before_mib=%.1f heap_after_mib=%.1f per_contract_kib=%.1f"
                            + " max_heap_mib=%.0f%n",
                    contracts,
                    threads,
                    large.length / 1024.0,
                    (deployed - start) / 1e9,
                    slowestNanos.get() / 1e6,
                    (compiled - start) / 1e9,
                    before / 1048576.0,
                    after / 1048576.0,
                    (after - before) / 1024.0 / contracts,
                    Runtime.getRuntime().maxMemory() / 1048576.0);
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

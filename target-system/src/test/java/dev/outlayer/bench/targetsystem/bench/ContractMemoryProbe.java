package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;

/**
 * Memory per loaded contract (heap + metaspace after GC, divided over 50 distinct compiled
 * counters; issue target <= 5 MB) and heap growth over 1,000 executions (target <= 2 MB).
 * Run from the repository root: {@code mvn -q -pl target-system test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.outlayer.bench.targetsystem.bench.ContractMemoryProbe}
 */
public final class ContractMemoryProbe {
    private static final int CONTRACTS = 50;

    public static void main(String[] args) {
        byte[] counter = BenchContracts.bundled("counter.wasm");
        byte[] noArgs = "{}".getBytes(StandardCharsets.UTF_8);
        try (ContractSimulator sim = new ContractSimulator(true, BlockClock.startingNow(1000))) {
            // Warm the compiler's own classes so they are not counted against the first contract.
            sim.deploy("warm.test.near", BenchContracts.distinct(counter, -1));
            sim.execute(CallRequest.call("warm.test.near", "increment", noArgs));

            long heap0 = heapAfterGc();
            long meta0 = metaspace();
            for (int i = 0; i < CONTRACTS; i++) {
                String account = "c" + i + ".test.near";
                sim.deploy(account, BenchContracts.distinct(counter, i));
                sim.execute(CallRequest.call(account, "increment", noArgs));
            }
            long heap1 = heapAfterGc();
            long meta1 = metaspace();
            double heapPer = (heap1 - heap0) / (double) CONTRACTS;
            double metaPer = (meta1 - meta0) / (double) CONTRACTS;
            System.out.printf(
                    "per loaded contract: heap %.1f KiB + metaspace %.1f KiB = %.2f MiB (target <= 5 MB)%n",
                    heapPer / 1024, metaPer / 1024, (heapPer + metaPer) / (1024 * 1024));

            for (int i = 0; i < 100; i++) {
                sim.execute(CallRequest.call("c0.test.near", "increment", noArgs));
            }
            long before = heapAfterGc();
            for (int i = 0; i < 1000; i++) {
                sim.execute(CallRequest.call("c0.test.near", "increment", noArgs));
            }
            long after = heapAfterGc();
            System.out.printf(
                    "heap growth over 1,000 executions after GC: %.1f KiB (target <= 2 MB)%n",
                    (after - before) / 1024.0);
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long metaspace() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().contains("Metaspace") || pool.getName().contains("Compressed Class")) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }
}

package dev.outlayer.bench.targetsystem;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;
import dev.outlayer.bench.targetsystem.contracts.HostBinding;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.testing.LeakGuard;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Closing the target system stops every thread it started: listeners, the execution lifecycle's
 * monitor and workers, timers, the contract workers and the simulator's background receipts.
 */
class TargetSystemCloseTest {
    private static final String ROUTER = "router.test.near";
    private static final String CALLEE = "callee.test.near";
    /** Threads whose components' close() returns once they have ended (threads.OwnedThreads). */
    private static final List<String> WAITED_FOR = List.of(
            "receipts",
            "yield-timeouts",
            "contract-worker-",
            "contract-watchdog",
            "https-call-timeouts",
            "throttle-idle-sweeper",
            "throttle-config-reloader",
            "linux-proc-",
            "linux-watchdog",
            "data-store-writer");

    @Test
    void closeLeavesNoThreadItStartedBehind() {
        LeakGuard.Snapshot before = LeakGuard.Snapshot.take();
        TargetSystem system = TargetSystem.start(LifecycleClient.fastBlocks(2));
        TxOutcome tree;
        try {
            ContractSimulator contracts = system.contracts();
            contracts.deploy(ROUTER, TestContracts.wasm("receipts"));
            contracts.deploy(CALLEE, TestContracts.wasm("receipts"));
            // FIRST_RECEIPT: the rest of the tree runs on the simulator's background thread
            tree = contracts.call(
                    CallRequest.call(ROUTER, "then_ok", utf8(CALLEE)).withCaller(ROUTER, ROUTER),
                    WaitMode.FIRST_RECEIPT,
                    HostBinding.DIRECT);
            assertThat(before.leftAfter(0).threadNames())
                    .contains("receipts", "yield-timeouts")
                    .anyMatch(name -> name.startsWith("XNIO-"))
                    .anyMatch(name -> name.startsWith("coordinator-worker-"));
        } finally {
            system.close();
        }

        assertThat(before.runningNow())
                .as("threads of components whose close() waits for them, alive when close() returned")
                .noneMatch(name -> WAITED_FOR.stream().anyMatch(name::startsWith) || name.endsWith("-heartbeats"));
        assertThat(tree.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        LeakGuard.Leftovers left = before.leftAfter(HangGuard.BOUND.toMillis());
        assertThat(left.threadNames()).as("threads still running after close").isEmpty();
        assertThat(left.processes()).isEmpty();
    }
}

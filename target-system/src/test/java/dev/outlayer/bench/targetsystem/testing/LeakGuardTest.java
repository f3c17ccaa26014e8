package dev.outlayer.bench.targetsystem.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.HostBinding;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * What the guard counts as left behind, and what it lets end or leaves alone; and that it fails a
 * class (whose report lands in target/leak-guard/ like a real one's).
 */
class LeakGuardTest {

    private static Thread waiting(String name, boolean daemon, CountDownLatch release) {
        Thread thread = new Thread(
                () -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                name);
        thread.setDaemon(daemon);
        thread.start();
        return thread;
    }

    @Test
    void aNonDaemonThreadStillRunningIsFatalAndGoneOnceItEnds() throws Exception {
        LeakGuard.Snapshot before = LeakGuard.Snapshot.take();
        CountDownLatch release = new CountDownLatch(1);
        Thread thread = waiting("guard-test-worker", false, release);
        try {
            LeakGuard.Leftovers left = before.leftAfter(100);
            assertThat(left.threadNames()).contains("guard-test-worker");
            assertThat(left.fatal()).isTrue();
            assertThat(left.describe("SomeTest")).contains("\"guard-test-worker\" NON-DAEMON");
        } finally {
            release.countDown();
        }
        assertThat(before.leftAfter(HangGuard.BOUND.toMillis()).threadNames()).doesNotContain("guard-test-worker");
        thread.join();
    }

    @Test
    void aDaemonThreadIsReportedButNotFatalAndOneOfTheJvmsIsNotCounted() throws Exception {
        LeakGuard.Snapshot before = LeakGuard.Snapshot.take();
        CountDownLatch release = new CountDownLatch(1);
        Thread mine = waiting("guard-test-daemon", true, release);
        Thread scoped = waiting("HttpClient-999-SelectorManager", true, release);
        try {
            LeakGuard.Leftovers left = before.leftAfter(100);
            assertThat(left.threadNames())
                    .contains("guard-test-daemon")
                    .doesNotContain("HttpClient-999-SelectorManager");
            assertThat(left.fatal()).isFalse();
        } finally {
            release.countDown();
        }
        mine.join();
        scoped.join();
    }

    @Test
    void aChildProcessStillRunningIsFatalUntilItExits() throws Exception {
        LeakGuard.Snapshot before = LeakGuard.Snapshot.take();
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            LeakGuard.Leftovers left = before.leftAfter(100);
            assertThat(left.processes()).extracting(ProcessHandle::pid).contains(sleep.pid());
            assertThat(left.fatal()).isTrue();
        } finally {
            sleep.destroy();
            sleep.waitFor(HangGuard.BOUND_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(before.leftAfter(HangGuard.BOUND.toMillis()).processes())
                .extracting(ProcessHandle::pid)
                .doesNotContain(sleep.pid());
    }

    /** Leaves a non-daemon thread running: run only by the launcher in the test below (surefire skips nested classes). */
    static class LeavesANonDaemonThread {
        static final CountDownLatch RELEASE = new CountDownLatch(1);
        static Thread forgotten;

        @Test
        void startsAThreadAndForgetsIt() {
            forgotten = waiting("guard-test-forgotten", false, RELEASE);
        }
    }

    @Test
    void theGuardFailsAClassThatLeavesANonDaemonThreadRunning() throws Exception {
        SummaryGeneratingListener summary;
        try {
            summary = runGuarded(LeavesANonDaemonThread.class, 300);
        } finally {
            LeavesANonDaemonThread.RELEASE.countDown();
        }
        LeavesANonDaemonThread.forgotten.join(HangGuard.BOUND.toMillis());

        assertGuardFailed(
                summary,
                "left non-daemon threads, threads of components it did not close",
                "\"guard-test-forgotten\" NON-DAEMON");
    }

    /** The class's one test passed, and the guard failed the class saying {@code says}. */
    private static void assertGuardFailed(SummaryGeneratingListener summary, String... says) {
        assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(summary.getSummary().getFailures())
                .singleElement()
                .satisfies(failure ->
                        assertThat(failure.getException().getMessage()).contains(says));
    }

    /** A simulator whose background receipts' thread runs: the first receipt of a cross-contract call went there. */
    private static ContractSimulator simulatorWithItsReceiptsThread() {
        ContractSimulator simulator = new ContractSimulator(true, BlockClock.startingNow(1000));
        simulator.deploy("router.test.near", TestContracts.wasm("receipts"));
        simulator.deploy("callee.test.near", TestContracts.wasm("receipts"));
        simulator.putAccount("alice.test.near", ContractSimulator.DEFAULT_BALANCE);
        simulator.call(
                CallRequest.call("router.test.near", "then_ok", TestContracts.utf8("callee.test.near"))
                        .withCaller("alice.test.near", "alice.test.near"),
                WaitMode.FIRST_RECEIPT,
                HostBinding.DIRECT);
        return simulator;
    }

    /** Leaves its simulator open (run only by the launcher below): its daemon receipts' thread idles on. */
    static class LeavesASimulatorOpen {
        static ContractSimulator forgotten;

        @Test
        void startsTheReceiptsThreadAndForgetsTheSimulator() {
            forgotten = simulatorWithItsReceiptsThread();
        }
    }

    /** The same, closed. */
    static class ClosesItsSimulator {
        @Test
        void startsTheReceiptsThreadAndClosesTheSimulator() {
            simulatorWithItsReceiptsThread().close();
        }
    }

    /** Shares a simulator through a static @AutoClose field (run only by the launcher below). */
    static class ClosesItsSimulatorThroughAStaticAutoClose {
        @AutoClose
        static ContractSimulator shared;

        @Test
        void startsTheReceiptsThread() {
            shared = simulatorWithItsReceiptsThread();
        }
    }

    @Test
    void aStaticAutoCloseFieldIsClosedOnlyAfterTheGuardHasLooked() {
        // Why classes close what they share in @AfterAll: JUnit's AutoClose runs its after-all last.
        LeakGuard.Snapshot before = LeakGuard.Snapshot.take();
        assertGuardFailed(
                runGuarded(ClosesItsSimulatorThroughAStaticAutoClose.class, 300),
                "\"receipts\" daemon, ended only by its component's close()");
        assertThat(before.leftAfter(HangGuard.BOUND.toMillis()).threadNames())
                .as("closed by JUnit once the guard had looked")
                .doesNotContain("receipts");
    }

    @Test
    void theGuardFailsAClassThatLeavesASimulatorOpenWithItsReceiptsThreadAndPassesOneThatClosesIt() throws Exception {
        SummaryGeneratingListener open;
        try {
            open = runGuarded(LeavesASimulatorOpen.class, 300);
        } finally {
            if (LeavesASimulatorOpen.forgotten != null) {
                LeavesASimulatorOpen.forgotten.close();
            }
        }
        // What must end gets the whole bound: the guard returns as soon as it has.
        SummaryGeneratingListener closed = runGuarded(ClosesItsSimulator.class, HangGuard.BOUND.toMillis());

        assertGuardFailed(
                open,
                "threads of components it did not close",
                "\"receipts\" daemon, ended only by its component's close()");
        assertThat(closed.getSummary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(closed.getSummary().getFailures()).isEmpty();
    }

    /** Runs {@code testClass} through the launcher with the guard failing what is left after {@code graceMillis}. */
    private static SummaryGeneratingListener runGuarded(Class<?> testClass, long graceMillis) {
        String mode = System.setProperty(LeakGuard.MODE_PROPERTY, "fail");
        String grace = System.setProperty(LeakGuard.GRACE_PROPERTY, Long.toString(graceMillis));
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        try {
            LauncherFactory.create()
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(DiscoverySelectors.selectClass(testClass))
                                    .build(),
                            summary);
        } finally {
            restore(LeakGuard.MODE_PROPERTY, mode);
            restore(LeakGuard.GRACE_PROPERTY, grace);
        }
        return summary;
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}

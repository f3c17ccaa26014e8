package dev.outlayer.bench.targetsystem.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        String mode = System.setProperty(LeakGuard.MODE_PROPERTY, "fail");
        String grace = System.setProperty(LeakGuard.GRACE_PROPERTY, "300");
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        try {
            LauncherFactory.create()
                    .execute(
                            LauncherDiscoveryRequestBuilder.request()
                                    .selectors(DiscoverySelectors.selectClass(LeavesANonDaemonThread.class))
                                    .build(),
                            summary);
        } finally {
            restore(LeakGuard.MODE_PROPERTY, mode);
            restore(LeakGuard.GRACE_PROPERTY, grace);
            LeavesANonDaemonThread.RELEASE.countDown();
        }
        LeavesANonDaemonThread.forgotten.join(HangGuard.BOUND.toMillis());

        assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(summary.getSummary().getFailures())
                .singleElement()
                .satisfies(failure -> assertThat(failure.getException())
                        .hasMessageContaining("left non-daemon threads or child processes behind")
                        .hasMessageContaining("\"guard-test-forgotten\" NON-DAEMON"));
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}

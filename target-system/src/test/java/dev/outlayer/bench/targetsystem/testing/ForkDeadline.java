package dev.outlayer.bench.targetsystem.testing;

import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * A hung test JVM ends itself with a report: {@code fork.deadline.seconds} after its tests started
 * (the pom passes {@code surefire.timeout}), it prints the tests running then and every thread's
 * stack to stderr and to {@code target/fork-deadline/<pid>.txt}, then exits with {@link #EXIT_CODE}
 * (shutdown hooks run: the per-JVM PostgreSQL server is stopped), halting if they do not end within
 * {@link #EXIT_GRACE_SECONDS}. Surefire then fails the build ("The forked VM terminated without
 * properly saying goodbye"). Surefire's own {@code forkedProcessTimeoutInSeconds} does not do this:
 * since 3.0.0-M6 it reports the timeout only once the fork has ended by itself (SUREFIRE-1722; a
 * test sleeping 300 s with a 20 s timeout ran its 300 s on 3.5.4), so a hang ran into CI's limit
 * with no report at all.
 *
 * <p>Registered by META-INF/services for every launcher of the JVM; one deadline per JVM, from the
 * first test plan. Without the property (an IDE run) there is none.
 */
public final class ForkDeadline implements TestExecutionListener {
    public static final String PROPERTY = "fork.deadline.seconds";
    public static final int EXIT_CODE = 3;
    static final long EXIT_GRACE_SECONDS = 30;
    static final String THREAD_NAME = "fork-deadline";

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** What runs now (containers and tests), by unique id: what the report names. */
    private static final Set<String> RUNNING = ConcurrentHashMap.newKeySet();

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        long seconds = Long.getLong(PROPERTY, 0);
        if (seconds > 0 && STARTED.compareAndSet(false, true)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            Thread thread = new Thread(() -> endAt(deadline, seconds), THREAD_NAME);
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        RUNNING.add(test.getUniqueId());
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        RUNNING.remove(test.getUniqueId());
    }

    private static void endAt(long deadline, long seconds) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                // nothing stops the deadline: it is there for a JVM nothing else ends
            }
        }
        String report = report(seconds);
        System.err.print(report);
        System.err.flush();
        record(report);
        Thread halt = new Thread(
                () -> {
                    try {
                        TimeUnit.SECONDS.sleep(EXIT_GRACE_SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(EXIT_CODE); // a shutdown hook hangs too
                },
                THREAD_NAME + "-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(EXIT_CODE);
    }

    private static String report(long seconds) {
        StringBuilder out = new StringBuilder("\n[fork-deadline] test JVM ")
                .append(ProcessHandle.current().pid())
                .append(" still running ")
                .append(seconds)
                .append(" s after its tests started (-D")
                .append(PROPERTY)
                .append(", from surefire.timeout): a hang; ending it at ")
                .append(Instant.now())
                .append(".\nRunning:\n");
        new TreeSet<>(RUNNING).forEach(id -> out.append("  ").append(id).append('\n'));
        out.append(HangReport.threads());
        return out.toString();
    }

    private static void record(String report) {
        try {
            ReportFiles.append("fork-deadline", report);
        } catch (IOException e) {
            System.err.println("[fork-deadline] cannot write its report: " + e);
        }
    }
}

package dev.outlayer.bench.targetsystem.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tests clean up after themselves: after each top-level test class (its {@code @AfterAll} and its
 * own extensions done) the threads it started and the child processes it left must be gone. Each
 * gets a grace period to end (a pool's threads wind down after shutdown, a process after its
 * signal), then what is still there is printed with its stack top and written to
 * {@code target/leak-guard/<pid>.txt}.
 *
 * <p>Non-daemon threads and child processes fail the class ({@code -Dleak.guard=report} only prints
 * them): a non-daemon thread keeps a JVM alive after its tests and a process outlives the build.
 * So do the daemon threads only their component's {@code close()} ends ({@link #ENDED_BY_CLOSE}):
 * one still there after the grace is a component the class never closed. Other daemon threads are
 * printed only: they cost memory and a core's share when busy, not the exit.
 * Threads the JVM owns (reference handling, JIT, attach, the common pool, process reapers) are not
 * counted, nor the daemon threads that live as long as the JVM by design ({@link #JVM_SCOPED_DAEMONS})
 * and the per-JVM PostgreSQL server with its processes ({@link PostgresServer}).
 *
 * <p>A class closes what it shares across its tests in {@code @AfterAll}, not in a static
 * {@code @AutoClose} field: JUnit's built-in extensions (AutoClose, TempDir) are registered before
 * this one, so their after-all callbacks run after the guard has looked.
 *
 * <p>Registered for every Jupiter class by META-INF/services and
 * {@code junit.jupiter.extensions.autodetection.enabled} in junit-platform.properties; the global
 * extensions' after-all callbacks run after the class's own. The jqwik classes compute only.
 */
public final class LeakGuard implements BeforeAllCallback, AfterAllCallback {
    /** {@code fail} (the default) or {@code report}. */
    public static final String MODE_PROPERTY = "leak.guard";
    /** How long threads and processes get to end after the class, in milliseconds. */
    public static final String GRACE_PROPERTY = "leak.guard.grace.millis";

    /** What must end gets as long as any other wait of a test: HangGuard's bound, never reached by a loaded machine. */
    private static final long DEFAULT_GRACE_MILLIS = HangGuard.BOUND.toMillis();
    /** Daemon threads only are printed, not failed: not worth the whole grace per class. */
    private static final long DAEMON_GRACE_MILLIS = 2_000;

    private static final int STACK_TOP = 4;
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakGuard.class);

    /** Name prefixes of threads the JVM or the test runner starts and owns, daemon or not. */
    private static final List<String> JVM_OWNED = List.of(
            "Reference Handler",
            "Finalizer",
            "Signal Dispatcher",
            "Common-Cleaner",
            "Attach Listener",
            "Notification Thread",
            "Service Thread",
            "C1 CompilerThread",
            "C2 CompilerThread",
            "Sweeper thread",
            "process reaper",
            "ForkJoinPool.commonPool-worker-",
            "DestroyJavaVM",
            "surefire-forkedjvm-",
            // JUnit's @Timeout scheduler: one per run, closed with the engine
            "junit-jupiter-timeout-watcher",
            // ForkDeadline's: one per test JVM, from its first test plan
            "fork-deadline");

    /**
     * Name prefixes of daemon threads that live as long as the JVM (or their client object) by
     * design, idle when nothing is scheduled: not counted while they are daemon threads.
     */
    static final List<String> JVM_SCOPED_DAEMONS = List.of(
            "rpc-tx-pool", // TransactionPool's releaser
            "rpc-tx-waits", // TxWaits' timeouts
            "contract-compile-escalation", // CompileQueue's timer
            "contract-deploy-helper-", // ContractCompiler's validation helpers
            // java.net.http.HttpClient's selector and executor: Java 17's client has no close(); they
            // end once the client is unreachable (tests' clients)
            "HttpClient-",
            "Keep-Alive-Timer", // HttpURLConnection's keep-alive cache
            "CompletableFutureDelayScheduler", // CompletableFuture.delayedExecutor's
            "Cleaner-"); // PgJDBC's LazyCleaner (java.lang.ref.Cleaner)

    /**
     * Names of daemon threads that idle until their component is closed and end in its {@code
     * close()}: left running, they name a component the class did not close. Exact names; only
     * threads whose close ends them within the grace belong here, or the guard would flake.
     */
    static final List<String> ENDED_BY_CLOSE =
            List.of("receipts"); // ContractSimulator's background receipts (started by the first receipt run there)

    /**
     * Where the target system keeps its data when told nothing else (keystore, compiled contracts, data
     * directory): relative to the working directory, so a test that forgets a temporary one writes into
     * the module's source tree.
     */
    static final Path DEFAULT_DATA = Path.of(".outlayer");

    @Override
    public void beforeAll(ExtensionContext context) {
        if (topLevel(context)) {
            context.getStore(NAMESPACE).put(Snapshot.class, Snapshot.take());
            context.getStore(NAMESPACE).put(DEFAULT_DATA, Files.exists(DEFAULT_DATA));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Snapshot before = context.getStore(NAMESPACE).remove(Snapshot.class, Snapshot.class);
        if (before == null) {
            return;
        }
        Boolean hadDefaultData = context.getStore(NAMESPACE).remove(DEFAULT_DATA, Boolean.class);
        if (Boolean.FALSE.equals(hadDefaultData) && Files.exists(DEFAULT_DATA) && failing()) {
            throw new AssertionError(context.getRequiredTestClass().getName() + " wrote the target system's default"
                    + " data directory " + DEFAULT_DATA.toAbsolutePath() + ": give its options a temporary"
                    + " keystoreDataDir, dataDir or compileCacheDir (and delete that directory)");
        }
        long grace = graceMillis();
        Leftovers left = Leftovers.after(before, grace, Math.min(grace, DAEMON_GRACE_MILLIS));
        if (left.isEmpty()) {
            return;
        }
        String className = context.getRequiredTestClass().getName();
        String report = left.describe(className);
        System.out.print(report);
        record(report);
        if (failing() && left.fatal()) {
            throw new AssertionError(className + " left non-daemon threads, threads of components it did not close"
                    + " or child processes behind (-D" + MODE_PROPERTY + "=report to only print them):\n" + report);
        }
    }

    private static boolean topLevel(ExtensionContext context) {
        return context.getParent().flatMap(ExtensionContext::getTestClass).isEmpty();
    }

    static long graceMillis() {
        return Long.getLong(GRACE_PROPERTY, DEFAULT_GRACE_MILLIS);
    }

    static boolean failing() {
        return !"report".equals(System.getProperty(MODE_PROPERTY, "fail"));
    }

    private static void record(String report) {
        try {
            ReportFiles.append("leak-guard", report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code thread} must end with the class: a non-daemon thread, or one its component's close ends. */
    static boolean mustEnd(Thread thread) {
        return !thread.isDaemon() || ENDED_BY_CLOSE.contains(thread.getName());
    }

    static boolean counted(Thread thread) {
        String name = thread.getName();
        return JVM_OWNED.stream().noneMatch(name::startsWith)
                && !(thread.isDaemon() && JVM_SCOPED_DAEMONS.stream().anyMatch(name::startsWith));
    }

    /** The threads and child processes alive at one moment (tests of a component's close use it too). */
    public record Snapshot(Set<Thread> threads, Set<Long> processes) {
        public static Snapshot take() {
            return new Snapshot(liveThreads(), childProcesses());
        }

        /** What was started since and is still there after up to {@code graceMillis} of waiting for it to end. */
        public Leftovers leftAfter(long graceMillis) {
            return Leftovers.after(this, graceMillis, graceMillis);
        }

        /**
         * The names of the threads started since and alive at this moment, counted or not, without
         * waiting: what a {@code close()} that returns once its threads have ended leaves none of.
         */
        public List<String> runningNow() {
            return liveThreads().stream()
                    .filter(thread -> !threads.contains(thread))
                    .map(Thread::getName)
                    .sorted()
                    .toList();
        }
    }

    /** What was started and did not end, after the grace period. */
    public record Leftovers(List<Thread> threads, List<ProcessHandle> processes) {
        /**
         * Waits up to {@code graceMillis} for what was started since {@code before} to end, or up to
         * {@code daemonGraceMillis} while only daemon threads are left.
         */
        static Leftovers after(Snapshot before, long graceMillis, long daemonGraceMillis) {
            long start = System.nanoTime();
            while (true) {
                List<Thread> threads = liveThreads().stream()
                        .filter(thread -> !before.threads().contains(thread))
                        .filter(LeakGuard::counted)
                        .sorted(Comparator.comparing(Thread::getName))
                        .toList();
                Optional<ProcessHandle> shared = PostgresServer.sharedProcess();
                List<ProcessHandle> processes = ProcessHandle.current()
                        .descendants()
                        .filter(process -> !before.processes().contains(process.pid()))
                        .filter(process -> shared.isEmpty() || !within(process, shared.get()))
                        .filter(ProcessHandle::isAlive)
                        .toList();
                Leftovers left = new Leftovers(threads, processes);
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (left.isEmpty() || waited > graceMillis || (!left.fatal() && waited > daemonGraceMillis)) {
                    return left;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return left;
                }
            }
        }

        public List<String> threadNames() {
            return threads.stream().map(Thread::getName).toList();
        }

        public boolean isEmpty() {
            return threads.isEmpty() && processes.isEmpty();
        }

        /** Whether something here keeps the JVM alive, outlives it, or was never closed. */
        public boolean fatal() {
            return !processes.isEmpty() || threads.stream().anyMatch(LeakGuard::mustEnd);
        }

        String describe(String className) {
            StringBuilder out = new StringBuilder("\n[leak-guard] " + className + " left behind:\n");
            for (Thread thread : threads) {
                out.append("  thread \"")
                        .append(thread.getName())
                        .append('"')
                        .append(
                                !thread.isDaemon()
                                        ? " NON-DAEMON"
                                        : mustEnd(thread)
                                                ? " daemon, ended only by its component's close()"
                                                : " daemon")
                        .append(' ')
                        .append(thread.getState())
                        .append('\n');
                stackTop(thread.getStackTrace())
                        .forEach(frame -> out.append("      at ").append(frame).append('\n'));
            }
            for (ProcessHandle process : processes) {
                out.append("  process ")
                        .append(process.pid())
                        .append(' ')
                        .append(process.info().commandLine().orElse("(command unknown)"))
                        .append('\n');
            }
            return out.toString();
        }
    }

    /** The first frames, and the first of this project's frames below them (who started it). */
    private static List<StackTraceElement> stackTop(StackTraceElement[] stack) {
        List<StackTraceElement> top = new ArrayList<>(List.of(stack).subList(0, Math.min(STACK_TOP, stack.length)));
        for (int i = STACK_TOP; i < stack.length; i++) {
            if (stack[i].getClassName().startsWith("dev.outlayer.")) {
                top.add(stack[i]);
                break;
            }
        }
        return top;
    }

    /** Whether {@code process} is {@code root} or one of its descendants. */
    private static boolean within(ProcessHandle process, ProcessHandle root) {
        for (Optional<ProcessHandle> p = Optional.of(process);
                p.isPresent();
                p = p.get().parent()) {
            if (p.get().pid() == root.pid()) {
                return true;
            }
        }
        return false;
    }

    private static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    private static Set<Long> childProcesses() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}

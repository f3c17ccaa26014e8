package dev.outlayer.bench.targetsystem.threads;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread factory of one component's executors: daemon threads (a component nobody closed never
 * keeps the JVM alive) that it remembers, so that the component's {@code close()} returns once they
 * have ended, not merely been asked to ({@code awaitTermination} returns while the last thread is
 * still exiting). After {@link #stopNow} or {@link #finishThenStop} nothing of the component runs,
 * unless a thread is blocked where an interrupt does not reach: then close returns after {@link
 * #STOP_BOUND} and logs the thread with where it is, rather than hang the caller.
 */
public final class OwnedThreads implements ThreadFactory {
    private static final Logger LOG = LoggerFactory.getLogger(OwnedThreads.class);

    /**
     * How long a close waits for its threads: idle ones end in microseconds, an interrupted task at
     * its next check of the flag (contract code checks on loops and calls).
     */
    public static final Duration STOP_BOUND = Duration.ofSeconds(5);

    private static final int STACK_TOP = 3;

    private final String name;
    private final boolean numbered;
    private final long stackBytes;
    private final AtomicInteger count = new AtomicInteger();
    private final Set<Thread> made = ConcurrentHashMap.newKeySet();

    private OwnedThreads(String name, boolean numbered, long stackBytes) {
        this.name = name;
        this.numbered = numbered;
        this.stackBytes = stackBytes;
    }

    /** Threads named exactly {@code name} (a single-thread executor's). */
    public static OwnedThreads named(String name) {
        return new OwnedThreads(name, false, 0);
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static OwnedThreads numbered(String prefix) {
        return new OwnedThreads(prefix, true, 0);
    }

    /** The same threads with a stack of {@code bytes} (0: the JVM's default). */
    public OwnedThreads withStack(long bytes) {
        return new OwnedThreads(name, numbered, bytes);
    }

    @Override
    public Thread newThread(Runnable task) {
        made.removeIf(thread -> thread.getState() == Thread.State.TERMINATED); // a cached pool's ended ones
        Thread thread = new Thread(null, task, numbered ? name + "-" + count.incrementAndGet() : name, stackBytes);
        thread.setDaemon(true);
        made.add(thread);
        return thread;
    }

    /**
     * Stops {@code executor} (queued tasks dropped, running ones interrupted) and returns once its
     * threads have ended, or after {@link #STOP_BOUND}; whether they all ended.
     */
    public boolean stopNow(ExecutorService executor) {
        return stopNow(executor, STOP_BOUND);
    }

    /** As {@link #stopNow(ExecutorService)}, waiting up to {@code bound}. */
    public boolean stopNow(ExecutorService executor, Duration bound) {
        executor.shutdownNow();
        List<Thread> alive = awaitEnd(bound);
        if (!alive.isEmpty()) {
            LOG.warn(
                    "{} ms after being stopped, {} still running (blocked where an interrupt does not reach;"
                            + " left behind): {}",
                    bound.toMillis(),
                    alive.size() == 1 ? "a thread is" : alive.size() + " threads are",
                    alive.stream().map(OwnedThreads::describe).collect(Collectors.joining("; ")));
        }
        return alive.isEmpty();
    }

    /**
     * Lets {@code executor}'s queued and running tasks finish for up to {@code finish} (it takes no
     * new ones), then stops it as {@link #stopNow} does.
     */
    public boolean finishThenStop(ExecutorService executor, Duration finish) {
        executor.shutdown();
        awaitEnd(finish);
        return stopNow(executor);
    }

    /**
     * Waits up to {@code bound} for every thread made here to end, an interrupt of the caller
     * included (the flag is set again after): a close that gave way to it would return with the
     * component still running. Returns the threads still alive then.
     */
    private List<Thread> awaitEnd(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        boolean interrupted = false;
        for (Thread thread : made) {
            while (thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return made.stream().filter(Thread::isAlive).toList();
    }

    private static String describe(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return thread.getName() + " at "
                + Arrays.stream(stack, 0, Math.min(STACK_TOP, stack.length))
                        .map(StackTraceElement::toString)
                        .collect(Collectors.joining(" < "));
    }
}

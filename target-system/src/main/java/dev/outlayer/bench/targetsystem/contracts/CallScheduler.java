package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where contract work runs: a fixed pool of worker threads (never the HTTP IO threads), a
 * bound on admitted work (past it callers get "overloaded"), one-at-a-time execution per
 * account (NEAR applies one receipt at a time per account) with different accounts in
 * parallel, and a wall-clock watchdog that interrupts a call running far past any gas budget.
 */
public final class CallScheduler implements AutoCloseable {
    private final OwnedThreads workerThreads =
            OwnedThreads.numbered("contract-worker").withStack(WORKER_STACK_BYTES);
    private final ExecutorService workers;
    private final OwnedThreads watchdogThread = OwnedThreads.named("contract-watchdog");
    private final ScheduledExecutorService watchdog;
    private final int capacity;
    private final long timeoutMillis;
    private final AtomicInteger admitted = new AtomicInteger();
    /** Every worker's slot, for the watchdog's rounds. */
    private final List<Running> running = new CopyOnWriteArrayList<>();

    private final ThreadLocal<Running> slot = ThreadLocal.withInitial(() -> {
        Running created = new Running(Thread.currentThread());
        running.add(created);
        return created;
    });
    private final ConcurrentHashMap<String, Serial> perAccount = new ConcurrentHashMap<>();

    /**
     * Each worker's thread stack: roomy enough that NEAR's max_stack_height (enforced in the wasm)
     * stops deep recursion before the JVM's StackOverflowError does, on the interpreter too, and
     * while the JVM still runs the interpreter's own methods unjitted (bigger frames). With 4 MiB,
     * StackLimitTest run on its own ran out of JVM stack on the interpreter in 5 of 5 runs once
     * compiled calls reused instances (0 of 3 before); with 8 MiB in none.
     */
    public static final long WORKER_STACK_BYTES = 8L << 20;

    public CallScheduler(int threads, int capacity, long timeoutMillis) {
        this.workers = Executors.newFixedThreadPool(threads, workerThreads);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(watchdogThread);
        this.capacity = capacity;
        this.timeoutMillis = timeoutMillis;
        // One round every tenth of the timeout (10 ms to 1 s): a call is interrupted between
        // timeout and timeout plus one round, and calls cost the watchdog nothing.
        long round = Math.max(10, Math.min(1000, timeoutMillis / 10));
        watchdog.scheduleWithFixedDelay(this::interruptOverdue, round, round, TimeUnit.MILLISECONDS);
    }

    /** Thrown when more work is waiting than the queue holds: the caller should retry in a second. */
    public static final class OverloadedException extends ApiException {
        public OverloadedException(String message) {
            super(Kind.UNAVAILABLE, message, 1);
        }
    }

    public int queued() {
        return admitted.get();
    }

    public int capacity() {
        return capacity;
    }

    /** Runs {@code task} on a worker, after every earlier task for {@code accountId} (null: no ordering). */
    public void submit(String accountId, Runnable task) {
        if (admitted.incrementAndGet() > capacity) {
            admitted.decrementAndGet();
            throw new OverloadedException(
                    "contract queue is full (" + capacity + " calls waiting or running); retry later");
        }
        Runnable guarded = () -> {
            try {
                withWatchdog(task);
            } finally {
                admitted.decrementAndGet();
            }
        };
        Executor target = accountId == null ? workers : perAccount.computeIfAbsent(accountId, id -> new Serial());
        target.execute(guarded);
    }

    private void withWatchdog(Runnable task) {
        Running current = slot.get();
        synchronized (current) {
            current.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            current.busy = true;
        }
        try {
            task.run();
        } finally {
            synchronized (current) {
                current.busy = false;
            }
            Thread.interrupted(); // an alarm that fired late must not hit the next task
        }
    }

    private void interruptOverdue() {
        long now = System.nanoTime();
        for (Running worker : running) {
            synchronized (worker) {
                if (worker.busy && now - worker.deadlineNanos >= 0) {
                    worker.busy = false; // once per call
                    worker.thread.interrupt();
                }
            }
        }
    }

    /**
     * A worker's current call, if any: the watchdog's rounds read it instead of one alarm per call
     * (a scheduled alarm per call kept every call's cancelled alarm queued for the whole timeout:
     * at thousands of calls a second, tens of thousands of live objects and a contended queue).
     */
    private static final class Running {
        final Thread thread;
        long deadlineNanos;
        boolean busy;

        Running(Thread thread) {
            this.thread = thread;
        }
    }

    /** Runs its tasks one after another on the shared workers. */
    private final class Serial implements Executor {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean running;

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                tasks.add(task);
                if (running) {
                    return;
                }
                running = true;
            }
            workers.execute(this::drain);
        }

        private void drain() {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } finally {
                // One task per turn, then back of the pool's line: a hot account cannot starve others.
                try {
                    workers.execute(this::drain);
                } catch (RejectedExecutionException closed) {
                    // close() shut the pool: what was still queued is dropped with it.
                }
            }
        }
    }

    /**
     * Returns once the workers and the watchdog have ended: running calls are interrupted (contract
     * code checks the flag on loops and calls, as for the watchdog's timeout) and queued ones dropped,
     * so nothing calls the simulator after this returns. A call blocked where an interrupt does not
     * reach is left behind after {@link OwnedThreads#STOP_BOUND} and logged.
     */
    @Override
    public void close() {
        workerThreads.stopNow(workers);
        watchdogThread.stopNow(watchdog);
    }
}

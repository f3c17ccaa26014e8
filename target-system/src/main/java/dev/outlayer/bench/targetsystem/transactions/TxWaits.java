package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.RpcException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The {@code wait_until} waits of the transaction methods, none of which holds a thread: a wait is
 * an attempt to answer, tried again when the chain may have moved (a receipt of the tree ran, a
 * transaction was accepted, a block boundary passed) until it answers, fails, or its deadline
 * answers TIMEOUT_ERROR (nearcore's tx_status_fetch polls the same way, inside its
 * polling_timeout). Answers complete futures; the caller's exchange waits without a worker.
 */
final class TxWaits {
    /**
     * One daemon thread for every engine's waits: timeouts, block ticks and the attempts themselves. A
     * timeout cancelled because its wait answered leaves the queue at once: left there until its
     * deadline (the whole --tx-wait-timeout-ms), each kept its wait, the attempt's transaction view
     * and outcome tree and the rendered answer alive, 15,000 of them at 1,500 transactions a second.
     */
    private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

    private static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "rpc-tx-waits");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    /** Tasks the waits' scheduler holds (timeouts, ticks, attempts): the waits it keeps alive. */
    static int scheduledTasks() {
        return SCHEDULER.getQueue().size();
    }

    /**
     * One try at an answer: the answer once the transaction reached what the caller waits for, null
     * to wait on; an RpcException fails the wait.
     */
    @FunctionalInterface
    interface Attempt extends Supplier<TransactionViews.RpcTransactionResponse> {}

    private final class Wait {
        final Attempt attempt;
        final CompletableFuture<TransactionViews.RpcTransactionResponse> answer = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        Wait(Attempt attempt) {
            this.attempt = attempt;
        }
    }

    private final BlockClock clock;
    private final Set<Wait> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scanQueued = new AtomicBoolean();
    private final AtomicBoolean ticking = new AtomicBoolean();

    TxWaits(BlockClock clock) {
        this.clock = clock;
    }

    /**
     * Tries {@code attempt} now, on the caller's thread, and again whenever the chain may have moved,
     * until it answers or {@code deadlineNanos} ({@link System#nanoTime}) passes.
     */
    CompletableFuture<TransactionViews.RpcTransactionResponse> await(Attempt attempt, long deadlineNanos) {
        Wait wait = new Wait(attempt);
        // Pending before the first try: a signal in between is not lost, it tries again.
        pending.add(wait);
        long left = Math.max(0, deadlineNanos - System.nanoTime());
        wait.timeout =
                SCHEDULER.schedule(() -> fail(wait, RpcException.timeout("PENDING")), left, TimeUnit.NANOSECONDS);
        tryAnswer(wait);
        if (!wait.answer.isDone()) {
            tick();
        }
        return wait.answer;
    }

    /**
     * {@code first} bounded by {@code deadlineNanos}: TIMEOUT_ERROR (PENDING) if it has not completed
     * by then. It holds no thread either.
     */
    <T> CompletableFuture<T> within(CompletableFuture<T> first, long deadlineNanos) {
        if (first.isDone()) {
            return first;
        }
        CompletableFuture<T> bounded = new CompletableFuture<>();
        ScheduledFuture<?> timeout = SCHEDULER.schedule(
                () -> bounded.completeExceptionally(RpcException.timeout("PENDING")),
                Math.max(0, deadlineNanos - System.nanoTime()),
                TimeUnit.NANOSECONDS);
        first.whenComplete((value, failure) -> {
            timeout.cancel(false);
            if (failure != null) {
                bounded.completeExceptionally(failure);
            } else {
                bounded.complete(value);
            }
        });
        return bounded;
    }

    /** The chain may have moved: every pending wait tries again, soon, on the waits' thread. */
    void signal() {
        if (!pending.isEmpty() && scanQueued.compareAndSet(false, true)) {
            SCHEDULER.execute(() -> {
                scanQueued.set(false);
                scan();
            });
        }
    }

    int pending() {
        return pending.size();
    }

    private void scan() {
        for (Wait wait : pending) {
            tryAnswer(wait);
        }
    }

    private void tryAnswer(Wait wait) {
        TransactionViews.RpcTransactionResponse answer;
        try {
            answer = wait.attempt.get();
        } catch (RuntimeException e) {
            fail(wait, e);
            return;
        }
        if (answer != null && pending.remove(wait)) {
            cancelTimeout(wait);
            wait.answer.complete(answer);
        }
    }

    private void fail(Wait wait, RuntimeException failure) {
        if (pending.remove(wait)) {
            cancelTimeout(wait);
            wait.answer.completeExceptionally(failure);
        }
    }

    private static void cancelTimeout(Wait wait) {
        ScheduledFuture<?> timeout = wait.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    /**
     * While waits are pending, tries them again just after each block boundary (finality moves with
     * blocks) and at least every quarter block (a clock moved by hand, receipts run in the background).
     */
    private void tick() {
        if (pending.isEmpty() || !ticking.compareAndSet(false, true)) {
            return;
        }
        long blockTime = clock.blockTimeMillis();
        long untilNextBlock = blockTime - clock.millisSinceGenesis() % blockTime + 1;
        SCHEDULER.schedule(
                () -> {
                    ticking.set(false);
                    scan();
                    tick();
                },
                Math.max(1, Math.min(blockTime / 4, untilNextBlock)),
                TimeUnit.MILLISECONDS);
    }
}

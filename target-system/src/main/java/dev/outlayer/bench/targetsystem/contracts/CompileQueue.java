package dev.outlayer.bench.targetsystem.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where background compilations wait and run. Modules some call is waiting for (running on the
 * interpreter meanwhile) go first, oldest first among equals; nobody's modules keep their deploy
 * order. A module a call waits for never queues behind anything: if every compiler thread is busy
 * it gets a thread of its own (once the call has run past {@link #ESCALATE_AFTER_MS}: shorter
 * calls end before a compiler could help them). While such a thread runs, the compilations nobody
 * waits for pause at their next {@link #pausePoint()} (between generated classes, about 20 ms
 * apart), so the extra thread does not share the cores with them: other accounts' deploys delay a
 * call by about the time its own compilation takes.
 *
 * <p>{@code threads} compile in the background at most (sized to the cores the call workers
 * leave idle); urgent modules add up to {@code urgentThreads} more while they run.
 */
public final class CompileQueue {
    /** How long a call runs on the interpreter before its compilation gets a thread of its own. */
    static final long ESCALATE_AFTER_MS = 20;

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "contract-compile-escalation");
        t.setDaemon(true);
        return t;
    });

    private final int threads;
    private final int urgentThreads;
    private final List<Job> pending = new ArrayList<>();
    private final AtomicInteger names = new AtomicInteger();
    /** The job the current compiler thread runs, for {@link #pausePoint()}. */
    private static final ThreadLocal<Job> CURRENT = new ThreadLocal<>();

    private int running;
    private int urgentRunning;
    private long sequence;

    public CompileQueue(int threads, int urgentThreads) {
        if (threads < 1 || urgentThreads < 0) {
            throw new IllegalArgumentException("at least one compiler thread");
        }
        this.threads = threads;
        this.urgentThreads = urgentThreads;
    }

    /** One background thread per core but one (the call workers need the rest), and as many for urgent work. */
    public static CompileQueue sizedToCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new CompileQueue(Math.max(1, cores - 1), Math.max(1, cores));
    }

    /** A queued compilation; {@link #callWaiting()} moves it ahead. */
    public final class Job {
        private final Runnable work;
        private final long order;
        private int waitingCalls;
        private boolean started;
        /** Runs on a thread of its own because a call waited (never paused). */
        private boolean urgent;
        /** Its owner closed: not started any more, or stopped at its next pause point. */
        private boolean cancelled;

        private Job(Runnable work, long order) {
            this.work = work;
            this.order = order;
        }

        /**
         * A call runs on the interpreter until this compilation ends: it goes ahead of modules
         * nobody calls now, and if the call is still running {@link #ESCALATE_AFTER_MS} later
         * (short calls end on the interpreter before any compiler could help), it gets a thread of
         * its own. Close the handle when the call ends.
         */
        public AutoCloseable callWaiting() {
            synchronized (CompileQueue.this) {
                waitingCalls++;
                if (started) {
                    CompileQueue.this.notifyAll(); // paused at a pause point: someone waits for it now
                    return this::callEnded;
                }
            }
            ScheduledFuture<?> escalation = TIMER.schedule(this::escalate, ESCALATE_AFTER_MS, TimeUnit.MILLISECONDS);
            return () -> {
                escalation.cancel(false);
                callEnded();
            };
        }

        private void callEnded() {
            synchronized (CompileQueue.this) {
                waitingCalls--;
            }
        }

        private CompileQueue queue() {
            return CompileQueue.this;
        }

        /**
         * Its owner is closing: a compilation not started yet leaves the queue (true: its work will
         * never run); a running one ends at its next {@link #pausePoint()} with {@link Cancelled}.
         */
        public boolean cancel() {
            synchronized (CompileQueue.this) {
                cancelled = true;
                CompileQueue.this.notifyAll(); // a paused one ends now
                return !started && pending.remove(this);
            }
        }

        private void escalate() {
            synchronized (CompileQueue.this) {
                if (started || cancelled || waitingCalls == 0 || running < threads || urgentRunning >= urgentThreads) {
                    return; // taken, cancelled, nobody waits, a queue thread is free, or no room for more
                }
                pending.remove(this);
                started = true;
                urgent = true;
                urgentRunning++;
                startThread(() -> runUrgent(this));
            }
        }
    }

    /** Queues {@code work}; it runs on a compiler thread when its turn comes. */
    public synchronized Job submit(Runnable work) {
        Job job = new Job(work, sequence++);
        pending.add(job);
        if (running < threads) {
            running++;
            startThread(this::drain);
        }
        return job;
    }

    /** How a cancelled compilation ends at its pause point. */
    public static final class Cancelled extends RuntimeException {
        private Cancelled() {
            super("compilation cancelled", null, false, false);
        }
    }

    /**
     * Called by a compilation between units of work: if it runs for nobody while a compilation
     * some call waits for has a thread of its own, it waits until that one ends; if it was
     * cancelled, it ends here ({@link Cancelled}). Does nothing outside a compiler thread of this queue.
     */
    public static void pausePoint() {
        Job job = CURRENT.get();
        if (job != null) {
            job.queue().pauseWhileUrgent(job);
        }
    }

    private synchronized void pauseWhileUrgent(Job job) {
        boolean interrupted = false;
        while (!job.cancelled && urgentRunning > 0 && !job.urgent && job.waitingCalls == 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true; // a compiler thread is not interrupted; keep the flag for the work
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (job.cancelled) {
            throw new Cancelled();
        }
    }

    /** Compilations not started yet. */
    public synchronized int pending() {
        return pending.size();
    }

    private void startThread(Runnable body) {
        Thread thread = new Thread(body, "contract-compiler-" + names.incrementAndGet());
        thread.setDaemon(true);
        thread.setPriority(Thread.NORM_PRIORITY - 1); // calls come first when cores are short
        thread.start();
    }

    private void runUrgent(Job job) {
        try {
            run(job);
        } finally {
            synchronized (this) {
                urgentRunning--;
                notifyAll(); // paused compilations go on
            }
        }
    }

    private static void run(Job job) {
        CURRENT.set(job);
        try {
            job.work.run();
        } finally {
            CURRENT.remove();
        }
    }

    private void drain() {
        while (true) {
            Job next;
            synchronized (this) {
                next = takeMostUrgent();
                if (next == null) {
                    running--;
                    return;
                }
            }
            try {
                run(next);
            } catch (RuntimeException e) {
                // The work reports its own failures to its contract; the thread goes on with the queue.
            }
        }
    }

    private Job takeMostUrgent() {
        Job best = null;
        for (Job job : pending) {
            if (best == null
                    || job.waitingCalls > best.waitingCalls
                    || (job.waitingCalls == best.waitingCalls && job.order < best.order)) {
                best = job;
            }
        }
        if (best != null) {
            pending.remove(best);
            best.started = true;
        }
        return best;
    }
}

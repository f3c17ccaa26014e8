package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Enforces wall-time limits: interrupts a process's thread at its deadline. Compiled wasm checks
 * the interrupt flag on loops and calls, and blocking syscalls (pipes, sleep) are interruptible.
 */
final class Watchdog implements AutoCloseable {
    private final OwnedThreads timerThread = OwnedThreads.named("linux-watchdog");
    /**
     * A disarmed alarm leaves the queue at once: left there until its deadline (the run's wall-time limit, 60 s
     * for an HTTPS call's default), every run's alarm stayed queued that long.
     */
    private final ScheduledThreadPoolExecutor timer = timer(timerThread);

    private static ScheduledThreadPoolExecutor timer(OwnedThreads thread) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, thread);
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** One armed deadline; disarm it when the process ends so a late firing cannot hit the next run. */
    final class Alarm {
        private final Thread thread;
        private ScheduledFuture<?> future;
        private boolean active = true;
        private boolean fired;

        private Alarm(Thread thread) {
            this.thread = thread;
        }

        private synchronized void fire() {
            if (active) {
                fired = true;
                thread.interrupt();
            }
        }

        synchronized boolean fired() {
            return fired;
        }

        /** Stops the alarm and clears an interrupt it may have delivered. Returns whether it fired. */
        boolean disarm() {
            synchronized (this) {
                active = false;
            }
            future.cancel(false);
            if (fired()) {
                Thread.interrupted();
            }
            return fired();
        }
    }

    Alarm arm(long nanos) {
        Alarm alarm = new Alarm(Thread.currentThread());
        alarm.future = timer.schedule(alarm::fire, nanos, TimeUnit.NANOSECONDS);
        return alarm;
    }

    /** Alarms the timer holds: the armed ones, once disarmed alarms leave it. */
    int scheduledAlarms() {
        return timer.getQueue().size();
    }

    @Override
    public void close() {
        timerThread.stopNow(timer);
    }
}

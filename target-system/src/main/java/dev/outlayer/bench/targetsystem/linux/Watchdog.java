package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces wall-time limits: interrupts a process's thread at its deadline. Compiled wasm checks
 * the interrupt flag on loops and calls, and blocking syscalls (pipes, sleep) are interruptible.
 */
final class Watchdog implements AutoCloseable {
    private final OwnedThreads timerThread = OwnedThreads.named("linux-watchdog");
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(timerThread);

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

    @Override
    public void close() {
        timerThread.stopNow(timer);
    }
}

package dev.outlayer.bench.targetsystem.threads;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background job run every interval on a thread of its own until closed, as OutLayer's coordinator
 * runs its cleanups ({@code tokio::spawn} of a loop that sleeps the interval, then runs one pass): the
 * first pass one interval after the start, each next one an interval after the previous ended. A pass
 * that throws is logged and the job goes on (OutLayer logs the error and loops). An interval of 0 runs
 * nothing (the job is off). Closing returns once the thread has ended.
 */
public final class PeriodicJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicJob.class);

    private final OwnedThreads thread;
    private final ScheduledExecutorService executor;

    private PeriodicJob(OwnedThreads thread, ScheduledExecutorService executor) {
        this.thread = thread;
        this.executor = executor;
    }

    /** Runs {@code pass} every {@code interval} on a thread named {@code name}; nothing when the interval is 0. */
    public static PeriodicJob every(String name, Duration interval, Runnable pass) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException(name + ": the interval must not be negative");
        }
        if (interval.isZero()) {
            LOG.info("{}: off (interval 0)", name);
            return new PeriodicJob(null, null);
        }
        OwnedThreads thread = OwnedThreads.named(name);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(thread);
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        pass.run();
                    } catch (RuntimeException e) {
                        LOG.warn("{} failed: {}", name, e.toString());
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
        return new PeriodicJob(thread, executor);
    }

    /** Whether passes are scheduled (false when the interval was 0). */
    public boolean running() {
        return executor != null && !executor.isShutdown();
    }

    /** Stops the job: a pass under way is interrupted; returns once its thread has ended. */
    @Override
    public void close() {
        if (executor != null) {
            thread.stopNow(executor);
        }
    }
}

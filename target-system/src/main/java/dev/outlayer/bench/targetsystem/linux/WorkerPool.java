package dev.outlayer.bench.targetsystem.linux;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Booted task workers, reused across runs. At most {@code maxWorkers} processes run at once; a
 * pipeline takes all the workers it needs in one step so that two pipelines cannot each hold half
 * of what they need. When no booted worker is idle a new one boots (a cold start).
 */
final class WorkerPool implements AutoCloseable {
    private final SyscallTable table;
    private final Watchdog watchdog = new Watchdog();
    private final int maxWorkers;
    private final Semaphore permits;
    private final Deque<TaskWorker> idle = new ArrayDeque<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong coldStarts = new AtomicLong();
    private final AtomicLong bootNanos = new AtomicLong();

    WorkerPool(SyscallTable table, int maxWorkers, int preboot) {
        this.table = table;
        this.maxWorkers = maxWorkers;
        this.permits = new Semaphore(maxWorkers, true);
        for (int i = 0; i < Math.min(preboot, maxWorkers); i++) {
            idle.push(bootWorker());
        }
    }

    int maxWorkers() {
        return maxWorkers;
    }

    /**
     * Takes {@code count} workers, waiting up to {@code timeoutMillis}; null on timeout. With
     * {@code coldStart} every worker is newly booted (what a cold start measures) instead of reused.
     */
    List<TaskWorker> acquire(int count, long timeoutMillis, boolean coldStart) throws InterruptedException {
        if (count > maxWorkers) {
            throw ApiException.invalid(
                    "a pipeline of " + count + " stages needs more than the " + maxWorkers + " workers of this pool");
        }
        if (!permits.tryAcquire(count, timeoutMillis, TimeUnit.MILLISECONDS)) {
            return null;
        }
        List<TaskWorker> workers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            TaskWorker worker = null;
            if (!coldStart) {
                synchronized (idle) {
                    worker = idle.poll();
                }
            }
            workers.add(worker != null ? worker : bootWorker());
        }
        return workers;
    }

    /** Returns workers for reuse; beyond {@code maxWorkers} idle ones (after cold starts) they are dropped. */
    void release(List<TaskWorker> workers) {
        synchronized (idle) {
            for (TaskWorker worker : workers) {
                if (idle.size() < maxWorkers) {
                    idle.push(worker);
                }
            }
        }
        permits.release(workers.size());
    }

    private TaskWorker bootWorker() {
        long start = System.nanoTime();
        TaskWorker worker = TaskWorker.boot(ids.incrementAndGet(), table, watchdog);
        bootNanos.addAndGet(System.nanoTime() - start);
        coldStarts.incrementAndGet();
        return worker;
    }

    /** For /health: how many workers exist and how many booted. */
    Stats stats() {
        int idleNow;
        synchronized (idle) {
            idleNow = idle.size();
        }
        long boots = coldStarts.get();
        return new Stats(
                maxWorkers,
                maxWorkers - permits.availablePermits(),
                idleNow,
                boots,
                boots == 0 ? 0 : bootNanos.get() / boots / 1000.0);
    }

    /** As /health shows it, in the snake_case of its other fields. */
    record Stats(
            @JsonProperty("max_workers") int maxWorkers,
            @JsonProperty("busy") int busy,
            @JsonProperty("idle_booted") int idleBooted,
            @JsonProperty("boots") long boots,
            @JsonProperty("mean_boot_us") double meanBootMicros) {}

    @Override
    public void close() {
        watchdog.close();
    }
}

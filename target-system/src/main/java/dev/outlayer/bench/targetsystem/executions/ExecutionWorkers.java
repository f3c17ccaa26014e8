package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** N worker threads of one coordinator, with the scheduler their heartbeats run on. */
public final class ExecutionWorkers implements AutoCloseable {
    /** OutLayer's worker says it is alive every 30 s ({@code POST /workers/heartbeat}). */
    static final Duration WORKER_HEARTBEAT = Duration.ofSeconds(30);

    private final List<ExecutionWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final OwnedThreads heartbeatThread;
    private final ScheduledExecutorService heartbeats;

    /** @param namePrefix worker ids are {@code <prefix>-1 ... <prefix>-N} */
    public ExecutionWorkers(
            String namePrefix,
            int count,
            JobStore store,
            CodeRunner runner,
            OperatorChannel chain,
            HttpsCallCompletion calls,
            PhaseClock phases,
            Duration pollTimeout) {
        this.heartbeatThread = OwnedThreads.named(namePrefix + "-heartbeats");
        this.heartbeats = heartbeatScheduler(heartbeatThread);
        for (int i = 1; i <= count; i++) {
            ExecutionWorker worker = new ExecutionWorker(
                    namePrefix + "-" + i, store, runner, chain, calls, phases, heartbeats, pollTimeout);
            Thread thread = new Thread(worker, worker.id());
            thread.setDaemon(true);
            workers.add(worker);
            threads.add(thread);
        }
    }

    /**
     * The scheduler of the workers' beats. A claim's beat leaves it when the work on the claim ends: left there
     * until its next firing (a third of the stale-claim timeout), every claim of that span stayed queued with it.
     */
    static ScheduledThreadPoolExecutor heartbeatScheduler(OwnedThreads thread) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, thread);
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    public ExecutionWorkers start() {
        threads.forEach(Thread::start);
        if (!workers.isEmpty()) {
            heartbeats.scheduleAtFixedRate(
                    () -> workers.forEach(ExecutionWorker::sayAlive),
                    0,
                    WORKER_HEARTBEAT.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return this;
    }

    public List<ExecutionWorker> workers() {
        return List.copyOf(workers);
    }

    @Override
    public void close() {
        workers.forEach(ExecutionWorker::kill);
        for (Thread thread : threads) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        heartbeatThread.stopNow(heartbeats);
    }
}

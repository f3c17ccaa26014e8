package dev.outlayer.bench.targetsystem.executions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The coordinator's shared state: the task queue the event monitor fills, OutLayer's jobs table
 * and its wasm cache. Several coordinators may share one store (PostgreSQL); every method is
 * safe under concurrent callers, in one process or many.
 *
 * <p>Rules (OutLayer's, plus the stale-claim timeout its jobs table lacks):
 *
 * <ul>
 *   <li>a task is queued once per {@code (request_id, data_id)}, however many monitors see its
 *       event;
 *   <li>at most one job per {@code (request_id, data_id, job_type)}; claiming creates it
 *       {@code in_progress} for the claiming worker (OutLayer's INSERT ... 'in_progress'), and a
 *       second claim gets nothing while the first is live;
 *   <li>a claim whose worker has not claimed, heartbeated or completed for longer than {@link
 *       #staleClaimTimeout()} is stale: the next claim takes the job over (its {@code attempt}
 *       goes up) and the task is handed out again by {@link #poll};
 *   <li>heartbeat and complete succeed only for the job's current claim (same worker, same
 *       attempt) while it is {@code in_progress}: a worker whose claim was taken over cannot
 *       complete, so no job completes twice; the one exception is a resolution the contract
 *       accepted ({@link #recordResolution}), which finishes the job whoever holds it;
 *   <li>a task is queued in one of OutLayer's two queues ({@link TaskQueue}, coordinator
 *       handlers/tasks.rs {@code create_task}): the compile queue when its wasm is not cached or
 *       the request forces a rebuild, else the execute queue;
 *   <li>when its compile job completes the task moves to the execute queue (handlers/jobs.rs
 *       {@code complete_job}): after a success with the compiler's {@code compile_result}, after a
 *       failure so that an executor reports it; a compile-only request that got no {@code
 *       compile_result} (OutLayer's worker sends one only when it published the wasm to FastFS)
 *       is finished instead: nobody resolves it, and its yield times out;
 *   <li>a compile-only request whose wasm is cached is finished when queued: OutLayer pushes it to
 *       the execute queue, where every executor's claim refuses it (it has no compile result);
 *   <li>a task is finished (never handed out again) when its execute job completes or fails.
 * </ul>
 */
public interface JobStore extends AutoCloseable {

    /**
     * Queues a task in the compile or the execute queue (see above); false, changing nothing,
     * when its {@code (request_id, data_id)} is known.
     */
    boolean enqueue(ExecutionTask task);

    /**
     * The next task of these queues for a worker, waiting up to {@code timeout}, the compile queue
     * first: an unfinished task whose claims went stale first (it is older than any queued one,
     * and its yield times out first; it comes back in the queue it was handed out from), else the
     * oldest queued task not handed out yet. Empty when none came in time.
     */
    Optional<ExecutionTask> poll(Set<TaskQueue> queues, Duration timeout) throws InterruptedException;

    /** The next task of either queue (a worker that compiles and executes). */
    default Optional<ExecutionTask> poll(Duration timeout) throws InterruptedException {
        return poll(TaskQueue.ALL, timeout);
    }

    /** The queue a known, unfinished task waits in or was handed out from; empty when finished or unknown. */
    Optional<TaskQueue> queueOf(long requestId, String dataId);

    /** The job asked for, claimed for the worker; empty when a live claim holds it or it is finished. */
    Optional<JobClaim> claim(ClaimRequest request);

    /** Keeps a claim live; false when it is no longer the job's current claim or the job is finished. */
    boolean heartbeat(JobClaim claim);

    /**
     * Keeps every claim the worker holds live (OutLayer's worker-level {@code POST
     * /workers/heartbeat}, which names the worker, not a job); returns how many it kept.
     */
    default int heartbeatWorker(String workerId) {
        return 0;
    }

    /**
     * Finishes the claimed job; false, changing nothing, when the claim is not current (see above).
     * A successful compile job's wasm enters the cache before its task moves to the execute queue,
     * so an executor that polls it finds the wasm ready.
     */
    boolean complete(JobClaim claim, JobOutcome outcome);

    Optional<Job> job(long jobId);

    /** The jobs of a request, oldest first. */
    List<Job> jobs(long requestId);

    /** OutLayer's {@code wasm_cache}: whether the wasm of this checksum has been compiled. */
    boolean wasmCached(String checksum);

    /** Records a compiled wasm in the cache (idempotent: the first time it was cached stays). */
    void cacheWasm(String checksum);

    /**
     * When the wasm of this checksum entered the cache (OutLayer's {@code wasm_cache.created_at},
     * which its worker names in the resolution's {@code compilation_note}); empty when it is not
     * cached, or the store does not know.
     */
    default Optional<Instant> wasmCachedAt(String checksum) {
        return Optional.empty();
    }

    /**
     * OutLayer's {@code POST /wasm/upload}: the wasm's bytes stored under its checksum, which
     * enters the cache (its first cache time stays; a second upload replaces the bytes), accessed now
     * (OutLayer's {@code last_accessed_at}). All of it or nothing: a failed store changes nothing.
     */
    void storeWasm(WasmFile file);

    /**
     * OutLayer's {@code GET /wasm/{checksum}}: the stored bytes, counted as an access (its {@code
     * last_accessed_at} now, {@code access_count} + 1); empty when no bytes are stored (a wasm compiled
     * in-process without them is cached, yet has none to download).
     */
    Optional<byte[]> wasmBytes(String checksum);

    /** OutLayer's {@code GET /wasm/exists/{checksum}}: when the stored wasm entered the cache; empty when no bytes are stored. */
    Optional<Instant> wasmStoredAt(String checksum);

    /** The stored wasm's bytes in total (OutLayer's {@code SUM(file_size) FROM wasm_cache}). */
    long wasmCacheBytes();

    /**
     * OutLayer's LRU eviction ({@link WasmCacheEviction}): when the stored wasm total more than {@code
     * maxBytes}, the least recently accessed first (its last upload or download, as OutLayer's {@code
     * last_accessed_at}; ties by checksum) leave the cache, each entirely (not cached, nothing stored),
     * until what remains is within the limit; nothing when it is within already. A wasm cached without
     * bytes (compiled in-process from the program registry) takes no room and stays. Returns what left,
     * in that order.
     */
    List<WasmCacheEviction.Evicted> evictWasm(long maxBytes);

    /**
     * OutLayer's {@code POST /workers/heartbeat}: the worker's row created or updated with its name,
     * status and current task, its heartbeat time now (counts and creation time kept).
     */
    void recordWorkerHeartbeat(String workerId, String workerName, String status, Long currentTaskId);

    /**
     * OutLayer's {@code POST /workers/task-completion}: the worker is online again with no current
     * task (a success is its last task completed); false, changing nothing, when the worker never
     * heartbeated (OutLayer's UPDATE then touches no row). Its row's own counters go up as
     * OutLayer's do, but {@link #workers} does not list them.
     */
    boolean recordTaskCompletion(String workerId, boolean success);

    /**
     * Every worker's row, the latest heartbeat first, as OutLayer's {@code list_workers} ({@code GET
     * /public/workers}) lists it: its completed and failed tasks are its finished jobs in the history
     * (OutLayer's {@code LEFT JOIN execution_history ... COUNT(*) FILTER (WHERE success)}), by the
     * worker that finished each, not the completion notices.
     */
    List<WorkerStatus> workers();

    /**
     * OutLayer's {@code delete_worker} ({@code DELETE /admin/workers/{worker_id}}): the worker's row
     * removed, so that {@link #workers()} no longer lists it (its counts are gone with it; a later
     * heartbeat records it anew). Its claims are not touched. False when there was no such row.
     */
    boolean deleteWorker(String workerId);

    /**
     * Records a resolution the contract accepted. The chain is the source of truth, so the
     * request's first one to be recorded with an outcome ends its execute job as {@code outcome}
     * says, by the resolution's worker, in the same step, whatever claim holds the job by then:
     * its worker may have gone silent past the stale timeout while it resolved, and another worker
     * taken the job over (whose resolution the contract then refuses, and whose failure, if it came
     * first, this replaces). The task is finished with it. A resolution is known by its
     * transaction: recording one again counts nothing, and changes nothing but this: its worker's
     * own report replaces the details of a job ended by what the chain showed of it. Another
     * transaction of the same request is counted (the request was executed twice, which must
     * never happen) and ends no job.
     */
    AcceptedResolution.Recorded recordResolution(AcceptedResolution resolution);

    /**
     * OutLayer's {@code execution_history} as {@code GET /public/jobs} lists it: the finished jobs,
     * the latest to end first (ties: the higher job id first), of one user ({@code userAccountId},
     * or everyone's when null), {@code limit} of them after skipping {@code offset}.
     */
    List<JobHistoryEntry> history(String userAccountId, long limit, long offset);

    /** OutLayer's stats over the finished jobs (see {@link JobStats}): everyone's, or one user's. */
    JobStats stats(String userAccountId);

    /**
     * OutLayer's {@code get_popular_repos}: the GitHub repositories of the finished jobs, the most
     * jobs first (ties: by name), at most {@code limit}.
     */
    List<RepoStats> popularRepos(int limit);

    /**
     * OutLayer's {@code get_wasm_info}: the stored wasm built from this repository (a WasmUrl's url),
     * commit (its hash) and build target (the earliest cached when several were); empty when none.
     */
    Optional<WasmInfo> wasmInfo(String repoUrl, String commitHash, String buildTarget);

    /**
     * Whether the store is a database, which {@link #ping} reaches (OutLayer's health check runs
     * {@code SELECT 1}); an in-memory store is not.
     */
    default boolean database() {
        return false;
    }

    /** One round trip to the database; throws when it cannot be reached (nothing to do in memory). */
    default void ping() {}

    /** The request's accepted resolutions (transactions) recorded (0 when none). */
    int resolutions(long requestId);

    /** How long a claim lives without a sign of life from its worker. */
    Duration staleClaimTimeout();

    @Override
    default void close() {}
}

package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.executions.ExecutionTask.TaskKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The embedded default: the store's rules under one monitor. Good for one coordinator process;
 * several coordinators in one JVM may share an instance.
 *
 * <p>It keeps the newest {@link #FINISHED_KEPT} finished jobs (and their origins) for the history,
 * and the dashboard's aggregates ({@link #stats}, {@link #popularRepos}) as running totals over every
 * job that ever finished, so a long run neither grows without end nor makes the dashboard's reads scan
 * every job under the monitor the workers take. Deliberate differences from the PostgreSQL store,
 * which keeps every job: {@link #history} ends with the kept window (an offset past it gives fewer
 * rows, or none), {@link #job} and {@link #jobs} no longer find a job that left it, and a job's
 * details changed after it left it (a resolution recorded after that many newer jobs ended) change
 * neither the history nor the totals. A compile job whose task still waits for its execute job stays
 * findable until that one ends (the executor reads it).
 *
 * <p>The exactly-once bookkeeping of a request (its task, its job ids, its resolutions and their
 * transactions) is kept while the request is unfinished and then for the newest {@link #FINISHED_KEPT}
 * settled requests (settled: its execute job ended, a resolution of it was recorded, or it finished
 * without one). Past that a request is forgotten as if never seen: its event queues a task again, a
 * claim creates a job, and a resolution recorded for it counts as its first. Everything that refers to a
 * request does so much sooner (see docs/executions.md, "What the in-memory store keeps").
 */
public final class InMemoryJobStore implements JobStore {
    /** How many finished jobs the history keeps by default: the newest. */
    public static final int FINISHED_KEPT = 20_000;

    /** How often a waiting poll looks again for tasks whose claims went stale (no event wakes it then). */
    private static final long STALE_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Duration staleClaimTimeout;
    private final Clock clock;
    /** Every task queued and not settled yet, as it is now (moved to the execute queue with what its compile left). */
    private final Map<TaskKey, ExecutionTask> knownTasks = new HashMap<>();

    private final Map<TaskQueue, ArrayDeque<ExecutionTask>> queued = new EnumMap<>(TaskQueue.class);
    /** Handed-out tasks not finished yet, with their last sign of life. */
    private final Map<TaskKey, HandedOut> handedOut = new LinkedHashMap<>();

    private final Map<Long, Job> jobs = new HashMap<>();
    private final Map<JobKey, Long> jobIds = new HashMap<>();
    private final Map<String, Instant> wasmCache = new ConcurrentHashMap<>();
    private final Map<Long, Integer> resolutions = new ConcurrentHashMap<>();
    /** Each request's accepted resolutions recorded (their transactions), and the one that ended its execute job. */
    private final Map<Long, Resolved> resolved = new HashMap<>();
    /** Finished tasks whose bookkeeping is still kept, the one settled longest ago first: at most {@link #finishedKept}. */
    private final java.util.LinkedHashSet<TaskKey> settled = new java.util.LinkedHashSet<>();
    /** Uploaded wasm by checksum, with its accesses (OutLayer's wasm_cache_dir files and access_count). */
    private final Map<String, WasmFile> wasmFiles = new HashMap<>();

    private final Map<String, Long> wasmAccesses = new HashMap<>();
    /** When each uploaded wasm was last uploaded or downloaded (OutLayer's last_accessed_at): the LRU order. */
    private final Map<String, Instant> wasmLastAccess = new HashMap<>();

    private final Map<String, WorkerStatus> workers = new HashMap<>();
    /** What each job took from its task when it was first claimed (the PostgreSQL store's jobs columns). */
    private final Map<Long, JobOrigin> origins = new HashMap<>();

    private long nextJobId = 1;

    private final int finishedKept;
    /** The finished jobs kept for the history, oldest first: at most {@link #finishedKept}. */
    private final java.util.TreeSet<Ended> window = new java.util.TreeSet<>();
    /** The same window, of each user that has a job in it. */
    private final Map<String, java.util.TreeSet<Ended>> windowByUser = new HashMap<>();
    /** The ids of the jobs in {@link #jobs}, by request. */
    private final Map<Long, List<Long>> jobsByRequest = new HashMap<>();
    /** The ids of the jobs not finished yet. */
    private final Set<Long> unfinished = new java.util.LinkedHashSet<>();
    /** Tasks whose compile ended and sent them to the execute queue, whose execute job has not ended. */
    private final Set<TaskKey> awaitingExecute = new java.util.HashSet<>();
    /** Compile jobs that left the window while their task awaited its execute job: kept until it ends. */
    private final Map<TaskKey, Long> pinnedCompiles = new HashMap<>();
    /** Running totals over every job that ever finished: everyone's, each user's, each repository's. */
    private final Totals totals = new Totals();

    private final Map<String, Totals> userTotals = new HashMap<>();
    private final Map<String, RepoTotals> repoTotals = new HashMap<>();
    /** Each worker's finished jobs, succeeded and failed: what {@link #workers} counts (OutLayer's execution_history). */
    private final Map<String, long[]> workerTotals = new HashMap<>();

    public InMemoryJobStore(Duration staleClaimTimeout, Clock clock, int finishedKept) {
        if (staleClaimTimeout.isNegative() || staleClaimTimeout.isZero()) {
            throw new IllegalArgumentException("the stale-claim timeout must be positive");
        }
        if (finishedKept < 1) {
            throw new IllegalArgumentException("the history must keep at least one finished job");
        }
        this.staleClaimTimeout = staleClaimTimeout;
        this.clock = clock;
        this.finishedKept = finishedKept;
        for (TaskQueue queue : TaskQueue.values()) {
            queued.put(queue, new ArrayDeque<>());
        }
    }

    public InMemoryJobStore(Duration staleClaimTimeout, Clock clock) {
        this(staleClaimTimeout, clock, FINISHED_KEPT);
    }

    public InMemoryJobStore(Duration staleClaimTimeout) {
        this(staleClaimTimeout, Clock.systemUTC());
    }

    @Override
    public synchronized boolean enqueue(ExecutionTask task) {
        if (settled.contains(task.key()) || knownTasks.putIfAbsent(task.key(), task) != null) {
            return false;
        }
        boolean cached = wasmCache.containsKey(task.codeSource().wasmChecksum());
        if (task.compileOnly() && cached && !task.forceRebuild()) {
            settle(task.key());
            return true; // finished at once: no executor takes a compile-only task without a result
        }
        queued.get(cached && !task.forceRebuild() ? TaskQueue.EXECUTE : TaskQueue.COMPILE)
                .addLast(task);
        notifyAll();
        return true;
    }

    @Override
    public synchronized Optional<ExecutionTask> poll(Set<TaskQueue> queues, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            Optional<ExecutionTask> task = takeReady(queues);
            long left = deadline - System.nanoTime();
            if (task.isPresent() || left <= 0) {
                return task;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, STALE_RECHECK_NANOS));
        }
    }

    private Optional<ExecutionTask> takeReady(Set<TaskQueue> queues) {
        Instant now = clock.instant();
        ExecutionTask task = null;
        TaskQueue from = null;
        for (HandedOut out : handedOut.values()) {
            if (queues.contains(out.queue) && stale(out.lastSignOfLife, now)) {
                task = out.task;
                from = out.queue;
                break;
            }
        }
        for (TaskQueue queue : TaskQueue.values()) { // compile first, as OutLayer's BRPOP over both
            if (task == null && queues.contains(queue)) {
                task = queued.get(queue).pollFirst();
                from = queue;
            }
        }
        if (task == null) {
            return Optional.empty();
        }
        handedOut.remove(task.key());
        handedOut.put(task.key(), new HandedOut(task, from, now));
        return Optional.of(task);
    }

    @Override
    public synchronized Optional<TaskQueue> queueOf(long requestId, String dataId) {
        TaskKey key = new TaskKey(requestId, dataId);
        HandedOut out = handedOut.get(key);
        if (out != null) {
            return Optional.of(out.queue);
        }
        for (TaskQueue queue : TaskQueue.values()) {
            if (queued.get(queue).stream().anyMatch(t -> t.key().equals(key))) {
                return Optional.of(queue);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<JobClaim> claim(ClaimRequest request) {
        Instant now = clock.instant();
        JobKey key = new JobKey(request.requestId(), request.dataId(), request.jobType());
        Long existingId = jobIds.get(key);
        Job job;
        if (existingId == null) {
            long id = nextJobId++;
            Job created = new Job(
                    id,
                    request.requestId(),
                    request.dataId(),
                    request.jobType(),
                    null,
                    JobStatus.PENDING,
                    request.wasmChecksum(),
                    now,
                    now,
                    null,
                    now,
                    0,
                    null,
                    null,
                    null,
                    null,
                    null);
            job = created.claimedBy(request.workerId(), null, now, 1);
            jobIds.put(key, id);
            origins.put(id, JobOrigin.of(knownTasks.get(new TaskKey(request.requestId(), request.dataId()))));
        } else {
            Job existing = jobs.get(existingId);
            if (existing == null) {
                return Optional.empty(); // it finished and left the kept history
            }
            boolean takeable = existing.status() == JobStatus.PENDING
                    || (existing.status() == JobStatus.IN_PROGRESS && stale(existing.heartbeatAt(), now));
            if (!takeable) {
                return Optional.empty();
            }
            job = existing.claimedBy(request.workerId(), request.wasmChecksum(), now, existing.attempt() + 1);
        }
        putJob(job);
        touchTask(new TaskKey(request.requestId(), request.dataId()), now);
        return Optional.of(
                new JobClaim(job.jobId(), job.requestId(), job.dataId(), job.jobType(), job.workerId(), job.attempt()));
    }

    @Override
    public synchronized boolean heartbeat(JobClaim claim) {
        Job job = currentJob(claim);
        if (job == null) {
            return false;
        }
        Instant now = clock.instant();
        putJob(job.claimedBy(job.workerId(), null, now, job.attempt()));
        touchTask(new TaskKey(job.requestId(), job.dataId()), now);
        return true;
    }

    @Override
    public synchronized int heartbeatWorker(String workerId) {
        Instant now = clock.instant();
        List<Job> held = new ArrayList<>();
        for (long jobId : unfinished) {
            Job job = jobs.get(jobId);
            if (job.status() == JobStatus.IN_PROGRESS && workerId.equals(job.workerId())) {
                held.add(job);
            }
        }
        for (Job job : held) {
            putJob(job.claimedBy(workerId, null, now, job.attempt()));
            touchTask(new TaskKey(job.requestId(), job.dataId()), now);
        }
        return held.size();
    }

    @Override
    public synchronized boolean complete(JobClaim claim, JobOutcome outcome) {
        Job job = currentJob(claim);
        if (job == null) {
            return false;
        }
        Instant now = clock.instant();
        Job finished = job.finished(outcome, now);
        putJob(finished);
        boolean compile = job.jobType() == JobType.COMPILE;
        TaskKey key = finishTask(job, compile ? TaskQueue.COMPILE : TaskQueue.EXECUTE);
        if (compile) {
            if (outcome.success() && finished.wasmChecksum() != null) {
                wasmCache.putIfAbsent(finished.wasmChecksum(), now);
            }
            ExecutionTask task = knownTasks.get(key);
            if (task != null && !(outcome.success() && task.compileOnly() && outcome.compileResult() == null)) {
                ExecutionTask next =
                        outcome.success() ? task.afterCompile(outcome.compileResult()) : task.toReportCompileFailure();
                knownTasks.put(key, next);
                queued.get(TaskQueue.EXECUTE).addLast(next);
                awaitingExecute.add(key);
                notifyAll();
            } else {
                settle(key); // nobody resolves it
            }
        }
        return true;
    }

    /** A finished job's task is no longer handed out, nor waiting on {@code queue}; returns its key. */
    private TaskKey finishTask(Job job, TaskQueue queue) {
        TaskKey key = new TaskKey(job.requestId(), job.dataId());
        handedOut.remove(key);
        queued.get(queue).removeIf(t -> t.key().equals(key));
        return key;
    }

    /** The job the claim names if the claim is still its current one and it is in progress. */
    private Job currentJob(JobClaim claim) {
        Job job = jobs.get(claim.jobId());
        if (job == null
                || job.status() != JobStatus.IN_PROGRESS
                || job.attempt() != claim.attempt()
                || !job.workerId().equals(claim.workerId())) {
            return null;
        }
        return job;
    }

    private void touchTask(TaskKey key, Instant now) {
        HandedOut out = handedOut.get(key);
        if (out != null) {
            out.lastSignOfLife = now;
        }
    }

    private boolean stale(Instant lastSignOfLife, Instant now) {
        return Duration.between(lastSignOfLife, now).compareTo(staleClaimTimeout) > 0;
    }

    @Override
    public synchronized Optional<Job> job(long jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    @Override
    public synchronized List<Job> jobs(long requestId) {
        List<Job> found = new ArrayList<>();
        for (long jobId : jobsByRequest.getOrDefault(requestId, List.of())) {
            found.add(jobs.get(jobId));
        }
        found.sort(java.util.Comparator.comparingLong(Job::jobId));
        return found;
    }

    @Override
    public boolean wasmCached(String checksum) {
        return wasmCache.containsKey(checksum);
    }

    @Override
    public void cacheWasm(String checksum) {
        wasmCache.putIfAbsent(checksum, clock.instant());
    }

    @Override
    public Optional<Instant> wasmCachedAt(String checksum) {
        return Optional.ofNullable(wasmCache.get(checksum));
    }

    @Override
    public synchronized void storeWasm(WasmFile file) {
        WasmFile known = wasmFiles.get(file.checksum());
        // new bytes; the first upload's origin stays, as the PostgreSQL store's ON CONFLICT keeps it
        wasmFiles.put(
                file.checksum(),
                known == null
                        ? file
                        : new WasmFile(
                                file.checksum(),
                                file.wasm(),
                                known.repoUrl(),
                                known.commitHash(),
                                known.buildTarget() != null ? known.buildTarget() : file.buildTarget()));
        Instant now = clock.instant();
        wasmCache.putIfAbsent(file.checksum(), now);
        wasmLastAccess.put(file.checksum(), now);
    }

    @Override
    public synchronized Optional<byte[]> wasmBytes(String checksum) {
        WasmFile file = wasmFiles.get(checksum);
        if (file == null) {
            return Optional.empty();
        }
        wasmAccesses.merge(checksum, 1L, Long::sum);
        wasmLastAccess.put(checksum, clock.instant());
        return Optional.of(file.wasm());
    }

    @Override
    public synchronized long wasmCacheBytes() {
        return wasmFiles.values().stream().mapToLong(WasmFile::size).sum();
    }

    @Override
    public synchronized List<WasmCacheEviction.Evicted> evictWasm(long maxBytes) {
        long toFree = wasmCacheBytes() - maxBytes;
        if (toFree <= 0) {
            return List.of();
        }
        List<String> leastRecentFirst = new ArrayList<>(wasmFiles.keySet());
        leastRecentFirst.sort(java.util.Comparator.comparing((String c) -> wasmLastAccess.get(c))
                .thenComparing(c -> c));
        List<WasmCacheEviction.Evicted> evicted = new ArrayList<>();
        long freed = 0;
        for (String checksum : leastRecentFirst) {
            if (freed >= toFree) {
                break;
            }
            long size = wasmFiles.remove(checksum).size();
            wasmCache.remove(checksum);
            wasmAccesses.remove(checksum);
            wasmLastAccess.remove(checksum);
            evicted.add(new WasmCacheEviction.Evicted(checksum, size));
            freed += size;
        }
        return evicted;
    }

    @Override
    public synchronized Optional<Instant> wasmStoredAt(String checksum) {
        return wasmFiles.containsKey(checksum) ? Optional.ofNullable(wasmCache.get(checksum)) : Optional.empty();
    }

    @Override
    public synchronized void recordWorkerHeartbeat(
            String workerId, String workerName, String status, Long currentTaskId) {
        Instant now = clock.instant();
        WorkerStatus known = workers.get(workerId);
        workers.put(
                workerId,
                known == null
                        ? new WorkerStatus(workerId, workerName, status, currentTaskId, now, null, 0, 0, now)
                        : new WorkerStatus(
                                workerId,
                                workerName,
                                status,
                                currentTaskId,
                                now,
                                known.lastTaskCompletedAt(),
                                known.totalTasksCompleted(),
                                known.totalTasksFailed(),
                                known.createdAt()));
    }

    @Override
    public synchronized boolean recordTaskCompletion(String workerId, boolean success) {
        WorkerStatus known = workers.get(workerId);
        if (known == null) {
            return false;
        }
        workers.put(
                workerId,
                new WorkerStatus(
                        workerId,
                        known.workerName(),
                        "online",
                        null,
                        known.lastHeartbeatAt(),
                        success ? clock.instant() : known.lastTaskCompletedAt(),
                        known.totalTasksCompleted() + (success ? 1 : 0),
                        known.totalTasksFailed() + (success ? 0 : 1),
                        known.createdAt()));
        return true;
    }

    @Override
    public synchronized boolean deleteWorker(String workerId) {
        return workers.remove(workerId) != null;
    }

    @Override
    public synchronized List<WorkerStatus> workers() {
        List<WorkerStatus> all = new ArrayList<>(workers.size());
        for (WorkerStatus w : workers.values()) {
            long[] jobs = workerTotals.getOrDefault(w.workerId(), new long[2]);
            all.add(new WorkerStatus(
                    w.workerId(),
                    w.workerName(),
                    w.status(),
                    w.currentTaskId(),
                    w.lastHeartbeatAt(),
                    w.lastTaskCompletedAt(),
                    jobs[0],
                    jobs[1],
                    w.createdAt()));
        }
        all.sort(java.util.Comparator.comparing(WorkerStatus::lastHeartbeatAt)
                .reversed()
                .thenComparing(WorkerStatus::workerId));
        return all;
    }

    @Override
    public synchronized AcceptedResolution.Recorded recordResolution(AcceptedResolution resolution) {
        long requestId = resolution.requestId();
        TaskKey key = new TaskKey(requestId, resolution.dataId());
        Resolved of = resolved.computeIfAbsent(requestId, r -> new Resolved());
        JobResolution ended = of.ended;
        if (of.txs.contains(resolution.txHash())) {
            if (!resolution.fromChain()
                    && resolution.outcome() != null
                    && ended != null
                    && ended.fromChain()
                    && ended.txHash().equals(resolution.txHash())) {
                // its worker's own report of the resolution the chain showed: its details, nothing counted
                executeJob(resolution)
                        .ifPresent(job ->
                                putJob(job.reportedBy(resolution.workerId(), resolution.outcome(), clock.instant())));
                of.ended = new JobResolution(resolution.txHash(), false);
            }
            settleResolved(key, of);
            return new AcceptedResolution.Recorded(resolutions(requestId), false);
        }
        of.add(resolution.txHash());
        int count = resolutions.merge(requestId, 1, Integer::sum);
        if (resolution.outcome() != null && ended == null) {
            of.ended = new JobResolution(resolution.txHash(), resolution.fromChain());
            executeJob(resolution)
                    .ifPresent(job ->
                            putJob(job.finishedBy(resolution.workerId(), resolution.outcome(), clock.instant())));
            handedOut.remove(key);
            queued.values().forEach(queue -> queue.removeIf(t -> t.key().equals(key)));
            executeEnded(key); // no executor takes it now
        }
        settleResolved(key, of);
        return new AcceptedResolution.Recorded(count, true);
    }

    /** A resolved request's task is settled; one still running (a count without its outcome yet) is not. */
    private void settleResolved(TaskKey key, Resolved of) {
        if (of.ended != null || !knownTasks.containsKey(key)) {
            settle(key);
        }
    }

    /** The request's execute job, if one was claimed. */
    private Optional<Job> executeJob(AcceptedResolution resolution) {
        return Optional.ofNullable(jobIds.get(new JobKey(resolution.requestId(), resolution.dataId(), JobType.EXECUTE)))
                .map(jobs::get);
    }

    @Override
    public synchronized List<JobHistoryEntry> history(String userAccountId, long limit, long offset) {
        java.util.NavigableSet<Ended> kept = userAccountId == null ? window : windowByUser.get(userAccountId);
        if (kept == null) {
            return List.of();
        }
        return kept.descendingSet().stream() // newest first: OutLayer's ORDER BY completed_at DESC
                .skip(offset)
                .limit(limit)
                .map(ended -> entry(jobs.get(ended.jobId())))
                .toList();
    }

    @Override
    public synchronized JobStats stats(String userAccountId) {
        Totals of = userAccountId == null ? totals : userTotals.get(userAccountId);
        return of == null ? new Totals().stats() : of.stats();
    }

    @Override
    public synchronized List<RepoStats> popularRepos(int limit) {
        return repoTotals.entrySet().stream()
                .filter(e -> e.getValue().outcomes.total() > 0)
                .map(e -> new RepoStats(e.getKey(), e.getValue().outcomes, e.getValue().lastCommit))
                .sorted(RepoStats.MOST_JOBS_FIRST)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Optional<WasmInfo> wasmInfo(String repoUrl, String commitHash, String buildTarget) {
        return wasmFiles.values().stream()
                .filter(f -> f.repoUrl().equals(repoUrl)
                        && f.commitHash().equals(commitHash)
                        && buildTarget.equals(f.buildTarget()))
                .map(f -> new WasmInfo(f.checksum(), f.wasm().length, wasmCache.get(f.checksum())))
                .min(java.util.Comparator.comparing(WasmInfo::createdAt).thenComparing(WasmInfo::checksum));
    }

    private JobHistoryEntry entry(Job job) {
        return new JobHistoryEntry(job, origins.getOrDefault(job.jobId(), JobOrigin.NONE));
    }

    /**
     * Every change of a job goes here: the indexes follow it, a job that (still) ends counts in the
     * running totals in place of what it counted before, and enters the kept window, whose oldest
     * then leave it when it holds more than {@link #finishedKept}.
     */
    private void putJob(Job job) {
        long id = job.jobId();
        Job before = jobs.put(id, job);
        if (before == null) {
            jobsByRequest
                    .computeIfAbsent(job.requestId(), r -> new ArrayList<>(2))
                    .add(id);
        }
        if (!job.status().finished()) {
            unfinished.add(id);
            return;
        }
        unfinished.remove(id);
        JobHistoryEntry ended = entry(job);
        if (before != null && before.status().finished()) {
            JobHistoryEntry was = entry(before);
            count(was, -1);
            forgetInWindow(was);
        }
        count(ended, 1);
        Ended key = Ended.of(job);
        window.add(key);
        String user = ended.origin().userAccountId();
        if (user != null) {
            windowByUser.computeIfAbsent(user, u -> new java.util.TreeSet<>()).add(key);
        }
        if (job.jobType() == JobType.EXECUTE) {
            TaskKey task = new TaskKey(job.requestId(), job.dataId());
            executeEnded(task);
            settle(task);
        }
        while (window.size() > finishedKept) {
            leaveWindow(window.first());
        }
    }

    /** The finished job leaves the kept window; it is forgotten unless its task still awaits its execute job. */
    private void leaveWindow(Ended oldest) {
        JobHistoryEntry entry = entry(jobs.get(oldest.jobId()));
        forgetInWindow(entry);
        Job job = entry.job();
        TaskKey task = new TaskKey(job.requestId(), job.dataId());
        if (job.jobType() == JobType.COMPILE && awaitingExecute.contains(task)) {
            pinnedCompiles.put(task, job.jobId()); // the executor reads it (finishedCompile)
        } else {
            forget(job);
        }
    }

    private void forgetInWindow(JobHistoryEntry entry) {
        Ended key = Ended.of(entry.job());
        window.remove(key);
        String user = entry.origin().userAccountId();
        java.util.TreeSet<Ended> ofUser = user == null ? null : windowByUser.get(user);
        if (ofUser != null && ofUser.remove(key) && ofUser.isEmpty()) {
            windowByUser.remove(user);
        }
    }

    private void forget(Job job) {
        jobs.remove(job.jobId());
        origins.remove(job.jobId());
        List<Long> ofRequest = jobsByRequest.get(job.requestId());
        ofRequest.remove(job.jobId());
        if (ofRequest.isEmpty()) {
            jobsByRequest.remove(job.requestId());
        }
        TaskKey task = new TaskKey(job.requestId(), job.dataId());
        if (!knownTasks.containsKey(task) && !settled.contains(task)) {
            jobIds.remove(
                    new JobKey(job.requestId(), job.dataId(), job.jobType()),
                    job.jobId()); // its request was forgotten first
        }
    }

    /**
     * The task finished (or settled again: a later resolution of it): its bookkeeping is kept for the
     * newest {@link #finishedKept} settled tasks; the one settled longest ago beyond them is forgotten.
     */
    private void settle(TaskKey task) {
        knownTasks.remove(task); // nothing reads a settled task: only its key is kept, for the dedup
        settled.remove(task);
        settled.add(task);
        if (settled.size() > finishedKept) {
            java.util.Iterator<TaskKey> oldest = settled.iterator();
            TaskKey forgotten = oldest.next();
            oldest.remove();
            forgetRequest(forgotten);
        }
    }

    /** Forgets the settled task's exactly-once bookkeeping; a job of it still kept keeps its id until it goes. */
    private void forgetRequest(TaskKey task) {
        for (JobType type : JobType.values()) {
            JobKey key = new JobKey(task.requestId(), task.dataId(), type);
            Long id = jobIds.get(key);
            if (id != null && !jobs.containsKey(id)) {
                jobIds.remove(key);
            }
        }
        resolutions.remove(task.requestId());
        resolved.remove(task.requestId());
    }

    /** The task's execute job ended (or no executor will take it): its compile job need not be kept for it. */
    private void executeEnded(TaskKey task) {
        if (awaitingExecute.remove(task)) {
            Long pinned = pinnedCompiles.remove(task);
            if (pinned != null) {
                forget(jobs.get(pinned));
            }
        }
    }

    /** {@code entry} counted ({@code rows} 1) or no longer counted (-1) in the running totals. */
    private void count(JobHistoryEntry entry, int rows) {
        totals.count(entry, rows);
        String user = entry.origin().userAccountId();
        if (user != null) {
            userTotals.computeIfAbsent(user, u -> new Totals()).count(entry, rows);
        }
        String repo = entry.origin().githubRepo();
        if (repo != null) {
            repoTotals.computeIfAbsent(repo, r -> new RepoTotals()).count(entry, rows);
        }
        String worker = entry.job().workerId();
        if (worker != null) {
            workerTotals.computeIfAbsent(worker, w -> new long[2])[entry.success() ? 0 : 1] += rows;
        }
    }

    /** What the store keeps of the jobs: all of them, the finished ones in the window, and their origins. */
    synchronized Retained retained() {
        return new Retained(jobs.size(), window.size(), origins.size(), jobsByRequest.size(), pinnedCompiles.size());
    }

    record Retained(int jobs, int finishedInWindow, int origins, int requestsIndexed, int pinnedCompiles) {}

    /** What the store keeps of its exactly-once bookkeeping: tasks, job ids, requests with resolutions, settled tasks. */
    synchronized Bookkeeping bookkeeping() {
        return new Bookkeeping(knownTasks.size(), jobIds.size(), resolutions.size(), resolved.size(), settled.size());
    }

    record Bookkeeping(int knownTasks, int jobIds, int resolutionCounts, int resolvedRequests, int settledTasks) {}

    /**
     * Where a finished job stands in the history: by when it ended, then by id (of two that ended
     * together, the later job is the newer).
     */
    private record Ended(Instant completedAt, long jobId) implements Comparable<Ended> {
        static Ended of(Job job) {
            return new Ended(job.completedAt(), job.jobId());
        }

        @Override
        public int compareTo(Ended other) {
            int byTime = completedAt.compareTo(other.completedAt);
            return byTime != 0 ? byTime : Long.compare(jobId, other.jobId);
        }
    }

    /** {@link JobStats} kept as running totals of the rows counted (a changed row is taken out and counted again). */
    private static final class Totals {
        JobStats.Outcomes outcomes = JobStats.Outcomes.NONE;
        long instructions;
        long executions;
        long executionMs;
        java.math.BigInteger paid = java.math.BigInteger.ZERO;
        /** How many rows counted name each user. */
        final Map<String, Long> users = new HashMap<>();

        void count(JobHistoryEntry entry, int rows) {
            outcomes = rows > 0 ? outcomes.plus(entry.status()) : outcomes.minus(entry.status());
            if (entry.job().instructions() != null) {
                instructions += rows * entry.job().instructions();
            }
            if (entry.executionTimeMs() != null) {
                executions += rows;
                executionMs += rows * entry.executionTimeMs();
            }
            if (entry.origin().nearPaymentYocto() != null) {
                java.math.BigInteger payment =
                        new java.math.BigInteger(entry.origin().nearPaymentYocto());
                paid = rows > 0 ? paid.add(payment) : paid.subtract(payment);
            }
            String user = entry.origin().userAccountId();
            if (user != null && users.merge(user, (long) rows, Long::sum) == 0) {
                users.remove(user);
            }
        }

        JobStats stats() {
            return new JobStats(outcomes, instructions, JobStats.average(executionMs, executions), paid, users.size());
        }
    }

    /** One repository's finished jobs by outcome, and the commit of the latest to end. */
    private static final class RepoTotals {
        JobStats.Outcomes outcomes = JobStats.Outcomes.NONE;
        Ended latest;
        String lastCommit;

        void count(JobHistoryEntry entry, int rows) {
            if (rows < 0) {
                outcomes = outcomes.minus(entry.status());
                return;
            }
            outcomes = outcomes.plus(entry.status());
            Ended ended = Ended.of(entry.job());
            // a job counted again ended later, or (reportedBy) when it did: it stays the latest if it was
            if (latest == null || ended.compareTo(latest) > 0 || ended.jobId() == latest.jobId()) {
                latest = ended;
                lastCommit = entry.origin().githubCommit();
            }
        }
    }

    @Override
    public int resolutions(long requestId) {
        return resolutions.getOrDefault(requestId, 0);
    }

    @Override
    public Duration staleClaimTimeout() {
        return staleClaimTimeout;
    }

    private record JobKey(long requestId, String dataId, JobType type) {}

    /** The transaction whose resolution ended a job, and whether the job's details are the chain's. */
    private record JobResolution(String txHash, boolean fromChain) {}

    /** A request's accepted resolutions recorded: their transactions, and the one that ended its execute job. */
    private static final class Resolved {
        List<String> txs = List.of(); // one element nearly always: the smallest list for it
        JobResolution ended;

        void add(String txHash) {
            if (txs.isEmpty()) {
                txs = List.of(txHash);
            } else {
                txs = new ArrayList<>(txs);
                txs.add(txHash);
            }
        }
    }

    private static final class HandedOut {
        final ExecutionTask task;
        final TaskQueue queue;
        Instant lastSignOfLife;

        HandedOut(ExecutionTask task, TaskQueue queue, Instant lastSignOfLife) {
            this.task = task;
            this.queue = queue;
            this.lastSignOfLife = lastSignOfLife;
        }
    }
}

package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.executions.ExecutionTask.TaskKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 */
public final class InMemoryJobStore implements JobStore {
    /** How often a waiting poll looks again for tasks whose claims went stale (no event wakes it then). */
    private static final long STALE_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Duration staleClaimTimeout;
    private final Clock clock;
    private final Set<TaskKey> knownTasks = new HashSet<>();
    private final ArrayDeque<ExecutionTask> queued = new ArrayDeque<>();
    /** Handed-out tasks not finished yet, with their last sign of life. */
    private final Map<TaskKey, HandedOut> handedOut = new LinkedHashMap<>();

    private final Map<Long, Job> jobs = new HashMap<>();
    private final Map<JobKey, Long> jobIds = new HashMap<>();
    private final Map<String, Instant> wasmCache = new ConcurrentHashMap<>();
    private final Map<Long, Integer> resolutions = new ConcurrentHashMap<>();
    private long nextJobId = 1;

    public InMemoryJobStore(Duration staleClaimTimeout, Clock clock) {
        if (staleClaimTimeout.isNegative() || staleClaimTimeout.isZero()) {
            throw new IllegalArgumentException("the stale-claim timeout must be positive");
        }
        this.staleClaimTimeout = staleClaimTimeout;
        this.clock = clock;
    }

    public InMemoryJobStore(Duration staleClaimTimeout) {
        this(staleClaimTimeout, Clock.systemUTC());
    }

    @Override
    public synchronized boolean enqueue(ExecutionTask task) {
        if (!knownTasks.add(task.key())) {
            return false;
        }
        queued.addLast(task);
        notifyAll();
        return true;
    }

    @Override
    public synchronized Optional<ExecutionTask> poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            Optional<ExecutionTask> task = takeReady();
            long left = deadline - System.nanoTime();
            if (task.isPresent() || left <= 0) {
                return task;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, STALE_RECHECK_NANOS));
        }
    }

    private Optional<ExecutionTask> takeReady() {
        Instant now = clock.instant();
        ExecutionTask task = null;
        for (HandedOut out : handedOut.values()) {
            if (stale(out.lastSignOfLife, now)) {
                task = out.task;
                break;
            }
        }
        if (task == null) {
            task = queued.pollFirst();
        }
        if (task == null) {
            return Optional.empty();
        }
        handedOut.remove(task.key());
        handedOut.put(task.key(), new HandedOut(task, now));
        return Optional.of(task);
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
                    null);
            job = created.claimedBy(request.workerId(), null, now, 1);
            jobIds.put(key, id);
        } else {
            Job existing = jobs.get(existingId);
            boolean takeable = existing.status() == JobStatus.PENDING
                    || (existing.status() == JobStatus.IN_PROGRESS && stale(existing.heartbeatAt(), now));
            if (!takeable) {
                return Optional.empty();
            }
            job = existing.claimedBy(request.workerId(), request.wasmChecksum(), now, existing.attempt() + 1);
        }
        jobs.put(job.jobId(), job);
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
        jobs.put(job.jobId(), job.claimedBy(job.workerId(), null, now, job.attempt()));
        touchTask(new TaskKey(job.requestId(), job.dataId()), now);
        return true;
    }

    @Override
    public synchronized int heartbeatWorker(String workerId) {
        Instant now = clock.instant();
        List<Job> held = new ArrayList<>();
        for (Job job : jobs.values()) {
            if (job.status() == JobStatus.IN_PROGRESS && workerId.equals(job.workerId())) {
                held.add(job);
            }
        }
        for (Job job : held) {
            jobs.put(job.jobId(), job.claimedBy(workerId, null, now, job.attempt()));
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
        jobs.put(job.jobId(), job.finished(outcome, now));
        TaskKey task = new TaskKey(job.requestId(), job.dataId());
        if (job.jobType() == JobType.EXECUTE) {
            handedOut.remove(task);
        } else {
            touchTask(task, now);
        }
        return true;
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
        for (Job job : jobs.values()) {
            if (job.requestId() == requestId) {
                found.add(job);
            }
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
    public int recordResolution(long requestId) {
        return resolutions.merge(requestId, 1, Integer::sum);
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

    private static final class HandedOut {
        final ExecutionTask task;
        Instant lastSignOfLife;

        HandedOut(ExecutionTask task, Instant lastSignOfLife) {
            this.task = task;
            this.lastSignOfLife = lastSignOfLife;
        }
    }
}

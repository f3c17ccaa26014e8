package dev.outlayer.bench.targetsystem.executions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A {@link JobStore} that hands every call to another: a test overrides the calls it stages a fault in. */
public class ForwardingJobStore implements JobStore {
    protected final JobStore store;

    public ForwardingJobStore(JobStore store) {
        this.store = store;
    }

    @Override
    public boolean enqueue(ExecutionTask task) {
        return store.enqueue(task);
    }

    @Override
    public Optional<ExecutionTask> poll(Set<TaskQueue> queues, Duration timeout) throws InterruptedException {
        return store.poll(queues, timeout);
    }

    @Override
    public Optional<TaskQueue> queueOf(long requestId, String dataId) {
        return store.queueOf(requestId, dataId);
    }

    @Override
    public Optional<JobClaim> claim(ClaimRequest request) {
        return store.claim(request);
    }

    @Override
    public boolean heartbeat(JobClaim claim) {
        return store.heartbeat(claim);
    }

    @Override
    public int heartbeatWorker(String workerId) {
        return store.heartbeatWorker(workerId);
    }

    @Override
    public boolean complete(JobClaim claim, JobOutcome outcome) {
        return store.complete(claim, outcome);
    }

    @Override
    public Optional<Job> job(long jobId) {
        return store.job(jobId);
    }

    @Override
    public List<Job> jobs(long requestId) {
        return store.jobs(requestId);
    }

    @Override
    public boolean wasmCached(String checksum) {
        return store.wasmCached(checksum);
    }

    @Override
    public void cacheWasm(String checksum) {
        store.cacheWasm(checksum);
    }

    @Override
    public Optional<Instant> wasmCachedAt(String checksum) {
        return store.wasmCachedAt(checksum);
    }

    @Override
    public void storeWasm(WasmFile file) {
        store.storeWasm(file);
    }

    @Override
    public Optional<byte[]> wasmBytes(String checksum) {
        return store.wasmBytes(checksum);
    }

    @Override
    public Optional<Instant> wasmStoredAt(String checksum) {
        return store.wasmStoredAt(checksum);
    }

    @Override
    public long wasmCacheBytes() {
        return store.wasmCacheBytes();
    }

    @Override
    public List<WasmCacheEviction.Evicted> evictWasm(long maxBytes) {
        return store.evictWasm(maxBytes);
    }

    @Override
    public void recordWorkerHeartbeat(String workerId, String workerName, String status, Long currentTaskId) {
        store.recordWorkerHeartbeat(workerId, workerName, status, currentTaskId);
    }

    @Override
    public boolean recordTaskCompletion(String workerId, boolean success) {
        return store.recordTaskCompletion(workerId, success);
    }

    @Override
    public List<WorkerStatus> workers() {
        return store.workers();
    }

    @Override
    public boolean deleteWorker(String workerId) {
        return store.deleteWorker(workerId);
    }

    @Override
    public AcceptedResolution.Recorded recordResolution(AcceptedResolution resolution) {
        return store.recordResolution(resolution);
    }

    @Override
    public int resolutions(long requestId) {
        return store.resolutions(requestId);
    }

    @Override
    public Duration staleClaimTimeout() {
        return store.staleClaimTimeout();
    }

    @Override
    public List<JobHistoryEntry> history(String userAccountId, long limit, long offset) {
        return store.history(userAccountId, limit, offset);
    }

    @Override
    public JobStats stats(String userAccountId) {
        return store.stats(userAccountId);
    }

    @Override
    public List<RepoStats> popularRepos(int limit) {
        return store.popularRepos(limit);
    }

    @Override
    public Optional<WasmInfo> wasmInfo(String repoUrl, String commitHash, String buildTarget) {
        return store.wasmInfo(repoUrl, commitHash, buildTarget);
    }

    @Override
    public boolean database() {
        return store.database();
    }

    @Override
    public void ping() {
        store.ping();
    }
}

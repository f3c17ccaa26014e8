package dev.outlayer.bench.targetsystem.executions;

import java.time.Instant;

/**
 * One row of OutLayer's {@code jobs} table (migration 20251017000004 and later), plus what the
 * stale-claim rule needs: {@code heartbeatAt} (the claim's last sign of life) and {@code attempt}
 * (see {@link JobClaim}).
 *
 * @param instructions the instructions an execute job's run used, as its worker reported them
 *     (OutLayer's {@code execution_history.instructions_used}); null for a compile job and before
 *     the job ends
 */
public record Job(
        long jobId,
        long requestId,
        String dataId,
        JobType jobType,
        String workerId,
        JobStatus status,
        String wasmChecksum,
        Instant createdAt,
        Instant updatedAt,
        Instant completedAt,
        Instant heartbeatAt,
        int attempt,
        String errorCategory,
        String errorDetails,
        Long timeMs,
        Long instructions,
        String compileCostYocto) {

    /** The job claimed (again) by {@code workerId}: in progress, heartbeat now, the given attempt. */
    Job claimedBy(String workerId, String checksum, Instant now, int attempt) {
        return new Job(
                jobId,
                requestId,
                dataId,
                jobType,
                workerId,
                JobStatus.IN_PROGRESS,
                checksum != null ? checksum : wasmChecksum,
                createdAt,
                now,
                null,
                now,
                attempt,
                null,
                null,
                null,
                null,
                null);
    }

    /** The job finished as {@code outcome} says. */
    Job finished(JobOutcome outcome, Instant now) {
        return finishedBy(workerId, outcome, now);
    }

    /** The job finished as {@code outcome} says, by {@code worker} (whose resolution the contract accepted). */
    Job finishedBy(String worker, JobOutcome outcome, Instant now) {
        return endedAs(worker, outcome, now, now);
    }

    /**
     * The finished job with the details its resolution's worker reported, replacing what the chain
     * showed of that resolution: it ended when it did.
     */
    Job reportedBy(String worker, JobOutcome outcome, Instant now) {
        return endedAs(worker, outcome, now, completedAt);
    }

    private Job endedAs(String worker, JobOutcome outcome, Instant now, Instant ended) {
        return new Job(
                jobId,
                requestId,
                dataId,
                jobType,
                worker,
                outcome.success() ? JobStatus.COMPLETED : JobStatus.FAILED,
                outcome.wasmChecksum() != null ? outcome.wasmChecksum() : wasmChecksum,
                createdAt,
                now,
                ended,
                heartbeatAt,
                attempt,
                outcome.success() ? null : outcome.errorCategory(),
                outcome.success() ? null : outcome.error(),
                outcome.timeMs(),
                jobType == JobType.EXECUTE ? outcome.instructions() : null,
                jobType == JobType.COMPILE ? outcome.compileCostYocto() : null);
    }
}

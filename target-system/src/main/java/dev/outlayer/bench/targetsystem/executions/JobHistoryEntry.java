package dev.outlayer.bench.targetsystem.executions;

import java.util.Set;

/**
 * One row of OutLayer's {@code execution_history} (written by {@code complete_job} for every
 * finished job, read by {@code GET /public/jobs}): a finished job and what it took from its task.
 * A job here finishes once, so the finished jobs are the history, newest first by when each ended.
 */
public record JobHistoryEntry(Job job, JobOrigin origin) {
    /** OutLayer's job statuses of a failure (migration 20251025000001); another category is {@code failed}. */
    public static final Set<String> FAILURE_STATUSES = Set.of(
            "failed", "compilation_failed", "execution_failed", "access_denied", "insufficient_payment", "custom");

    public JobHistoryEntry {
        if (!job.status().finished()) {
            throw new IllegalArgumentException("job " + job.jobId() + " has not finished: it has no history");
        }
    }

    /** The job's status as OutLayer's {@code jobs.status} has it: {@code completed}, or the failure's category. */
    public String status() {
        return job.status() == JobStatus.COMPLETED ? "completed" : failureStatus(job.errorCategory());
    }

    /** The status a failure of this category is stored with. */
    public static String failureStatus(String category) {
        return category != null && FAILURE_STATUSES.contains(category) ? category : "failed";
    }

    public boolean success() {
        return job.status() == JobStatus.COMPLETED;
    }

    /** {@code execution_time_ms}: an execute job's time. */
    public Long executionTimeMs() {
        return job.jobType() == JobType.EXECUTE ? job.timeMs() : null;
    }

    /** {@code compile_time_ms}: a compile job's time, success or not. */
    public Long compileTimeMs() {
        return job.jobType() == JobType.COMPILE ? job.timeMs() : null;
    }

    /**
     * OutLayer's {@code is_https_call}: a row with no transaction hash (a request made on chain has
     * one; an HTTPS call has none) and a data id.
     */
    public boolean httpsCall() {
        return origin.transactionHash() == null && job.dataId() != null;
    }

    /** OutLayer's {@code call_id}: an HTTPS call's data id, which is its call id. */
    public String callId() {
        return httpsCall() ? job.dataId() : null;
    }
}

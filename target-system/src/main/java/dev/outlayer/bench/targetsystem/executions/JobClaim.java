package dev.outlayer.bench.targetsystem.executions;

/**
 * The right to finish one job, held by one worker. {@code attempt} counts the claims the job has
 * had: a stale claim taken over by another worker bumps it, so the first worker's late
 * heartbeat or complete (same job id, older attempt) is refused.
 */
public record JobClaim(long jobId, long requestId, String dataId, JobType jobType, String workerId, int attempt) {}

package dev.outlayer.bench.targetsystem.executions;

import java.time.Instant;

/**
 * One row of OutLayer's {@code worker_status} (coordinator migration
 * 20251015000002_worker_tracking_and_enhanced_history) as {@code GET /public/workers} lists it: what a
 * worker last said of itself in {@code POST /workers/heartbeat} and {@code POST
 * /workers/task-completion}, with its finished jobs in the history.
 *
 * @param status {@code online}, {@code busy}, {@code offline} (a completion sets it online)
 * @param currentTaskId what the worker said it works on (cleared by a completion), or null
 * @param totalTasksCompleted its jobs in the history that succeeded
 * @param totalTasksFailed its jobs in the history that failed
 */
public record WorkerStatus(
        String workerId,
        String workerName,
        String status,
        Long currentTaskId,
        Instant lastHeartbeatAt,
        Instant lastTaskCompletedAt,
        long totalTasksCompleted,
        long totalTasksFailed,
        Instant createdAt) {}

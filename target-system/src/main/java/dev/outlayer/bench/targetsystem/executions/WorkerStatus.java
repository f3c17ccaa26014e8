package dev.outlayer.bench.targetsystem.executions;

import java.time.Instant;

/**
 * One row of OutLayer's {@code worker_status} (coordinator migration
 * 20251015000002_worker_tracking_and_enhanced_history): what a worker last said of itself in
 * {@code POST /workers/heartbeat}, and the tasks it reported through {@code POST
 * /workers/task-completion}.
 *
 * @param status {@code online}, {@code busy}, {@code offline} (a completion sets it online)
 * @param currentTaskId what the worker said it works on (cleared by a completion), or null
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

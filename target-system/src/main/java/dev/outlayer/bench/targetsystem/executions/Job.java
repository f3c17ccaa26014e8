package dev.outlayer.bench.targetsystem.executions;

import java.time.Instant;

/**
 * One row of OutLayer's {@code jobs} table (migration 20251017000004 and later), plus what the
 * stale-claim rule needs: {@code heartbeatAt} (the claim's last sign of life) and {@code attempt}
 * (see {@link JobClaim}).
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
        Long timeMs) {}

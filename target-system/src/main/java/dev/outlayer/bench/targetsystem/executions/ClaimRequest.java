package dev.outlayer.bench.targetsystem.executions;

/**
 * A worker asking for one job of a task. {@code wasmChecksum} is recorded on the job
 * (OutLayer's {@code jobs.wasm_checksum}).
 */
public record ClaimRequest(long requestId, String dataId, JobType jobType, String workerId, String wasmChecksum) {
    public ClaimRequest {
        if (dataId == null || jobType == null || workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("data_id, job_type and worker_id are required");
        }
    }
}

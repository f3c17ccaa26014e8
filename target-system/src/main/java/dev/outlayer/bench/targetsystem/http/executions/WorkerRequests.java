package dev.outlayer.bench.targetsystem.http.executions;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.executions.CodeSource;
import dev.outlayer.bench.targetsystem.executions.ResourceLimits;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Pattern;

/** Bodies of the worker API, in OutLayer's coordinator shapes (models.rs) plus what the stale-claim rule needs. */
final class WorkerRequests {
    /** OutLayer's failure statuses (JobStatus, migration 20251025000001), the job's status after a failed complete. */
    static final List<String> FAILURE_CATEGORIES = List.of(
            "failed", "compilation_failed", "execution_failed", "access_denied", "insufficient_payment", "custom");

    private WorkerRequests() {}

    /** OutLayer's ClaimJobRequest. */
    record Claim(
            @JsonProperty("request_id") Long requestId,
            @JsonProperty("data_id") String dataId,
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("code_source") CodeSource codeSource,
            @JsonProperty("resource_limits") ResourceLimits resourceLimits,
            @JsonProperty("capabilities") List<String> capabilities,
            @JsonProperty("compile_only") boolean compileOnly,
            @JsonProperty("force_rebuild") boolean forceRebuild,
            @JsonProperty("has_compile_result") boolean hasCompileResult) {
        Claim {
            if (requestId == null) {
                throw new IllegalArgumentException("request_id is required");
            }
            if (dataId == null || dataId.isBlank()) {
                throw new IllegalArgumentException("data_id is required");
            }
            if (workerId == null || workerId.isBlank()) {
                throw new IllegalArgumentException("worker_id is required");
            }
            if (codeSource == null || (codeSource.hash() == null && codeSource.repo() == null)) {
                throw new IllegalArgumentException("code_source is required: {type: GitHub, repo, commit, build_target}"
                        + " or {type: WasmUrl, url, hash, build_target}");
            }
            capabilities = capabilities == null ? List.of("compilation", "execution") : List.copyOf(capabilities);
        }
    }

    /** A yoctoNEAR amount as OutLayer writes it: a u128 in decimal (at most 39 digits). */
    static final Pattern YOCTO = Pattern.compile("[0-9]{1,39}");

    /**
     * OutLayer's CompleteJobRequest ({@code compile_cost_yocto}: the compile job's cost, which the
     * claim of the execute job carries; {@code compile_result}: what the compiler leaves for the
     * executor, with which a compile-only request is resolved); {@code worker_id} and {@code attempt} (from the claim's
     * answer) are ours and optional: they identify the claim, so a worker whose claim was taken
     * over cannot complete the job. OutLayer's worker sends neither (it completes by {@code
     * job_id}); see {@code ExecutionRoutes}.
     */
    record Complete(
            @JsonProperty("job_id") Long jobId,
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("attempt") Integer attempt,
            @JsonProperty("success") Boolean success,
            @JsonProperty("error") String error,
            @JsonProperty("error_category") String errorCategory,
            @JsonProperty("time_ms") long timeMs,
            @JsonProperty("instructions") long instructions,
            @JsonProperty("wasm_checksum") String wasmChecksum,
            @JsonProperty("compile_cost_yocto") String compileCostYocto,
            @JsonProperty("compile_result") String compileResult) {
        Complete {
            if (compileCostYocto != null
                    && (!YOCTO.matcher(compileCostYocto).matches()
                            || new BigInteger(compileCostYocto).bitLength() > 128)) {
                throw new IllegalArgumentException(
                        "compile_cost_yocto must be a yoctoNEAR amount: a u128 in decimal digits");
            }
            if (jobId == null) {
                throw new IllegalArgumentException("job_id is required");
            }
            if (workerId != null && workerId.isBlank()) {
                throw new IllegalArgumentException("worker_id must not be blank");
            }
            if (errorCategory != null && !FAILURE_CATEGORIES.contains(errorCategory)) {
                throw new IllegalArgumentException("error_category must be one of " + FAILURE_CATEGORIES);
            }
            if (timeMs < 0 || instructions < 0) {
                throw new IllegalArgumentException("time_ms and instructions must not be negative");
            }
        }
    }

    /**
     * OutLayer's worker-level {@code HeartbeatRequest} (handlers/workers.rs): which worker, its
     * name and status; its other members ({@code current_task_id}, {@code
     * event_monitor_block_height}, {@code last_poll_at}) are accepted and ignored.
     */
    record WorkerHeartbeat(
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("worker_name") String workerName,
            @JsonProperty("status") String status) {
        static final List<String> STATUSES = List.of("online", "busy", "offline", "stale");

        WorkerHeartbeat {
            if (workerId == null || workerId.isBlank()) {
                throw new IllegalArgumentException("worker_id is required");
            }
            if (status != null && !STATUSES.contains(status)) {
                throw new IllegalArgumentException("status must be one of " + STATUSES);
            }
        }
    }

    /** {@code POST /jobs/heartbeat} (ours: OutLayer has no heartbeat). */
    record Heartbeat(
            @JsonProperty("job_id") Long jobId,
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("attempt") Integer attempt) {
        Heartbeat {
            if (jobId == null) {
                throw new IllegalArgumentException("job_id is required");
            }
            if (workerId == null || workerId.isBlank()) {
                throw new IllegalArgumentException("worker_id is required");
            }
        }
    }
}

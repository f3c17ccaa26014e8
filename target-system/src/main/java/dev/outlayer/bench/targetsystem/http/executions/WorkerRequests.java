package dev.outlayer.bench.targetsystem.http.executions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.outlayer.bench.targetsystem.executions.CodeSource;
import dev.outlayer.bench.targetsystem.executions.ExecutionTask;
import dev.outlayer.bench.targetsystem.executions.ResourceLimits;
import dev.outlayer.bench.targetsystem.executions.SecretsReference;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.SerdeFields;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Pattern;

/** Bodies of the worker API, in OutLayer's coordinator shapes (models.rs) plus what the stale-claim rule needs. */
final class WorkerRequests {
    /** OutLayer's failure statuses (JobStatus, migration 20251025000001), the job's status after a failed complete. */
    static final List<String> FAILURE_CATEGORIES = List.of(
            "failed", "compilation_failed", "execution_failed", "access_denied", "insufficient_payment", "custom");

    private WorkerRequests() {}

    /**
     * OutLayer's ClaimJobRequest: its {@code resource_limits} is required (and unused, as OutLayer's), the flags are
     * {@code #[serde(default)] bool} (absent is false, null refused), and so is {@code capabilities}, a {@code
     * #[serde(default)] Vec<String>}: null refused, absent is none, which {@code claim_job} answers with 400.
     */
    record Claim(
            @JsonProperty("request_id") Long requestId,
            @JsonProperty("data_id") String dataId,
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("code_source") CodeSource codeSource,
            @JsonProperty("resource_limits") ResourceLimits resourceLimits,

            @JsonProperty("capabilities") @JsonDeserialize(using = SerdeFields.Defaulted.class)
            List<String> capabilities,

            @JsonProperty(value = "compile_only", defaultValue = "false")
            boolean compileOnly,

            @JsonProperty(value = "force_rebuild", defaultValue = "false")
            boolean forceRebuild,

            @JsonProperty(value = "has_compile_result", defaultValue = "false")
            boolean hasCompileResult) {
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
            if (resourceLimits == null) {
                throw new IllegalArgumentException("resource_limits is required");
            }
            capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        }
    }

    /** A yoctoNEAR amount as OutLayer writes it: a u128 in decimal (at most 39 digits). */
    static final Pattern YOCTO = Pattern.compile("[0-9]{1,39}");

    /** Refuses an amount (when given) that is not a yoctoNEAR amount. */
    static void requireYocto(String amount, String name) {
        if (amount != null && (!YOCTO.matcher(amount).matches() || new BigInteger(amount).bitLength() > 128)) {
            throw new IllegalArgumentException(name + " must be a yoctoNEAR amount: a u128 in decimal digits");
        }
    }

    /**
     * OutLayer's CompleteJobRequest ({@code compile_cost_yocto}: the compile job's cost, which the
     * claim of the execute job carries; {@code compile_result}: what the compiler leaves for the
     * executor, with which a compile-only request is resolved); {@code worker_id} and {@code attempt} (from the claim's
     * answer) are ours and optional: they identify the claim, so a worker whose claim was taken
     * over cannot complete the job. OutLayer's worker sends neither (it completes by {@code
     * job_id}); see {@code ExecutionRoutes}. As OutLayer's, {@code time_ms} is required (a u64: absent or null is
     * refused) and {@code instructions} is {@code #[serde(default)]} (absent is 0, null refused).
     */
    record Complete(
            @JsonProperty("job_id") Long jobId,
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("attempt") Integer attempt,
            @JsonProperty("success") Boolean success,
            @JsonProperty("error") String error,
            @JsonProperty("error_category") String errorCategory,
            @JsonProperty("time_ms") long timeMs,

            @JsonProperty(value = "instructions", defaultValue = "0")
            long instructions,

            @JsonProperty("wasm_checksum") String wasmChecksum,
            @JsonProperty("compile_cost_yocto") String compileCostYocto,
            @JsonProperty("compile_result") String compileResult) {
        Complete {
            requireYocto(compileCostYocto, "compile_cost_yocto");
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
            @JsonProperty("status") String status,
            @JsonProperty("current_task_id") Long currentTaskId) {
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

    /** OutLayer's response formats (models.rs ResponseFormat). */
    static final List<String> RESPONSE_FORMATS = List.of("Bytes", "Text", "Json");

    /**
     * OutLayer's CreateTaskRequest (models.rs), which its worker's event monitor sends to {@code
     * POST /executions/create}, with the request's project and {@code attached_usd}, which the
     * worker that runs it turns into its {@code OUTLAYER_PROJECT_*} and {@code ATTACHED_USD}.
     */
    record CreateTask(
            @JsonProperty("request_id") Long requestId,
            @JsonProperty("data_id") String dataId,
            @JsonProperty("code_source") CodeSource codeSource,
            @JsonProperty("resource_limits") ResourceLimits resourceLimits,
            @JsonProperty("input_data") String inputData,
            @JsonProperty("secrets_ref") SecretsReference secretsRef,

            @JsonProperty("response_format") @JsonDeserialize(using = SerdeFields.Defaulted.class)
            String responseFormat,

            @JsonProperty("context") JsonNode context,
            @JsonProperty("user_account_id") String userAccountId,
            @JsonProperty("near_payment_yocto") String nearPaymentYocto,
            @JsonProperty("transaction_hash") String transactionHash,

            @JsonProperty(value = "compile_only", defaultValue = "false")
            boolean compileOnly,

            @JsonProperty(value = "force_rebuild", defaultValue = "false")
            boolean forceRebuild,

            @JsonProperty(value = "store_on_fastfs", defaultValue = "false")
            boolean storeOnFastfs,

            @JsonProperty("project_id") String projectId,
            @JsonProperty("project_uuid") String projectUuid,
            @JsonProperty("attached_usd") String attachedUsd) {
        CreateTask {
            if (requestId == null || requestId < 0) {
                throw new IllegalArgumentException("request_id is required (an unsigned integer)");
            }
            if (dataId == null || dataId.isBlank()) {
                throw new IllegalArgumentException("data_id is required");
            }
            if (codeSource == null || (codeSource.hash() == null && codeSource.repo() == null)) {
                throw new IllegalArgumentException("code_source is required: {type: GitHub, repo, commit, build_target}"
                        + " or {type: WasmUrl, url, hash, build_target}");
            }
            if (resourceLimits == null) {
                throw new IllegalArgumentException("resource_limits is required");
            }
            if (inputData == null) {
                throw new IllegalArgumentException("input_data is required");
            }
            // ours: the dashboard sums it (OutLayer's CAST(near_payment_yocto AS NUMERIC) fails on anything else)
            requireYocto(nearPaymentYocto, "near_payment_yocto");
            // #[serde(default)] ResponseFormat (no Option): absent is Text, null is refused by the setter above
            responseFormat = responseFormat == null ? "Text" : responseFormat;
            if (!RESPONSE_FORMATS.contains(responseFormat)) {
                throw new IllegalArgumentException("response_format must be one of " + RESPONSE_FORMATS);
            }
            // #[serde(default)] ExecutionContext: absent is {}, null is no struct
            if (context != null && !context.isObject()) {
                throw new IllegalArgumentException("context must be an object");
            }
        }

        ExecutionTask task() {
            JsonNode ctx = context == null ? JsonCodec.object() : context;
            return new ExecutionTask(
                    requestId,
                    dataId,
                    codeSource,
                    resourceLimits,
                    inputData,
                    secretsRef,
                    responseFormat,
                    ctx,
                    userAccountId,
                    nearPaymentYocto,
                    transactionHash,
                    ctx.path("block_height").asLong(0),
                    compileOnly,
                    forceRebuild,
                    storeOnFastfs,
                    null,
                    projectId,
                    projectUuid,
                    attachedUsd);
        }
    }

    /** OutLayer's TaskCompletionNotification (handlers/workers.rs). */
    record TaskCompletion(
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("success") Boolean success) {
        TaskCompletion {
            if (workerId == null || workerId.isBlank()) {
                throw new IllegalArgumentException("worker_id is required");
            }
            if (success == null) {
                throw new IllegalArgumentException("success is required (true or false)");
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

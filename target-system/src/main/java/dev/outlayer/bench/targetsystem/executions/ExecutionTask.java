package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request seen in an {@code execution_requested} event: what a worker needs to compile,
 * execute and resolve it. OutLayer's {@code ExecutionRequest} (coordinator models.rs), the JSON
 * a worker gets from {@code GET /tasks/poll}. Stores may keep it as one JSON column
 * ({@code JsonCodec.MAPPER} round-trips it); {@code (request_id, data_id)} is its identity.
 *
 * @param dataId the yield's data id (hex) the resolution resumes
 * @param context the event's context object as the contract wrote it (sender, block, ...)
 * @param blockHeight the height of the block whose outcome carried the event (for the phase clock)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionTask(
        @JsonProperty("request_id") long requestId,
        @JsonProperty("data_id") String dataId,
        @JsonProperty("code_source") CodeSource codeSource,
        @JsonProperty("resource_limits") ResourceLimits resourceLimits,
        @JsonProperty("input_data") String inputData,
        @JsonProperty("secrets_ref") SecretsReference secretsRef,
        @JsonProperty("response_format") String responseFormat,
        @JsonProperty("context") JsonNode context,
        @JsonProperty("user_account_id") String userAccountId,
        @JsonProperty("near_payment_yocto") String nearPaymentYocto,
        @JsonProperty("transaction_hash") String transactionHash,
        @JsonProperty("block_height") long blockHeight) {

    public ExecutionTask {
        if (dataId == null || dataId.isEmpty()) {
            throw new IllegalArgumentException("data_id is required");
        }
        if (codeSource == null) {
            throw new IllegalArgumentException("code_source is required");
        }
    }

    public TaskKey key() {
        return new TaskKey(requestId, dataId);
    }

    /** A task's identity: OutLayer's jobs are unique per (request_id, data_id, job_type). */
    public record TaskKey(long requestId, String dataId) {}
}

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
 * @param compileOnly the request's {@code compile_only} (its {@code resource_limits} were absent):
 *     the wasm is compiled and cached, never run
 * @param forceRebuild the request's {@code params.force_rebuild}: compiled again even when cached
 * @param storeOnFastfs the request's {@code params.store_on_fastfs}, carried to workers (the
 *     stand-in has no FastFS)
 * @param compileResult what the request's compiler left for its executor (OutLayer's {@code
 *     compile_result}: the FastFS URL it published the wasm to); set when the coordinator moves
 *     the task to the execute queue, null before. A compile-only request is resolved with it.
 * @param httpsCall OutLayer's {@code is_https_call}: a call of {@code POST /{owner}/{project}} paid
 *     with a payment key; its worker completes it with the coordinator ({@code complete_https_call})
 *     instead of resolving on chain. The members after it but the project's and {@code attachedUsd}
 *     are null for on-chain requests.
 * @param callId the HTTPS call's id (also its {@code data_id})
 * @param projectId {@code owner/name}, resolved to {@code code_source} from the contract's {@code
 *     get_project} / {@code get_version} when the call was made; for an on-chain request of a
 *     {@code Project} source, the contract's {@code project_id} (the worker's {@code OUTLAYER_PROJECT_*})
 * @param projectUuid the project's uuid ({@code p} + 16 hex digits), on chain too
 * @param versionKey the version asked for; null for the project's active version
 * @param paymentKeyOwner the payment key's owner (the call's sender)
 * @param paymentKeyNonce the payment key's nonce
 * @param computeLimitUsd the call's {@code X-Compute-Limit} (minimal stablecoin units, decimal)
 * @param attachedDepositUsd the call's {@code X-Attached-Deposit} (minimal stablecoin units, decimal)
 * @param attachedUsd an on-chain request's {@code attached_usd}: the stablecoin it pays the project's owner
 *     (the worker's {@code ATTACHED_USD}); null for HTTPS calls and requests without one
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
        @JsonProperty("block_height") long blockHeight,
        @JsonProperty("compile_only") boolean compileOnly,
        @JsonProperty("force_rebuild") boolean forceRebuild,
        @JsonProperty("store_on_fastfs") boolean storeOnFastfs,
        @JsonProperty("compile_result") String compileResult,
        @JsonProperty("is_https_call") boolean httpsCall,
        @JsonProperty("call_id") String callId,
        @JsonProperty("project_id") String projectId,
        @JsonProperty("project_uuid") String projectUuid,
        @JsonProperty("version_key") String versionKey,
        @JsonProperty("payment_key_owner") String paymentKeyOwner,
        @JsonProperty("payment_key_nonce") Long paymentKeyNonce,
        @JsonProperty("compute_limit_usd") String computeLimitUsd,
        @JsonProperty("attached_deposit_usd") String attachedDepositUsd,
        @JsonProperty("attached_usd") String attachedUsd) {

    /**
     * An on-chain request (no HTTPS call members), with its project ({@code project_id}, {@code
     * project_uuid}; null when its source is not a project) and {@code attached_usd}.
     */
    public ExecutionTask(
            long requestId,
            String dataId,
            CodeSource codeSource,
            ResourceLimits resourceLimits,
            String inputData,
            SecretsReference secretsRef,
            String responseFormat,
            JsonNode context,
            String userAccountId,
            String nearPaymentYocto,
            String transactionHash,
            long blockHeight,
            boolean compileOnly,
            boolean forceRebuild,
            boolean storeOnFastfs,
            String compileResult,
            String projectId,
            String projectUuid,
            String attachedUsd) {
        this(
                requestId,
                dataId,
                codeSource,
                resourceLimits,
                inputData,
                secretsRef,
                responseFormat,
                context,
                userAccountId,
                nearPaymentYocto,
                transactionHash,
                blockHeight,
                compileOnly,
                forceRebuild,
                storeOnFastfs,
                compileResult,
                false,
                null,
                projectId,
                projectUuid,
                null,
                null,
                null,
                null,
                null,
                attachedUsd);
    }

    /** A request to compile and execute, without the contract's request parameters. */
    public ExecutionTask(
            long requestId,
            String dataId,
            CodeSource codeSource,
            ResourceLimits resourceLimits,
            String inputData,
            SecretsReference secretsRef,
            String responseFormat,
            JsonNode context,
            String userAccountId,
            String nearPaymentYocto,
            String transactionHash,
            long blockHeight) {
        this(
                requestId,
                dataId,
                codeSource,
                resourceLimits,
                inputData,
                secretsRef,
                responseFormat,
                context,
                userAccountId,
                nearPaymentYocto,
                transactionHash,
                blockHeight,
                false,
                false,
                false,
                null,
                null,
                null,
                null);
    }

    public ExecutionTask {
        if (dataId == null || dataId.isEmpty()) {
            throw new IllegalArgumentException("data_id is required");
        }
        if (codeSource == null) {
            throw new IllegalArgumentException("code_source is required");
        }
    }

    /**
     * The task as OutLayer's {@code complete_job} pushes it to the execute queue after its compile
     * succeeded: the same request, with the compiler's {@code compile_result} when it sent one.
     */
    public ExecutionTask afterCompile(String result) {
        return new ExecutionTask(
                requestId,
                dataId,
                codeSource,
                resourceLimits,
                inputData,
                secretsRef,
                responseFormat,
                context,
                userAccountId,
                nearPaymentYocto,
                transactionHash,
                blockHeight,
                compileOnly,
                forceRebuild,
                storeOnFastfs,
                result,
                httpsCall,
                callId,
                projectId,
                projectUuid,
                versionKey,
                paymentKeyOwner,
                paymentKeyNonce,
                computeLimitUsd,
                attachedDepositUsd,
                attachedUsd);
    }

    /**
     * The task as OutLayer's {@code complete_job} pushes it after its compile failed: only for an
     * executor to report the failure, so neither compile-only (which an executor without a result
     * would refuse) nor a rebuild.
     */
    public ExecutionTask toReportCompileFailure() {
        return new ExecutionTask(
                requestId,
                dataId,
                codeSource,
                resourceLimits,
                inputData,
                secretsRef,
                responseFormat,
                context,
                userAccountId,
                nearPaymentYocto,
                transactionHash,
                blockHeight,
                false,
                false,
                storeOnFastfs,
                null,
                httpsCall,
                callId,
                projectId,
                projectUuid,
                versionKey,
                paymentKeyOwner,
                paymentKeyNonce,
                computeLimitUsd,
                attachedDepositUsd,
                attachedUsd);
    }

    public TaskKey key() {
        return new TaskKey(requestId, dataId);
    }

    /** A task's identity: OutLayer's jobs are unique per (request_id, data_id, job_type). */
    public record TaskKey(long requestId, String dataId) {}
}

package dev.outlayer.bench.targetsystem.executions;

import static dev.outlayer.bench.targetsystem.json.SerdeFields.required;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.SerdeBytes;
import dev.outlayer.bench.targetsystem.json.SerdeFields;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The OutLayer contract's NEP-297 events the {@link EventMonitor} reads, typed as OutLayer's worker types them
 * (worker/src/event_monitor.rs at out-layer/outlayer b65db3a, the newest stored version of that file:
 * ExecutionRequestedEvent, RequestData, CodeSource, TopUpPaymentKeyEvent, DeletePaymentKeyEvent; api_client.rs at
 * 635d273: ResponseFormat, SecretsReference, ExecutionContext). A member that is no {@code Option} and has no
 * {@code #[serde(default)]} is required: missing, null or of another type, the event does not bind, and the monitor
 * logs and skips it. Unknown members are ignored, as serde's derive ignores them.
 */
final class ContractEvents {
    private ContractEvents() {}

    /** The NEP-297 envelope, {@code EVENT_JSON:{"standard","version","event","data":[...]}}. */
    record Nep297(
            @JsonProperty("standard") String standard,
            @JsonProperty("event") String event,
            @JsonProperty("data") List<JsonNode> data) {

        /** The event's log, or null when it is no JSON envelope (OutLayer's process_log: not an event). */
        static Nep297 of(String log) {
            try {
                return JsonCodec.MAPPER.readValue(log, Nep297.class);
            } catch (IOException e) {
                return null;
            }
        }

        /** The first data object when this is the contract's {@code name} event, else null. */
        JsonNode dataOf(String name) {
            return EventMonitor.STANDARD.equals(standard) && name.equals(event) && data != null && !data.isEmpty()
                    ? data.get(0)
                    : null;
        }
    }

    /**
     * Binds an event's data to {@code type} as a request body is bound ({@link JsonCodec#read}): what does not bind
     * is an {@link ApiException} naming the member and what was expected, for the monitor's log line.
     */
    static <T> T bind(JsonNode node, Class<T> type) {
        return JsonCodec.read(JsonCodec.bytes(node), type);
    }

    static <T> T bind(String json, Class<T> type) {
        return JsonCodec.read(json.getBytes(StandardCharsets.UTF_8), type);
    }

    /** {@code execution_requested}'s data: ExecutionRequestedEvent, every member required. */
    record ExecutionRequested(
            @JsonProperty("request_data") String requestData,

            @JsonProperty("data_id") @JsonDeserialize(using = SerdeBytes.Reader.class)
            byte[] dataId,

            @JsonProperty("timestamp") long timestamp) {
        ExecutionRequested {
            required(requestData, "request_data");
            dataId = yieldId(dataId);
            u64(timestamp, "timestamp");
        }
    }

    /**
     * The request's JSON inside {@code request_data}: RequestData. Required: request_id, sender_id, code_source,
     * resource_limits, input_data, payment, timestamp; defaulted: input_data_in_state, response_format (Text) and the
     * flags; optional: secrets_ref, attached_usd, project_uuid, project_id.
     */
    record RequestData(
            @JsonProperty("request_id") long requestId,
            @JsonProperty("sender_id") String senderId,
            @JsonProperty("code_source") EventCodeSource codeSource,
            @JsonProperty("resource_limits") Limits resourceLimits,
            @JsonProperty("input_data") String inputData,

            @JsonProperty(value = "input_data_in_state", defaultValue = "false")
            boolean inputDataInState,

            @JsonProperty("secrets_ref") SecretsReference secretsRef,
            @JsonProperty("payment") String payment,
            @JsonProperty("attached_usd") String attachedUsd,
            @JsonProperty("timestamp") long timestamp,

            @JsonProperty("response_format") @JsonDeserialize(using = SerdeFields.Defaulted.class)
            String responseFormat,

            @JsonProperty(value = "compile_only", defaultValue = "false")
            boolean compileOnly,

            @JsonProperty(value = "force_rebuild", defaultValue = "false")
            boolean forceRebuild,

            @JsonProperty(value = "store_on_fastfs", defaultValue = "false")
            boolean storeOnFastfs,
            // read for its type only (a wrong one makes OutLayer's request unreadable): no Agent Connect here
            @JsonProperty(value = "use_bound_identity", defaultValue = "false")
            boolean useBoundIdentity,

            @JsonProperty("project_uuid") String projectUuid,
            @JsonProperty("project_id") String projectId) {
        private static final Set<String> FORMATS = Set.of("Bytes", "Text", "Json");

        RequestData {
            u64(requestId, "request_id");
            required(senderId, "sender_id");
            required(codeSource, "code_source");
            required(resourceLimits, "resource_limits");
            required(inputData, "input_data");
            if (secretsRef != null) {
                required(secretsRef.profile(), "profile");
                required(secretsRef.accountId(), "account_id");
            }
            required(payment, "payment");
            u64(timestamp, "timestamp");
            if (responseFormat == null) {
                responseFormat = "Text"; // ResponseFormat's #[default]
            } else if (!FORMATS.contains(responseFormat)) {
                throw new IllegalArgumentException(
                        "unknown variant `" + responseFormat + "`, expected one of `Bytes`, `Text`, `Json`");
            }
        }
    }

    /**
     * {@code code_source}: the contract's CodeSource, externally tagged, {@code {"GitHub":{repo, commit,
     * build_target?}}} or {@code {"WasmUrl":{url, hash, build_target?}}}, read as the worker's untagged CodeSource
     * reads it. A {@code {"Project":...}} (the contract's ExecutionSource, which it resolves before emitting) is
     * neither and does not bind.
     */
    record EventCodeSource(
            @JsonProperty("GitHub") GitHub gitHub,
            @JsonProperty("WasmUrl") WasmUrl wasmUrl) {
        EventCodeSource {
            if (gitHub == null && wasmUrl == null) {
                throw new IllegalArgumentException("data did not match any variant of untagged enum CodeSource");
            }
        }

        /** The task's source, its build target {@code wasm32-wasi} when none is named (to_api_code_source). */
        CodeSource codeSource() {
            return gitHub != null
                    ? CodeSource.gitHub(gitHub.repo(), gitHub.commit(), targetOr(gitHub.buildTarget()))
                    : CodeSource.wasmUrl(wasmUrl.url(), wasmUrl.hash(), targetOr(wasmUrl.buildTarget()));
        }

        private static String targetOr(String target) {
            return target != null ? target : EventMonitor.DEFAULT_BUILD_TARGET;
        }
    }

    /** GitHubSource. */
    record GitHub(
            @JsonProperty("repo") String repo,
            @JsonProperty("commit") String commit,
            @JsonProperty("build_target") String buildTarget) {
        GitHub {
            required(repo, "repo");
            required(commit, "commit");
        }
    }

    /** WasmUrlSource. */
    record WasmUrl(
            @JsonProperty("url") String url,
            @JsonProperty("hash") String hash,
            @JsonProperty("build_target") String buildTarget) {
        WasmUrl {
            required(url, "url");
            required(hash, "hash");
        }
    }

    /**
     * {@code resource_limits} as the contract writes them (lib.rs ResourceLimits at out-layer/outlayer 252aba8:
     * three {@code Option}s, null when the caller left one out), a null one read as the contract's default (1 G
     * instructions, 128 MB, 60 s). A deliberate difference: the worker's ResourceLimits requires all three
     * (u64, u32, u64), so OutLayer drops such a request and its yield times out. Of another type, negative, or a
     * memory beyond a u32, the request is unreadable.
     */
    record Limits(
            @JsonProperty("max_instructions") Long maxInstructions,
            @JsonProperty("max_memory_mb") Long maxMemoryMb,
            @JsonProperty("max_execution_seconds") Long maxExecutionSeconds) {
        Limits {
            maxInstructions = u64OrDefault(maxInstructions, 1_000_000_000L, "max_instructions");
            maxMemoryMb = u64OrDefault(maxMemoryMb, 128, "max_memory_mb");
            if (maxMemoryMb > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("invalid value: integer `" + maxMemoryMb + "`, expected u32");
            }
            maxExecutionSeconds = u64OrDefault(maxExecutionSeconds, 60, "max_execution_seconds");
        }

        ResourceLimits resourceLimits() {
            return new ResourceLimits(maxInstructions, maxMemoryMb, maxExecutionSeconds);
        }

        private static long u64OrDefault(Long value, long absent, String member) {
            return value == null ? absent : u64(value, member);
        }
    }

    /**
     * The contract's {@code system_event}, externally tagged; the variants the stand-in turns into tasks. Others
     * ({@code WalletPolicyUpdated}, {@code SubscriptionPurchased}, ...) bind with neither and are not handled here.
     */
    record SystemEvent(
            @JsonProperty("TopUpPaymentKey") TopUpPaymentKey topUp,
            @JsonProperty("DeletePaymentKey") DeletePaymentKey delete) {}

    /** TopUpPaymentKeyEvent: every member required. */
    record TopUpPaymentKey(
            @JsonProperty("data_id") @JsonDeserialize(using = SerdeBytes.Reader.class)
            byte[] dataId,

            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") long nonce,
            @JsonProperty("amount") String amount,
            @JsonProperty("encrypted_data") String encryptedData) {
        TopUpPaymentKey {
            dataId = yieldId(dataId);
            required(owner, "owner");
            u32(nonce);
            required(amount, "amount");
            required(encryptedData, "encrypted_data");
        }
    }

    /** DeletePaymentKeyEvent: every member required. */
    record DeletePaymentKey(
            @JsonProperty("data_id") @JsonDeserialize(using = SerdeBytes.Reader.class)
            byte[] dataId,

            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") long nonce) {
        DeletePaymentKey {
            dataId = yieldId(dataId);
            required(owner, "owner");
            u32(nonce);
        }
    }

    /**
     * The callback's {@code execution_completed} data, the members the stand-in reads of the contract's
     * ExecutionCompletedEventData (contract/src/events.rs, not stored for out-layer/outlayer; read at
     * fastnear/near-outlayer f2aa842): success and resources_used required, error_message and compilation_note
     * {@code Option}s. OutLayer's worker does not read this event.
     */
    record ExecutionCompleted(
            @JsonProperty("resources_used") ResourceMetrics resourcesUsed,
            @JsonProperty("success") boolean success,
            @JsonProperty("error_message") String errorMessage,
            @JsonProperty("compilation_note") String compilationNote) {
        ExecutionCompleted {
            required(resourcesUsed, "resources_used");
        }
    }

    /** ResourceMetrics (contract lib.rs): instructions and time_ms required, compile_time_ms an Option. */
    record ResourceMetrics(
            @JsonProperty("instructions") long instructions,
            @JsonProperty("time_ms") long timeMs,
            @JsonProperty("compile_time_ms") Long compileTimeMs) {
        ResourceMetrics {
            u64(instructions, "instructions");
            u64(timeMs, "time_ms");
        }
    }

    /**
     * The context the task carries (api_client.rs ExecutionContext, every member an Option), filled from the event
     * and its receipt as handle_execution_requested fills it.
     */
    record ExecutionContext(
            @JsonProperty("sender_id") String senderId,
            @JsonProperty("block_height") long blockHeight,
            @JsonProperty("block_timestamp") long blockTimestamp,
            @JsonProperty("contract_id") String contractId,
            @JsonProperty("transaction_hash") String transactionHash,
            @JsonProperty("receipt_id") String receiptId,
            @JsonProperty("predecessor_id") String predecessorId,
            @JsonProperty("signer_public_key") String signerPublicKey,
            @JsonProperty("gas_burnt") long gasBurnt) {}

    /** The yield's data id in hex: a CryptoHash, 32 bytes (the contract's, which a resolution resumes). */
    static String hex(byte[] dataId) {
        return HexFormat.of().formatHex(dataId);
    }

    private static byte[] yieldId(byte[] dataId) {
        required(dataId, "data_id");
        if (dataId.length != 32) {
            throw new IllegalArgumentException("data_id must be 32 bytes");
        }
        return dataId;
    }

    private static long u64(long value, String member) {
        if (value < 0) {
            throw new IllegalArgumentException("invalid value: integer `" + value + "`, expected u64 (" + member + ")");
        }
        return value;
    }

    private static void u32(long nonce) {
        if (nonce < 0 || nonce > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("invalid value: integer `" + nonce + "`, expected u32 (nonce)");
        }
    }
}

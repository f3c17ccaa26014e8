package dev.outlayer.bench.targetsystem.tee;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.persistence.StorableText;
import dev.outlayer.bench.targetsystem.rpc.StandardBase64;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * OutLayer's task attestations (coordinator handlers/attestations.rs, table {@code task_attestations}): after a
 * compile or an execution a worker in a TEE stores the Intel TDX quote it had generated over the task's hashes,
 * with the task's context, and anyone reads it by job id to verify it. The coordinator does not verify the quote
 * (neither does this one): it decodes it, reads the worker's measurement (RTMR3) at its fixed offset and keeps
 * the bytes as they came. In memory ({@link InMemoryAttestations}) or in PostgreSQL ({@link PostgresAttestations}).
 */
public interface Attestations {
    String COMPILE = "compile";
    String EXECUTE = "execute";

    /** Where RTMR3 sits in a TDX quote v4: the 48-byte header, then 472 bytes into the TD report body. */
    int RTMR3_OFFSET = 520;

    int RTMR3_SIZE = 48;

    /**
     * OutLayer's {@code StoreAttestationRequest}, read as serde reads it: {@code task_id}, {@code task_type}
     * ({@code compile} or {@code execute}), {@code tdx_quote} (base64) and {@code output_hash} required, the rest
     * optional; {@code block_height} a u64, {@code payment_key_nonce} an i32, {@code timestamp} the job's creation
     * in unix seconds (stored as the attestation's time when given). What serde would refuse is a 422 (an {@link
     * IllegalArgumentException}); what OutLayer's handler then refuses is a 400 ({@link #entry}).
     */
    record Submission(
            @JsonProperty("task_id") long taskId,
            @JsonProperty("task_type") String taskType,
            @JsonProperty("tdx_quote") String tdxQuote,
            @JsonProperty("request_id") Long requestId,
            @JsonProperty("caller_account_id") String callerAccountId,
            @JsonProperty("transaction_hash") String transactionHash,
            @JsonProperty("block_height") Long blockHeight,
            @JsonProperty("call_id") String callId,
            @JsonProperty("payment_key_owner") String paymentKeyOwner,
            @JsonProperty("payment_key_nonce") Integer paymentKeyNonce,
            @JsonProperty("repo_url") String repoUrl,
            @JsonProperty("commit_hash") String commitHash,
            @JsonProperty("build_target") String buildTarget,
            @JsonProperty("wasm_hash") String wasmHash,
            @JsonProperty("input_hash") String inputHash,
            @JsonProperty("output_hash") String outputHash,
            @JsonProperty("project_id") String projectId,
            @JsonProperty("secrets_ref") String secretsRef,
            @JsonProperty("attached_usd") String attachedUsd,
            @JsonProperty("timestamp") Long timestamp) {
        public Submission {
            if (taskType == null) {
                throw new IllegalArgumentException("missing field `task_type`");
            }
            if (!taskType.equals(COMPILE) && !taskType.equals(EXECUTE)) {
                throw new IllegalArgumentException(
                        "task_type: unknown variant `" + taskType + "`, expected `compile` or `execute`");
            }
            if (tdxQuote == null) {
                throw new IllegalArgumentException("missing field `tdx_quote`");
            }
            if (outputHash == null) {
                throw new IllegalArgumentException("missing field `output_hash`");
            }
            if (blockHeight != null && blockHeight < 0) {
                throw new IllegalArgumentException(
                        "block_height: invalid value: integer `" + blockHeight + "`, expected u64");
            }
        }

        /**
         * The attestation to store, after OutLayer's checks, in its order (each a 400): its {@code validate()}
         * (an execute task needs {@code input_hash}; the hashes of a task whose id is not negative are 64
         * characters; a negative id is a worker's startup attestation, checked for none of this), the quote's
         * base64, the quote's length (RTMR3 must be in it). Then what OutLayer's table refuses (its database
         * answers a 500 there, a 400 here): a negative {@code request_id}, text longer than its column, text
         * PostgreSQL cannot hold, a {@code timestamp} outside the years 1970 to 9999 (ours: OutLayer's
         * {@code to_timestamp} takes earlier ones). A {@code call_id} that is no UUID is dropped, as OutLayer
         * drops it.
         */
        public Entry entry() {
            validate();
            byte[] quote;
            try {
                quote = StandardBase64.decode(tdxQuote, StandardBase64.Padding.CANONICAL);
            } catch (StandardBase64.InvalidBase64 e) {
                throw ApiException.invalid("Invalid base64 in tdx_quote: " + e.getMessage());
            }
            String measurement = workerMeasurement(quote);
            if (requestId != null && requestId < 0) {
                throw ApiException.invalid("request_id must not be negative");
            }
            column(callerAccountId, "caller_account_id", 64);
            column(transactionHash, "transaction_hash", 64);
            column(paymentKeyOwner, "payment_key_owner", 0);
            column(repoUrl, "repo_url", 512);
            column(commitHash, "commit_hash", 64);
            column(buildTarget, "build_target", 64);
            column(wasmHash, "wasm_hash", 64);
            column(inputHash, "input_hash", 64);
            column(outputHash, "output_hash", 64);
            column(projectId, "project_id", 0);
            column(secretsRef, "secrets_ref", 0);
            column(attachedUsd, "attached_usd", 0);
            if (timestamp != null && (timestamp < 0 || timestamp > LAST_TIMESTAMP)) {
                throw ApiException.invalid("timestamp must be unix seconds from 1970 to 9999");
            }
            return new Entry(
                    taskId,
                    taskType,
                    quote,
                    measurement,
                    requestId,
                    callerAccountId,
                    transactionHash,
                    blockHeight,
                    uuid(callId),
                    paymentKeyOwner,
                    paymentKeyNonce,
                    repoUrl,
                    commitHash,
                    buildTarget,
                    wasmHash,
                    inputHash,
                    outputHash,
                    projectId,
                    secretsRef,
                    attachedUsd);
        }

        /** The time the worker gave the attestation (its job's creation), or null for the store's clock. */
        public Instant time() {
            return timestamp == null ? null : Instant.ofEpochSecond(timestamp);
        }

        /** OutLayer's {@code StoreAttestationRequest::validate}, in its words. */
        private void validate() {
            if (taskType.equals(EXECUTE) && taskId >= 0 && inputHash == null) {
                throw ApiException.invalid("Execute tasks must have input_hash (except startup tasks)");
            }
            if (taskId >= 0) {
                sha256Hex(wasmHash, "wasm_hash");
                sha256Hex(inputHash, "input_hash");
                sha256Hex(outputHash, "output_hash");
            }
        }

        /** OutLayer counts bytes ({@code String::len}), not characters. */
        private static void sha256Hex(String hash, String name) {
            if (hash != null && hash.getBytes(java.nio.charset.StandardCharsets.UTF_8).length != 64) {
                throw ApiException.invalid(name + " must be 64 characters (SHA256 hex)");
            }
        }

        /** Text its column holds: at most {@code max} characters (OutLayer's VARCHAR; 0 for TEXT), no NUL. */
        private static void column(String value, String name, int max) {
            if (value == null) {
                return;
            }
            if (max > 0 && value.codePointCount(0, value.length()) > max) {
                throw ApiException.invalid(name + " must be at most " + max + " characters (OutLayer's column)");
            }
            String problem = StorableText.problem(value);
            if (problem != null) {
                throw ApiException.invalid("'" + name + "' cannot hold " + problem);
            }
        }
    }

    /** 9999-12-31T23:59:59Z. */
    long LAST_TIMESTAMP = 253_402_300_799L;

    /** A stored attestation's content: the submission, decoded. */
    record Entry(
            long taskId,
            String taskType,
            byte[] tdxQuote,
            String workerMeasurement,
            Long requestId,
            String callerAccountId,
            String transactionHash,
            Long blockHeight,
            UUID callId,
            String paymentKeyOwner,
            Integer paymentKeyNonce,
            String repoUrl,
            String commitHash,
            String buildTarget,
            String wasmHash,
            String inputHash,
            String outputHash,
            String projectId,
            String secretsRef,
            String attachedUsd) {}

    /** A stored attestation: its id (in storing order) and its time (the worker's timestamp, else when stored). */
    record Stored(long id, Entry entry, Instant createdAt) {}

    /**
     * Stores the attestation (a task may have several: retries, other workers) with its time ({@code at}, or now
     * when null: OutLayer's {@code COALESCE(to_timestamp($21), NOW())}); its id.
     */
    long store(Entry entry, Instant at);

    /** The task's first stored attestation (OutLayer's unordered {@code fetch_optional} finds the oldest row). */
    Optional<Stored> first(long taskId);

    /**
     * OutLayer's {@code parse_tdx_quote_rtmr3}: the 48 bytes at offset 520, in hex (96 characters); a shorter
     * quote is a 400 in its words. Nothing else of the quote is read or checked.
     */
    static String workerMeasurement(byte[] quote) {
        if (quote.length < RTMR3_OFFSET + RTMR3_SIZE) {
            throw ApiException.invalid("TDX quote too short: " + quote.length + " bytes (need at least "
                    + (RTMR3_OFFSET + RTMR3_SIZE) + ")");
        }
        return HexFormat.of().formatHex(quote, RTMR3_OFFSET, RTMR3_OFFSET + RTMR3_SIZE);
    }

    /**
     * The uuid crate's {@code Uuid::parse_str}: hyphenated, 32 hex digits, braced or {@code urn:uuid:}; null for
     * anything else (OutLayer stores no {@code call_id} then).
     */
    static UUID uuid(String text) {
        if (text == null) {
            return null;
        }
        String s = text;
        if (s.startsWith("urn:uuid:")) {
            s = s.substring("urn:uuid:".length());
        } else if (s.length() == 38 && s.startsWith("{") && s.endsWith("}")) {
            s = s.substring(1, 37);
        }
        String hex;
        if (s.length() == 36) {
            if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
                return null;
            }
            hex = s.replace("-", "");
        } else {
            hex = s;
        }
        if (hex.length() != 32 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
            return null;
        }
        hex = hex.toLowerCase(Locale.ROOT);
        return new UUID(
                Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }
}

package dev.outlayer.bench.targetsystem.tee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What OutLayer's {@code store_attestation} accepts and refuses before it stores anything: serde's reading of
 * {@code StoreAttestationRequest} (here the request mapper's refusal, axum's 422), then its {@code validate()}, the
 * quote's base64 and length (400), and what its table would refuse (a 500 there, a 400 here).
 */
class AttestationSubmissionTest {
    private static final String QUOTE = Base64.getEncoder().encodeToString(AttestationsContractTest.quote(600));
    private static final String H64 = "e".repeat(64);

    /** An execute attestation's body, as OutLayer's worker sends it, changed by {@code change}. */
    private static ObjectNode body(Consumer<ObjectNode> change) {
        ObjectNode body = JsonCodec.object()
                .put("task_id", 4)
                .put("task_type", "execute")
                .put("tdx_quote", QUOTE)
                .put("request_id", 5)
                .put("caller_account_id", "alice.test.near")
                .put("block_height", 100)
                .put("input_hash", H64)
                .put("output_hash", H64);
        change.accept(body);
        return body;
    }

    private static Attestations.Submission read(Consumer<ObjectNode> change) throws Exception {
        return JsonCodec.MAPPER.treeToValue(body(change), Attestations.Submission.class);
    }

    private static void assertUnread(Consumer<ObjectNode> change, String reason) {
        assertThatThrownBy(() -> read(change)).hasMessageContaining(reason);
    }

    private static void assertRefused(Consumer<ObjectNode> change, String message) throws Exception {
        Attestations.Submission submission = read(change);
        assertThatThrownBy(submission::entry)
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.INVALID))
                .hasMessage(message);
    }

    @Test
    void theWorkerMeasurementIsRtmr3ReadFromTheQuote() throws Exception {
        Attestations.Entry entry = read(b -> {}).entry();
        StringBuilder rtmr3 = new StringBuilder();
        for (int i = 520; i < 568; i++) {
            rtmr3.append(String.format("%02x", i & 0xFF));
        }
        assertThat(entry.workerMeasurement()).isEqualTo(rtmr3.toString()).hasSize(96);
        assertThat(entry.tdxQuote()).containsExactly(AttestationsContractTest.quote(600));
        assertThat(entry.requestId()).isEqualTo(5L);
        assertThat(entry.blockHeight()).isEqualTo(100L);
        assertThat(entry.callerAccountId()).isEqualTo("alice.test.near");
    }

    @Test
    void serdeRefusesAMissingWronglyTypedOrUnknownMember() {
        assertUnread(b -> b.remove("task_type"), "missing field `task_type`");
        assertUnread(b -> b.remove("tdx_quote"), "missing field `tdx_quote`");
        assertUnread(b -> b.remove("output_hash"), "missing field `output_hash`");
        assertUnread(b -> b.remove("task_id"), "task_id");
        assertUnread(b -> b.put("task_type", "startup"), "unknown variant `startup`, expected `compile` or `execute`");
        assertUnread(b -> b.put("block_height", -1), "invalid value: integer `-1`, expected u64");
        assertUnread(b -> b.put("task_id", "4"), "task_id");
        assertUnread(b -> b.put("payment_key_nonce", 1L << 31), "payment_key_nonce");
        assertUnread(b -> b.put("timestamp", 1.5), "timestamp");
    }

    @Test
    void outLayersValidateInItsWords() throws Exception {
        assertRefused(b -> b.remove("input_hash"), "Execute tasks must have input_hash (except startup tasks)");
        assertRefused(b -> b.put("input_hash", "abc"), "input_hash must be 64 characters (SHA256 hex)");
        assertRefused(b -> b.put("wasm_hash", "abc"), "wasm_hash must be 64 characters (SHA256 hex)");
        assertRefused(b -> b.put("output_hash", "abc"), "output_hash must be 64 characters (SHA256 hex)");
        assertThat(read(b -> b.put("task_id", -1)
                                .put("output_hash", "worker_startup")
                                .remove("input_hash"))
                        .entry()
                        .outputHash())
                .as("a startup attestation (negative id) is checked for none of it")
                .isEqualTo("worker_startup");
    }

    @Test
    void theQuoteMustBeStandardBase64AndHoldRtmr3() throws Exception {
        assertRefused(
                b -> b.put("tdx_quote", "not base64!"), "Invalid base64 in tdx_quote: Invalid byte 32, offset 3.");
        assertRefused(
                b -> b.put("tdx_quote", Base64.getEncoder().encodeToString(new byte[567])),
                "TDX quote too short: 567 bytes (need at least 568)");
        assertRefused(
                b -> b.put("tdx_quote", Base64.getEncoder().encodeToString("no-attestation-dev-mode".getBytes())),
                "TDX quote too short: 23 bytes (need at least 568)");
    }

    @Test
    void whatOutLayersTableRefusesIsRefusedBeforeStoring() throws Exception {
        assertRefused(b -> b.put("request_id", -2), "request_id must not be negative");
        assertRefused(
                b -> b.put("caller_account_id", "a".repeat(65)),
                "caller_account_id must be at most 64 characters (OutLayer's column)");
        assertRefused(
                b -> b.put("repo_url", "u".repeat(513)), "repo_url must be at most 512 characters (OutLayer's column)");
        assertRefused(b -> b.put("project_id", "p\u0000"), "'project_id' cannot hold a NUL character (U+0000)");
        assertRefused(b -> b.put("timestamp", 253_402_300_800L), "timestamp must be unix seconds from 1970 to 9999");
        assertThat(read(b -> b.put("timestamp", 1_767_225_600L)).time())
                .isEqualTo(Instant.ofEpochSecond(1_767_225_600L));
        assertThat(read(b -> {}).time()).as("none given: the store's clock").isNull();
    }

    @Test
    void aCallIdIsAUuidInAnyOfTheCratesFormsElseDropped() throws Exception {
        UUID id = UUID.fromString("0b8e7a52-2c1d-4c0e-9d6b-3f1e2a4b5c6d");
        for (String form : new String[] {
            "0b8e7a52-2c1d-4c0e-9d6b-3f1e2a4b5c6d",
            "0B8E7A522C1D4C0E9D6B3F1E2A4B5C6D",
            "{0b8e7a52-2c1d-4c0e-9d6b-3f1e2a4b5c6d}",
            "urn:uuid:0b8e7a52-2c1d-4c0e-9d6b-3f1e2a4b5c6d"
        }) {
            assertThat(read(b -> b.put("call_id", form)).entry().callId())
                    .as(form)
                    .isEqualTo(id);
        }
        assertThat(read(b -> b.put("call_id", "call-17")).entry().callId()).isNull();
        assertThat(read(b -> b.put("call_id", "1-1-1-1-1")).entry().callId()).isNull();
    }
}

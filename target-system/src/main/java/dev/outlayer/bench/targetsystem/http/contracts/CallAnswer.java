package dev.outlayer.bench.targetsystem.http.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.contracts.Bytes;
import dev.outlayer.bench.targetsystem.contracts.LinuxMode;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The answer to an executed call or view (docs/target-system-api.md, "Contracts"): 200 with
 * {@link Success}, or 422 with {@link Failure} when the contract failed, which is an outcome the
 * client asked to see rather than an error of the request. Linux mode adds the kernel's accounting
 * at the end and counts the syscall translation in {@code instructions}.
 */
final class CallAnswer {
    private CallAnswer() {}

    /** The JSON body of {@code outcome}; {@code linux} is null for a direct call. */
    static Object of(String accountId, Outcome outcome, LinuxMode.Accounting linux) {
        Linux extra = linux == null ? null : Linux.of(outcome, linux);
        String mode = linux == null ? "direct" : "linux";
        long instructions =
                extra == null ? outcome.instructions() : outcome.instructions() + linux.translationInstructions();
        long executionTimeUs = (outcome.instantiateNanos() + outcome.execNanos()) / 1000;
        if (!outcome.success()) {
            return new Failure(
                    "failure",
                    new ErrorDetail(outcome.errorKind(), outcome.errorMessage()),
                    outcome.logs(),
                    outcome.gasBurnt(),
                    outcome.profile().entries(),
                    outcome.profile().trieNodesTouched(),
                    instructions,
                    mode,
                    executionTimeUs,
                    extra);
        }
        byte[] result = outcome.result();
        return new Success(
                "success",
                decode(result),
                result == null ? null : Base64.getEncoder().encodeToString(result),
                outcome.logs(),
                outcome.gasBurnt(),
                outcome.profile().entries(),
                outcome.profile().trieNodesTouched(),
                instructions,
                mode,
                executionTimeUs,
                stateChanges(accountId, outcome.stateChanges()),
                outcome.promises().promises(),
                false,
                extra);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Success(
            String status,
            JsonNode result,
            String resultBase64,
            List<String> logs,
            long gasBurnt,
            Map<String, Long> gasProfile,
            long trieNodesTouched,
            long instructions,
            String mode,
            long executionTimeUs,
            List<StateChange> stateChanges,
            List<ObjectNode> receipts,
            boolean receiptsExecuted,
            @JsonUnwrapped Linux linux) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Failure(
            String status,
            ErrorDetail error,
            List<String> logs,
            long gasBurnt,
            Map<String, Long> gasProfile,
            long trieNodesTouched,
            long instructions,
            String mode,
            long executionTimeUs,
            @JsonUnwrapped Linux linux) {}

    record ErrorDetail(String kind, String message) {}

    /** NEAR's shape of a state change; a deletion has no value. */
    record StateChange(String type, Change change) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Change(
            String accountId,
            String keyBase64,
            @JsonInclude(JsonInclude.Include.NON_NULL) String valueBase64) {}

    /** Linux mode: {@code instructions} above is {@code wasm_instructions + translation_instructions}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Linux(
            long wasmInstructions,
            long translationInstructions,
            Map<String, Long> syscalls,
            Map<String, Double> syscallTimeUs,
            int pid,
            int worker,
            boolean coldStart) {
        static Linux of(Outcome outcome, LinuxMode.Accounting accounting) {
            return new Linux(
                    outcome.instructions(),
                    accounting.translationInstructions(),
                    accounting.syscalls(),
                    accounting.syscallTimesMicros(),
                    accounting.pid(),
                    accounting.worker(),
                    accounting.coldStart());
        }
    }

    private static List<StateChange> stateChanges(String accountId, Map<Bytes, byte[]> changes) {
        List<StateChange> list = new ArrayList<>(changes.size());
        Base64.Encoder base64 = Base64.getEncoder();
        changes.forEach((key, value) -> list.add(new StateChange(
                value == null ? "data_deletion" : "data_update",
                new Change(
                        accountId,
                        base64.encodeToString(key.array()),
                        value == null ? null : base64.encodeToString(value)))));
        return list;
    }

    /** The value as JSON when it is JSON (near-sdk returns JSON), else as text, else null. */
    private static JsonNode decode(byte[] result) {
        if (result == null || result.length == 0) {
            return null;
        }
        try {
            return JsonCodec.MAPPER.readTree(result);
        } catch (IOException notJson) {
            try {
                String text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(result))
                        .toString();
                return JsonCodec.MAPPER.getNodeFactory().textNode(text);
            } catch (CharacterCodingException binary) {
                return null;
            }
        }
    }
}

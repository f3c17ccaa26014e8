package dev.outlayer.bench.targetsystem.http.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.contracts.Bytes;
import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;
import dev.outlayer.bench.targetsystem.contracts.LinuxMode;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
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

    /** Whether the answer to {@code tree} is a success (200), a failure (422) or pending (202). */
    static int status(TxOutcome tree, WaitMode wait) {
        ExecutionStatus status = decisive(tree, wait);
        return status instanceof ExecutionStatus.Failure ? 422 : status instanceof ExecutionStatus.Unknown ? 202 : 200;
    }

    /** The final status (whole tree) or the first receipt's (FIRST_RECEIPT). */
    private static ExecutionStatus decisive(TxOutcome tree, WaitMode wait) {
        if (wait == WaitMode.FIRST_RECEIPT) {
            TxOutcome.ExecutionOutcome first = tree.firstReceipt();
            return first == null ? ExecutionStatus.UNKNOWN : first.status();
        }
        return tree.finalStatus();
    }

    /**
     * The answer to a call: the first receipt's call as before ({@code result}, {@code logs},
     * {@code gas_burnt}...), where {@code status} and {@code result} speak for the whole tree,
     * plus the tree in broadcast_tx_commit's shape under {@code final_execution_outcome}.
     */
    static Object of(TxOutcome tree, WaitMode wait, Outcome first, LinuxMode.Accounting linux) {
        ExecutionStatus status = decisive(tree, wait);
        Object answer = of(tree.receiverId(), first, status, linux);
        NearOutcome near = NearOutcome.of(tree);
        if (answer instanceof Success success) {
            return success.withTree(near, tree, wait);
        }
        return ((Failure) answer).withTree(near, tree, wait, (ExecutionStatus.Failure) status);
    }

    /** The JSON body of a view's {@code outcome}; {@code linux} is null for a direct call. */
    static Object of(String accountId, Outcome outcome, LinuxMode.Accounting linux) {
        return of(accountId, outcome, null, linux);
    }

    private static Object of(String accountId, Outcome outcome, ExecutionStatus status, LinuxMode.Accounting linux) {
        Linux extra = linux == null ? null : Linux.of(outcome, linux);
        String mode = linux == null ? "direct" : "linux";
        long instructions =
                extra == null ? outcome.instructions() : outcome.instructions() + linux.translationInstructions();
        long executionTimeUs = (outcome.instantiateNanos() + outcome.execNanos()) / 1000;
        if (status instanceof ExecutionStatus.Failure || (status == null && !outcome.success())) {
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
                    extra,
                    null,
                    null,
                    null,
                    null);
        }
        byte[] result = status instanceof ExecutionStatus.SuccessValue value ? value.value() : outcome.result();
        return new Success(
                status instanceof ExecutionStatus.Unknown ? "pending" : "success",
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
                extra,
                null,
                null,
                null,
                null);
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
            @JsonUnwrapped Linux linux,
            @JsonInclude(JsonInclude.Include.NON_NULL) String waitMode,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long totalGasBurnt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String totalTokensBurnt,
            @JsonInclude(JsonInclude.Include.NON_NULL) NearOutcome finalExecutionOutcome) {
        Success withTree(NearOutcome near, TxOutcome tree, WaitMode mode) {
            return new Success(
                    status,
                    result,
                    resultBase64,
                    logs,
                    gasBurnt,
                    gasProfile,
                    trieNodesTouched,
                    instructions,
                    mode(),
                    executionTimeUs,
                    stateChanges,
                    linux,
                    waitName(mode),
                    near.totalGasBurnt(),
                    near.totalTokensBurnt(),
                    near);
        }
    }

    private static String waitName(WaitMode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }

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
            @JsonUnwrapped Linux linux,
            @JsonInclude(JsonInclude.Include.NON_NULL) String waitMode,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long totalGasBurnt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String totalTokensBurnt,
            @JsonInclude(JsonInclude.Include.NON_NULL) NearOutcome finalExecutionOutcome) {
        /** With the tree; the error is the receipt failure that decided the final status. */
        Failure withTree(NearOutcome near, TxOutcome tree, WaitMode mode, ExecutionStatus.Failure failure) {
            ErrorDetail detail = failure == null
                    ? error
                    : new ErrorDetail(
                            failure.errorKind() != null ? failure.errorKind() : failure.kind(),
                            failure.message(),
                            failure.kind(),
                            failure.index());
            return new Failure(
                    status,
                    detail,
                    logs,
                    gasBurnt,
                    gasProfile,
                    trieNodesTouched,
                    instructions,
                    mode(),
                    executionTimeUs,
                    linux,
                    waitName(mode),
                    near.totalGasBurnt(),
                    near.totalTokensBurnt(),
                    near);
        }
    }

    /**
     * @param kind        the VM's error kind for a failed function call (GuestPanic, GasExceeded...),
     *                    else nearcore's ActionErrorKind
     * @param actionError nearcore's ActionErrorKind (FunctionCallError, AccountDoesNotExist...)
     * @param actionIndex the failed action
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ErrorDetail(
            String kind,
            String message,
            @JsonInclude(JsonInclude.Include.NON_NULL) String actionError,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer actionIndex) {
        ErrorDetail(String kind, String message) {
            this(kind, message, null, null);
        }
    }

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

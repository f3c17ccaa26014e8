package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.outlayer.bench.targetsystem.contracts.CompilationErrors;
import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The receipt engine's outcome tree as nearcore's views (core/primitives/src/views.rs, near/nearcore
 * d44e211): ExecutionOutcomeWithIdView, ExecutionOutcomeView, ExecutionMetadataView,
 * ExecutionStatusView, FinalExecutionStatus and the TxExecutionError of a failure, as records. The
 * statuses are the one rendering of them: the call API's outcome tree (http.contracts.NearOutcome)
 * shows them through {@link #status} and {@link #finalStatus} too.
 */
public final class OutcomeViews {
    private final BlockClock clock;

    OutcomeViews(BlockClock clock) {
        this.clock = clock;
    }

    /** ExecutionOutcomeWithIdView; {@code proof} is empty: one shard, one chunk, no Merkle path. */
    public record ExecutionOutcomeWithIdView(
            @JsonProperty("proof") List<Object> proof,
            @JsonProperty("block_hash") String blockHash,
            @JsonProperty("id") String id,
            @JsonProperty("outcome") ExecutionOutcomeView outcome) {}

    public record ExecutionOutcomeView(
            @JsonProperty("logs") List<String> logs,
            @JsonProperty("receipt_ids") List<String> receiptIds,
            @JsonProperty("gas_burnt") long gasBurnt,
            @JsonProperty("tokens_burnt") String tokensBurnt,
            @JsonProperty("executor_id") String executorId,
            @JsonProperty("status") ExecutionStatusView status,
            @JsonProperty("metadata") ExecutionMetadataView metadata) {}

    /** ExecutionMetadataView: version 1 carries no gas profile (null), the only version shown here. */
    public record ExecutionMetadataView(
            @JsonProperty("version") int version,
            @JsonProperty("gas_profile") List<CostGasUsed> gasProfile) {
        static final ExecutionMetadataView V1 = new ExecutionMetadataView(1, null);
    }

    /** CostGasUsed, an entry of a gas profile (version 2 and 3, not produced here); gas_used is dec_format. */
    public record CostGasUsed(
            @JsonProperty("cost_category") String costCategory,
            @JsonProperty("cost") String cost,
            @JsonProperty("gas_used") String gasUsed) {}

    /** ExecutionStatusView: {@code "Unknown"}, or SuccessValue, SuccessReceiptId or Failure. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
    public sealed interface ExecutionStatusView {
        enum Unit implements ExecutionStatusView, SerdeJson.UnitVariant {
            Unknown
        }
    }

    /** FinalExecutionStatus: {@code "NotStarted"}, {@code "Started"}, or SuccessValue or Failure. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
    public sealed interface FinalExecutionStatus {
        enum Unit implements FinalExecutionStatus, SerdeJson.UnitVariant {
            NotStarted,
            Started
        }
    }

    /** The value in base64 (empty for none). */
    @JsonTypeName("SuccessValue")
    public record SuccessValue(@JsonValue String value) implements ExecutionStatusView, FinalExecutionStatus {}

    @JsonTypeName("SuccessReceiptId")
    public record SuccessReceiptId(@JsonValue String receiptId) implements ExecutionStatusView {}

    @JsonTypeName("Failure")
    public record Failure(@JsonValue TxExecutionError error) implements ExecutionStatusView, FinalExecutionStatus {}

    /**
     * TxExecutionError, externally tagged; an outcome's failure is always its ActionError variant here. (A
     * newtype variant's content that is an enum itself is a record with one member a variant: Jackson
     * writes a {@code @JsonValue} without its type wrapper.)
     */
    public record TxExecutionError(
            @JsonProperty("ActionError") ActionError actionError) {}

    /**
     * ActionError: the failed action's index (Option<u64>: null when no single action failed,
     * LackBalanceForState after all ran) and its ActionErrorKind: a FunctionCallError as a record, the
     * other kinds as the engine names them with their fields, in serde's form ({@link SerdeJson}).
     */
    public record ActionError(
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("index")
            Integer index,

            @JsonProperty("kind") Object kind) {}

    /** ActionErrorKind::FunctionCallError. */
    public record FunctionCallErrorKind(
            @JsonProperty("FunctionCallError") FunctionCallError error) {}

    /**
     * FunctionCallErrorSer as nearcore's conversions.rs makes it of the VM's FunctionCallError
     * (runtime/runtime/src/conversions.rs, near/nearcore 00fc950): a CompilationError or a
     * MethodResolveError keeps its variant; a HostError or WasmTrap becomes {@code {"ExecutionError":
     * "<the VM error's Display>"}} and a LinkError {@code "Link Error: <msg>"} ({@link #executionErrorText}).
     */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
    public sealed interface FunctionCallError {
        @JsonTypeName("ExecutionError")
        record ExecutionError(@JsonValue String message) implements FunctionCallError {}

        @JsonTypeName("CompilationError")
        record CompilationError(@JsonValue CompilationErrorView error) implements FunctionCallError {}

        /** {@code {"MethodResolveError": "MethodNotFound"}}: the content a unit-only enum, its bare name. */
        @JsonTypeName("MethodResolveError")
        record MethodResolveError(@JsonValue MethodResolveErrorKind kind) implements FunctionCallError {}
    }

    /** MethodResolveError's variants (core/primitives/src/errors.rs, near/nearcore 599d633). */
    public enum MethodResolveErrorKind {
        MethodEmptyName,
        MethodNotFound,
        MethodInvalidSignature
    }

    /**
     * CompilationError, externally tagged as {@link TxExecutionError}: one of the members is set, {@code
     * {"CodeDoesNotExist": {"account_id": id}}} or {@code {"PrepareError": "<variant>"}}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CompilationErrorView(
            @JsonProperty("CodeDoesNotExist") CodeDoesNotExist codeDoesNotExist,
            @JsonProperty("PrepareError") String prepareError) {}

    public record CodeDoesNotExist(
            @JsonProperty("account_id") String accountId) {}

    ExecutionOutcomeWithIdView outcome(TxOutcome.ExecutionOutcome outcome) {
        return new ExecutionOutcomeWithIdView(
                List.of(),
                clock.hash(outcome.blockHeight()),
                outcome.id(),
                new ExecutionOutcomeView(
                        outcome.logs(),
                        outcome.receiptIds(),
                        outcome.gasBurnt(),
                        outcome.tokensBurnt().toString(),
                        outcome.executorId(),
                        status(outcome.status()),
                        ExecutionMetadataView.V1));
    }

    List<ExecutionOutcomeWithIdView> receiptsOutcome(TxOutcome tree) {
        List<TxOutcome.ExecutionOutcome> receipts = tree.receiptsOutcome();
        List<ExecutionOutcomeWithIdView> views = new ArrayList<>(receipts.size());
        receipts.forEach(receipt -> views.add(outcome(receipt)));
        return views;
    }

    /** ExecutionStatusView of the engine's status. */
    public static ExecutionStatusView status(ExecutionStatus status) {
        if (status instanceof ExecutionStatus.SuccessValue value) {
            return new SuccessValue(base64(value.value()));
        } else if (status instanceof ExecutionStatus.SuccessReceiptId receipt) {
            return new SuccessReceiptId(receipt.receiptId());
        } else if (status instanceof ExecutionStatus.Failure failure) {
            return new Failure(failure(failure));
        }
        return ExecutionStatusView.Unit.Unknown;
    }

    /** FinalExecutionStatus: "Started" while the chain of results is incomplete. */
    public static FinalExecutionStatus finalStatus(ExecutionStatus status) {
        if (status instanceof ExecutionStatus.SuccessValue value) {
            return new SuccessValue(base64(value.value()));
        } else if (status instanceof ExecutionStatus.Failure failure) {
            return new Failure(failure(failure));
        }
        return FinalExecutionStatus.Unit.Started;
    }

    /**
     * The ActionError of a failure: a contract's failure as FunctionCallError; other kinds carry the
     * engine's message, as the call API shows them, or their fields.
     */
    private static TxExecutionError failure(ExecutionStatus.Failure failure) {
        Object kind;
        if (failure.kind().equals("FunctionCallError")) {
            kind = new FunctionCallErrorKind(functionCallError(failure));
        } else if (failure.fields() == null) {
            kind = Map.of(failure.kind(), Map.of("message", failure.message()));
        } else if (failure.kind().equals("DelegateActionAccessKeyError")) {
            // DelegateActionAccessKeyError(InvalidAccessKeyError): the key's error nested, as in InvalidTxError
            kind = Map.of(failure.kind(), SerdeJson.variant(failure.errorKind(), failure.fields()));
        } else {
            kind = SerdeJson.variant(failure.kind(), failure.fields());
        }
        return new TxExecutionError(new ActionError(failure.index(), kind));
    }

    /** The FunctionCallErrorSer of a contract's failure. */
    private static FunctionCallError functionCallError(ExecutionStatus.Failure failure) {
        CompilationErrorView compilation = compilationError(failure);
        if (compilation != null) {
            return new FunctionCallError.CompilationError(compilation);
        }
        MethodResolveErrorKind unresolved = methodResolveError(failure);
        if (unresolved != null) {
            return new FunctionCallError.MethodResolveError(unresolved);
        }
        return new FunctionCallError.ExecutionError(executionErrorText(failure));
    }

    /**
     * ExecutionError's text: nearcore's {@code err.to_string()} of the VM error (runtime/near-vm-runner/src/
     * logic/errors.rs, near/nearcore 02e1c92), which the typed {@code VmError} renders. A LinkError's and the
     * gas errors' messages are nearcore's already; failures nearcore has no text for (ExecutionTimeout, the
     * host running out of memory) keep the runtime's message.
     */
    private static String executionErrorText(ExecutionStatus.Failure failure) {
        if (failure.vmError() != null) {
            return failure.vmError().display();
        }
        return failure.message() == null ? "" : failure.message();
    }

    /** The runtime's MethodNotFound kind names the variant first in its message ("MethodEmptyName: ..."). */
    private static MethodResolveErrorKind methodResolveError(ExecutionStatus.Failure failure) {
        if (!"MethodNotFound".equals(failure.errorKind())) {
            return null;
        }
        for (MethodResolveErrorKind variant : MethodResolveErrorKind.values()) {
            if (failure.message().startsWith(variant.name() + ":")) {
                return variant;
            }
        }
        return MethodResolveErrorKind.MethodNotFound;
    }

    /** nearcore's FunctionCallErrorSer::CompilationError of the failure; null for another failure. */
    private static CompilationErrorView compilationError(ExecutionStatus.Failure failure) {
        if (!"CompilationError".equals(failure.errorKind())) {
            return null;
        }
        String account = CompilationErrors.missingCodeAccount(failure.message());
        if (account != null) {
            return new CompilationErrorView(new CodeDoesNotExist(account), null);
        }
        String prepareError = CompilationErrors.prepareError(failure.message());
        return prepareError == null ? null : new CompilationErrorView(null, prepareError);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}

package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.contracts.ActionValidation;
import dev.outlayer.bench.targetsystem.contracts.InvalidTxException;
import dev.outlayer.bench.targetsystem.rpc.RpcException;
import java.util.Map;
import java.util.TreeMap;

/**
 * nearcore's {@code InvalidTxError} (core/primitives/src/errors.rs) in its serde JSON, each as the
 * RPC error that carries it: the variants this package raises itself (before state is read) as records,
 * and those the receipt engine raises ({@link InvalidTxException}, a variant name and its fields) through
 * {@link SerdeJson}. Balances are decimal strings (nearcore's dec_format), nonces and sizes numbers; a
 * variant without fields is a bare string.
 */
final class InvalidTx {
    private InvalidTx() {}

    /** The unit variants this package raises. */
    private enum Unit implements SerdeJson.UnitVariant {
        InvalidSignature,
        Expired,
        CostOverflow
    }

    /** {@code {"TransactionSizeExceeded": {"size", "limit"}}}. */
    private record TransactionSizeExceeded(
            @JsonProperty("TransactionSizeExceeded") SizeLimit fields) {}

    private record SizeLimit(long size, long limit) {}

    /** The newtype variant {@code {"ActionsValidation": <ActionsValidationError>}}. */
    private record ActionsValidation(
            @JsonProperty("ActionsValidation") Object error) {}

    /** The newtype variant {@code {"InvalidAccessKeyError": <InvalidAccessKeyError>}}. */
    private record InvalidAccessKeyError(
            @JsonProperty("InvalidAccessKeyError") Object kind) {}

    static RpcException invalidSignature() {
        return RpcException.invalidTransaction(Unit.InvalidSignature);
    }

    static RpcException expired() {
        return RpcException.invalidTransaction(Unit.Expired);
    }

    static RpcException costOverflow() {
        return RpcException.invalidTransaction(Unit.CostOverflow);
    }

    static RpcException transactionSizeExceeded(long size, long limit) {
        return RpcException.invalidTransaction(new TransactionSizeExceeded(new SizeLimit(size, limit)));
    }

    static RpcException actionsValidation(ActionValidation.Error refused) {
        return RpcException.invalidTransaction(
                new ActionsValidation(SerdeJson.variant(refused.variant(), refused.fields())));
    }

    /**
     * The receipt engine's refusal in nearcore's JSON: {@code InvalidAccessKeyError} nests its
     * {@code kind} ({@code {"InvalidAccessKeyError": {"AccessKeyNotFound": {...}}}}), every other
     * variant carries its details as fields, in name order as before (nearcore declares them in another
     * order, e.g. InvalidNonce {tx_nonce, ak_nonce}: JSON readers do not mind, and the wire stays as pinned).
     */
    static RpcException of(InvalidTxException refused) {
        Map<String, Object> details = new TreeMap<>(refused.details());
        if (refused.variant().equals("InvalidAccessKeyError") && details.get("kind") instanceof String kind) {
            details.remove("kind");
            return RpcException.invalidTransaction(new InvalidAccessKeyError(SerdeJson.variant(kind, details)));
        }
        return RpcException.invalidTransaction(SerdeJson.variant(refused.variant(), details));
    }
}

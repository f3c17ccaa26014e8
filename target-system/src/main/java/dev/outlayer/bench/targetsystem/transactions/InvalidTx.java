package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlayer.bench.targetsystem.contracts.ActionValidation;
import dev.outlayer.bench.targetsystem.contracts.InvalidTxException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.RpcException;
import java.util.Map;
import java.util.TreeMap;

/**
 * nearcore's {@code InvalidTxError} (core/primitives/src/errors.rs) in its serde JSON, each as the
 * RPC error that carries it: the variants this package raises itself (before state is read) and
 * those the receipt engine raises ({@link InvalidTxException}). Balances are decimal strings
 * (nearcore's dec_format), nonces and sizes numbers; a variant without fields is a bare string.
 */
final class InvalidTx {
    private InvalidTx() {}

    static RpcException invalidSignature() {
        return RpcException.invalidTransaction(TextNode.valueOf("InvalidSignature"));
    }

    static RpcException expired() {
        return RpcException.invalidTransaction(TextNode.valueOf("Expired"));
    }

    static RpcException costOverflow() {
        return RpcException.invalidTransaction(TextNode.valueOf("CostOverflow"));
    }

    static RpcException transactionSizeExceeded(long size, long limit) {
        return RpcException.invalidTransaction(variant(
                "TransactionSizeExceeded", JsonCodec.object().put("size", size).put("limit", limit)));
    }

    /** {@code {"ActionsValidation": <ActionsValidationError>}}. */
    static RpcException actionsValidation(ActionValidation.Error refused) {
        return RpcException.invalidTransaction(
                variant("ActionsValidation", SerdeJson.variant(refused.variant(), refused.fields())));
    }

    /**
     * The receipt engine's refusal in nearcore's JSON: {@code InvalidAccessKeyError} nests its
     * {@code kind} ({@code {"InvalidAccessKeyError": {"AccessKeyNotFound": {...}}}}), every other
     * variant carries its details as fields.
     */
    static RpcException of(InvalidTxException refused) {
        Map<String, Object> details = new TreeMap<>(refused.details());
        if (refused.variant().equals("InvalidAccessKeyError") && details.get("kind") instanceof String kind) {
            details.remove("kind");
            return RpcException.invalidTransaction(variant(refused.variant(), variant(kind, fields(details))));
        }
        return RpcException.invalidTransaction(variant(refused.variant(), fields(details)));
    }

    private static ObjectNode fields(Map<String, Object> details) {
        return details.isEmpty() ? null : (ObjectNode) SerdeJson.value(details);
    }

    private static JsonNode variant(String name, JsonNode fields) {
        if (fields == null) {
            return TextNode.valueOf(name);
        }
        ObjectNode error = JsonCodec.object();
        error.set(name, fields);
        return error;
    }
}

package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.RpcException;
import java.math.BigInteger;

/**
 * nearcore's {@code InvalidTxError} variants (core/primitives/src/errors.rs) in their serde JSON,
 * each as the RPC error that carries it. Balances are decimal strings, nonces numbers, as nearcore
 * serialises them.
 */
final class InvalidTx {
    private InvalidTx() {}

    static RpcException invalidSignature() {
        return RpcException.invalidTransaction(TextNode.valueOf("InvalidSignature"));
    }

    static RpcException expired() {
        return RpcException.invalidTransaction(TextNode.valueOf("Expired"));
    }

    static RpcException signerDoesNotExist(String signerId) {
        return variant("SignerDoesNotExist", JsonCodec.object().put("signer_id", signerId));
    }

    static RpcException invalidNonce(long txNonce, long akNonce) {
        return variant(
                "InvalidNonce",
                JsonCodec.object().put("tx_nonce", unsigned(txNonce)).put("ak_nonce", unsigned(akNonce)));
    }

    static RpcException nonceTooLarge(long txNonce, long upperBound) {
        return variant(
                "NonceTooLarge",
                JsonCodec.object().put("tx_nonce", unsigned(txNonce)).put("upper_bound", upperBound));
    }

    static RpcException notEnoughBalance(String signerId, BigInteger balance, BigInteger cost) {
        return variant(
                "NotEnoughBalance",
                JsonCodec.object()
                        .put("signer_id", signerId)
                        .put("balance", balance.toString())
                        .put("cost", cost.toString()));
    }

    static RpcException transactionSizeExceeded(long size, long limit) {
        return variant(
                "TransactionSizeExceeded", JsonCodec.object().put("size", size).put("limit", limit));
    }

    /** {@code ActionsValidation}: {@code detail} is the ActionsValidationError's JSON. */
    static RpcException actionsValidation(JsonNode detail) {
        ObjectNode error = JsonCodec.object();
        error.set("ActionsValidation", detail);
        return RpcException.invalidTransaction(error);
    }

    static JsonNode actionsError(String variant, ObjectNode fields) {
        if (fields == null) {
            return TextNode.valueOf(variant);
        }
        ObjectNode error = JsonCodec.object();
        error.set(variant, fields);
        return error;
    }

    // ---- InvalidAccessKeyError ----

    static RpcException accessKeyNotFound(String accountId, PublicKey key) {
        return accessKey(
                "AccessKeyNotFound",
                JsonCodec.object().put("account_id", accountId).put("public_key", key.toString()));
    }

    static RpcException requiresFullAccess() {
        return accessKey("RequiresFullAccess", null);
    }

    static RpcException depositWithFunctionCall() {
        return accessKey("DepositWithFunctionCall", null);
    }

    static RpcException receiverMismatch(String txReceiver, String akReceiver) {
        return accessKey(
                "ReceiverMismatch",
                JsonCodec.object().put("tx_receiver", txReceiver).put("ak_receiver", akReceiver));
    }

    static RpcException methodNameMismatch(String methodName) {
        return accessKey("MethodNameMismatch", JsonCodec.object().put("method_name", methodName));
    }

    static RpcException notEnoughAllowance(String accountId, PublicKey key, BigInteger allowance, BigInteger cost) {
        return accessKey(
                "NotEnoughAllowance",
                JsonCodec.object()
                        .put("account_id", accountId)
                        .put("public_key", key.toString())
                        .put("allowance", allowance.toString())
                        .put("cost", cost.toString()));
    }

    private static RpcException accessKey(String variant, ObjectNode fields) {
        ObjectNode error = JsonCodec.object();
        error.set("InvalidAccessKeyError", actionsError(variant, fields));
        return RpcException.invalidTransaction(error);
    }

    private static RpcException variant(String variant, ObjectNode fields) {
        ObjectNode error = JsonCodec.object();
        error.set(variant, fields);
        return RpcException.invalidTransaction(error);
    }

    /** Nonces are u64; JSON shows them unsigned. */
    private static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }
}

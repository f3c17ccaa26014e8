package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * The params of the transaction methods as nearcore's {@code chain/jsonrpc} reads them: the
 * legacy array form first ({@code [signed_tx_base64]}, or for {@code tx} {@code [hash, account]}),
 * then the object form ({@code {signed_tx_base64, wait_until}} or {@code {tx_hash,
 * sender_account_id, wait_until}}), with nearcore's error texts.
 */
final class TransactionParams {
    private TransactionParams() {}

    /** What send_tx / broadcast_tx_* were given. */
    record Send(byte[] signedTransaction, TxExecutionStatus waitUntil) {}

    /** What tx / EXPERIMENTAL_tx_status were given: a hash and sender, or the signed transaction. */
    record Status(String hash, String senderAccountId, byte[] signedTransaction, TxExecutionStatus waitUntil) {}

    private record SendObject(
            @JsonProperty("signed_tx_base64") @JsonDeserialize(using = RpcParams.Text.class)
            String signedTxBase64,

            @JsonProperty("wait_until") @JsonDeserialize(using = RpcParams.Text.class)
            String waitUntil) {}

    private record StatusObject(
            @JsonProperty("signed_tx_base64") @JsonDeserialize(using = RpcParams.Text.class)
            String signedTxBase64,

            @JsonProperty("tx_hash") @JsonDeserialize(using = RpcParams.Text.class)
            String txHash,

            @JsonProperty("sender_account_id") @JsonDeserialize(using = RpcParams.Text.class)
            String senderAccountId,

            @JsonProperty("wait_until") @JsonDeserialize(using = RpcParams.Text.class)
            String waitUntil) {}

    static Send send(JsonNode params) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        if (params.isArray() && params.size() == 1 && params.get(0).isTextual()) {
            return new Send(legacyTransaction(params.get(0).asText()), TxExecutionStatus.EXECUTED_OPTIMISTIC);
        }
        if (!params.isObject()) {
            throw RpcException.badParams(
                    "invalid type: " + RpcParams.describe(params) + ", expected struct RpcSendTransactionRequest");
        }
        SendObject read = RpcParams.read(params, SendObject.class);
        return new Send(
                objectTransaction(RpcParams.required(read.signedTxBase64(), "signed_tx_base64")),
                waitUntil(read.waitUntil()));
    }

    static Status status(JsonNode params) {
        if (params.isNull()) {
            throw RpcException.parseError("Require at least one parameter");
        }
        if (params.isArray()) {
            if (params.size() == 2 && params.get(0).isTextual() && params.get(1).isTextual()) {
                return new Status(
                        hash(params.get(0).asText()),
                        accountId(params.get(1).asText()),
                        null,
                        TxExecutionStatus.EXECUTED_OPTIMISTIC);
            }
            if (params.size() == 1 && params.get(0).isTextual()) {
                return new Status(
                        null, null, legacyTransaction(params.get(0).asText()), TxExecutionStatus.EXECUTED_OPTIMISTIC);
            }
        }
        if (!params.isObject()) {
            throw RpcException.badParams(
                    "invalid type: " + RpcParams.describe(params) + ", expected struct RpcTransactionStatusRequest");
        }
        StatusObject read = RpcParams.read(params, StatusObject.class);
        TxExecutionStatus waitUntil = waitUntil(read.waitUntil());
        if (read.signedTxBase64() != null) {
            return new Status(null, null, objectTransaction(read.signedTxBase64()), waitUntil);
        }
        if (read.txHash() == null || read.senderAccountId() == null) {
            throw RpcException.badParams("data did not match any variant of untagged enum TransactionInfo");
        }
        return new Status(hash(read.txHash()), accountId(read.senderAccountId()), null, waitUntil);
    }

    private static TxExecutionStatus waitUntil(String text) {
        return text == null ? TxExecutionStatus.EXECUTED_OPTIMISTIC : TxExecutionStatus.parse(text);
    }

    /**
     * The array form's decoding errors are nearcore's "Failed to decode transaction: ..." ({@code api/transactions.rs}),
     * not serde's; the base64 is {@code from_base64}'s, padding required.
     */
    private static byte[] legacyTransaction(String base64) {
        try {
            return StandardBase64.decode(base64, StandardBase64.Padding.CANONICAL);
        } catch (StandardBase64.InvalidBase64 e) {
            throw RpcException.parseError("Failed to decode transaction: " + e.getMessage());
        }
    }

    /** SignedTransaction's own serde Deserialize words it so ({@code core/primitives/src/transaction.rs}). */
    private static byte[] objectTransaction(String base64) {
        try {
            return StandardBase64.decode(base64, StandardBase64.Padding.CANONICAL);
        } catch (StandardBase64.InvalidBase64 e) {
            throw RpcException.badParams("the value could not decoded from base64 due to: " + e.getMessage());
        }
    }

    private static String hash(String text) {
        try {
            if (Base58.decode(text).length == BlockClock.HASH_BYTES) {
                return text;
            }
        } catch (IllegalArgumentException e) {
            // answered below like a wrong length
        }
        throw RpcException.badParams("invalid value: \"" + text + "\", expected a base58 CryptoHash");
    }

    private static String accountId(String id) {
        return RpcParams.accountId(id);
    }
}

package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.csv;

import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A function call transaction signed in the client, as a dApp signs one: Borsh-encoded and ed25519-signed by the
 * target's own {@link TransactionSigner} (Bouncy Castle), with the signer keys of a feeder file.
 */
public final class SignedCall {
    private final byte[] signed;

    private SignedCall(byte[] signed) {
        this.signed = signed;
    }

    /** {@code method(argsJson)} on {@code receiverId}, with {@code nonce} and a base58 {@code blockHash}. */
    public static SignedCall sign(
            TransactionSigner signer,
            String receiverId,
            long nonce,
            String blockHash,
            String method,
            String argsJson,
            long gas,
            BigInteger deposit) {
        return new SignedCall(signer.sign(
                receiverId,
                nonce,
                Base58.decode(blockHash),
                List.of(new Action.FunctionCall(method, argsJson.getBytes(StandardCharsets.UTF_8), gas, deposit))));
    }

    /** What {@code send_tx} takes. */
    public String base64() {
        return Base64.getEncoder().encodeToString(signed);
    }

    /** The transaction hash, base58, as the RPC reports it. */
    public String hash() {
        // The signed transaction is the transaction's Borsh, then the key type and the 64-byte signature.
        return Base58.encode(sha256(Arrays.copyOf(signed, signed.length - 65)));
    }

    /** The rows of {@code feeders/file} with a private_key whose account_id starts with {@code prefix}. */
    public static List<Map<String, Object>> signerRows(String file, String prefix) {
        return csv(file).readRecords().stream()
                .filter(row -> String.valueOf(row.get("account_id")).strip().startsWith(prefix))
                .filter(row ->
                        !String.valueOf(row.getOrDefault("private_key", "")).isBlank())
                .toList();
    }

    /** The signer of a feeder row: its account_id and private_key. */
    public static TransactionSigner signer(Map<String, Object> row) {
        return new TransactionSigner(
                String.valueOf(row.get("account_id")).strip(),
                String.valueOf(row.get("private_key")).strip());
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}

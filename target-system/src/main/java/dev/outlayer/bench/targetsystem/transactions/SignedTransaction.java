package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * nearcore's SignedTransaction (core/primitives/src/transaction.rs), read from Borsh: a
 * Transaction V0 (no tag, for compatibility) or V1 (a leading 1 byte; its nonce a
 * {@code TransactionNonce}: 0 {@code Nonce {nonce}} or 1 {@code GasKeyNonce {nonce, nonce_index}},
 * and a trailing {@code nonce_mode}: 0 Monotonic, 1 Strict; GasKeys and StrictNonce, stable at 85),
 * then the signature. The hash that is signed is sha256 of the transaction's own bytes, as nearcore
 * computes it.
 *
 * @param nonceIndex the gas key nonce slot a V1 GasKeyNonce names, else -1
 * @param strictNonce V1's NonceMode::Strict: the nonce must be the key's (or slot's) plus one
 * @param size the transaction's Borsh size without the signature (nearcore's get_size)
 */
public record SignedTransaction(
        int version,
        String signerId,
        PublicKey publicKey,
        long nonce,
        int nonceIndex,
        boolean strictNonce,
        String receiverId,
        byte[] blockHash,
        List<Action> actions,
        Signature signature,
        byte[] hash,
        int size) {

    public SignedTransaction {
        actions = List.copyOf(actions);
    }

    /**
     * Decodes a signed transaction; every byte must belong to it.
     *
     * @throws IllegalArgumentException with a message for the client when the bytes are not one
     */
    public static SignedTransaction decode(byte[] bytes) {
        try {
            BorshReader in = new BorshReader(bytes);
            // nearcore tells the versions apart by the second byte: V0 starts with the signer id's u32
            // length (at most 64, so its second byte is 0); V1 starts with the tag 1 and then that
            // length, which is never 0.
            if (bytes.length < 2) {
                throw new BorshReader.BorshException("unexpected end of input");
            }
            int version = bytes[1] == 0 ? 0 : 1;
            if (version == 1 && in.u8() != 1) {
                throw new BorshReader.BorshException("unknown transaction version tag " + (bytes[0] & 0xff));
            }
            String signerId = ActionBorsh.accountId(in);
            PublicKey publicKey = ActionBorsh.publicKey(in);
            int nonceIndex = -1;
            if (version == 1) {
                int kind = in.u8();
                if (kind > 1) {
                    throw new BorshReader.BorshException("invalid transaction nonce " + kind);
                }
                if (kind == 1) {
                    // GasKeyNonce { nonce, nonce_index: u16 }: the index follows the nonce
                    long nonce = in.u64();
                    nonceIndex = in.u8() | in.u8() << 8;
                    return rest(in, bytes, version, signerId, publicKey, nonce, nonceIndex);
                }
            }
            long nonce = in.u64();
            return rest(in, bytes, version, signerId, publicKey, nonce, nonceIndex);
        } catch (BorshReader.BorshException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static SignedTransaction rest(
            BorshReader in,
            byte[] bytes,
            int version,
            String signerId,
            PublicKey publicKey,
            long nonce,
            int nonceIndex) {
        {
            String receiverId = ActionBorsh.accountId(in);
            byte[] blockHash = in.fixed(32);
            int count = in.count(1);
            List<Action> actions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                actions.add(ActionBorsh.read(in, false));
            }
            boolean strict = false;
            if (version == 1) {
                int mode = in.u8();
                if (mode > 1) {
                    throw new BorshReader.BorshException("invalid nonce mode " + mode);
                }
                strict = mode == 1;
            }
            int size = in.position();
            Signature signature = Signature.read(in);
            if (in.remaining() != 0) {
                throw new BorshReader.BorshException("Not all bytes read");
            }
            return new SignedTransaction(
                    version,
                    signerId,
                    publicKey,
                    nonce,
                    nonceIndex,
                    strict,
                    receiverId,
                    blockHash,
                    actions,
                    signature,
                    sha256(Arrays.copyOf(bytes, size)),
                    size);
        }
    }

    /** The transaction hash, base58, as the RPC reports it. */
    public String hashText() {
        return Base58.encode(hash);
    }

    /** Whether the signature is the access key's over the hash ({@link Signature#verifies}). */
    public boolean signatureValid() {
        return signature.verifies(publicKey, hash);
    }

    /** nearcore's SignedTransactionView, the {@code transaction} member of an outcome. */
    public TransactionViews.SignedTransactionView view() {
        return new TransactionViews.SignedTransactionView(
                signerId,
                publicKey.toString(),
                ActionViews.u64(nonce),
                receiverId,
                actions.stream().map(ActionViews::view).toList(),
                0,
                nonceIndex >= 0 ? nonceIndex : null,
                version == 1 ? (strictNonce ? "strict" : "monotonic") : null,
                signature.toString(),
                hashText());
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

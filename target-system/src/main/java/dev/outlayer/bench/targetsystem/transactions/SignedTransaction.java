package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * nearcore's SignedTransaction (core/primitives/src/transaction.rs), read from Borsh: a
 * Transaction V0 (no tag, for compatibility) or V1 (a leading 1 byte and a trailing
 * {@code priority_fee}), then the signature. The hash that is signed is sha256 of the
 * transaction's own bytes, as nearcore computes it.
 */
public record SignedTransaction(
        int version,
        String signerId,
        PublicKey publicKey,
        long nonce,
        String receiverId,
        byte[] blockHash,
        List<TransactionAction> actions,
        long priorityFee,
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
            // nearcore tells the versions apart by the second byte: a V0 transaction starts with the
            // signer id's u32 length (at most 64, so its second byte is 0); V1 starts with the tag 1
            // and then that length, which is never 0.
            if (bytes.length < 2) {
                throw new BorshReader.BorshException("unexpected end of input");
            }
            int version = bytes[1] == 0 ? 0 : 1;
            if (version == 1) {
                int tag = in.u8();
                if (tag != 1) {
                    throw new BorshReader.BorshException("unknown transaction version tag " + tag);
                }
            }
            String signerId = in.string();
            PublicKey publicKey = PublicKey.read(in);
            long nonce = in.u64();
            String receiverId = in.string();
            byte[] blockHash = in.fixed(32);
            int count = in.count(1);
            List<TransactionAction> actions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                actions.add(TransactionAction.read(in, false));
            }
            long priorityFee = version == 1 ? in.u64() : 0;
            int size = in.position();
            Signature signature = Signature.read(in);
            if (in.remaining() != 0) {
                throw new BorshReader.BorshException("Not all bytes read");
            }
            byte[] transactionBytes = java.util.Arrays.copyOf(bytes, size);
            return new SignedTransaction(
                    version,
                    signerId,
                    publicKey,
                    nonce,
                    receiverId,
                    blockHash,
                    actions,
                    priorityFee,
                    signature,
                    TransactionAction.sha256(transactionBytes),
                    size);
        } catch (BorshReader.BorshException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The transaction hash, base58, as the RPC reports it. */
    public String hashText() {
        return Base58.encode(hash);
    }

    /**
     * Whether the signature is the access key's over the hash. ed25519 by Bouncy Castle (RFC 8032
     * verification, as ed25519-dalek's strict check); secp256k1 signatures are refused (this
     * emulator holds no such keys).
     */
    public boolean signatureValid() {
        if (publicKey.type() != PublicKey.KeyType.ED25519 || signature.type() != PublicKey.KeyType.ED25519) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(publicKey.rawData(), 0));
        verifier.update(hash, 0, hash.length);
        return verifier.verifySignature(signature.rawData());
    }

    /** The sum of the deposits the actions move. */
    public BigInteger totalDeposit() {
        BigInteger total = BigInteger.ZERO;
        for (TransactionAction action : actions) {
            total = total.add(action.deposit());
        }
        return total;
    }

    /** nearcore's SignedTransactionView, the {@code transaction} member of an outcome. */
    public ObjectNode view() {
        ObjectNode view = JsonCodec.object();
        view.put("signer_id", signerId);
        view.put("public_key", publicKey.toString());
        view.put("nonce", nonce);
        view.put("receiver_id", receiverId);
        ArrayNode actionViews = view.putArray("actions");
        actions.forEach(action -> actionViews.add(action.view()));
        view.put("priority_fee", priorityFee);
        view.put("signature", signature.toString());
        view.put("hash", hashText());
        return view;
    }
}

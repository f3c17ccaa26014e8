package dev.outlayer.bench.targetsystem.contracts;

import java.util.List;

/**
 * A transaction whose signature the caller has verified: what {@link ContractSimulator#submit}
 * turns into a receipt. The simulator checks the access key (exists, nonce, permission), the
 * signer's balance and charges the fees as nearcore's {@code verify_and_charge_transaction}.
 *
 * @param txHash base58 hash of the signed transaction, the id of its outcome
 * @param nonceUpperBound the head's height times nearcore's ACCESS_KEY_NONCE_RANGE_MULTIPLIER: a nonce
 *     at or above it is NonceTooLarge (checked after the key's nonce, as nearcore does); 0 for no bound
 * @param nonceIndex the gas key nonce slot the transaction names (a V1 GasKeyNonce), -1 for none
 * @param strictNonce NonceMode::Strict: the nonce must be the key's (slot's) plus one
 */
public record SignedActions(
        String signerId,
        PublicKey signerPublicKey,
        long nonce,
        String receiverId,
        List<Action> actions,
        String txHash,
        long nonceUpperBound,
        int nonceIndex,
        boolean strictNonce) {
    public SignedActions {
        actions = List.copyOf(actions);
    }

    /** A plain nonce (V0), monotonic. */
    public SignedActions(
            String signerId,
            PublicKey signerPublicKey,
            long nonce,
            String receiverId,
            List<Action> actions,
            String txHash,
            long nonceUpperBound) {
        this(signerId, signerPublicKey, nonce, receiverId, actions, txHash, nonceUpperBound, -1, false);
    }

    /** Without a nonce bound. */
    public SignedActions(
            String signerId,
            PublicKey signerPublicKey,
            long nonce,
            String receiverId,
            List<Action> actions,
            String txHash) {
        this(signerId, signerPublicKey, nonce, receiverId, actions, txHash, 0);
    }
}

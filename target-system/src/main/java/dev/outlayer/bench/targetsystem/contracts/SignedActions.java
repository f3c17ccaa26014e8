package dev.outlayer.bench.targetsystem.contracts;

import java.util.List;

/**
 * A transaction whose signature the caller has verified: what {@link ContractSimulator#submit}
 * turns into a receipt. The simulator checks the access key (exists, nonce, permission), the
 * signer's balance and charges the fees as nearcore's {@code verify_and_charge_transaction}.
 *
 * @param txHash base58 hash of the signed transaction, the id of its outcome
 */
public record SignedActions(
        String signerId,
        PublicKey signerPublicKey,
        long nonce,
        String receiverId,
        List<Action> actions,
        String txHash) {
    public SignedActions {
        actions = List.copyOf(actions);
    }
}

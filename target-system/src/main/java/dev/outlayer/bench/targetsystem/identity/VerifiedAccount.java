package dev.outlayer.bench.targetsystem.identity;

import java.util.Objects;

/**
 * A NEAR account a credential proved, never one a request merely names: access conditions on
 * secrets are checked against it. Only the wiring and the code that checked the proof create one.
 *
 * @param proof what proved it
 */
public record VerifiedAccount(String accountId, Proof proof) {
    public enum Proof {
        /** The request presented an API key this account owns (the keys file's {@code owner}). */
        API_KEY_OWNER,
        /** The request is a signed transaction whose signature was verified against the signer's key. */
        TRANSACTION_SIGNER
    }

    public VerifiedAccount {
        Objects.requireNonNull(proof, "proof");
        if (accountId == null || accountId.isBlank()) {
            throw new IllegalArgumentException("a verified account needs an account id");
        }
    }

    public static VerifiedAccount apiKeyOwner(String accountId) {
        return new VerifiedAccount(accountId, Proof.API_KEY_OWNER);
    }

    /**
     * The signer of a signed transaction, for the code that verifies its signature (the port for
     * executions requested on chain): call it only once the signature checked out.
     */
    public static VerifiedAccount transactionSigner(String signerId) {
        return new VerifiedAccount(signerId, Proof.TRANSACTION_SIGNER);
    }
}

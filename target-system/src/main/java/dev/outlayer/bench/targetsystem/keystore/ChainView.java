package dev.outlayer.bench.targetsystem.keystore;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The chain as the keystore reads it for on-chain access conditions (the port; the root wires the
 * contract simulator in). OutLayer's keystore makes the same reads over NEAR RPC:
 * {@code view_account} for a balance, {@code call_function} for a view method and
 * {@code view_access_key_list} for the keys that sign for an account.
 */
public interface ChainView {
    /** No chain: as OutLayer's keystore without a NEAR client, every on-chain condition denies. */
    ChainView NONE = new ChainView() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public Optional<BigInteger> balance(String accountId) {
            throw new IllegalStateException("no chain");
        }

        @Override
        public byte[] viewCall(String contractId, String method, byte[] args) {
            throw new IllegalStateException("no chain");
        }

        @Override
        public Optional<List<String>> accessKeys(String accountId) {
            throw new IllegalStateException("no chain");
        }
    };

    /** False when no chain is wired (on-chain conditions then deny, as in OutLayer). */
    default boolean available() {
        return true;
    }

    /** The account's balance in yoctoNEAR ({@code view_account}'s {@code amount}); empty if there is no such account. */
    Optional<BigInteger> balance(String accountId);

    /**
     * A view call's return value (JSON bytes for NEAR's standards).
     *
     * @throws ViewFailedException when the contract is missing or the call fails, saying why
     */
    byte[] viewCall(String contractId, String method, byte[] args);

    /**
     * The account's access keys as NEAR writes them ({@code ed25519:<base58>}), as OutLayer's
     * keystore reads them ({@code view_access_key_list}) to tell whether a key signs for an account;
     * empty if there is no such account (over RPC, nearcore answers an empty list for one instead).
     *
     * @throws ViewFailedException when the list cannot be read
     */
    Optional<List<String>> accessKeys(String accountId);

    /** A view call that did not return: no contract, no such method, a panic. */
    final class ViewFailedException extends RuntimeException {
        public ViewFailedException(String message) {
            super(message, null, false, false);
        }
    }
}

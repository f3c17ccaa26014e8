package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * nearcore's {@code GlobalContractIdentifier} (core/primitives-core/src/global_contract.rs): a global
 * contract named by the sha256 of its code ({@code CodeHash}, immutable) or by the account that deployed
 * it ({@code AccountId}, which that account may redeploy). Exactly one of the two is set.
 */
public final class GlobalContractId {
    private final byte[] codeHash;
    private final String accountId;

    private GlobalContractId(byte[] codeHash, String accountId) {
        this.codeHash = codeHash;
        this.accountId = accountId;
    }

    /** {@code CodeHash(hash)}: the 32-byte sha256 of the code. */
    public static GlobalContractId byHash(byte[] codeHash) {
        if (codeHash.length != 32) {
            throw new IllegalArgumentException("a code hash is 32 bytes, not " + codeHash.length);
        }
        return new GlobalContractId(codeHash.clone(), null);
    }

    /** {@code AccountId(id)}: the code its deployer last deployed by account id. */
    public static GlobalContractId byAccount(String accountId) {
        return new GlobalContractId(null, accountId);
    }

    /** The code hash, or null for an account-id identifier. */
    public byte[] codeHash() {
        return codeHash == null ? null : codeHash.clone();
    }

    /** The deployer's account id, or null for a code-hash identifier. */
    public String accountId() {
        return accountId;
    }

    public boolean isHash() {
        return codeHash != null;
    }

    /**
     * nearcore's {@code GlobalContractIdentifier::len}: 32 for a code hash, the account id's bytes for
     * an account id. The per-identifier-byte fee and the user's storage usage count it.
     */
    public long len() {
        return codeHash != null ? 32 : accountId.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Borsh, as in an action and in the trie key: 0 and the 32 bytes, or 1 and the account id as a string. */
    public byte[] toBorsh() {
        if (codeHash != null) {
            byte[] out = new byte[33];
            System.arraycopy(codeHash, 0, out, 1, 32);
            return out;
        }
        byte[] id = accountId.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[5 + id.length];
        out[0] = 1;
        for (int i = 0; i < 4; i++) {
            out[1 + i] = (byte) (id.length >>> (8 * i));
        }
        System.arraycopy(id, 0, out, 5, id.length);
        return out;
    }

    /**
     * Reads {@link #toBorsh()}'s bytes, all of them; null when they are not an identifier (the account
     * id is not validated here).
     */
    public static GlobalContractId fromBorsh(byte[] bytes) {
        if (bytes.length == 33 && bytes[0] == 0) {
            return byHash(Arrays.copyOfRange(bytes, 1, 33));
        }
        if (bytes.length >= 5 && bytes[0] == 1) {
            long length = 0;
            for (int i = 0; i < 4; i++) {
                length |= (long) (bytes[1 + i] & 0xff) << (8 * i);
            }
            if (length == bytes.length - 5) {
                return byAccount(new String(bytes, 5, bytes.length - 5, StandardCharsets.UTF_8));
            }
        }
        return null;
    }

    /** nearcore's JSON of the identifier: {@code {"CodeHash": "<base58>"}} or {@code {"AccountId": "<id>"}}. */
    public String variant() {
        return codeHash != null ? "CodeHash" : "AccountId";
    }

    /** The value under {@link #variant()}: the base58 hash or the account id. */
    public String value() {
        return codeHash != null ? Base58.encode(codeHash) : accountId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlobalContractId other
                && Arrays.equals(codeHash, other.codeHash)
                && java.util.Objects.equals(accountId, other.accountId);
    }

    @Override
    public int hashCode() {
        return codeHash != null ? Arrays.hashCode(codeHash) : accountId.hashCode();
    }

    /**
     * nearcore's Debug form, as its messages print it: {@code CodeHash(<base58>)} or
     * {@code AccountId(AccountId("x"))} (near-account-id's own Debug inside).
     */
    @Override
    public String toString() {
        return codeHash != null
                ? "CodeHash(" + Base58.encode(codeHash) + ")"
                : "AccountId(AccountId(\"" + accountId + "\"))";
    }
}

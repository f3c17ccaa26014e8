package dev.outlayer.bench.targetsystem.state;

import java.nio.charset.StandardCharsets;

/**
 * Where nearcore's {@code TrieKey} puts things ({@code core/primitives/src/trie_key.rs}): a column
 * byte, the account id and, for contract data, {@code ','} (ACCOUNT_DATA_SEPARATOR) and the
 * contract's own key. All accounts share one trie, so an account's entries sit under its prefix.
 */
public final class TrieKeys {
    /** col::CONTRACT_CODE. */
    public static final byte CONTRACT_CODE = 1;
    /** col::CONTRACT_DATA. */
    public static final byte CONTRACT_DATA = 9;

    static final byte ACCOUNT_DATA_SEPARATOR = ',';

    private TrieKeys() {}

    /** col::CONTRACT_DATA + account id + ',': every contract-data key of the account starts so. */
    public static byte[] contractDataPrefix(String accountId) {
        byte[] id = accountId.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = new byte[id.length + 2];
        prefix[0] = CONTRACT_DATA;
        System.arraycopy(id, 0, prefix, 1, id.length);
        prefix[id.length + 1] = ACCOUNT_DATA_SEPARATOR;
        return prefix;
    }

    /** The prefix followed by the contract's key. */
    public static byte[] contractData(byte[] prefix, byte[] key) {
        byte[] out = new byte[prefix.length + key.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(key, 0, out, prefix.length, key.length);
        return out;
    }

    /** col::CONTRACT_CODE + account id. */
    public static byte[] contractCode(String accountId) {
        byte[] id = accountId.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[id.length + 1];
        out[0] = CONTRACT_CODE;
        System.arraycopy(id, 0, out, 1, id.length);
        return out;
    }
}

package dev.outlayer.bench.targetsystem.state;

import java.nio.charset.StandardCharsets;

/**
 * Where nearcore's {@code TrieKey} puts things ({@code core/primitives/src/trie_key.rs}): a column
 * byte, the account id and, for contract data, {@code ','} (ACCOUNT_DATA_SEPARATOR) and the
 * contract's own key; for an access key, the column byte again as separator and the Borsh public
 * key. All accounts share one trie, so an account's entries sit under its prefix.
 */
public final class TrieKeys {
    /** col::ACCOUNT. */
    public static final byte ACCOUNT = 0;
    /** col::CONTRACT_CODE. */
    public static final byte CONTRACT_CODE = 1;
    /** col::ACCESS_KEY, also its separator between account id and public key. */
    public static final byte ACCESS_KEY = 2;
    /** col::CONTRACT_DATA. */
    public static final byte CONTRACT_DATA = 9;
    /** col::GLOBAL_CONTRACT_CODE: + Borsh GlobalContractCodeIdentifier, the code as deployed. */
    public static final byte GLOBAL_CONTRACT_CODE = 18;
    /** col::GLOBAL_CONTRACT_NONCE: + Borsh GlobalContractCodeIdentifier, the last deploy's nonce (u64). */
    public static final byte GLOBAL_CONTRACT_NONCE = 19;

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
        return columnAndId(CONTRACT_CODE, accountId);
    }

    /** col::ACCOUNT + account id: the account record (balance, locked, code hash, storage usage). */
    public static byte[] account(String accountId) {
        return columnAndId(ACCOUNT, accountId);
    }

    /** col::ACCESS_KEY + account id + col::ACCESS_KEY + Borsh public key. */
    public static byte[] accessKey(String accountId, byte[] publicKeyBorsh) {
        byte[] id = accountId.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[id.length + 2 + publicKeyBorsh.length];
        out[0] = ACCESS_KEY;
        System.arraycopy(id, 0, out, 1, id.length);
        out[id.length + 1] = ACCESS_KEY;
        System.arraycopy(publicKeyBorsh, 0, out, id.length + 2, publicKeyBorsh.length);
        return out;
    }

    /**
     * TrieKey::GasKeyNonce: the gas key's access-key trie key followed by the slot's index, a u16
     * little-endian; the value is the slot's nonce.
     */
    public static byte[] gasKeyNonce(String accountId, byte[] publicKeyBorsh, int index) {
        byte[] key = accessKey(accountId, publicKeyBorsh);
        byte[] out = java.util.Arrays.copyOf(key, key.length + 2);
        out[key.length] = (byte) index;
        out[key.length + 1] = (byte) (index >>> 8);
        return out;
    }

    /**
     * col::GLOBAL_CONTRACT_CODE + the Borsh identifier (0 and the code hash, or 1 and the deployer's id
     * as a string): a global contract's code, one per identifier for the whole shard.
     */
    public static byte[] globalContractCode(byte[] identifierBorsh) {
        return columnAndBytes(GLOBAL_CONTRACT_CODE, identifierBorsh);
    }

    /** col::GLOBAL_CONTRACT_NONCE + the Borsh identifier: the nonce of the identifier's last deploy. */
    public static byte[] globalContractNonce(byte[] identifierBorsh) {
        return columnAndBytes(GLOBAL_CONTRACT_NONCE, identifierBorsh);
    }

    /** Whether {@code key} is in one of the two global-contract columns (no account id in it). */
    public static boolean isGlobalContract(byte[] key) {
        return key.length > 1 && (key[0] == GLOBAL_CONTRACT_CODE || key[0] == GLOBAL_CONTRACT_NONCE);
    }

    private static byte[] columnAndBytes(byte column, byte[] rest) {
        byte[] out = new byte[rest.length + 1];
        out[0] = column;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static byte[] columnAndId(byte column, String accountId) {
        byte[] id = accountId.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[id.length + 1];
        out[0] = column;
        System.arraycopy(id, 0, out, 1, id.length);
        return out;
    }

    /**
     * A stored trie key taken apart: its column, account id and the rest (the contract's key, the
     * Borsh public key; empty for account and code records). Null when the key is none of the four
     * account columns above or has no account id (a damaged record); the global-contract columns
     * have no account id ({@link #isGlobalContract}).
     */
    public static Parsed parse(byte[] key) {
        if (key.length < 2) {
            return null;
        }
        byte column = key[0];
        int end = switch (column) {
            case ACCOUNT, CONTRACT_CODE -> key.length;
            case ACCESS_KEY -> indexOf(key, ACCESS_KEY);
            case CONTRACT_DATA -> indexOf(key, ACCOUNT_DATA_SEPARATOR);
            default -> -1;
        };
        if (end <= 1) {
            return null;
        }
        String accountId = new String(key, 1, end - 1, StandardCharsets.UTF_8);
        byte[] rest = end == key.length ? new byte[0] : java.util.Arrays.copyOfRange(key, end + 1, key.length);
        return new Parsed(column, accountId, rest);
    }

    /** See {@link #parse}. */
    public record Parsed(byte column, String accountId, byte[] rest) {}

    private static int indexOf(byte[] key, byte separator) {
        for (int i = 1; i < key.length; i++) {
            if (key[i] == separator) {
                return i;
            }
        }
        return -1;
    }
}

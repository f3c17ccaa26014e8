package dev.outlayer.bench.targetsystem.contracts;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The values of nearcore's account and access-key trie records, in their Borsh form: an
 * {@code Account} (V1 layout: amount u128, locked u128, code_hash, storage_usage u64; an account
 * using a global contract is V2, as nearcore writes it: u128::MAX as the sentinel, the version tag
 * 0, then amount, locked, storage_usage and the AccountContract, 2 Global(hash) or 3
 * GlobalByAccount(account id); core/primitives-core/src/account.rs) and an {@code AccessKey} (nonce
 * u64, then 0 FunctionCall {allowance Option&lt;u128&gt;, receiver_id, method_names}, 1
 * FullAccess, 2 GasKeyFunctionCall(GasKeyInfo {balance u128, num_nonces u16}, FunctionCall) or 3
 * GasKeyFullAccess(GasKeyInfo); a gas key's nonce slots are records of their own, each a u64).
 * Decoding refuses anything malformed or with bytes left over.
 */
final class StateRecords {
    static final int ACCOUNT_BYTES = 16 + 16 + 32 + 8;

    private StateRecords() {}

    /**
     * An account record: balances, the sha256 of its own code (32 zero bytes: none), storage used and
     * the global contract it uses (null: none).
     */
    record AccountRecord(
            BigInteger amount, BigInteger locked, byte[] codeHash, long storageUsage, GlobalContractId global) {}

    /** The V2 record of an account using the global contract {@code global} (AccountContract 2 or 3). */
    static byte[] account(BigInteger amount, BigInteger locked, GlobalContractId global, long storageUsage) {
        byte[] id = global.toBorsh(); // its tag 0/1 becomes AccountContract's 2/3
        byte[] out = new byte[16 + 1 + 16 + 16 + 8 + id.length];
        java.util.Arrays.fill(out, 0, 16, (byte) 0xff);
        putU128(out, 17, amount);
        putU128(out, 33, locked);
        for (int i = 0; i < 8; i++) {
            out[49 + i] = (byte) (storageUsage >>> (8 * i));
        }
        System.arraycopy(id, 0, out, 57, id.length);
        out[57] = (byte) (global.isHash() ? 2 : 3);
        return out;
    }

    /** @param codeHash the sha256 of the account's own code (compiled or not), or null */
    static byte[] account(BigInteger amount, BigInteger locked, byte[] codeHash, long storageUsage) {
        // Written in place: every committed receipt writes its account's record.
        byte[] out = new byte[ACCOUNT_BYTES];
        putU128(out, 0, amount);
        putU128(out, 16, locked);
        if (codeHash != null) {
            System.arraycopy(codeHash, 0, out, 32, 32);
        }
        for (int i = 0; i < 8; i++) {
            out[64 + i] = (byte) (storageUsage >>> (8 * i));
        }
        return out;
    }

    /** {@code value} as a little-endian u128 at {@code offset}. */
    private static void putU128(byte[] out, int offset, BigInteger value) {
        byte[] big = value.toByteArray();
        for (int i = 0; i < big.length && i < 16; i++) {
            out[offset + i] = big[big.length - 1 - i];
        }
    }

    static AccountRecord account(byte[] value) {
        if (value.length > 16 && isSentinel(value)) {
            return accountV2(value);
        }
        if (value.length != ACCOUNT_BYTES) {
            throw new IllegalArgumentException("an account record is " + ACCOUNT_BYTES + " bytes, not " + value.length);
        }
        ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        BigInteger amount = u128(in);
        BigInteger locked = u128(in);
        byte[] codeHash = new byte[32];
        in.get(codeHash);
        long storage = in.getLong();
        if (storage < 0) {
            throw new IllegalArgumentException("negative storage usage");
        }
        return new AccountRecord(amount, locked, codeHash, storage, null);
    }

    /** u128::MAX first: nearcore's SERIALIZATION_SENTINEL before a versioned account. */
    private static boolean isSentinel(byte[] value) {
        for (int i = 0; i < 16; i++) {
            if (value[i] != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    /** BorshVersionedAccount::V2 (tag 0): amount, locked, storage_usage, AccountContract. */
    private static AccountRecord accountV2(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        try {
            in.position(16);
            int version = in.get();
            if (version != 0) {
                throw new IllegalArgumentException("unknown account version tag " + version);
            }
            BigInteger amount = u128(in);
            BigInteger locked = u128(in);
            long storage = in.getLong();
            if (storage < 0) {
                throw new IllegalArgumentException("negative storage usage");
            }
            int contract = in.get();
            byte[] codeHash = new byte[32];
            GlobalContractId global = null;
            switch (contract) {
                case 0 -> {}
                case 1 -> in.get(codeHash);
                case 2 -> {
                    byte[] hash = new byte[32];
                    in.get(hash);
                    global = GlobalContractId.byHash(hash);
                }
                case 3 -> global = GlobalContractId.byAccount(readString(in));
                default -> throw new IllegalArgumentException("invalid account contract " + contract);
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the account");
            }
            return new AccountRecord(amount, locked, codeHash, storage, global);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("account record cut short");
        }
    }

    static byte[] accessKey(AccessKey key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        writeLong(out, key.nonce());
        AccessKey.GasKeyInfo gasKey = key.gasKey();
        AccessKey.FunctionCallPermission p = key.functionCall();
        if (gasKey != null) {
            // 2 GasKeyFunctionCall(GasKeyInfo, FunctionCallPermission), 3 GasKeyFullAccess(GasKeyInfo)
            out.write(p != null ? 2 : 3);
            out.writeBytes(u128(gasKey.balance()));
            out.write(gasKey.numNonces() & 0xFF);
            out.write(gasKey.numNonces() >>> 8);
        }
        if (p != null) {
            if (gasKey == null) {
                out.write(0);
            }
            out.write(p.allowance() == null ? 0 : 1);
            if (p.allowance() != null) {
                out.writeBytes(u128(p.allowance()));
            }
            writeString(out, p.receiverId());
            writeInt(out, p.methodNames().size());
            for (String method : p.methodNames()) {
                writeString(out, method);
            }
        } else if (gasKey == null) {
            out.write(1);
        }
        return out.toByteArray();
    }

    /** A gas key nonce slot's value (TrieKey::GasKeyNonce): the Borsh u64. */
    static byte[] gasKeyNonce(long nonce) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8);
        writeLong(out, nonce);
        return out.toByteArray();
    }

    static long gasKeyNonce(byte[] value) {
        if (value.length != 8) {
            throw new IllegalArgumentException("a gas key nonce is 8 bytes, not " + value.length);
        }
        return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static AccessKey accessKey(byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        try {
            long nonce = in.getLong();
            int tag = in.get();
            AccessKey key;
            AccessKey.GasKeyInfo gasKey = null;
            if (tag == 2 || tag == 3) {
                BigInteger balance = u128(in);
                gasKey = new AccessKey.GasKeyInfo(balance, Short.toUnsignedInt(in.getShort()));
            }
            if (tag == 1) {
                key = AccessKey.fullAccess(nonce);
            } else if (tag == 3) {
                key = new AccessKey(nonce, new AccessKey.GasKeyFullAccess(gasKey));
            } else if (tag == 0 || tag == 2) {
                int option = in.get();
                if (option != 0 && option != 1) {
                    throw new IllegalArgumentException("invalid option tag " + option);
                }
                BigInteger allowance = option == 1 ? u128(in) : null;
                String receiver = readString(in);
                int count = in.getInt();
                if (count < 0 || count > in.remaining() / 4) {
                    throw new IllegalArgumentException("invalid method count " + count);
                }
                List<String> methods = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    methods.add(readString(in));
                }
                AccessKey.FunctionCallPermission call =
                        new AccessKey.FunctionCallPermission(allowance, receiver, methods);
                key = new AccessKey(nonce, gasKey == null ? call : new AccessKey.GasKeyFunctionCall(gasKey, call));
            } else {
                throw new IllegalArgumentException("invalid access key permission " + tag);
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the access key");
            }
            return key;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("access key record cut short");
        }
    }

    private static byte[] u128(BigInteger value) {
        byte[] big = value.toByteArray();
        byte[] little = new byte[16];
        for (int i = 0; i < big.length && i < 16; i++) {
            little[i] = big[big.length - 1 - i];
        }
        return little;
    }

    private static BigInteger u128(ByteBuffer in) {
        byte[] big = new byte[17]; // a leading zero keeps it positive
        for (int i = 16; i >= 1; i--) {
            big[i] = in.get();
        }
        return new BigInteger(big);
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeInt(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static String readString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("invalid string length " + length);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

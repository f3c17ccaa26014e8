package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One NEAR account: its contract, key-value state, balance, locked balance, access keys and
 * storage usage. Calls see the committed state through a {@link StateOverlay}; a successful
 * receipt's effects are applied here at once under the write lock, so a concurrent view never
 * sees half a receipt.
 */
public final class AccountState {
    private final String accountId;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<Bytes, byte[]> data = new TreeMap<>();
    private volatile CompiledContract contract;
    private volatile byte[] code;
    private BigInteger balance;
    private BigInteger locked = BigInteger.ZERO;
    private long storageUsage;
    private long calls;
    private final Map<PublicKey, AccessKey> keys = new java.util.LinkedHashMap<>();

    AccountState(String accountId, BigInteger balance) {
        this.accountId = accountId;
        this.balance = balance;
        this.storageUsage = ExtCost.STORAGE_NUM_BYTES_ACCOUNT;
    }

    public String accountId() {
        return accountId;
    }

    public CompiledContract contract() {
        return contract;
    }

    /** The deployed wasm as uploaded (for view_code), or null. */
    public byte[] code() {
        return code;
    }

    /** Replaces the code; state stays, as on NEAR. */
    void deploy(CompiledContract compiled, byte[] wasm) {
        lock.writeLock().lock();
        try {
            CompiledContract old = contract;
            storageUsage += compiled.codeSize() - (old == null ? 0 : old.codeSize());
            contract = compiled;
            code = wasm;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code reader} on the committed state while no commit can interleave. */
    public <T> T read(java.util.function.Function<Snapshot, T> reader) {
        lock.readLock().lock();
        try {
            return reader.apply(new Snapshot(
                    java.util.Collections.unmodifiableNavigableMap(data),
                    balance,
                    storageUsage,
                    calls,
                    contract,
                    locked,
                    java.util.Collections.unmodifiableMap(keys)));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The committed state at one moment, read-only; its maps are views valid only inside {@link #read}. */
    public record Snapshot(
            NavigableMap<Bytes, byte[]> data,
            BigInteger balance,
            long storageUsage,
            long calls,
            CompiledContract contract,
            BigInteger locked,
            Map<PublicKey, AccessKey> accessKeys) {}

    /** The access key {@code key}, or null. */
    public AccessKey accessKey(PublicKey key) {
        lock.readLock().lock();
        try {
            return keys.get(key);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every access key, in the order they were added. */
    public Map<PublicKey, AccessKey> accessKeys() {
        lock.readLock().lock();
        try {
            return new java.util.LinkedHashMap<>(keys);
        } finally {
            lock.readLock().unlock();
        }
    }

    public BigInteger balance() {
        lock.readLock().lock();
        try {
            return balance;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Applies a receipt's effects at once: data writes, balances, storage, code and key changes
     * (a null key value is a deletion).
     */
    void apply(
            Map<Bytes, byte[]> changes,
            BigInteger newBalance,
            BigInteger newLocked,
            long newStorageUsage,
            CompiledContract newContract,
            byte[] newCode,
            Map<PublicKey, AccessKey> keyChanges,
            boolean countsAsCall) {
        lock.writeLock().lock();
        try {
            changes.forEach((k, v) -> {
                if (v == null) {
                    data.remove(k);
                } else {
                    data.put(k, v);
                }
            });
            balance = newBalance;
            locked = newLocked;
            storageUsage = newStorageUsage;
            if (newContract != null) {
                contract = newContract;
                code = newCode;
            }
            keyChanges.forEach((k, v) -> {
                if (v == null) {
                    keys.remove(k);
                } else {
                    keys.put(k, v);
                }
            });
            if (countsAsCall) {
                calls++;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Puts back what the state log kept of this account (at start, before anyone can see it). */
    void restore(
            BigInteger restoredLocked,
            long restoredStorageUsage,
            CompiledContract compiled,
            byte[] wasm,
            Map<Bytes, byte[]> restoredData,
            Map<PublicKey, AccessKey> restoredKeys) {
        lock.writeLock().lock();
        try {
            locked = restoredLocked;
            storageUsage = restoredStorageUsage;
            contract = compiled;
            code = compiled == null ? null : wasm;
            data.putAll(restoredData);
            keys.putAll(restoredKeys);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Adds or replaces a key outside any receipt (seeding, sandbox patches); storage as nearcore counts it. */
    void putAccessKey(PublicKey key, AccessKey accessKey) {
        lock.writeLock().lock();
        try {
            AccessKey old = keys.put(key, accessKey);
            storageUsage += keyStorage(key, accessKey) - (old == null ? 0 : keyStorage(key, old));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Adds {@code amount} unless the balance would exceed u128 (then it is burnt); false then. */
    boolean credit(BigInteger amount) {
        lock.writeLock().lock();
        try {
            BigInteger after = balance.add(amount);
            if (after.compareTo(VmLogic.U128_MAX) > 0) {
                return false;
            }
            balance = after;
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Sets the balance outside any receipt (seeding, sandbox patches). */
    void setBalance(BigInteger newBalance) {
        lock.writeLock().lock();
        try {
            balance = newBalance;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The storage a key record takes: Borsh key, Borsh access key and the per-record overhead. */
    static long keyStorage(PublicKey key, AccessKey accessKey) {
        long size = key.toBorsh().length + 8 + 1 + ExtCost.STORAGE_NUM_EXTRA_BYTES_RECORD;
        if (accessKey.permission() instanceof AccessKey.FunctionCallPermission p) {
            size += 1 + (p.allowance() == null ? 0 : 16) + 4 + p.receiverId().length() + 4;
            for (String name : p.methodNames()) {
                size += 4 + name.length();
            }
        }
        return size;
    }
}

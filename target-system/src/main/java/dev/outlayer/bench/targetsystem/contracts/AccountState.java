package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One NEAR account: its contract, key-value state, balance and storage usage. Calls see the
 * committed state through a {@link StateOverlay}; a successful call's writes are applied here
 * at once under the write lock, so a concurrent view never sees half a call.
 */
public final class AccountState {
    private final String accountId;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<Bytes, byte[]> data = new TreeMap<>();
    private volatile CompiledContract contract;
    private volatile byte[] code;
    private BigInteger balance;
    private long storageUsage;
    private long calls;

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
                    java.util.Collections.unmodifiableNavigableMap(data), balance, storageUsage, calls, contract));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Applies a successful call: its writes, the balance and storage usage it ended with. */
    void commit(Map<Bytes, byte[]> changes, BigInteger newBalance, long newStorageUsage) {
        lock.writeLock().lock();
        try {
            changes.forEach((k, v) -> {
                if (v == null) {
                    data.remove(k);
                } else {
                    data.put(k, v);
                }
            });
            if (newBalance != null) {
                balance = newBalance;
            }
            storageUsage = newStorageUsage;
            calls++;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The committed state at one moment, read-only. */
    public record Snapshot(
            NavigableMap<Bytes, byte[]> data,
            BigInteger balance,
            long storageUsage,
            long calls,
            CompiledContract contract) {}
}

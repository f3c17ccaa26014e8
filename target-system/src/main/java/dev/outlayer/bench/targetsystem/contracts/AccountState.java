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
 *
 * <p>The contract is the account's own code (nearcore's {@code AccountContract::Local}) or a global
 * contract it uses ({@code Global} by code hash, {@code GlobalByAccount} by deployer), which is
 * looked up in the shard's global contracts whenever it is read: a redeploy by the deployer's
 * account id reaches every account using it.
 */
public final class AccountState {
    private final String accountId;
    private final GlobalContracts globals;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<Bytes, byte[]> data = new TreeMap<>();
    /**
     * The account's own code as stored (nearcore's AccountContract::Local), compiled or with why it
     * does not compile (a DeployContract stores any code, as a global contract's distribution does);
     * null when it has none.
     */
    private volatile GlobalContracts.Code local;

    private volatile GlobalContractId global;
    private BigInteger balance;
    private BigInteger locked = BigInteger.ZERO;
    private long storageUsage;
    private long calls;
    private final Map<PublicKey, AccessKey> keys = new java.util.LinkedHashMap<>();

    AccountState(String accountId, BigInteger balance, GlobalContracts globals) {
        this.accountId = accountId;
        this.balance = balance;
        this.globals = globals;
        this.storageUsage = ExtCost.STORAGE_NUM_BYTES_ACCOUNT;
    }

    public String accountId() {
        return accountId;
    }

    /**
     * The compiled contract a call of this account runs: its own, or the global one it uses as that
     * stands now; null when it has none or its code does not compile ({@link #compileError}).
     */
    public CompiledContract contract() {
        GlobalContractId g = global;
        if (g == null) {
            GlobalContracts.Code own = local;
            return own == null ? null : own.compiled();
        }
        GlobalContracts.Code resolved = globals.get(g);
        return resolved == null ? null : resolved.compiled();
    }

    /** The wasm a call of this account runs, as uploaded (for view_code), or null. */
    public byte[] code() {
        GlobalContractId g = global;
        if (g == null) {
            GlobalContracts.Code own = local;
            return own == null ? null : own.code();
        }
        GlobalContracts.Code resolved = globals.get(g);
        return resolved == null ? null : resolved.code();
    }

    /** The global contract this account uses, or null (its own code, or none). */
    public GlobalContractId globalContract() {
        return global;
    }

    /** Whether the account has a contract of its own or uses a global one (nearcore's AccountContract is not None). */
    public boolean hasContract() {
        return global != null || local != null;
    }

    /** The account's own code as stored, or null (none, or it uses a global contract). */
    GlobalContracts.Code localCode() {
        return local;
    }

    /** Why the code this account runs (its own, or the global contract it uses) does not compile, or null. */
    String compileError() {
        GlobalContractId g = global;
        GlobalContracts.Code resolved = g == null ? local : globals.get(g);
        return resolved == null ? null : resolved.compileError();
    }

    /**
     * The storage the contract takes (nearcore's clear_account_contract_storage_usage): its own code's
     * size, or a global contract identifier's length.
     */
    private long contractStorage() {
        if (global != null) {
            return global.len();
        }
        GlobalContracts.Code own = local;
        return own == null ? 0 : own.code().length;
    }

    /** Replaces the code (a global contract in use included); state stays, as on NEAR. */
    void deploy(CompiledContract compiled, byte[] wasm) {
        lock.writeLock().lock();
        try {
            storageUsage += wasm.length - contractStorage();
            local = new GlobalContracts.Code(wasm, compiled.codeHashBytes(), compiled, null);
            global = null;
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
                    contract(),
                    locked,
                    java.util.Collections.unmodifiableMap(keys),
                    global,
                    global == null && local != null ? local.hash() : null));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The committed state at one moment, read-only; its maps are views valid only inside {@link #read}.
     * {@code contract} is what a call runs (the global contract's current code for an account using
     * one, {@code globalContract} then names it); {@code codeHash} is the sha256 of the account's own
     * code, also of code that does not compile (then {@code contract} is null), else null.
     */
    public record Snapshot(
            NavigableMap<Bytes, byte[]> data,
            BigInteger balance,
            long storageUsage,
            long calls,
            CompiledContract contract,
            BigInteger locked,
            Map<PublicKey, AccessKey> accessKeys,
            GlobalContractId globalContract,
            byte[] codeHash) {}

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
     * (a null key value is a deletion). A new contract is either the account's own code
     * ({@code newLocal}, stored whether it compiles or not) or a global contract ({@code newGlobal});
     * both null: unchanged.
     */
    void apply(
            Map<Bytes, byte[]> changes,
            BigInteger newBalance,
            BigInteger newLocked,
            long newStorageUsage,
            GlobalContracts.Code newLocal,
            GlobalContractId newGlobal,
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
            if (newGlobal != null) {
                local = null;
                global = newGlobal;
            } else if (newLocal != null) {
                local = newLocal;
                global = null;
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
            GlobalContracts.Code restoredLocal,
            GlobalContractId restoredGlobal,
            Map<Bytes, byte[]> restoredData,
            Map<PublicKey, AccessKey> restoredKeys) {
        lock.writeLock().lock();
        try {
            locked = restoredLocked;
            storageUsage = restoredStorageUsage;
            local = restoredLocal;
            global = restoredGlobal;
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

    /**
     * The storage a key record takes: Borsh key, Borsh access key and the per-record overhead; a gas
     * key's nonce slots too, as access_keys.rs gas_key_storage_cost counts them (the public key and the
     * u16 index as the slot's key, the u64 nonce and the overhead each).
     */
    static long keyStorage(PublicKey key, AccessKey accessKey) {
        AccessKey.GasKeyInfo gasKey = accessKey.gasKey();
        if (gasKey != null) {
            long pk = key.toBorsh().length;
            long perNonce = pk + 2 + 8 + ExtCost.STORAGE_NUM_EXTRA_BYTES_RECORD;
            return gasKey.numNonces() * perNonce
                    + pk
                    + StateRecords.accessKey(accessKey).length
                    + ExtCost.STORAGE_NUM_EXTRA_BYTES_RECORD;
        }
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

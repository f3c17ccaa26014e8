package dev.outlayer.bench.targetsystem.transactions;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/** Accounts and keys held in memory: the ledger of a node whose accounts are nowhere else. */
public final class InMemoryLedger implements Ledger {
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    private static final class Account {
        volatile BigInteger balance;
        /** By the key's text form, which orders them as nearcore lists them closely enough. */
        final ConcurrentSkipListMap<String, KeyEntry> keys = new ConcurrentSkipListMap<>();

        Account(BigInteger balance) {
            this.balance = balance;
        }
    }

    @Override
    public Optional<BigInteger> balance(String accountId) {
        Account account = accounts.get(accountId);
        return account == null ? Optional.empty() : Optional.of(account.balance);
    }

    @Override
    public Optional<AccessKey> accessKey(String accountId, PublicKey key) {
        Account account = accounts.get(accountId);
        KeyEntry entry = account == null ? null : account.keys.get(key.toString());
        return entry == null ? Optional.empty() : Optional.of(entry.accessKey());
    }

    @Override
    public List<KeyEntry> accessKeys(String accountId) {
        Account account = accounts.get(accountId);
        return account == null ? List.of() : List.copyOf(account.keys.values());
    }

    @Override
    public void putAccount(String accountId, BigInteger balance) {
        accounts.compute(accountId, (id, existing) -> {
            if (existing == null) {
                return new Account(balance);
            }
            existing.balance = balance;
            return existing;
        });
    }

    @Override
    public void putAccessKey(String accountId, PublicKey key, AccessKey accessKey) {
        Account account = accounts.get(accountId);
        if (account == null) {
            throw new IllegalArgumentException("account " + accountId + " does not exist");
        }
        account.keys.put(key.toString(), new KeyEntry(key, accessKey));
    }

    @Override
    public <T> T exclusively(String accountId, Supplier<T> change) {
        Account account = accounts.get(accountId);
        if (account == null) {
            return change.get(); // nothing to protect: the change will find no signer
        }
        synchronized (account) {
            return change.get();
        }
    }
}

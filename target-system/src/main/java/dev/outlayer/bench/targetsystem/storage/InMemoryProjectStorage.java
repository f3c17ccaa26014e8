package dev.outlayer.bench.targetsystem.storage;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Project storage in this process (a restart forgets it), one lock for all of it. Rows are kept per project and
 * account, in insertion order (OutLayer lists them by {@code created_at}, which an update keeps), so that a write,
 * a read and a listing cost what the account holds, not what the store holds.
 */
public final class InMemoryProjectStorage implements ProjectStorage {
    private record Owner(String projectUuid, String accountId) {}

    /** A row and its place in the store's insertion order (the oldest of several answers {@link #getByVersion}). */
    private record Row(long seq, Stored stored) {}

    /** An account's rows in a project, and the bytes they hold now. */
    private static final class Account {
        final LinkedHashMap<String, Row> rows = new LinkedHashMap<>();
        long bytes;

        Usage actual() {
            return new Usage(bytes, rows.size());
        }
    }

    private final Map<Owner, Account> accounts = new HashMap<>();
    /** The usage rows: an account's actual usage as it was when OutLayer would last have recomputed it. */
    private final Map<Owner, Usage> usage = new HashMap<>();

    private long nextSeq;

    @Override
    public synchronized void set(Entry entry) {
        Row existing = row(entry.slot());
        byte[] key = existing == null ? entry.encryptedKey() : existing.stored().encryptedKey();
        put(entry.slot(), key, entry.encryptedValue(), entry.wasmHash(), entry.encrypted());
        recount(entry.slot());
    }

    @Override
    public synchronized boolean setIfAbsent(Entry entry) {
        if (row(entry.slot()) != null) {
            return false;
        }
        put(entry.slot(), entry.encryptedKey(), entry.encryptedValue(), entry.wasmHash(), true);
        recount(entry.slot());
        return true;
    }

    @Override
    public synchronized Swap setIfEquals(Slot slot, String wasmHash, byte[] expected, byte[] newKey, byte[] newValue) {
        Row existing = row(slot);
        if (existing == null || !Arrays.equals(existing.stored().encryptedValue(), expected)) {
            return new Swap(false, Optional.ofNullable(existing).map(Row::stored));
        }
        put(slot, newKey, newValue, wasmHash, existing.stored().encrypted());
        recount(slot);
        return new Swap(true, Optional.empty());
    }

    @Override
    public synchronized Optional<Stored> get(Slot slot) {
        return Optional.ofNullable(row(slot)).map(Row::stored);
    }

    @Override
    public synchronized Optional<Stored> getByVersion(String wasmHash, String accountId, String keyHash) {
        Row oldest = null;
        for (Map.Entry<Owner, Account> e : accounts.entrySet()) {
            if (e.getKey().accountId().equals(accountId)) {
                Row row = e.getValue().rows.get(keyHash);
                if (row != null
                        && row.stored().wasmHash().equals(wasmHash)
                        && (oldest == null || row.seq() < oldest.seq())) {
                    oldest = row;
                }
            }
        }
        return Optional.ofNullable(oldest).map(Row::stored);
    }

    @Override
    public synchronized Map<String, Stored> getAll(String projectUuid, String accountId, Collection<String> keyHashes) {
        Map<String, Stored> found = new HashMap<>();
        Account account = accounts.get(new Owner(projectUuid, accountId));
        if (account != null) {
            for (String keyHash : keyHashes) {
                Row row = account.rows.get(keyHash);
                if (row != null) {
                    found.put(keyHash, row.stored());
                }
            }
        }
        return found;
    }

    @Override
    public synchronized boolean delete(Slot slot) {
        Account account = accounts.get(owner(slot));
        Row removed = account == null ? null : account.rows.remove(slot.keyHash());
        if (removed == null) {
            return false;
        }
        account.bytes -= removed.stored().bytes();
        recount(slot);
        return true;
    }

    @Override
    public synchronized Listing list(String projectUuid, String accountId, long limit, long offset) {
        Account account = accounts.get(new Owner(projectUuid, accountId));
        if (account == null) {
            return new Listing(List.of(), 0);
        }
        return new Listing(
                account.rows.values().stream()
                        .skip(offset)
                        .limit(limit)
                        .map(Row::stored)
                        .toList(),
                account.rows.size());
    }

    @Override
    public synchronized Usage usage(String projectUuid, String accountId) {
        return usage.getOrDefault(new Owner(projectUuid, accountId), Usage.NONE);
    }

    @Override
    public synchronized Usage projectUsage(String projectUuid) {
        long bytes = 0;
        int keys = 0;
        for (Map.Entry<Owner, Usage> e : usage.entrySet()) {
            if (e.getKey().projectUuid().equals(projectUuid)) {
                bytes += e.getValue().totalBytes();
                keys += e.getValue().keyCount();
            }
        }
        return new Usage(bytes, keys);
    }

    @Override
    public synchronized void clearAll(String projectUuid, String accountId) {
        Owner owner = new Owner(projectUuid, accountId);
        accounts.remove(owner);
        usage.computeIfPresent(owner, (o, before) -> Usage.NONE);
    }

    @Override
    public synchronized void clearVersion(String wasmHash, String accountId) {
        removeRows(
                owner -> owner.accountId().equals(accountId),
                row -> row.wasmHash().equals(wasmHash));
    }

    @Override
    public synchronized void clearProject(String projectUuid) {
        accounts.keySet().removeIf(owner -> owner.projectUuid().equals(projectUuid));
        usage.keySet().removeIf(owner -> owner.projectUuid().equals(projectUuid));
    }

    /** Removes the rows {@code which} picks in the accounts {@code whose} picks; usage rows stay as they were. */
    private void removeRows(Predicate<Owner> whose, Predicate<Stored> which) {
        for (Map.Entry<Owner, Account> e : accounts.entrySet()) {
            if (whose.test(e.getKey())) {
                Account account = e.getValue();
                for (Iterator<Row> rows = account.rows.values().iterator(); rows.hasNext(); ) {
                    Stored row = rows.next().stored();
                    if (which.test(row)) {
                        rows.remove();
                        account.bytes -= row.bytes();
                    }
                }
            }
        }
    }

    private Row row(Slot slot) {
        Account account = accounts.get(owner(slot));
        return account == null ? null : account.rows.get(slot.keyHash());
    }

    /** Stores the row: an existing one keeps its place, a new one comes last. */
    private void put(Slot slot, byte[] key, byte[] value, String wasmHash, boolean encrypted) {
        Account account = accounts.computeIfAbsent(owner(slot), o -> new Account());
        Stored stored = new Stored(slot.keyHash(), key.clone(), value.clone(), wasmHash, encrypted);
        Row before = account.rows.get(slot.keyHash());
        account.rows.put(slot.keyHash(), new Row(before == null ? nextSeq++ : before.seq(), stored));
        account.bytes += stored.bytes() - (before == null ? 0 : before.stored().bytes());
    }

    /** OutLayer's {@code update_project_usage}: the account's usage row recomputed from its rows. */
    private void recount(Slot slot) {
        Account account = accounts.get(owner(slot));
        usage.put(owner(slot), account == null ? Usage.NONE : account.actual());
    }

    private static Owner owner(Slot slot) {
        return new Owner(slot.projectUuid(), slot.accountId());
    }
}

package dev.outlayer.bench.targetsystem.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Project storage in this process (a restart forgets it): the rows in insertion order (OutLayer lists them by
 * {@code created_at}, which an update keeps), one lock for all of it.
 */
public final class InMemoryProjectStorage implements ProjectStorage {
    private record Owner(String projectUuid, String accountId) {}

    private final LinkedHashMap<Slot, Stored> rows = new LinkedHashMap<>();
    /** What each account's rows in a project add up to now, kept as rows come and go. */
    private final Map<Owner, Usage> actual = new HashMap<>();
    /** The usage rows: {@link #actual} as it was when OutLayer would last have recomputed it. */
    private final Map<Owner, Usage> usage = new HashMap<>();

    @Override
    public synchronized void set(Entry entry) {
        Stored existing = rows.get(entry.slot());
        byte[] key = existing == null ? entry.encryptedKey() : existing.encryptedKey();
        put(entry.slot(), stored(entry.slot(), key, entry.encryptedValue(), entry.wasmHash(), entry.encrypted()));
        recount(entry.slot());
    }

    @Override
    public synchronized boolean setIfAbsent(Entry entry) {
        if (rows.containsKey(entry.slot())) {
            return false;
        }
        put(entry.slot(), stored(entry.slot(), entry.encryptedKey(), entry.encryptedValue(), entry.wasmHash(), true));
        recount(entry.slot());
        return true;
    }

    @Override
    public synchronized Swap setIfEquals(Slot slot, String wasmHash, byte[] expected, byte[] newKey, byte[] newValue) {
        Stored existing = rows.get(slot);
        if (existing == null || !Arrays.equals(existing.encryptedValue(), expected)) {
            return new Swap(false, Optional.ofNullable(existing));
        }
        put(slot, stored(slot, newKey, newValue, wasmHash, existing.encrypted()));
        recount(slot);
        return new Swap(true, Optional.empty());
    }

    @Override
    public synchronized Optional<Stored> get(Slot slot) {
        return Optional.ofNullable(rows.get(slot));
    }

    @Override
    public synchronized Optional<Stored> getByVersion(String wasmHash, String accountId, String keyHash) {
        return rows.entrySet().stream()
                .filter(e -> e.getKey().accountId().equals(accountId)
                        && e.getKey().keyHash().equals(keyHash)
                        && e.getValue().wasmHash().equals(wasmHash))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    @Override
    public synchronized Map<String, Stored> getAll(String projectUuid, String accountId, Collection<String> keyHashes) {
        Map<String, Stored> found = new HashMap<>();
        for (String keyHash : keyHashes) {
            Stored row = rows.get(new Slot(projectUuid, accountId, keyHash));
            if (row != null) {
                found.put(keyHash, row);
            }
        }
        return found;
    }

    @Override
    public synchronized boolean delete(Slot slot) {
        if (remove(slot) == null) {
            return false;
        }
        recount(slot);
        return true;
    }

    @Override
    public synchronized Listing list(String projectUuid, String accountId, long limit, long offset) {
        List<Stored> all = new ArrayList<>();
        rows.forEach((slot, row) -> {
            if (slot.projectUuid().equals(projectUuid) && slot.accountId().equals(accountId)) {
                all.add(row);
            }
        });
        return new Listing(all.stream().skip(offset).limit(limit).toList(), all.size());
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
        removeIf(e -> e.getKey().projectUuid().equals(projectUuid)
                && e.getKey().accountId().equals(accountId));
        usage.computeIfPresent(new Owner(projectUuid, accountId), (owner, before) -> Usage.NONE);
    }

    @Override
    public synchronized void clearVersion(String wasmHash, String accountId) {
        removeIf(e -> e.getKey().accountId().equals(accountId)
                && e.getValue().wasmHash().equals(wasmHash));
    }

    @Override
    public synchronized void clearProject(String projectUuid) {
        removeIf(e -> e.getKey().projectUuid().equals(projectUuid));
        usage.keySet().removeIf(owner -> owner.projectUuid().equals(projectUuid));
    }

    private void put(Slot slot, Stored row) {
        Stored before = rows.put(slot, row);
        adjust(slot, before, -1);
        adjust(slot, row, 1);
    }

    private Stored remove(Slot slot) {
        Stored before = rows.remove(slot);
        adjust(slot, before, -1);
        return before;
    }

    private void removeIf(Predicate<Map.Entry<Slot, Stored>> which) {
        var all = rows.entrySet().iterator();
        while (all.hasNext()) {
            Map.Entry<Slot, Stored> e = all.next();
            if (which.test(e)) {
                all.remove();
                adjust(e.getKey(), e.getValue(), -1);
            }
        }
    }

    private void adjust(Slot slot, Stored row, int sign) {
        if (row != null) {
            actual.merge(
                    owner(slot),
                    new Usage(sign * row.bytes(), sign),
                    (a, b) -> new Usage(a.totalBytes() + b.totalBytes(), a.keyCount() + b.keyCount()));
        }
    }

    /** OutLayer's {@code update_project_usage}: the account's usage row recomputed from its rows. */
    private void recount(Slot slot) {
        Owner owner = owner(slot);
        usage.put(owner, actual.getOrDefault(owner, Usage.NONE));
    }

    private static Owner owner(Slot slot) {
        return new Owner(slot.projectUuid(), slot.accountId());
    }

    private static Stored stored(Slot slot, byte[] key, byte[] value, String wasmHash, boolean encrypted) {
        return new Stored(slot.keyHash(), key.clone(), value.clone(), wasmHash, encrypted);
    }
}

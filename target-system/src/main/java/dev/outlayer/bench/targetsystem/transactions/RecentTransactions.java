package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.json.RpcJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accepted transactions {@code tx} and {@code chunk} find: their SignedTransactionViews (what an
 * answer shows: a deploy's code only by its hash) by hash and by the height that included them; the
 * same for the receipts of their trees (ReceiptViews, by id and by the height that created them). The
 * newest are kept, first in first out, within a count and a byte budget, so that neither a long run
 * nor a client sending big transactions can fill the heap, and a transaction just sent is never the
 * one forgotten. A view is kept as its JSON and written into an answer as it is ({@link RawJson}):
 * kept as Jackson trees, a counter call's ReceiptView of about 600 bytes took about 2.3 KB of heap (an
 * ObjectNode with its LinkedHashMap per object, a TextNode and String per value), so the byte budget
 * held four times as much heap as it said, and under a signed-transaction load the views were most of
 * what every young collection copied. The JSON is immutable: an answer needs no copy of its own (the
 * trees were read back from it for each answer, a copy each could change).
 */
final class RecentTransactions {
    private record Entry(byte[] json, long height) {}

    private final int maxCount;
    private final long maxBytes;
    private final LinkedHashMap<String, Entry> byHash = new LinkedHashMap<>();
    private final Map<Long, List<String>> byHeight = new HashMap<>();
    private long bytes;

    /**
     * @param maxCount how many are kept at most
     * @param maxBytes how many bytes their views may take (as JSON); the newest is kept even if alone bigger
     */
    RecentTransactions(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** A view found by hash only, not listed under any height. */
    static final long UNLISTED = Long.MIN_VALUE;

    /**
     * Keeps the view (a record) of an accepted transaction or receipt as its JSON, listed under {@code
     * height} unless that is {@link #UNLISTED}.
     */
    void add(String hash, long height, Object view) {
        synchronized (this) {
            if (byHash.containsKey(hash)) {
                return;
            }
        }
        // Written outside the lock: the waits and other senders look here meanwhile.
        byte[] json = RpcJson.bytes(view); // sent only in RPC answers
        keep(hash, height, json);
    }

    private synchronized void keep(String hash, long height, byte[] json) {
        if (byHash.containsKey(hash)) {
            return;
        }
        long size = json.length;
        byHash.put(hash, new Entry(json, height));
        if (height != UNLISTED) {
            byHeight.computeIfAbsent(height, h -> new ArrayList<>(1)).add(hash);
        }
        bytes += size;
        Iterator<Map.Entry<String, Entry>> oldest = byHash.entrySet().iterator();
        while ((byHash.size() > maxCount || bytes > maxBytes) && byHash.size() > 1) {
            Map.Entry<String, Entry> evicted = oldest.next();
            oldest.remove();
            bytes -= evicted.getValue().json().length;
            List<String> sameHeight = byHeight.get(evicted.getValue().height());
            if (sameHeight == null) {
                continue; // unlisted
            }
            sameHeight.remove(evicted.getKey());
            if (sameHeight.isEmpty()) {
                byHeight.remove(evicted.getValue().height());
            }
        }
    }

    /** The view of the transaction as its JSON, or null when it is not (or no longer) known. */
    RawJson view(String hash) {
        Entry entry;
        synchronized (this) {
            entry = byHash.get(hash);
        }
        return entry == null ? null : read(entry);
    }

    synchronized boolean contains(String hash) {
        return byHash.containsKey(hash);
    }

    /** The views of those included at {@code height}, in the order they came. */
    List<RawJson> includedAt(long height) {
        List<Entry> entries;
        synchronized (this) {
            List<String> hashes = byHeight.get(height);
            if (hashes == null) {
                return List.of();
            }
            entries = hashes.stream().map(byHash::get).toList();
        }
        return entries.stream().map(RecentTransactions::read).toList();
    }

    private static RawJson read(Entry entry) {
        return RawJson.written(new String(entry.json(), StandardCharsets.UTF_8));
    }

    synchronized int size() {
        return byHash.size();
    }
}

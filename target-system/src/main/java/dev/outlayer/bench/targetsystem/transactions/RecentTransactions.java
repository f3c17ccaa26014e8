package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
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
 * one forgotten.
 */
final class RecentTransactions {
    private record Entry(ObjectNode view, long height, long bytes) {}

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
     * Keeps the view of an accepted transaction (never modified afterwards: answers share it),
     * listed under {@code height} unless that is {@link #UNLISTED}.
     */
    synchronized void add(String hash, long height, ObjectNode view) {
        if (byHash.containsKey(hash)) {
            return;
        }
        long size = JsonCodec.bytes(view).length;
        byHash.put(hash, new Entry(view, height, size));
        if (height != UNLISTED) {
            byHeight.computeIfAbsent(height, h -> new ArrayList<>(1)).add(hash);
        }
        bytes += size;
        Iterator<Map.Entry<String, Entry>> oldest = byHash.entrySet().iterator();
        while ((byHash.size() > maxCount || bytes > maxBytes) && byHash.size() > 1) {
            Map.Entry<String, Entry> evicted = oldest.next();
            oldest.remove();
            bytes -= evicted.getValue().bytes();
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

    /** The view of the transaction, or null when it is not (or no longer) known. */
    synchronized ObjectNode view(String hash) {
        Entry entry = byHash.get(hash);
        return entry == null ? null : entry.view();
    }

    synchronized boolean contains(String hash) {
        return byHash.containsKey(hash);
    }

    /** The views of those included at {@code height}, in the order they came. */
    synchronized List<ObjectNode> includedAt(long height) {
        List<String> hashes = byHeight.get(height);
        if (hashes == null) {
            return List.of();
        }
        return hashes.stream().map(hash -> byHash.get(hash).view()).toList();
    }

    synchronized int size() {
        return byHash.size();
    }
}

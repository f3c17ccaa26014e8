package dev.outlayer.bench.targetsystem.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What each block's commits wrote, as nearcore keeps it per block for {@code EXPERIMENTAL_changes}
 * (its StateChanges column: every trie key a block's state updates wrote, each write with its cause
 * and the value, none for a removal). The trie versions alone cannot give it: a version holds the state
 * at the end of a height, not which receipt wrote what, nor a key written twice. Kept as long as the
 * trie keeps the heights' versions ({@link StateTrie#HEIGHTS_KEPT}, nearcore's GC clears the column with
 * the block) and within {@link #MAX_BYTES} of keys and values, the oldest heights going first.
 * Thread-safe.
 */
public final class StateChanges {
    /**
     * The most heap the kept writes may take, estimated (keys, values and {@link #OVERHEAD} each). Under an
     * HTTP load of 20,000 calls a second a block gathers tens of thousands of writes, and 64 MiB of key and
     * value bytes held well over 100 MB of heap in old generation; this keeps the last seconds of such a load
     * and every block of a quiet chain.
     */
    public static final long MAX_BYTES = 16L * 1024 * 1024;

    /** A write's heap besides its key and value: the record, two array headers, the list slot. */
    static final int OVERHEAD = 72;

    /**
     * nearcore's StateChangeCause of a write: {@code type} is its serde tag
     * ({@code transaction_processing}, {@code receipt_processing}, {@code action_receipt_gas_reward}),
     * {@code hash} the base58 transaction or receipt hash it names.
     */
    public record Cause(String type, String hash) {
        public static Cause transactionProcessing(String txHash) {
            return new Cause("transaction_processing", txHash);
        }

        public static Cause receiptProcessing(String receiptHash) {
            return new Cause("receipt_processing", receiptHash);
        }

        public static Cause actionReceiptGasReward(String receiptHash) {
            return new Cause("action_receipt_gas_reward", receiptHash);
        }
    }

    /** One write: the trie key, the value (null: removed) and why. */
    public record Change(byte[] key, byte[] value, Cause cause) {
        long bytes() {
            return OVERHEAD + key.length + (value == null ? 0 : value.length);
        }
    }

    private final NavigableMap<Long, List<Change>> byHeight = new TreeMap<>();
    private long bytes;
    /** Heights below are no longer kept (collected with their block, or dropped for memory). */
    private long keptFrom = Long.MIN_VALUE;
    /** Heights below were collected with their blocks: their changes are gone as nearcore's are. */
    private long collectedBefore = Long.MIN_VALUE;

    /**
     * Heights at which something wrote without a cause to keep (the HTTP API's calls, sandbox_patch_state,
     * seeded accounts, /contracts deploys): what they wrote is not here, so their changes are unknown.
     */
    private final java.util.NavigableSet<Long> unrecorded = new java.util.TreeSet<>();

    /** Notes that block {@code height} has writes that are not kept. */
    public synchronized void unrecordedWrites(long height) {
        if (height >= keptFrom && height != lastUnrecorded) { // most commits land on the height of the one before
            unrecorded.add(height);
            lastUnrecorded = height;
        }
    }

    private long lastUnrecorded = Long.MIN_VALUE;

    /** Whether block {@code height} has writes that were not kept (see {@link #unrecordedWrites}). */
    public synchronized boolean hasUnrecordedWrites(long height) {
        return unrecorded.contains(height);
    }

    /** Adds one commit's writes, in their order, to block {@code height}'s. */
    public synchronized void record(long height, List<Change> changes) {
        if (changes.isEmpty() || height < keptFrom) {
            return;
        }
        List<Change> atHeight = byHeight.computeIfAbsent(height, h -> new ArrayList<>());
        for (Change change : changes) {
            atHeight.add(change);
            bytes += change.bytes();
        }
        while (bytes > MAX_BYTES && byHeight.size() > 1) {
            dropOldest();
        }
    }

    /** The writes of one commit, from its map (trie key to value, null removes), all with one cause. */
    public static List<Change> of(Map<byte[], byte[]> changes, Cause cause) {
        List<Change> list = new ArrayList<>(changes.size());
        changes.forEach((key, value) -> list.add(new Change(key, value, cause)));
        return list;
    }

    /** Forgets the heights before {@code height}, as the trie forgets their versions. */
    synchronized void forgetBefore(long height) {
        if (height <= keptFrom) {
            return;
        }
        while (!byHeight.isEmpty() && byHeight.firstKey() < height) {
            dropOldest();
        }
        unrecorded.headSet(height).clear();
        keptFrom = height;
        collectedBefore = height;
    }

    private void dropOldest() {
        Map.Entry<Long, List<Change>> oldest = byHeight.pollFirstEntry();
        for (Change change : oldest.getValue()) {
            bytes -= change.bytes();
        }
        keptFrom = Math.max(keptFrom, oldest.getKey() + 1);
    }

    /**
     * Block {@code height}'s writes in the order they were made; empty for a height nothing wrote or one
     * no longer kept (nearcore answers a collected block's changes empty too: its header stays, its
     * StateChanges are cleared).
     */
    public synchronized List<Change> at(long height) {
        List<Change> changes = byHeight.get(height);
        return changes == null ? List.of() : List.copyOf(changes);
    }

    /** Whether block {@code height}'s writes are still kept (false once collected or dropped for memory). */
    public synchronized boolean keeps(long height) {
        return height >= keptFrom;
    }

    /**
     * Whether block {@code height}'s writes were dropped to bound memory while its block is still kept: what
     * it wrote is unknown here (an empty answer would say it wrote nothing).
     */
    public synchronized boolean droppedForMemory(long height) {
        return height < keptFrom && height >= collectedBefore;
    }
}

package dev.outlayer.bench.targetsystem.state;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The simulator's state: one {@link MerkleTrie} over every account's contract code and data, the
 * version each block height ended with (for its state root), and commits applied one at a time.
 * Readers take {@link #current()} and keep a consistent version for as long as they need it.
 * Every commit goes to the {@link StateLog} first: nothing is visible before it is kept.
 * Thread-safe.
 */
public final class StateTrie {
    /**
     * Heights whose state (and so state root) is kept, counted back from the latest commit: the blocks
     * the emulator still answers, as nearcore answers the blocks it has not garbage-collected.
     */
    public static final int HEIGHTS_KEPT = 1_024;

    private volatile MerkleTrie current = MerkleTrie.EMPTY;
    private final NavigableMap<Long, MerkleTrie> byHeight = new ConcurrentSkipListMap<>();
    private volatile long firstHeight = Long.MAX_VALUE;
    /** The oldest height whose state is still answered: {@link #HEIGHTS_KEPT} before the latest commit. */
    private volatile long keptFrom = Long.MIN_VALUE;

    private final StateLog log;
    private final StateChanges changes = new StateChanges();

    public StateTrie() {
        this(StateLog.NONE);
    }

    public StateTrie(StateLog log) {
        this.log = log;
    }

    /** Each kept block's writes with their causes (EXPERIMENTAL_changes). */
    public StateChanges changes() {
        return changes;
    }

    /** The log commits go to. */
    public StateLog log() {
        return log;
    }

    /** Starts from stored entries (already in the log, so not written again) as of block {@code height}. */
    public synchronized void restore(Map<byte[], byte[]> entries, long height) {
        install(entries, height);
    }

    public MerkleTrie current() {
        return current;
    }

    /**
     * Applies one commit (trie key -> value, null removes) as of block {@code height}, all at once:
     * a reader sees all of it or none.
     */
    public synchronized void apply(Map<byte[], byte[]> changes, long height) {
        apply(changes, height, List.of());
    }

    /**
     * As {@link #apply(Map, long)}, keeping {@code writes} as what block {@code height} wrote and why
     * (the commit's entries, or with a value they passed through on the way: nearcore's changes list
     * every write of a key within the block).
     */
    public synchronized void apply(Map<byte[], byte[]> changes, long height, List<StateChanges.Change> writes) {
        // A receipt of an earlier block can commit after another thread committed a later one: its writes
        // are its block's, the state version it makes is the latest (versions only move forward).
        long version = byHeight.isEmpty() ? height : Math.max(height, byHeight.lastKey());
        log.append(changes, version);
        install(changes, version);
        keptFrom = Math.max(keptFrom, version - HEIGHTS_KEPT);
        if (writes.isEmpty() && !changes.isEmpty()) {
            this.changes.unrecordedWrites(height);
        } else {
            this.changes.record(height, writes);
        }
        this.changes.forgetBefore(keptFrom);
        // firstKey is O(1) where size() would walk the whole map on every commit.
        if (version - byHeight.firstKey() > HEIGHTS_KEPT) {
            // The version in effect at the window's start stays: it is the state of every kept height
            // up to the next commit (dropping it gave those blocks a later root).
            Long windowStart = byHeight.floorKey(version - HEIGHTS_KEPT);
            if (windowStart != null) {
                byHeight.headMap(windowStart).clear();
            }
        }
    }

    /** Makes {@code changes} the current version, and the version of {@code height}. */
    private void install(Map<byte[], byte[]> changes, long height) {
        MerkleTrie next = current;
        for (Map.Entry<byte[], byte[]> change : changes.entrySet()) {
            next = next.with(change.getKey(), change.getValue());
        }
        current = next;
        firstHeight = Math.min(firstHeight, height);
        byHeight.put(height, next);
    }

    /**
     * The lowest block height whose parent's state is kept (the tail of the answered blocks, as
     * nearcore's chain tail after GC), or {@link Long#MIN_VALUE} while no committed state has left the
     * window: then every block is kept.
     */
    public long firstKeptBlock() {
        long from = keptFrom;
        return from > firstHeight ? from + 1 : Long.MIN_VALUE;
    }

    /**
     * The state root at the end of block {@code height}: the latest commit at or before it; null for a
     * height before the kept window (more than {@link #HEIGHTS_KEPT} before the latest commit), whose
     * version may be gone: its block is garbage-collected.
     */
    public byte[] stateRoot(long height) {
        if (height < firstHeight) {
            return MerkleTrie.EMPTY_ROOT.clone();
        }
        Map.Entry<Long, MerkleTrie> at = height < keptFrom ? null : byHeight.floorEntry(height);
        return at == null ? null : at.getValue().rootHash();
    }
}

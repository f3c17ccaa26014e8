package dev.outlayer.bench.targetsystem.state;

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
    /** Heights kept for state roots; older blocks answer with the oldest kept version. */
    private static final int HEIGHTS_KEPT = 1_024;

    private volatile MerkleTrie current = MerkleTrie.EMPTY;
    private final NavigableMap<Long, MerkleTrie> byHeight = new ConcurrentSkipListMap<>();
    private volatile long firstHeight = Long.MAX_VALUE;
    private final StateLog log;

    public StateTrie() {
        this(StateLog.NONE);
    }

    public StateTrie(StateLog log) {
        this.log = log;
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
        log.append(changes, height);
        install(changes, height);
        // firstKey is O(1) where size() would walk the whole map on every commit.
        if (height - byHeight.firstKey() > HEIGHTS_KEPT) {
            byHeight.headMap(height - HEIGHTS_KEPT).clear();
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

    /** The state root at the end of block {@code height}: the latest commit at or before it. */
    public byte[] stateRoot(long height) {
        if (height < firstHeight) {
            return MerkleTrie.EMPTY_ROOT.clone();
        }
        Map.Entry<Long, MerkleTrie> at = byHeight.floorEntry(height);
        // Past the kept window: the oldest version kept is the closest this can answer.
        return (at != null ? at.getValue() : byHeight.firstEntry().getValue()).rootHash();
    }
}

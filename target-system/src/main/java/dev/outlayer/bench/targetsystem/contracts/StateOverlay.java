package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.state.AccountStorage;
import dev.outlayer.bench.targetsystem.state.MerkleTrie;
import dev.outlayer.bench.targetsystem.state.StateTrie;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;

/**
 * One call's view of an account's storage: reads fall through to one version of the state trie,
 * writes stay here until the call succeeds and the simulator commits them all at once. Like
 * nearcore's TrieUpdate, a key this call already wrote or removed is answered from here without
 * touching the trie; every other access reports the trie nodes its lookup touched
 * ({@link #lastNodesTouched()}), which the host function charges.
 */
public final class StateOverlay {
    /** Marks a key removed in this call. */
    private static final byte[] REMOVED = new byte[0];

    private final AccountStorage committed;
    private final Map<Bytes, byte[]> pending = new LinkedHashMap<>();
    private int lastNodesTouched;
    private long nodesTouched;

    public StateOverlay(AccountStorage committed) {
        this.committed = committed;
    }

    /** {@code entries} as the whole state of an account in a trie of their own (for direct VmLogic use). */
    public StateOverlay(NavigableMap<Bytes, byte[]> entries) {
        this(storageOf(entries));
    }

    /** {@code entries} as one account's whole contract data, in a trie of their own. */
    static AccountStorage storageOf(NavigableMap<Bytes, byte[]> entries) {
        String account = "state.overlay";
        StateTrie trie = new StateTrie();
        AccountStorage keys = new AccountStorage(MerkleTrie.EMPTY, account);
        Map<byte[], byte[]> changes = new LinkedHashMap<>();
        entries.forEach((k, v) -> changes.put(keys.trieKey(k.array()), v));
        trie.apply(changes, 0);
        return new AccountStorage(trie.current(), account);
    }

    public byte[] get(byte[] key) {
        Bytes k = Bytes.wrap(key);
        byte[] local = pending.get(k);
        if (local != null) {
            lastNodesTouched = 0;
            return local == REMOVED ? null : local;
        }
        MerkleTrie.Lookup lookup = committed.get(key);
        lastNodesTouched = lookup.nodesTouched();
        nodesTouched += lookup.nodesTouched();
        return lookup.value();
    }

    /** Trie nodes the last get, put or remove touched (0 when this call's own writes answered it). */
    public int lastNodesTouched() {
        return lastNodesTouched;
    }

    /** Trie nodes this call's storage accesses touched in all. */
    public long nodesTouched() {
        return nodesTouched;
    }

    /** Stores {@code value} and returns what it replaced, or null. */
    public byte[] put(byte[] key, byte[] value) {
        byte[] previous = get(key);
        pending.put(Bytes.wrap(key), value);
        return previous;
    }

    /** Removes {@code key} and returns what was there, or null. */
    public byte[] remove(byte[] key) {
        byte[] previous = get(key);
        if (previous != null) {
            pending.put(Bytes.wrap(key), REMOVED);
        }
        return previous;
    }

    /** The writes of this call, in order; a null value is a removal. */
    public Map<Bytes, byte[]> changes() {
        Map<Bytes, byte[]> out = new LinkedHashMap<>();
        pending.forEach((k, v) -> out.put(k, v == REMOVED ? null : v));
        return out;
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }
}

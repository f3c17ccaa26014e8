package dev.outlayer.bench.targetsystem.contracts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;

/**
 * One call's view of an account's storage: reads fall through to the committed state, writes
 * stay here until the call succeeds and {@link AccountState#commit} applies them all at once.
 */
public final class StateOverlay {
    /** Marks a key removed in this call. */
    private static final byte[] REMOVED = new byte[0];

    private final NavigableMap<Bytes, byte[]> committed;
    private final Map<Bytes, byte[]> pending = new LinkedHashMap<>();

    public StateOverlay(NavigableMap<Bytes, byte[]> committed) {
        this.committed = committed;
    }

    public byte[] get(byte[] key) {
        Bytes k = Bytes.wrap(key);
        byte[] local = pending.get(k);
        if (local != null) {
            return local == REMOVED ? null : local;
        }
        return committed.get(k);
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

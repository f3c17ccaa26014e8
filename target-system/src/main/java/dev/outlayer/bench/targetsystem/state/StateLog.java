package dev.outlayer.bench.targetsystem.state;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Where the state trie's commits are kept across restarts (a port: the root wires a durable store
 * for {@code --data-dir}, or {@link #NONE}). Entries are the trie's own keys and values, nearcore's
 * flat state: reading them all back rebuilds the same trie.
 */
public interface StateLog {
    /**
     * Makes one commit durable, all of it or none, before it returns; a failure throws and keeps
     * nothing of it.
     */
    void append(Map<byte[], byte[]> changes, long height);

    /** Every stored entry, in no particular order. */
    void forEach(BiConsumer<byte[], byte[]> entry);

    /** Moves a stored entry that no longer loads aside (kept for a look, no longer served). */
    void quarantine(byte[] key, String reason);

    /** The height of the last commit kept, 0 when none. */
    long lastHeight();

    /** Keeps nothing: the in-memory default. */
    StateLog NONE = new StateLog() {
        @Override
        public void append(Map<byte[], byte[]> changes, long height) {}

        @Override
        public void forEach(BiConsumer<byte[], byte[]> entry) {}

        @Override
        public void quarantine(byte[] key, String reason) {}

        @Override
        public long lastHeight() {
            return 0;
        }
    };
}

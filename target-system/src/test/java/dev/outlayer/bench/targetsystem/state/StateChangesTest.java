package dev.outlayer.bench.targetsystem.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The writes each block keeps for EXPERIMENTAL_changes: in order, collected with the trie's heights, bounded. */
class StateChangesTest {
    private static final StateChanges.Cause TX = StateChanges.Cause.transactionProcessing("tx");

    private static Map<byte[], byte[]> write(byte[] key, byte[] value) {
        Map<byte[], byte[]> changes = new LinkedHashMap<>();
        changes.put(key, value);
        return changes;
    }

    @Test
    void aCommitOfAnEarlierBlockKeepsItsWritesThereAndMovesTheStateForwardOnly() {
        StateTrie trie = new StateTrie();
        Map<byte[], byte[]> later = write(new byte[] {1}, new byte[] {10});
        trie.apply(later, 101, StateChanges.of(later, TX));
        byte[] rootAt100 = trie.stateRoot(100);
        Map<byte[], byte[]> earlier = write(new byte[] {2}, new byte[] {20});
        trie.apply(earlier, 100, StateChanges.of(earlier, StateChanges.Cause.receiptProcessing("r")));

        assertThat(trie.changes().at(100)).extracting(c -> c.key()[0]).containsExactly((byte) 2);
        assertThat(trie.changes().at(101)).extracting(c -> c.key()[0]).containsExactly((byte) 1);
        assertThat(trie.stateRoot(101))
                .as("the later block's state holds both commits")
                .isEqualTo(trie.current().rootHash());
        assertThat(trie.stateRoot(100))
                .as("an earlier block's state is not rewritten with a later block's writes")
                .isEqualTo(rootAt100);
    }

    @Test
    void aBlocksWritesAreKeptInOrderAndCollectedWithTheTriesHeights() {
        StateTrie trie = new StateTrie();
        Map<byte[], byte[]> first = write(new byte[] {1}, new byte[] {10});
        trie.apply(first, 100, StateChanges.of(first, TX));
        Map<byte[], byte[]> second = write(new byte[] {1}, null);
        trie.apply(second, 100, StateChanges.of(second, StateChanges.Cause.receiptProcessing("r")));
        trie.apply(write(new byte[] {2}, new byte[] {20}), 100); // no cause: not kept

        List<StateChanges.Change> at = trie.changes().at(100);
        assertThat(at).hasSize(2);
        assertThat(at.get(0).value()).containsExactly(10);
        assertThat(at.get(1).value()).isNull();
        assertThat(at.get(1).cause().type()).isEqualTo("receipt_processing");

        Map<byte[], byte[]> later = write(new byte[] {3}, new byte[] {30});
        trie.apply(later, 100 + StateTrie.HEIGHTS_KEPT + 1, StateChanges.of(later, TX));
        assertThat(trie.changes().keeps(100))
                .as("collected with the trie's version")
                .isFalse();
        assertThat(trie.changes().droppedForMemory(100))
                .as("collected, not dropped")
                .isFalse();
        assertThat(trie.changes().at(100)).isEmpty();
        assertThat(trie.changes().at(100 + StateTrie.HEIGHTS_KEPT + 1)).hasSize(1);
    }

    @Test
    void aWriteCountsItsHeapNotOnlyItsBytes() {
        StateChanges changes = new StateChanges();
        int writes = (int) (StateChanges.MAX_BYTES / StateChanges.OVERHEAD) + 10;
        for (int i = 0; i < writes; i++) {
            changes.record(i / 1_000, StateChanges.of(write(new byte[] {1}, new byte[] {2}), TX));
        }
        assertThat(changes.droppedForMemory(0))
                .as("%d two-byte writes are %d MB of heap", writes, writes * (StateChanges.OVERHEAD + 2) >> 20)
                .isTrue();
    }

    @Test
    void theOldestHeightsGoFirstPastTheByteBound() {
        StateChanges changes = new StateChanges();
        byte[] big = new byte[(int) (StateChanges.MAX_BYTES / 2)];
        changes.record(1, StateChanges.of(write(new byte[] {1}, big), TX));
        changes.record(2, StateChanges.of(write(new byte[] {2}, big), TX));
        changes.record(3, StateChanges.of(write(new byte[] {3}, big), TX));

        assertThat(changes.keeps(1)).isFalse();
        assertThat(changes.droppedForMemory(1))
                .as("unknown, not empty: the RPC answers an error rather than no changes")
                .isTrue();
        assertThat(changes.at(3)).hasSize(1);
        assertThat(changes.droppedForMemory(3)).isFalse();
        changes.record(1, StateChanges.of(write(new byte[] {1}, new byte[1]), TX));
        assertThat(changes.at(1)).as("a dropped height takes no more writes").isEmpty();
    }
}

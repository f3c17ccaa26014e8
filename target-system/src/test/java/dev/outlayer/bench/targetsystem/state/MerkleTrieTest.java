package dev.outlayer.bench.targetsystem.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MerkleTrieTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hexPrefixEncodingIsNearcores() {
        // Flag nibble: 2 for a leaf, 1 for an odd length (first nibble then rides in the low half).
        assertThat(MerkleTrie.hexPrefix(new byte[] {1, 2, 3}, true)).containsExactly(0x31, 0x23);
        assertThat(MerkleTrie.hexPrefix(new byte[] {1, 2}, true)).containsExactly(0x20, 0x12);
        assertThat(MerkleTrie.hexPrefix(new byte[] {0xA}, false)).containsExactly(0x1A);
        assertThat(MerkleTrie.hexPrefix(new byte[0], false)).containsExactly(0x00);
    }

    @Test
    void lookupsCountTheNodesOnThePath() {
        MerkleTrie trie = MerkleTrie.EMPTY;
        assertThat(trie.get(utf8("a")).nodesTouched()).isZero();
        trie = trie.with(new byte[] {0x01, 0x41}, utf8("code"));
        // One leaf: found or not, the walk reads it.
        assertThat(trie.get(new byte[] {0x01, 0x41}).nodesTouched()).isEqualTo(1);
        assertThat(trie.get(new byte[] {0x09, 0x41}).nodesTouched()).isEqualTo(1);
        trie = trie.with(new byte[] {0x09, 0x41}, utf8("data"));
        // extension [0] -> branch {1, 9} -> leaf
        MerkleTrie.Lookup data = trie.get(new byte[] {0x09, 0x41});
        assertThat(data.value()).isEqualTo(utf8("data"));
        assertThat(data.nodesTouched()).isEqualTo(3);
        // Absent under an existing child: still 3; absent at the branch (no child 5): 2.
        assertThat(trie.get(new byte[] {0x09, 0x42}).nodesTouched()).isEqualTo(3);
        assertThat(trie.get(new byte[] {0x05}).nodesTouched()).isEqualTo(2);
    }

    @Test
    void aKeyThatIsAPrefixOfAnotherLivesInABranchValue() {
        MerkleTrie trie = MerkleTrie.EMPTY.with(utf8("ab"), utf8("1")).with(utf8("abc"), utf8("2"));
        assertThat(trie.get(utf8("ab")).value()).isEqualTo(utf8("1"));
        assertThat(trie.get(utf8("abc")).value()).isEqualTo(utf8("2"));
        assertThat(trie.get(utf8("a")).value()).isNull();
        MerkleTrie removed = trie.with(utf8("ab"), null);
        assertThat(removed.get(utf8("ab")).value()).isNull();
        assertThat(removed.rootHash())
                .isEqualTo(MerkleTrie.EMPTY.with(utf8("abc"), utf8("2")).rootHash());
    }

    @Test
    void equalContentsGiveEqualRootsWhateverTheOrderOfUpdates() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            Map<String, String> contents = new HashMap<>();
            List<String[]> operations = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String key = Integer.toString(random.nextInt(40), 7);
                if (random.nextInt(4) == 0) {
                    operations.add(new String[] {key, null});
                    contents.remove(key);
                } else {
                    String value = "v" + random.nextInt(1000);
                    operations.add(new String[] {key, value});
                    contents.put(key, value);
                }
            }
            MerkleTrie applied = MerkleTrie.EMPTY;
            for (String[] op : operations) {
                applied = applied.with(utf8(op[0]), op[1] == null ? null : utf8(op[1]));
            }
            List<String> keys = new ArrayList<>(contents.keySet());
            Collections.shuffle(keys, random);
            MerkleTrie fresh = MerkleTrie.EMPTY;
            for (String key : keys) {
                fresh = fresh.with(utf8(key), utf8(contents.get(key)));
            }
            assertThat(applied.rootHash()).as("round %d", round).isEqualTo(fresh.rootHash());
            assertThat(applied.memoryUsage()).isEqualTo(fresh.memoryUsage());
            for (String key : keys) {
                assertThat(applied.get(utf8(key)).value()).isEqualTo(utf8(contents.get(key)));
            }
        }
    }

    @Test
    void removingEverythingLeavesTheEmptyRoot() {
        MerkleTrie trie = MerkleTrie.EMPTY.with(utf8("x"), utf8("1")).with(utf8("xy"), utf8("2"));
        assertThat(trie.rootHash()).isNotEqualTo(MerkleTrie.EMPTY_ROOT);
        trie = trie.with(utf8("x"), null).with(utf8("xy"), null);
        assertThat(trie.rootHash()).isEqualTo(MerkleTrie.EMPTY_ROOT);
        assertThat(trie.memoryUsage()).isZero();
    }

    @Test
    void aReaderKeepsItsVersionWhileCommitsGoOn() {
        StateTrie state = new StateTrie();
        state.apply(Map.of(utf8("k"), utf8("old")), 10);
        MerkleTrie reader = state.current();
        state.apply(Map.of(utf8("k"), utf8("new")), 12);
        assertThat(reader.get(utf8("k")).value()).isEqualTo(utf8("old"));
        assertThat(state.current().get(utf8("k")).value()).isEqualTo(utf8("new"));
        // Block 11 ended with the state of 10; before the first commit the state was empty.
        assertThat(state.stateRoot(11)).isEqualTo(reader.rootHash());
        assertThat(state.stateRoot(12)).isEqualTo(state.current().rootHash());
        assertThat(state.stateRoot(9)).isEqualTo(MerkleTrie.EMPTY_ROOT);
    }

    @Test
    void contractDataKeysAreNearcoresLayout() {
        byte[] key = TrieKeys.contractData(TrieKeys.contractDataPrefix("a.near"), utf8("STATE"));
        assertThat(key).isEqualTo(utf8("\u0009a.near,STATE"));
        assertThat(TrieKeys.contractCode("a.near")).isEqualTo(utf8("\u0001a.near"));
    }
}

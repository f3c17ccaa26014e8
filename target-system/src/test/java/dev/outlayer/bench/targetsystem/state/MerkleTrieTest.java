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
    void heightsInTheKeptWindowShowTheirOwnRootAndOlderOnesNone() {
        StateTrie state = new StateTrie();
        state.apply(Map.of(utf8("k"), utf8("first")), 10);
        byte[] first = state.current().rootHash();
        state.apply(Map.of(utf8("k"), utf8("second")), 20);
        byte[] second = state.current().rootHash();
        long later = 20 + StateTrie.HEIGHTS_KEPT + 500;
        state.apply(Map.of(utf8("k"), utf8("third")), later);

        // Quiet from 20 until the commit at `later`: every height in the window ended with 20's state
        // (the commit dropped 20's version, and those heights showed the newest root).
        assertThat(state.stateRoot(later - StateTrie.HEIGHTS_KEPT)).isEqualTo(second);
        assertThat(state.stateRoot(later - 1)).isEqualTo(second);
        assertThat(state.stateRoot(later)).isEqualTo(state.current().rootHash());
        // Before the window the state is no longer kept: its blocks are garbage-collected (they showed
        // the oldest root kept instead).
        assertThat(state.stateRoot(19)).as("the state of 10, dropped").isNull();
        assertThat(first).isNotEqualTo(second);
        assertThat(state.stateRoot(9)).as("before any commit: empty").isEqualTo(MerkleTrie.EMPTY_ROOT);
    }

    @Test
    void contractDataKeysAreNearcoresLayout() {
        byte[] key = TrieKeys.contractData(TrieKeys.contractDataPrefix("a.near"), utf8("STATE"));
        assertThat(key).isEqualTo(utf8("\u0009a.near,STATE"));
        assertThat(TrieKeys.contractCode("a.near")).isEqualTo(utf8("\u0001a.near"));
    }

    /** keys 12 34, 12 35 and 56: a root branch, an extension 2 3 to a branch of two leaves, and a leaf 6. */
    private static MerkleTrie threeKeys() {
        return MerkleTrie.EMPTY
                .with(new byte[] {0x12, 0x34}, utf8("one"))
                .with(new byte[] {0x12, 0x35}, utf8("two"))
                .with(new byte[] {0x56}, utf8("three"));
    }

    @Test
    void aPrefixSeekVisitsTheNodesNearcoresIteratorFetchesInItsOrder() {
        MerkleTrie trie = threeKeys();

        List<byte[]> inExtension = trie.prefixSeekNodes(new byte[] {0x12});
        // root (the iterator's), root again (seek_prefix), the extension 2 3 the prefix ends inside,
        // then all below it: the branch and its two leaves
        assertThat(inExtension).hasSize(6);
        assertThat(MerkleTrie.sha256(inExtension.get(0))).isEqualTo(trie.rootHash());
        assertThat(inExtension.get(1)).isEqualTo(inExtension.get(0));
        assertChained(inExtension);
        assertThat(inExtension.get(2)[0]).as("an extension node").isEqualTo((byte) 3);
        assertThat(inExtension.get(3)[0]).as("a branch node").isEqualTo((byte) 1);
        assertThat(inExtension.get(4)[0]).as("a leaf").isZero();

        assertThat(trie.prefixSeekNodes(new byte[] {0x56}))
                .as("root twice and the leaf")
                .hasSize(3);
        assertThat(trie.prefixSeekNodes(new byte[] {(byte) 0x99}))
                .as("no child 9: the root twice only")
                .hasSize(2);
        List<byte[]> everything = trie.prefixSeekNodes(new byte[0]);
        assertThat(everything).as("root twice, then every node").hasSize(7);
        assertChained(everything);
        assertThat(MerkleTrie.EMPTY.prefixSeekNodes(new byte[] {1})).isEmpty();
    }

    /** Each node after the first two is a child of a node before it: its hash is in that node's bytes. */
    private static void assertChained(List<byte[]> nodes) {
        for (int i = 2; i < nodes.size(); i++) {
            byte[] hash = MerkleTrie.sha256(nodes.get(i));
            boolean referenced = false;
            for (int j = 0; j < i && !referenced; j++) {
                referenced = indexOf(nodes.get(j), hash) >= 0;
            }
            assertThat(referenced)
                    .as("node %d is referenced by an earlier one", i)
                    .isTrue();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

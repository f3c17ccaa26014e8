package dev.outlayer.bench.targetsystem.state;

/**
 * One account's contract data in one version of the state trie, as a call reads it: each lookup
 * walks the trie under the account's prefix and reports the nodes it touched, which the call
 * charges as nearcore charges touching_trie_node.
 */
public final class AccountStorage {
    private final MerkleTrie trie;
    private final byte[] prefix;

    public AccountStorage(MerkleTrie trie, String accountId) {
        this.trie = trie;
        this.prefix = TrieKeys.contractDataPrefix(accountId);
    }

    public MerkleTrie.Lookup get(byte[] key) {
        return trie.get(TrieKeys.contractData(prefix, key));
    }

    /** The trie key of the account's contract key {@code key}. */
    public byte[] trieKey(byte[] key) {
        return TrieKeys.contractData(prefix, key);
    }
}

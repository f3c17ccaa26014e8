package dev.outlayer.bench.targetsystem.state;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable Merkle-Patricia trie laid out as nearcore's ({@code core/store/src/trie}): keys are
 * walked as nibbles (4-bit halves, high first) through branch nodes (16 children and an optional
 * value), extension nodes (a shared run of nibbles) and leaf nodes (the rest of the key and the
 * value). An update copies only the path it changes, so a reader holding an older trie keeps
 * seeing that version while a commit builds the next one.
 *
 * <p>The structure is canonical (a branch left with one child and no value is folded into its
 * neighbour, as nearcore's deletion does), so equal contents give an equal {@link #rootHash()}.
 * Node hashes follow nearcore's {@code RawTrieNodeWithSize}: sha256 of the Borsh form of the node
 * (leaf 0, branch 1, branch with value 2, extension 3; paths hex-prefix encoded; values as
 * length + sha256) followed by the subtree's memory usage from nearcore's TRIE_COSTS (50 per node,
 * 2 per encoded path byte, 1 per value byte plus 50 per value).
 */
public final class MerkleTrie {
    public static final MerkleTrie EMPTY = new MerkleTrie(null);
    /** nearcore's Trie::EMPTY_ROOT: CryptoHash::default(). */
    public static final byte[] EMPTY_ROOT = new byte[32];

    private static final long NODE_COST = 50;
    private static final long BYTE_OF_KEY = 2;
    private static final long BYTE_OF_VALUE = 1;
    private static final byte[] NO_NIBBLES = new byte[0];

    private final Node root;

    private MerkleTrie(Node root) {
        this.root = root;
    }

    /** A lookup's answer: the value (null when absent) and how many nodes the walk read. */
    public record Lookup(byte[] value, int nodesTouched) {}

    /** Walks to {@code key} as nearcore's lookup does, counting every node it reads (0 on an empty trie). */
    public Lookup get(byte[] key) {
        byte[] path = nibbles(key);
        int at = 0;
        int touched = 0;
        Node node = root;
        while (node != null) {
            touched++;
            if (node instanceof Leaf leaf) {
                return new Lookup(matches(leaf.path, path, at) ? leaf.value : null, touched);
            }
            if (node instanceof Extension ext) {
                if (!startsWith(path, at, ext.path)) {
                    return new Lookup(null, touched);
                }
                at += ext.path.length;
                node = ext.child;
            } else {
                Branch branch = (Branch) node;
                if (at == path.length) {
                    return new Lookup(branch.value, touched);
                }
                node = branch.children[path[at++]];
            }
        }
        return new Lookup(null, touched);
    }

    /** This trie with {@code key} set to {@code value}, or removed when {@code value} is null. */
    public MerkleTrie with(byte[] key, byte[] value) {
        byte[] path = nibbles(key);
        Node updated = value == null ? delete(root, path, 0) : insert(root, path, 0, value);
        return updated == root ? this : new MerkleTrie(updated);
    }

    /** The root hash: 32 zero bytes for the empty trie, as nearcore's EMPTY_ROOT. */
    public byte[] rootHash() {
        return root == null ? EMPTY_ROOT.clone() : root.hash().clone();
    }

    /** nearcore's memory usage of the whole trie (what the root's hash commits to). */
    public long memoryUsage() {
        return root == null ? 0 : root.memoryUsage();
    }

    // ---- update ----

    private static Node insert(Node node, byte[] path, int at, byte[] value) {
        if (node == null) {
            return new Leaf(Arrays.copyOfRange(path, at, path.length), value);
        }
        if (node instanceof Leaf leaf) {
            int common = commonPrefix(leaf.path, 0, path, at);
            if (common == leaf.path.length && at + common == path.length) {
                return new Leaf(leaf.path, value);
            }
            Node[] children = new Node[16];
            byte[] branchValue = null;
            if (common == leaf.path.length) {
                branchValue = leaf.value;
            } else {
                children[leaf.path[common]] =
                        new Leaf(Arrays.copyOfRange(leaf.path, common + 1, leaf.path.length), leaf.value);
            }
            int rest = at + common;
            if (rest == path.length) {
                branchValue = value;
            } else {
                children[path[rest]] = new Leaf(Arrays.copyOfRange(path, rest + 1, path.length), value);
            }
            return prefixed(Arrays.copyOfRange(leaf.path, 0, common), new Branch(children, branchValue));
        }
        if (node instanceof Extension ext) {
            int common = commonPrefix(ext.path, 0, path, at);
            if (common == ext.path.length) {
                return new Extension(ext.path, insert(ext.child, path, at + common, value));
            }
            Node[] children = new Node[16];
            children[ext.path[common]] = common + 1 == ext.path.length
                    ? ext.child
                    : new Extension(Arrays.copyOfRange(ext.path, common + 1, ext.path.length), ext.child);
            Branch branch = new Branch(children, null);
            return prefixed(Arrays.copyOfRange(ext.path, 0, common), insert(branch, path, at + common, value));
        }
        Branch branch = (Branch) node;
        if (at == path.length) {
            return new Branch(branch.children, value);
        }
        Node[] children = branch.children.clone();
        children[path[at]] = insert(children[path[at]], path, at + 1, value);
        return new Branch(children, branch.value);
    }

    private static Node delete(Node node, byte[] path, int at) {
        if (node == null) {
            return null;
        }
        if (node instanceof Leaf leaf) {
            return matches(leaf.path, path, at) ? null : leaf;
        }
        if (node instanceof Extension ext) {
            if (!startsWith(path, at, ext.path)) {
                return ext;
            }
            Node child = delete(ext.child, path, at + ext.path.length);
            return child == ext.child ? ext : prefixed(ext.path, child);
        }
        Branch branch = (Branch) node;
        if (at == path.length) {
            return branch.value == null ? branch : folded(branch.children, null);
        }
        Node child = branch.children[path[at]];
        Node updated = delete(child, path, at + 1);
        if (updated == child) {
            return branch;
        }
        Node[] children = branch.children.clone();
        children[path[at]] = updated;
        return folded(children, branch.value);
    }

    /** {@code node} under a run of nibbles, merged into it when it is a leaf or an extension. */
    private static Node prefixed(byte[] prefix, Node node) {
        if (node == null || prefix.length == 0) {
            return node;
        }
        if (node instanceof Leaf leaf) {
            return new Leaf(concat(prefix, leaf.path), leaf.value);
        }
        if (node instanceof Extension ext) {
            return new Extension(concat(prefix, ext.path), ext.child);
        }
        return new Extension(prefix, node);
    }

    /** A branch after a deletion: none left -> gone or a leaf; one child and no value -> merged down. */
    private static Node folded(Node[] children, byte[] value) {
        int count = 0;
        int only = -1;
        for (int i = 0; i < 16; i++) {
            if (children[i] != null) {
                count++;
                only = i;
            }
        }
        if (count == 0) {
            return value == null ? null : new Leaf(NO_NIBBLES, value);
        }
        if (count == 1 && value == null) {
            return prefixed(new byte[] {(byte) only}, children[only]);
        }
        return new Branch(children, value);
    }

    // ---- nibbles ----

    static byte[] nibbles(byte[] key) {
        byte[] out = new byte[key.length * 2];
        for (int i = 0; i < key.length; i++) {
            out[2 * i] = (byte) ((key[i] >> 4) & 0xF);
            out[2 * i + 1] = (byte) (key[i] & 0xF);
        }
        return out;
    }

    private static boolean matches(byte[] rest, byte[] path, int at) {
        return path.length - at == rest.length && Arrays.equals(rest, 0, rest.length, path, at, path.length);
    }

    private static boolean startsWith(byte[] path, int at, byte[] prefix) {
        return path.length - at >= prefix.length
                && Arrays.equals(prefix, 0, prefix.length, path, at, at + prefix.length);
    }

    private static int commonPrefix(byte[] a, int aFrom, byte[] b, int bFrom) {
        int n = 0;
        while (aFrom + n < a.length && bFrom + n < b.length && a[aFrom + n] == b[bFrom + n]) {
            n++;
        }
        return n;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** nearcore's NibbleSlice::encode_nibbles: flag nibble (0x2 leaf, 0x1 odd), then packed nibbles. */
    static byte[] hexPrefix(byte[] nibbles, boolean leaf) {
        boolean odd = nibbles.length % 2 == 1;
        byte[] out = new byte[nibbles.length / 2 + 1];
        out[0] = (byte) ((leaf ? 0x20 : 0) | (odd ? 0x10 | nibbles[0] : 0));
        int from = odd ? 1 : 0;
        for (int i = from, o = 1; i < nibbles.length; i += 2, o++) {
            out[o] = (byte) ((nibbles[i] << 4) | nibbles[i + 1]);
        }
        return out;
    }

    /**
     * The nodes (each as nearcore's RawTrieNodeWithSize bytes, whose sha256 is its hash) that
     * nearcore's trie iterator fetches to list the keys starting with {@code prefix}, in its order
     * (core/store/src/trie/ops/iter.rs, as view_state's include_proof records them): the root once
     * when the iterator is made and again when seek_prefix starts, the path to the prefix, then the
     * subtree under it depth first, children in nibble order. Values are not among them, and an
     * empty trie gives none.
     */
    public List<byte[]> prefixSeekNodes(byte[] prefix) {
        List<byte[]> visited = new ArrayList<>();
        if (root == null) {
            return visited;
        }
        visited.add(root.encoded()); // TrieIteratorImpl::new descends into the root
        byte[] key = nibbles(prefix);
        int at = 0;
        Node node = root;
        while (true) {
            visited.add(node.encoded());
            if (node instanceof Leaf) {
                return visited; // its value is the only key it may hold
            }
            if (node instanceof Branch branch) {
                if (at == key.length) {
                    descendAll(branch, visited);
                    return visited;
                }
                Node child = branch.children[key[at]];
                if (child == null) {
                    return visited; // a prefix boundary: nothing under the prefix
                }
                node = child;
                at++;
                continue;
            }
            Extension extension = (Extension) node;
            if (startsWith(key, at, extension.path)) {
                at += extension.path.length;
                node = extension.child;
                continue;
            }
            // The prefix ends inside the extension: what is below it all starts with the prefix.
            if (startsWith(extension.path, 0, Arrays.copyOfRange(key, at, key.length))) {
                visited.add(extension.child.encoded());
                descendAll(extension.child, visited);
            }
            return visited;
        }
    }

    /** Every node below {@code node}, depth first, children in nibble order, as the iterator fetches them. */
    private static void descendAll(Node node, List<byte[]> visited) {
        if (node instanceof Branch branch) {
            for (Node child : branch.children) {
                if (child != null) {
                    visited.add(child.encoded());
                    descendAll(child, visited);
                }
            }
        } else if (node instanceof Extension extension) {
            visited.add(extension.child.encoded());
            descendAll(extension.child, visited);
        }
    }

    // ---- nodes, hashed lazily (a node never changes, so its hash is computed at most once) ----

    private abstract static sealed class Node permits Leaf, Extension, Branch {
        private byte[] hash;
        private long memoryUsage = -1;

        final byte[] hash() {
            byte[] h = hash;
            if (h == null) {
                h = sha256(encoded());
                hash = h;
            }
            return h;
        }

        /** nearcore's RawTrieNodeWithSize in Borsh: the node, then the subtree's memory usage (u64). */
        final byte[] encoded() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            serialize(out);
            writeU64(out, memoryUsage());
            return out.toByteArray();
        }

        final long memoryUsage() {
            long m = memoryUsage;
            if (m < 0) {
                m = computeMemoryUsage();
                memoryUsage = m;
            }
            return m;
        }

        abstract long computeMemoryUsage();

        abstract void serialize(ByteArrayOutputStream out);
    }

    private static final class Leaf extends Node {
        final byte[] path;
        final byte[] value;

        Leaf(byte[] path, byte[] value) {
            this.path = path;
            this.value = value;
        }

        @Override
        long computeMemoryUsage() {
            return NODE_COST + (path.length / 2 + 1) * BYTE_OF_KEY + valueMemory(value);
        }

        @Override
        void serialize(ByteArrayOutputStream out) {
            out.write(0);
            writeBytes(out, hexPrefix(path, true));
            writeValueRef(out, value);
        }
    }

    private static final class Extension extends Node {
        final byte[] path;
        final Node child;

        Extension(byte[] path, Node child) {
            this.path = path;
            this.child = child;
        }

        @Override
        long computeMemoryUsage() {
            return NODE_COST + (path.length / 2 + 1) * BYTE_OF_KEY + child.memoryUsage();
        }

        @Override
        void serialize(ByteArrayOutputStream out) {
            out.write(3);
            writeBytes(out, hexPrefix(path, false));
            out.write(child.hash(), 0, 32);
        }
    }

    private static final class Branch extends Node {
        final Node[] children;
        final byte[] value;

        Branch(Node[] children, byte[] value) {
            this.children = children;
            this.value = value;
        }

        @Override
        long computeMemoryUsage() {
            long m = NODE_COST + (value == null ? 0 : valueMemory(value));
            for (Node child : children) {
                if (child != null) {
                    m += child.memoryUsage();
                }
            }
            return m;
        }

        @Override
        void serialize(ByteArrayOutputStream out) {
            if (value == null) {
                out.write(1);
            } else {
                out.write(2);
                writeValueRef(out, value);
            }
            int bitmap = 0;
            for (int i = 0; i < 16; i++) {
                if (children[i] != null) {
                    bitmap |= 1 << i;
                }
            }
            out.write(bitmap & 0xFF);
            out.write(bitmap >>> 8);
            for (Node child : children) {
                if (child != null) {
                    out.write(child.hash(), 0, 32);
                }
            }
        }
    }

    private static long valueMemory(byte[] value) {
        return value.length * BYTE_OF_VALUE + NODE_COST;
    }

    /** Borsh ValueRef: u32 length, sha256 of the value. */
    private static void writeValueRef(ByteArrayOutputStream out, byte[] value) {
        writeU32(out, value.length);
        out.write(sha256(value), 0, 32);
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        writeU32(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    private static void writeU32(ByteArrayOutputStream out, int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
    }

    private static void writeU64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

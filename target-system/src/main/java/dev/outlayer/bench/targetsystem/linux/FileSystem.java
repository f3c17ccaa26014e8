package dev.outlayer.bench.targetsystem.linux;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One execution's view of the filesystem. Paths are resolved lexically from the root: an
 * absolute path or a {@code ..} that climbs above the root is refused (ENOTCAPABLE), so a
 * program can reach only the emulated tree. Writes are allowed only in writable directories,
 * and the bytes written are charged to a per-execution quota, as is each name ({@link
 * #ENTRY_BYTES}). Bytes are charged to the file (the inode), not to its name, in whole pages as
 * tmpfs counts them ({@link FsNode.RegularFile#blockBytes}): they are given back only once its last
 * link and its last open descriptor are gone, as Linux frees a file's blocks.
 */
final class FileSystem {
    /** The largest file a process can make (2 GiB: its contents and offsets are Java ints). */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    /**
     * What each name in /tmp costs the quota, an empty file or directory included: tmpfs's own
     * figure (BOGO_INODE_SIZE in Linux's mm/shmem.c, what it reserves per inode and per extra hard
     * link), and above what a name costs this heap (measured: about 185 bytes with a short name, 430
     * with a 255-byte one: the map entry, the name, the node), so the quota bounds the heap too.
     */
    static final long ENTRY_BYTES = 1024;

    static final int MAX_PATH = 4096;
    private static final int MAX_NAME = 255;

    final FsNode.Dir root;
    private final long quotaBytes;
    private long usedBytes;

    FileSystem(FsNode.Dir root, long quotaBytes) {
        this.root = root;
        this.quotaBytes = quotaBytes;
    }

    /**
     * Joins {@code relative} onto the directory {@code base} ("/" or "/tmp/x") and normalizes it.
     * Returns the absolute normalized path ("/" for the root).
     */
    static String normalize(String base, String relative) {
        if (relative.isEmpty()) {
            throw new SyscallError(Errno.NOENT);
        }
        if (relative.startsWith("/") || relative.indexOf('\0') >= 0) {
            throw new SyscallError(Errno.NOTCAPABLE);
        }
        if (relative.length() > MAX_PATH) {
            throw new SyscallError(Errno.NAMETOOLONG);
        }
        List<String> parts = new ArrayList<>();
        for (String part : base.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        for (String part : relative.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new SyscallError(Errno.NOTCAPABLE);
                }
                parts.remove(parts.size() - 1);
                continue;
            }
            // NAME_MAX counts bytes: 255 of UTF-8, not 255 characters (a char is at most 3 bytes)
            if (part.length() > MAX_NAME / 3 && part.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
                throw new SyscallError(Errno.NAMETOOLONG);
            }
            parts.add(part);
        }
        return "/" + String.join("/", parts);
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The node at an absolute normalized path, or null if some component is missing. */
    FsNode lookup(String path) {
        FsNode node = root;
        if (path.equals("/")) {
            return node;
        }
        for (String part : path.substring(1).split("/")) {
            if (!(node instanceof FsNode.Dir dir)) {
                throw new SyscallError(Errno.NOTDIR);
            }
            node = dir.entries.get(part);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    FsNode require(String path) {
        FsNode node = lookup(path);
        if (node == null) {
            throw new SyscallError(Errno.NOENT);
        }
        return node;
    }

    /** The directory that will hold a new entry at {@code path}; it must be writable. */
    FsNode.Dir writableParent(String path) {
        if (path.equals("/")) {
            throw new SyscallError(Errno.EXIST);
        }
        FsNode parent = require(parentOf(path));
        if (!(parent instanceof FsNode.Dir dir)) {
            throw new SyscallError(Errno.NOTDIR);
        }
        if (!dir.writable) {
            throw new SyscallError(Errno.ROFS);
        }
        return dir;
    }

    FsNode.RegularFile createFile(String path) {
        FsNode.Dir parent = writableParent(path);
        FsNode.RegularFile file = new FsNode.RegularFile(new byte[0], true, now());
        addLink(parent, nameOf(path), file);
        return file;
    }

    void mkdir(String path) {
        FsNode.Dir parent = writableParent(path);
        if (parent.entries.containsKey(nameOf(path))) {
            throw new SyscallError(Errno.EXIST);
        }
        addLink(parent, nameOf(path), new FsNode.Dir(true, now()));
    }

    /** path_link: a second name for a file of /tmp (directories cannot have one, image files are EXDEV). */
    void link(String from, String to) {
        FsNode node = require(from);
        if (node instanceof FsNode.Dir) {
            throw new SyscallError(Errno.PERM);
        }
        FsNode.Dir parent = writableParent(to);
        if (!node.writable) {
            throw new SyscallError(Errno.XDEV);
        }
        if (parent.entries.containsKey(nameOf(to))) {
            throw new SyscallError(Errno.EXIST);
        }
        addLink(parent, nameOf(to), node);
    }

    void unlink(String path, boolean directory) {
        FsNode.Dir parent = writableParent(path);
        FsNode node = parent.entries.get(nameOf(path));
        if (node == null) {
            throw new SyscallError(Errno.NOENT);
        }
        if (directory) {
            if (!(node instanceof FsNode.Dir dir)) {
                throw new SyscallError(Errno.NOTDIR);
            }
            if (!dir.entries.isEmpty()) {
                throw new SyscallError(Errno.NOTEMPTY);
            }
        } else if (node instanceof FsNode.Dir) {
            throw new SyscallError(Errno.ISDIR);
        }
        parent.entries.remove(nameOf(path));
        parent.modifiedNanos = now();
        removeLink(node);
    }

    void rename(String from, String to) {
        FsNode.Dir fromParent = writableParent(from);
        FsNode.Dir toParent = writableParent(to);
        FsNode node = fromParent.entries.get(nameOf(from));
        if (node == null) {
            throw new SyscallError(Errno.NOENT);
        }
        if (node instanceof FsNode.Dir && (to + "/").startsWith(from + "/")) {
            throw new SyscallError(Errno.INVAL);
        }
        FsNode existing = toParent.entries.get(nameOf(to));
        if (existing instanceof FsNode.Dir dir && !dir.entries.isEmpty()) {
            throw new SyscallError(Errno.NOTEMPTY);
        }
        if (existing != null && (existing instanceof FsNode.Dir) != (node instanceof FsNode.Dir)) {
            throw new SyscallError(existing instanceof FsNode.Dir ? Errno.ISDIR : Errno.NOTDIR);
        }
        if (existing == node) {
            return; // two names of one file (or one name twice): rename(2) does nothing
        }
        fromParent.entries.remove(nameOf(from));
        toParent.entries.put(nameOf(to), node);
        fromParent.modifiedNanos = toParent.modifiedNanos = now();
        if (existing != null) {
            removeLink(existing);
        }
    }

    /** A descriptor was opened on {@code node}: its data stays charged until the descriptor closes. */
    void opened(FsNode node) {
        if (node.writable) {
            node.opens++;
        }
    }

    void closed(FsNode node) {
        if (node.writable) {
            node.opens--;
            releaseIfGone(node);
        }
    }

    /** A new name for {@code node}, charged {@link #ENTRY_BYTES}. */
    private void addLink(FsNode.Dir parent, String name, FsNode node) {
        charge(ENTRY_BYTES);
        parent.entries.put(name, node);
        parent.modifiedNanos = now();
        node.links++;
    }

    /** A name gone: its cost comes back, but the last one's only with the node (see releaseIfGone). */
    private void removeLink(FsNode node) {
        node.links--;
        if (node.links > 0) {
            usedBytes -= ENTRY_BYTES;
        } else {
            releaseIfGone(node);
        }
    }

    /** Gives a node's bytes and its last name's cost back once no name and no descriptor holds it. */
    private void releaseIfGone(FsNode node) {
        if (node.links == 0 && node.opens == 0) {
            usedBytes -= ENTRY_BYTES
                    + (node instanceof FsNode.RegularFile file ? FsNode.RegularFile.blockBytes(file.size()) : 0);
        }
    }

    void write(FsNode.RegularFile file, long position, byte[] bytes, int offset, int count) {
        requireWritable(file);
        checkSize(position, count);
        long size = file.size();
        if (position + count > size) {
            charge(FsNode.RegularFile.blockBytes(position + count) - FsNode.RegularFile.blockBytes(size));
        }
        file.write(position, bytes, offset, count);
        file.modifiedNanos = now();
    }

    void truncate(FsNode.RegularFile file, long length) {
        requireWritable(file);
        checkSize(length, 0);
        charge(FsNode.RegularFile.blockBytes(length) - FsNode.RegularFile.blockBytes(file.size()));
        file.truncate(length);
        file.modifiedNanos = now();
    }

    /**
     * A file offset or size as the guest gave it (a u64 read as a signed long): negative is EINVAL,
     * past what a file here can hold EFBIG, before anything is charged, so no wrapped amount can
     * credit the quota.
     */
    private static void checkSize(long position, int count) {
        if (position < 0) {
            throw new SyscallError(Errno.INVAL);
        }
        if (position > MAX_FILE_BYTES - count) {
            throw new SyscallError(Errno.FBIG);
        }
    }

    private static void requireWritable(FsNode node) {
        if (!node.writable) {
            throw new SyscallError(Errno.ROFS);
        }
    }

    private void charge(long bytes) {
        if (usedBytes + bytes > quotaBytes) {
            throw new SyscallError(Errno.NOSPC);
        }
        usedBytes += bytes;
    }

    /** What /tmp's names and files are charged now, of {@code quotaBytes}. */
    long usedBytes() {
        return usedBytes;
    }

    static long now() {
        return System.currentTimeMillis() * 1_000_000L;
    }
}

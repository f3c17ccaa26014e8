package dev.outlayer.bench.targetsystem.linux;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node of the in-memory filesystem: a directory or a regular file. Nodes of the booted image
 * are read-only and shared by every execution; writable nodes (under /tmp) belong to one run.
 */
abstract sealed class FsNode permits FsNode.Dir, FsNode.RegularFile {
    private static final AtomicLong INODES = new AtomicLong(1);

    final long inode = INODES.getAndIncrement();
    final boolean writable;
    long modifiedNanos;
    /**
     * Of a writable node (the image's are shared and never counted): the names that link to it and
     * the descriptors open on it. Its data is charged to the /tmp quota until both are zero, as
     * Linux frees a file's blocks only after its last link and its last open descriptor are gone.
     */
    int links;

    int opens;

    FsNode(boolean writable, long modifiedNanos) {
        this.writable = writable;
        this.modifiedNanos = modifiedNanos;
    }

    abstract int fileType();

    abstract long size();

    /** A directory: names sorted so that readdir is stable. */
    static final class Dir extends FsNode {
        // No parent pointer: image directories are shared by every execution's tree, so `..` is
        // resolved lexically on the path instead (see FileSystem.normalize).
        final Map<String, FsNode> entries = new TreeMap<>();

        Dir(boolean writable, long modifiedNanos) {
            super(writable, modifiedNanos);
        }

        @Override
        int fileType() {
            return FileType.DIRECTORY;
        }

        @Override
        long size() {
            return 4096;
        }

        Dir mkdir(String name, boolean writable, long nowNanos) {
            Dir dir = new Dir(writable, nowNanos);
            entries.put(name, dir);
            return dir;
        }
    }

    /** A regular file whose bytes live on the heap; size grows in place like a Linux tmpfs file. */
    static final class RegularFile extends FsNode {
        private byte[] data;
        private int length;

        RegularFile(byte[] content, boolean writable, long modifiedNanos) {
            super(writable, modifiedNanos);
            this.data = content;
            this.length = content.length;
        }

        @Override
        int fileType() {
            return FileType.REGULAR_FILE;
        }

        @Override
        synchronized long size() {
            return length;
        }

        synchronized int read(long position, byte[] into, int offset, int count) {
            if (position >= length) {
                return 0;
            }
            int n = (int) Math.min(count, length - position);
            System.arraycopy(data, (int) position, into, offset, n);
            return n;
        }

        /** Writes and returns by how many bytes the file grew (the caller charges its quota). */
        synchronized long write(long position, byte[] from, int offset, int count) {
            long end = position + count;
            long growth = Math.max(0, end - length);
            ensureCapacity((int) end);
            System.arraycopy(from, offset, data, (int) position, count);
            length = Math.max(length, (int) end);
            return growth;
        }

        /**
         * Cut short, the array is cut too once it is more than twice the size: the quota gets
         * the bytes back, so the heap must (as it grows, the array is never more than twice the size).
         */
        synchronized void truncate(long newLength) {
            ensureCapacity((int) newLength);
            if (newLength < data.length / 2) {
                data = Arrays.copyOf(data, (int) newLength);
            } else if (newLength < length) {
                Arrays.fill(data, (int) newLength, length, (byte) 0);
            }
            length = (int) newLength;
        }

        /** The bytes this file holds on the heap, its size or more. */
        synchronized int capacity() {
            return data.length;
        }

        synchronized byte[] contents() {
            return Arrays.copyOf(data, length);
        }

        private void ensureCapacity(int capacity) {
            if (capacity > data.length) {
                data = Arrays.copyOf(data, Math.max(capacity, data.length * 2));
            }
        }
    }
}

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

    /**
     * st_nlink as Linux gives it: a file's names (0 once the last is gone while a descriptor holds
     * it; the image's files have one), a directory's 2 plus one per subdirectory (its "." and its
     * name, then each child's "..").
     */
    long linkCount() {
        if (writable && links == 0) {
            return 0;
        }
        if (this instanceof Dir dir) {
            return 2
                    + dir.entries.values().stream()
                            .filter(Dir.class::isInstance)
                            .count();
        }
        return writable ? links : 1;
    }

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

    /**
     * A regular file whose bytes live on the heap in pages of {@link #PAGE} bytes, as tmpfs keeps
     * them: a page is allocated when a byte of it is first written (a hole reads as zeros and holds
     * nothing), and the file is charged whole pages ({@link #blockBytes}), so the heap its bytes hold
     * is never more than the quota they are charged (pages grow nothing when the file grows: no copy,
     * no slack; only the page table, one reference per page, grows by doubling).
     */
    static final class RegularFile extends FsNode {
        /** tmpfs's unit of allocation and of its size= quota: one page. */
        static final int PAGE = 4096;

        private static final byte[][] NO_PAGES = new byte[0][];
        private byte[][] pages = NO_PAGES;
        private long length;
        private int allocatedPages;

        RegularFile(byte[] content, boolean writable, long modifiedNanos) {
            super(writable, modifiedNanos);
            write(0, content, 0, content.length);
        }

        /** What a file of {@code size} bytes is charged: the pages that hold it. */
        static long blockBytes(long size) {
            return (size + PAGE - 1) / PAGE * PAGE;
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
            for (int done = 0; done < n; ) {
                long at = position + done;
                int index = (int) (at / PAGE);
                int within = (int) (at % PAGE);
                int part = Math.min(n - done, PAGE - within);
                byte[] page = index < pages.length ? pages[index] : null;
                if (page == null) {
                    Arrays.fill(into, offset + done, offset + done + part, (byte) 0);
                } else {
                    System.arraycopy(page, within, into, offset + done, part);
                }
                done += part;
            }
            return n;
        }

        /** Writes {@code count} bytes at {@code position}; the caller has charged the pages it adds. */
        synchronized void write(long position, byte[] from, int offset, int count) {
            long end = position + count;
            int needed = pageCount(end);
            if (needed > pages.length) {
                pages = Arrays.copyOf(
                        pages, Math.max(needed, Math.min(2 * pages.length, pageCount(FileSystem.MAX_FILE_BYTES))));
            }
            for (int done = 0; done < count; ) {
                long at = position + done;
                int index = (int) (at / PAGE);
                int within = (int) (at % PAGE);
                int part = Math.min(count - done, PAGE - within);
                if (pages[index] == null) {
                    pages[index] = new byte[PAGE];
                    allocatedPages++;
                }
                System.arraycopy(from, offset + done, pages[index], within, part);
                done += part;
            }
            length = Math.max(length, end);
        }

        /**
         * Cut short, the pages past the new end go (the quota gets them back, so must the heap) and
         * the rest of the last page is zeroed, so that growing the file again reads zeros there.
         */
        synchronized void truncate(long newLength) {
            if (newLength < length) {
                int kept = pageCount(newLength);
                for (int index = kept; index < pages.length; index++) {
                    if (pages[index] != null) {
                        pages[index] = null;
                        allocatedPages--;
                    }
                }
                int within = (int) (newLength % PAGE);
                if (within != 0 && kept - 1 < pages.length && pages[kept - 1] != null) {
                    Arrays.fill(pages[kept - 1], within, PAGE, (byte) 0);
                }
                if (kept < pages.length / 4) {
                    pages = kept == 0 ? NO_PAGES : Arrays.copyOf(pages, kept);
                }
            }
            length = newLength;
        }

        /** The bytes of data this file holds on the heap: its allocated pages, never more than it is charged. */
        synchronized long heapBytes() {
            return (long) allocatedPages * PAGE;
        }

        /** The page table's length, in references (its own heap is 4 or 8 bytes each). */
        synchronized int pageTableLength() {
            return pages.length;
        }

        synchronized byte[] contents() {
            byte[] bytes = new byte[(int) length];
            read(0, bytes, 0, bytes.length);
            return bytes;
        }

        private static int pageCount(long size) {
            return (int) ((size + PAGE - 1) / PAGE);
        }
    }
}

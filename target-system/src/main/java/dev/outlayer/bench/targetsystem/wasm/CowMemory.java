package dev.outlayer.bench.targetsystem.wasm;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One call's linear memory as a copy-on-write view of a {@link MemoryImage}: it starts as the
 * image (no copy, no zeroing, no data segments to run), a write copies the one small page it
 * lands on, and reads go wherever the page currently is. Instantiation therefore costs a page
 * table sized by the image's data, growing, and a call pays for the pages it writes and a chunk of
 * the table per wasm page it writes in: a NEAR contract's 64 MiB (growing to 128 MiB) of which a
 * call touches two pages costs two pages.
 *
 * <p>Semantics are those of Chicory's {@code ByteArrayMemory}: out-of-bounds accesses throw the
 * same trap, {@code memory.grow} adds zero pages up to the maximum, bulk operations check their
 * whole range first. Not thread-safe (not shared memory): one call, one thread.
 */
public final class CowMemory implements Memory {
    /**
     * Page size of the copy (not the wasm page): 4 KiB by default, chosen with {@code
     * ContractBench} (see docs/performance.md); a system property so the benchmark can
     * compare others.
     */
    static final int PAGE_SHIFT = Math.max(10, Math.min(16, Integer.getInteger("outlayer.wasm.cowPageShift", 12)));

    static final int PAGE_BYTES = 1 << PAGE_SHIFT;
    static final int PAGE_MASK = PAGE_BYTES - 1;
    /** Pages per wasm page: one chunk of the page table. */
    static final int PER_WASM_PAGE = Memory.PAGE_SIZE / PAGE_BYTES;

    private static final int CHUNK_MASK = PER_WASM_PAGE - 1;
    static final int WASM_PAGE_SHIFT = 16;
    /** Shared by every image and call; never written (a write copies it first). */
    static final byte[] ZERO_PAGE = new byte[PAGE_BYTES];

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final MemoryImage image;
    /**
     * Where each page's bytes are now, a chunk of {@link #PER_WASM_PAGE} pages per wasm page: the
     * image's page, the zero page or this call's copy. A missing chunk (past the directory's end, or
     * null) is all zero pages. Two levels so that the table grows with the wasm pages a call
     * touches, never with the memory's size: every NEAR contract has 1,024 to 2,048 pages (64-128
     * MiB, 16,384-32,768 small pages), of which a call touches a few.
     */
    private byte[][][] chunks;
    /**
     * The page last read and the page last made writable, by page number ({@code addr >>> PAGE_SHIFT};
     * -1: none): most accesses of a call land on the page of the one before (its stack frame), and a
     * hit skips the two-level table. Bounds are checked before either is used.
     */
    private int lastRead = -1;

    private byte[] lastReadPage;
    private int lastWritten = -1;
    private byte[] lastWrittenPage;
    /** Per wasm page, one bit per page of its chunk that is this call's own copy. */
    private long[] owned;
    /** The wasm pages with an owned page, in the order first written: what {@link #reset()} visits. */
    private int[] touched = new int[8];

    private int touchedCount;

    private int wasmPages;
    /** {@code wasmPages * PAGE_SIZE}: below 2 GiB (Chicory's runtime maximum is 32,767 pages). */
    private int byteSize;

    private DataSegment[] dataSegments;
    /** The segments instantiation gave, which {@link #reset()} restores. */
    private DataSegment[] initialSegments;

    private boolean dataSegmentsCopied;
    /** Nothing written yet: the memory is the image, or all zero after {@link #zero()}. */
    private boolean pristine = true;

    private boolean zeroed;

    CowMemory(MemoryImage image) {
        this.image = image;
        int count = image.chunkCount();
        this.chunks = new byte[count][][];
        for (int w = 0; w < count; w++) {
            byte[][] built = image.chunk(w);
            chunks[w] = built == null ? null : built.clone();
        }
        this.owned = new long[count];
        setPages(image.limits().initialPages());
    }

    private void setPages(int pages) {
        wasmPages = pages;
        byteSize = pages * PAGE_SIZE;
    }

    /**
     * Back to the image, as a new view over it after instantiation: the pages this view copied go
     * back to the image's (a cost proportional to the pages written, not to the memory), the size
     * to the initial pages, the data segments to those instantiation gave. For an instance reused
     * by the next call on the same thread ({@code ReusableInstance}).
     */
    public void reset() {
        forgetLastPages();
        if (zeroed) {
            restoreImage();
        } else {
            for (int i = 0; i < touchedCount; i++) {
                int w = touched[i];
                byte[][] chunk = chunks[w];
                byte[][] built = image.chunk(w);
                for (long bits = owned[w]; bits != 0; bits &= bits - 1) {
                    int page = Long.numberOfTrailingZeros(bits);
                    chunk[page] = built == null ? ZERO_PAGE : built[page];
                }
                owned[w] = 0;
            }
        }
        touchedCount = 0;
        setPages(image.limits().initialPages());
        dataSegments = initialSegments;
        dataSegmentsCopied = false;
        pristine = true;
        zeroed = false;
    }

    private void forgetLastPages() {
        lastRead = -1;
        lastReadPage = null;
        lastWritten = -1;
        lastWrittenPage = null;
    }

    /** Every chunk back to the image's pages (after a {@link #zero()}), owning none. */
    private void restoreImage() {
        forgetLastPages();
        for (int w = 0; w < chunks.length; w++) {
            byte[][] chunk = chunks[w];
            if (chunk != null) {
                byte[][] built = image.chunk(w);
                if (built == null) {
                    Arrays.fill(chunk, ZERO_PAGE);
                } else {
                    System.arraycopy(built, 0, chunk, 0, PER_WASM_PAGE);
                }
            }
            owned[w] = 0;
        }
        touchedCount = 0;
    }

    static int cowPages(int wasmPages) {
        return wasmPages * PER_WASM_PAGE;
    }

    /** Bytes this call has copied so far (its own pages). */
    public long ownBytes() {
        long count = 0;
        for (long word : owned) {
            count += Long.bitCount(word);
        }
        return count * PAGE_BYTES;
    }

    /** Entries of the page table (chunk slots and page slots): what the table costs, not the memory. */
    public int tableEntries() {
        int entries = chunks.length;
        for (byte[][] chunk : chunks) {
            entries += chunk == null ? 0 : chunk.length;
        }
        return entries;
    }

    // ---- size ----

    @Override
    public int pages() {
        return wasmPages;
    }

    @Override
    public int initialPages() {
        return image.limits().initialPages();
    }

    @Override
    public int maximumPages() {
        return Math.min(image.limits().maximumPages(), RUNTIME_MAX_PAGES);
    }

    /** New pages are zero pages: nothing to allocate (pages past the size are never owned, see {@link #reset()}). */
    @Override
    public int grow(int delta) {
        int before = wasmPages;
        int after = before + delta;
        if (delta < 0 || after > maximumPages() || after < before) {
            return -1;
        }
        setPages(after);
        return before;
    }

    private int sizeInBytes() {
        return byteSize;
    }

    // ---- page access ----

    private RuntimeException outOfBounds(int addr, int size) {
        return new WasmRuntimeException("out of bounds memory access: attempted to access address: " + addr
                + " but limit is: " + sizeInBytes() + " and size: " + size);
    }

    /** The page holding {@code addr}, for reading; the access must not cross it (callers split). */
    private byte[] readable(int addr, int size) {
        if (Integer.compareUnsigned(addr, byteSize) >= 0) {
            throw outOfBounds(addr, size);
        }
        return page(addr);
    }

    /** The page holding an in-bounds {@code addr}. */
    private byte[] page(int addr) {
        int number = addr >>> PAGE_SHIFT;
        if (number == lastRead) {
            return lastReadPage;
        }
        int w = addr >>> WASM_PAGE_SHIFT;
        byte[][][] table = chunks;
        byte[][] chunk = w < table.length ? table[w] : null;
        byte[] page = chunk == null ? ZERO_PAGE : chunk[number & CHUNK_MASK];
        lastRead = number;
        lastReadPage = page;
        return page;
    }

    /** The page holding {@code addr}, made this call's own first if it was not. */
    private byte[] writable(int addr, int size) {
        if (Integer.compareUnsigned(addr, byteSize) >= 0) {
            throw outOfBounds(addr, size);
        }
        int number = addr >>> PAGE_SHIFT;
        if (number == lastWritten) {
            return lastWrittenPage;
        }
        int w = addr >>> WASM_PAGE_SHIFT;
        int page = number & CHUNK_MASK;
        byte[] writable = w < owned.length && (owned[w] & (1L << page)) != 0 ? chunks[w][page] : own(w, page);
        lastWritten = number;
        lastWrittenPage = writable;
        return writable;
    }

    private byte[] own(int w, int page) {
        if (w >= chunks.length) {
            int length = Math.max(w + 1, chunks.length + (chunks.length >> 1));
            chunks = Arrays.copyOf(chunks, length);
            owned = Arrays.copyOf(owned, length);
        }
        byte[][] chunk = chunks[w];
        if (chunk == null) {
            chunk = new byte[PER_WASM_PAGE][];
            Arrays.fill(chunk, ZERO_PAGE);
            chunks[w] = chunk;
        }
        if (owned[w] == 0) {
            if (touchedCount == touched.length) {
                touched = Arrays.copyOf(touched, touchedCount * 2);
            }
            touched[touchedCount++] = w;
        }
        byte[] source = chunk[page];
        byte[] copy = source == ZERO_PAGE ? new byte[PAGE_BYTES] : source.clone();
        chunk[page] = copy;
        owned[w] |= 1L << page;
        if (lastRead == w * PER_WASM_PAGE + page) {
            lastReadPage = copy; // it read the page this call now owns a copy of
        }
        pristine = false;
        return copy;
    }

    /** Multi-byte accesses that straddle pages: bounds checked whole, then byte by byte. */
    private void checkRange(int addr, int size) {
        if (addr < 0 || (long) addr + size > sizeInBytes()) {
            throw outOfBounds(addr, size);
        }
    }

    private long readSlow(int addr, int size) {
        checkRange(addr, size);
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = (value << 8) | (read(addr + i) & 0xFF);
        }
        return value;
    }

    private void writeSlow(int addr, long value, int size) {
        checkRange(addr, size);
        for (int i = 0; i < size; i++) {
            writeByte(addr + i, (byte) (value >>> (8 * i)));
        }
    }

    // ---- loads and stores ----

    @Override
    public byte read(int addr) {
        return readable(addr, 1)[addr & PAGE_MASK];
    }

    @Override
    public void writeByte(int addr, byte value) {
        writable(addr, 1)[addr & PAGE_MASK] = value;
    }

    @Override
    public short readShort(int addr) {
        int at = addr & PAGE_MASK;
        if (at <= PAGE_BYTES - 2) {
            return (short) SHORT.get(readable(addr, 2), at);
        }
        return (short) readSlow(addr, 2);
    }

    @Override
    public long readU16(int addr) {
        return readShort(addr) & 0xFFFFL;
    }

    @Override
    public void writeShort(int addr, short value) {
        int at = addr & PAGE_MASK;
        if (at <= PAGE_BYTES - 2) {
            SHORT.set(writable(addr, 2), at, value);
        } else {
            writeSlow(addr, value, 2);
        }
    }

    @Override
    public int readInt(int addr) {
        int at = addr & PAGE_MASK;
        if (at <= PAGE_BYTES - 4) {
            return (int) INT.get(readable(addr, 4), at);
        }
        return (int) readSlow(addr, 4);
    }

    @Override
    public void writeI32(int addr, int value) {
        int at = addr & PAGE_MASK;
        if (at <= PAGE_BYTES - 4) {
            INT.set(writable(addr, 4), at, value);
        } else {
            writeSlow(addr, value, 4);
        }
    }

    @Override
    public long readLong(int addr) {
        int at = addr & PAGE_MASK;
        if (at <= PAGE_BYTES - 8) {
            return (long) LONG.get(readable(addr, 8), at);
        }
        return readSlow(addr, 8);
    }

    @Override
    public void writeLong(int addr, long value) {
        int at = addr & PAGE_MASK;
        if (at <= PAGE_BYTES - 8) {
            LONG.set(writable(addr, 8), at, value);
        } else {
            writeSlow(addr, value, 8);
        }
    }

    @Override
    public long readF32(int addr) {
        return readInt(addr);
    }

    @Override
    public float readFloat(int addr) {
        return Float.intBitsToFloat(readInt(addr));
    }

    @Override
    public void writeF32(int addr, float value) {
        writeI32(addr, Float.floatToRawIntBits(value));
    }

    @Override
    public long readF64(int addr) {
        return readLong(addr);
    }

    @Override
    public double readDouble(int addr) {
        return Double.longBitsToDouble(readLong(addr));
    }

    @Override
    public void writeF64(int addr, double value) {
        writeLong(addr, Double.doubleToRawLongBits(value));
    }

    // ---- bulk ----

    /** One piece of a range: {@code n} bytes at {@code at} ({@code within} its page), {@code done} before it. */
    private interface PagePiece {
        void accept(int at, int within, int n, int done);
    }

    /** Splits an in-bounds range at page edges, in ascending order. */
    private static void forEachPage(int addr, int size, PagePiece piece) {
        int done = 0;
        while (done < size) {
            int at = addr + done;
            int within = at & PAGE_MASK;
            int n = Math.min(size - done, PAGE_BYTES - within);
            piece.accept(at, within, n, done);
            done += n;
        }
    }

    @Override
    public byte[] readBytes(int addr, int len) {
        if (len < 0) {
            throw outOfBounds(addr, len);
        }
        checkRange(addr, len);
        byte[] out = new byte[len];
        forEachPage(addr, len, (at, within, n, done) -> System.arraycopy(page(at), within, out, done, n));
        return out;
    }

    @Override
    public void write(int addr, byte[] data, int offset, int size) {
        if (offset < 0 || size < 0 || (long) offset + size > data.length) {
            throw new ChicoryException("out of bounds memory access: attempted to access address: " + offset
                    + " but limit is: " + data.length + " and size: " + size);
        }
        checkRange(addr, size);
        forEachPage(
                addr, size, (at, within, n, done) -> System.arraycopy(data, offset + done, writable(at, n), within, n));
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        int size = toIndex - fromIndex;
        if (size < 0) {
            throw outOfBounds(fromIndex, size);
        }
        checkRange(fromIndex, size);
        forEachPage(fromIndex, size, (at, within, n, done) -> {
            // Zeroing a page that is still the zero page changes nothing: no copy.
            if (value != 0 || page(at) != ZERO_PAGE) {
                Arrays.fill(writable(at, n), within, within + n, value);
            }
        });
    }

    /** memory.copy: memmove semantics, page by page, without a temporary copy of the range. */
    @Override
    public void copy(int dest, int src, int size) {
        if (size < 0) {
            throw outOfBounds(dest, size);
        }
        checkRange(src, size);
        checkRange(dest, size);
        if (size == 0 || dest == src) {
            return;
        }
        if (dest < src) {
            int done = 0;
            while (done < size) {
                int n = chunk(dest + done, src + done, size - done);
                copyChunk(dest + done, src + done, n);
                done += n;
            }
        } else {
            int left = size;
            while (left > 0) {
                int d = dest + left - 1;
                int s = src + left - 1;
                int n = Math.min(left, Math.min((d & PAGE_MASK) + 1, (s & PAGE_MASK) + 1));
                copyChunk(d - n + 1, s - n + 1, n);
                left -= n;
            }
        }
    }

    private static int chunk(int dest, int src, int left) {
        return Math.min(left, Math.min(PAGE_BYTES - (dest & PAGE_MASK), PAGE_BYTES - (src & PAGE_MASK)));
    }

    private void copyChunk(int dest, int src, int n) {
        byte[] to = writable(dest, n); // first: if src is on the same page, it is read from the copy
        byte[] from = page(src);
        System.arraycopy(from, src & PAGE_MASK, to, dest & PAGE_MASK, n);
    }

    @Override
    public void zero() {
        if (pristine) {
            forgetLastPages();
            for (byte[][] chunk : chunks) { // no page is owned yet: nothing to clear
                if (chunk != null) {
                    Arrays.fill(chunk, ZERO_PAGE);
                }
            }
            zeroed = true;
        } else {
            fill((byte) 0, 0, sizeInBytes());
        }
    }

    // ---- instantiation and data segments ----

    @Override
    public void initialize(Instance instance, DataSegment[] segments) {
        initialize(instance, segments, 0);
    }

    /**
     * Chicory's instantiation: zero, then the active data segments. On a pristine view of an
     * image built from these very segments the result is the image itself, so nothing is done;
     * any other case (a written memory, other segments) runs them for real.
     */
    @Override
    public void initialize(Instance instance, DataSegment[] segments, int memoryIndex) {
        this.dataSegments = segments;
        this.initialSegments = segments;
        this.dataSegmentsCopied = false;
        if (pristine && memoryIndex == 0 && image.builtFrom(segments)) {
            if (zeroed) {
                restoreImage();
                zeroed = false;
            }
            if (image.instantiationTrap() != null) {
                throw new WasmRuntimeException(image.instantiationTrap());
            }
            return;
        }
        if (segments == null) {
            return;
        }
        for (DataSegment segment : segments) {
            if (segment instanceof com.dylibso.chicory.wasm.types.ActiveDataSegment active) {
                if (active.index() != memoryIndex) {
                    continue;
                }
                int offset = (int)
                        com.dylibso.chicory.runtime.ConstantEvaluators.computeConstantValue(
                                instance, active.offsetInstructions())[0];
                byte[] data = active.data();
                if (offset < 0 || (long) offset + data.length > sizeInBytes()) {
                    throw new ChicoryException("out of bounds memory access: attempted to access address: " + offset
                            + " but limit is: " + sizeInBytes() + " and size: " + data.length);
                }
                write(offset, data, 0, data.length);
            } else if (!(segment instanceof PassiveDataSegment)) {
                throw new ChicoryException("Data segment should be active or passive: " + segment);
            }
        }
    }

    @Override
    public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
        write(dest, dataSegments[segmentId].data(), offset, size);
    }

    @Override
    public void drop(int segment) {
        if (!dataSegmentsCopied) {
            // The array may be the module's: a drop must not reach the next call.
            dataSegments = dataSegments.clone();
            dataSegmentsCopied = true;
        }
        dataSegments[segment] = PassiveDataSegment.EMPTY;
    }

    // ---- threads: not shared memory, as nearcore (no threads proposal) ----

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public Object lock(int address) {
        // Atomics need the threads proposal, which NEAR leaves off: deploy refuses them (StackAnalysis).
        throw new ChicoryException("Atomic access to a non-shared memory, not supported.");
    }

    @Override
    public int waitOn(int address, int expected, long timeout) {
        throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
    }

    @Override
    public int waitOn(int address, long expected, long timeout) {
        throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
    }

    @Override
    public int notify(int address, int maxThreads) {
        return 0;
    }
}

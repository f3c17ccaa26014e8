package dev.outlayer.bench.targetsystem.wasm;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.OpCode;
import java.util.List;

/**
 * A module's linear memory as instantiation leaves it (initial pages, active data segments
 * written), built once per code hash and never written afterwards: every call gets a
 * {@link CowMemory} over it that copies a page only when the call writes it. Pages no data
 * segment touches are the one shared zero page, so declared memory costs nothing until used.
 */
public final class MemoryImage {
    private final MemoryLimits limits;
    private final byte[][] pages;
    private final DataSegment[] segments;

    private MemoryImage(MemoryLimits limits, byte[][] pages, DataSegment[] segments) {
        this.limits = limits;
        this.pages = pages;
        this.segments = segments;
    }

    /**
     * The image of {@code module}'s memory with {@code limits}, or null when instantiation
     * cannot be precomputed exactly (an offset that is not an {@code i32.const}, a segment for
     * another memory or outside the initial pages: those keep Chicory's own initialisation, and
     * its trap).
     */
    public static MemoryImage of(WasmModule module, MemoryLimits limits) {
        DataSegment[] segments = module.dataSection().dataSegments();
        long size = (long) limits.initialPages() * Memory.PAGE_SIZE;
        byte[][] pages = new byte[CowMemory.cowPages(limits.initialPages())][];
        java.util.Arrays.fill(pages, CowMemory.ZERO_PAGE);
        for (DataSegment segment : segments) {
            if (!(segment instanceof ActiveDataSegment active)) {
                continue; // passive: only memory.init writes it, at run time
            }
            if (active.index() != 0) {
                return null;
            }
            long offset = constantOffset(active.offsetInstructions());
            byte[] data = active.data();
            if (offset < 0 || offset + data.length > size) {
                return null;
            }
            write(pages, (int) offset, data);
        }
        return new MemoryImage(limits, pages, segments);
    }

    private static long constantOffset(List<Instruction> expression) {
        Instruction first = expression.isEmpty() ? null : expression.get(0);
        boolean single = expression.size() == 1
                || (expression.size() == 2 && expression.get(1).opcode() == OpCode.END);
        if (first == null || !single || first.opcode() != OpCode.I32_CONST) {
            return -1;
        }
        return (int) first.operand(0); // i32.const is signed: a negative offset is out of bounds
    }

    private static void write(byte[][] pages, int offset, byte[] data) {
        int done = 0;
        while (done < data.length) {
            int at = offset + done;
            int index = at >>> CowMemory.PAGE_SHIFT;
            int within = at & CowMemory.PAGE_MASK;
            int n = Math.min(data.length - done, CowMemory.PAGE_BYTES - within);
            if (pages[index] == CowMemory.ZERO_PAGE) {
                pages[index] = new byte[CowMemory.PAGE_BYTES];
            }
            System.arraycopy(data, done, pages[index], within, n);
            done += n;
        }
    }

    public MemoryLimits limits() {
        return limits;
    }

    /** A fresh memory for one call: reads see this image, writes stay in the call's own pages. */
    public CowMemory newMemory() {
        return new CowMemory(this);
    }

    byte[][] pages() {
        return pages;
    }

    /** True if {@code segments} are the ones this image was built from (same module). */
    boolean builtFrom(DataSegment[] candidate) {
        if (candidate == null || candidate.length != segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            if (candidate[i] != segments[i]) {
                return false;
            }
        }
        return true;
    }

    /** Bytes held by the image's own (non-zero) pages. */
    public long residentBytes() {
        long bytes = 0;
        for (byte[] page : pages) {
            if (page != CowMemory.ZERO_PAGE) {
                bytes += page.length;
            }
        }
        return bytes;
    }
}

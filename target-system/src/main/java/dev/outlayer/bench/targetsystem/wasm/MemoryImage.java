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
    private static final DataSegment[] NO_SEGMENTS = new DataSegment[0];

    private final MemoryLimits limits;
    /** Per wasm page, its pages (data or the zero page), or null when all are zero; trimmed after the last. */
    private final byte[][][] chunks;

    private final DataSegment[] segments;
    /** Why instantiation traps (an active segment past the initial pages), or null. */
    private final String instantiationTrap;

    private MemoryImage(MemoryLimits limits, byte[][][] chunks, DataSegment[] segments, String instantiationTrap) {
        this.limits = limits;
        this.chunks = chunks;
        this.segments = segments;
        this.instantiationTrap = instantiationTrap;
    }

    /**
     * The image of {@code module}'s memory with {@code limits}, or null when instantiation
     * cannot be precomputed exactly (an offset that is not an {@code i32.const}, a segment for
     * another memory: those keep Chicory's own initialisation over a {@link #blank} image). A
     * segment outside the initial pages makes an image whose instantiation traps, as the wasm
     * spec's (and wasmtime's: {@code Trap::MemoryOutOfBounds}) does.
     */
    public static MemoryImage of(WasmModule module, MemoryLimits limits) {
        DataSegment[] segments = module.dataSection().dataSegments();
        long size = (long) limits.initialPages() * Memory.PAGE_SIZE;
        byte[][][] chunks = new byte[limits.initialPages()][][];
        String trap = null;
        for (DataSegment segment : segments) {
            if (!(segment instanceof ActiveDataSegment active)) {
                continue; // passive: only memory.init writes it, at run time
            }
            if (active.index() != 0) {
                return null;
            }
            long offset = constantOffset(active.offsetInstructions());
            if (offset == NOT_CONSTANT) {
                return null;
            }
            byte[] data = active.data();
            if (offset < 0 || offset + data.length > size) {
                // Chicory's words for it, as its own initialisation would throw.
                trap = "out of bounds memory access: attempted to access address: " + offset + " but limit is: " + size
                        + " and size: " + data.length;
                break;
            }
            write(chunks, (int) offset, data);
        }
        int used = chunks.length;
        while (used > 0 && chunks[used - 1] == null) {
            used--;
        }
        return new MemoryImage(limits, java.util.Arrays.copyOf(chunks, used), segments, trap);
    }

    /**
     * A memory of {@code limits} with nothing written: the base of a memory whose instantiation
     * writes the data segments itself (a module {@link #of} cannot precompute), or of a contract's
     * memory that only host functions see (a module without a memory of its own).
     */
    public static MemoryImage blank(MemoryLimits limits) {
        return new MemoryImage(limits, new byte[0][][], NO_SEGMENTS, null);
    }

    private static final long NOT_CONSTANT = Long.MIN_VALUE;

    private static long constantOffset(List<Instruction> expression) {
        Instruction first = expression.isEmpty() ? null : expression.get(0);
        boolean single = expression.size() == 1
                || (expression.size() == 2 && expression.get(1).opcode() == OpCode.END);
        if (first == null || !single || first.opcode() != OpCode.I32_CONST) {
            return NOT_CONSTANT;
        }
        return (int) first.operand(0); // i32.const is signed: a negative offset is out of bounds
    }

    private static void write(byte[][][] chunks, int offset, byte[] data) {
        int done = 0;
        while (done < data.length) {
            int at = offset + done;
            int w = at >>> CowMemory.WASM_PAGE_SHIFT;
            int index = (at >>> CowMemory.PAGE_SHIFT) & (CowMemory.PER_WASM_PAGE - 1);
            int within = at & CowMemory.PAGE_MASK;
            int n = Math.min(data.length - done, CowMemory.PAGE_BYTES - within);
            if (chunks[w] == null) {
                chunks[w] = new byte[CowMemory.PER_WASM_PAGE][];
                java.util.Arrays.fill(chunks[w], CowMemory.ZERO_PAGE);
            }
            if (chunks[w][index] == CowMemory.ZERO_PAGE) {
                chunks[w][index] = new byte[CowMemory.PAGE_BYTES];
            }
            System.arraycopy(data, done, chunks[w][index], within, n);
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

    /** Wasm pages up to the last with data: chunks past it are all zero. */
    int chunkCount() {
        return chunks.length;
    }

    /** The pages of wasm page {@code w} (never written), or null when all are zero. */
    byte[][] chunk(int w) {
        return w < chunks.length ? chunks[w] : null;
    }

    /** Why instantiating a memory of this image traps, or null. */
    String instantiationTrap() {
        return instantiationTrap;
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
        for (byte[][] chunk : chunks) {
            for (int i = 0; chunk != null && i < chunk.length; i++) {
                if (chunk[i] != CowMemory.ZERO_PAGE) {
                    bytes += chunk[i].length;
                }
            }
        }
        return bytes;
    }
}

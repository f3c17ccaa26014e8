package dev.outlayer.bench.targetsystem.contracts;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.outlayer.bench.targetsystem.wasm.MemoryImage;

/**
 * The linear memory nearcore gives every contract, whatever the module declares: preparation
 * (runtime/near-vm-runner/src/prepare/prepare_v3.rs, {@code memory_type}) drops the module's own
 * memory section and puts in its place one memory of {@code initial_memory_pages} (1,024 pages, 64
 * MiB) growing to at most {@code max_memory_pages} (2,048, core/parameters); it adds that memory to
 * a module that declares none too ({@code ensure_memory_section}), and refuses a memory import
 * ({@code PrepareError::Memory}, {@code transform_import_section}). The declared limits only have
 * to validate (wasmparser there, Chicory's parser here: minimum not above maximum, neither above
 * 65,536 pages, else {@code Deserialization}).
 */
final class NearMemory {
    /** {@code initial_memory_pages} and {@code max_memory_pages}, as prepare_v3.rs's memory_type. */
    static final MemoryLimits LIMITS = new MemoryLimits(ExtCost.INITIAL_MEMORY_PAGES, ExtCost.MAX_MEMORY_PAGES);

    /** Nothing written: the memory of a module that declares none, or one whose segments are written per call. */
    private static final MemoryImage BLANK = MemoryImage.blank(LIMITS);

    private NearMemory() {}

    /** True when the module has a memory section: its code reaches the memory, and Chicory creates it. */
    static boolean definedBy(WasmModule module) {
        return module.memorySection().map(s -> s.memoryCount() > 0).orElse(false);
    }

    /**
     * A fresh memory with nothing written: for the host functions of a call whose module declares
     * none (only they reach it; the module's code cannot), or for a module whose data segments
     * {@link MemoryImage#of} cannot precompute (its instantiation writes them).
     */
    static Memory blank() {
        return BLANK.newMemory();
    }
}

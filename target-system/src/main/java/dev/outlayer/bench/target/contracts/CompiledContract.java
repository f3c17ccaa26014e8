package dev.outlayer.bench.target.contracts;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;

import java.util.Set;
import java.util.function.Function;

/**
 * A deployed contract compiled once for its code hash and shared by every call: Chicory's
 * compiled machine factory plus what a call needs to know (metering global, memory limits,
 * exported methods). Instances made from it are never shared.
 *
 * @param gasGlobalIndex the metering global, or -1 when compiled without metering
 * @param startFunction  the module's start function index, or -1
 * @param importedMemory the limits of an imported {@code env.memory}, or null when the module defines its own
 */
public record CompiledContract(
        String codeHash,
        int codeSize,
        WasmModule module,
        Function<Instance, Machine> machineFactory,
        int gasGlobalIndex,
        int startFunction,
        MemoryLimits memoryLimits,
        MemoryLimits importedMemory,
        Set<String> methods) {

    public boolean metered() {
        return gasGlobalIndex >= 0;
    }
}

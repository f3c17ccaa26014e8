package dev.outlayer.bench.simulations.support;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportMemory;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryImport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The baseline of the spec's "vs baseline WASM": a contract's method as bare WebAssembly in this JVM, the way
 * the target runs it (Chicory, compiled to bytecode once) but with nothing of the target around it: a fresh
 * instance per call, no gas metering, no state, no HTTP. Every host function is a no-op answering zeros,
 * except the three that hand the contract its arguments ({@code input}, {@code register_len},
 * {@code read_register}): without them a method stops at its first line. Storage reads find nothing, writes
 * and logs go nowhere, so only methods that need no stored state mean anything here.
 */
public final class BareWasm {
    private static final long NO_REGISTER = -1L; // u64::MAX

    private final WasmModule module;
    private final Function<Instance, Machine> machines;
    private final MemoryImport importedMemory;
    /** The arguments of the call running on this thread: what {@code input} puts in a register. */
    private final ThreadLocal<byte[]> input = new ThreadLocal<>();

    public BareWasm(byte[] code) {
        this.module = Parser.parse(code);
        this.machines = MachineFactoryCompiler.compile(module);
        MemoryImport memory = null;
        for (int i = 0; i < module.importSection().importCount(); i++) {
            if (module.importSection().getImport(i) instanceof MemoryImport m) {
                memory = m;
            }
        }
        this.importedMemory = memory;
    }

    /** Instantiates the module afresh and calls {@code method} with {@code argsJson}; returns the nanoseconds. */
    public long callNanos(String method, String argsJson) {
        input.set(argsJson.getBytes(StandardCharsets.UTF_8));
        long start = System.nanoTime();
        Instance instance = Instance.builder(module)
                .withImportValues(imports())
                .withMachineFactory(machines)
                .withMemoryFactory(ByteArrayMemory::new) // the target's memory implementation: a fair comparison
                .build();
        instance.export(method).apply();
        return System.nanoTime() - start;
    }

    private ImportValues imports() {
        List<HostFunction> functions = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imp = module.importSection().getImport(i);
            if (imp instanceof FunctionImport f) {
                FunctionType type = module.typeSection().getType(f.typeIndex());
                functions.add(new HostFunction(imp.module(), imp.name(), type, (instance, args) -> {
                    long result = host(imp.name(), instance, args);
                    return type.returns().isEmpty() ? null : new long[] {result};
                }));
            }
        }
        ImportValues.Builder builder = ImportValues.builder().withFunctions(new ArrayList<>(functions));
        if (importedMemory != null) {
            builder.addMemory(new ImportMemory(
                    importedMemory.module(), importedMemory.name(), new ByteArrayMemory(importedMemory.limits())));
        }
        return builder.build();
    }

    /** The no-op host: zeros everywhere, the arguments through register 0, a zero deposit. */
    private long host(String name, Instance instance, long... args) {
        byte[] arguments = input.get();
        return switch (name) {
            case "register_len" -> args[0] == 0 ? arguments.length : NO_REGISTER;
            case "read_register" -> {
                instance.memory().write((int) args[1], arguments);
                yield 0;
            }
            case "attached_deposit" -> {
                instance.memory().write((int) args[0], new byte[16]);
                yield 0;
            }
            case "panic", "panic_utf8", "abort" ->
                throw new IllegalStateException("the contract panicked in the bare baseline (" + name + ")");
            default -> 0; // input (register 0 now holds the arguments), storage, logs, return value
        };
    }
}

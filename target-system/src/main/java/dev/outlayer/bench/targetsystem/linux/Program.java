package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.runtime.CompiledModule;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import dev.outlayer.bench.targetsystem.wasm.CompiledCodeCache;
import dev.outlayer.bench.targetsystem.wasm.ConnectorManifest;
import dev.outlayer.bench.targetsystem.wasm.GasInstrumenter;
import dev.outlayer.bench.targetsystem.wasm.PausableCompiler;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * A loaded executable: validated against the syscall table, instrumented by the shared metering
 * pass (one unit per wasm instruction) and compiled to JVM bytecode once. Every run instantiates
 * it afresh; instances are never shared.
 */
final class Program {
    final String name;
    final String sha256;
    final int size;
    /** Its {@code outlayer.manifest} section, read once at load: a run of a module without one pays nothing. */
    final ConnectorManifest.Reading manifest;

    private final byte[] wasm;
    private final WasmModule original;
    private final CompiledCodeCache compiledCode;
    /** The form every profile but {@code outlayer} runs: one unit per instruction. */
    private final Metered instructions;

    private volatile Metered wasmtimeFuel;

    /** One instrumented and compiled form of the program. */
    record Metered(WasmModule module, Function<Instance, Machine> machines, int meterGlobal) {}

    private Program(
            String name,
            String sha256,
            byte[] wasm,
            WasmModule original,
            CompiledCodeCache compiledCode,
            Metered instructions) {
        this.name = name;
        this.sha256 = sha256;
        this.size = wasm.length;
        this.wasm = wasm;
        this.original = original;
        this.compiledCode = compiledCode;
        this.instructions = instructions;
        this.manifest = ConnectorManifest.of(original);
    }

    /** The profile's form: one unit per instruction ({@code linux}), or wasmtime's fuel ({@code outlayer}). */
    Metered metered(ProcessProfile profile) {
        if (!profile.wasmtimeFuel()) {
            return instructions;
        }
        Metered fuel = wasmtimeFuel;
        if (fuel == null) {
            // Compiled on the first outlayer-profile run only: most programs never need it.
            synchronized (this) {
                fuel = wasmtimeFuel;
                if (fuel == null) {
                    fuel = compile(GasInstrumenter.instrumentWasmtimeFuel(wasm, original), compiledCode);
                    wasmtimeFuel = fuel;
                }
            }
        }
        return fuel;
    }

    /**
     * Compiles the instrumented module, or loads the classes {@code cache} keeps for it (null: none
     * kept). Instances run on the module the classes were made for, which after a whole compilation
     * is a copy without function bodies (see {@link PausableCompiler}).
     */
    private static Metered compile(GasInstrumenter.MeteredBinary metered, CompiledCodeCache cache) {
        try {
            WasmModule module = Parser.parse(metered.bytes());
            Function<Instance, Machine> machines = PausableCompiler.loadKept(module, cache);
            if (machines == null) {
                machines = PausableCompiler.compile(module, cache, () -> {});
            }
            WasmModule runs = machines instanceof CompiledModule compiled ? compiled.wasmModule() : module;
            return new Metered(runs, machines, metered.gasGlobalIndex());
        } catch (ChicoryException | IllegalArgumentException e) {
            throw new InvalidProgram("cannot compile the module: " + e.getMessage());
        }
    }

    /**
     * Parses, checks that every import is a syscall of {@code table} with the right type and that
     * {@code entry} is an exported function, instruments and compiles.
     */
    static Program load(String name, byte[] wasm, SyscallTable table, String entry, CompiledCodeCache cache) {
        WasmModule original;
        try {
            original = Parser.parse(wasm);
        } catch (ChicoryException | IllegalArgumentException e) {
            throw new InvalidProgram("not a valid wasm module: " + e.getMessage());
        }
        checkImports(original, table);
        if (entry != null && !exportsFunction(original, entry)) {
            throw new InvalidProgram(
                    "the module does not export a function '" + entry + "' (a WASI command exports _start)");
        }
        GasInstrumenter.MeteredBinary metered;
        try {
            metered = GasInstrumenter.instrument(wasm, original, 1);
        } catch (ChicoryException | IllegalArgumentException e) {
            throw new InvalidProgram("cannot compile the module: " + e.getMessage());
        }
        return new Program(name, sha256(wasm), wasm.clone(), original, cache, compile(metered, cache));
    }

    private static void checkImports(WasmModule module, SyscallTable table) {
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imp = module.importSection().getImport(i);
            if (imp.importType() != ExternalType.FUNCTION) {
                throw new InvalidProgram("import " + imp.module() + "." + imp.name() + " is a "
                        + imp.importType().name().toLowerCase() + "; the kernel provides only functions");
            }
            FunctionType wanted = module.typeSection().getType(((FunctionImport) imp).typeIndex());
            FunctionType provided = table.typeOf(imp.module(), imp.name());
            if (provided == null) {
                throw new InvalidProgram(
                        "import " + imp.module() + "." + imp.name() + " is not a syscall of this kernel");
            }
            if (!provided.typesMatch(wanted)) {
                throw new InvalidProgram("import " + imp.module() + "." + imp.name() + " has type " + wanted
                        + " but the kernel's is " + provided);
            }
        }
    }

    static boolean exportsFunction(WasmModule module, String name) {
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            var export = module.exportSection().getExport(i);
            if (export.name().equals(name) && export.exportType() == ExternalType.FUNCTION) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

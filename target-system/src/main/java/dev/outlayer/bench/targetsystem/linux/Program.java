package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import dev.outlayer.bench.targetsystem.wasm.ConnectorManifest;
import dev.outlayer.bench.targetsystem.wasm.GasInstrumenter;
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
    final WasmModule module;
    final Function<Instance, Machine> machines;
    final int meterGlobal;
    /** Its {@code outlayer.manifest} section, read once at load: a run of a module without one pays nothing. */
    final ConnectorManifest.Reading manifest;

    private final byte[] wasm;
    private final WasmModule original;
    private volatile Metered wasmtimeFuel;

    /** One instrumented and compiled form of the program. */
    record Metered(WasmModule module, Function<Instance, Machine> machines, int meterGlobal) {}

    private Program(
            String name,
            String sha256,
            byte[] wasm,
            WasmModule original,
            WasmModule module,
            Function<Instance, Machine> machines,
            int meterGlobal) {
        this.name = name;
        this.sha256 = sha256;
        this.size = wasm.length;
        this.wasm = wasm;
        this.original = original;
        this.module = module;
        this.machines = machines;
        this.meterGlobal = meterGlobal;
        this.manifest = ConnectorManifest.of(original);
    }

    /** The profile's form: one unit per instruction ({@code linux}), or wasmtime's fuel ({@code outlayer}). */
    Metered metered(ProcessProfile profile) {
        if (!profile.wasmtimeFuel()) {
            return new Metered(module, machines, meterGlobal);
        }
        Metered fuel = wasmtimeFuel;
        if (fuel == null) {
            // Compiled on the first outlayer-profile run only: most programs never need it.
            synchronized (this) {
                fuel = wasmtimeFuel;
                if (fuel == null) {
                    fuel = compile(GasInstrumenter.instrumentWasmtimeFuel(wasm, original));
                    wasmtimeFuel = fuel;
                }
            }
        }
        return fuel;
    }

    private static Metered compile(GasInstrumenter.MeteredBinary metered) {
        try {
            WasmModule module = Parser.parse(metered.bytes());
            return new Metered(module, MachineFactoryCompiler.compile(module), metered.gasGlobalIndex());
        } catch (ChicoryException | IllegalArgumentException e) {
            throw new InvalidProgram("cannot compile the module: " + e.getMessage());
        }
    }

    /**
     * Parses, checks that every import is a syscall of {@code table} with the right type and that
     * {@code entry} is an exported function, instruments and compiles.
     */
    static Program load(String name, byte[] wasm, SyscallTable table, String entry) {
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
        Metered compiled = compile(metered);
        return new Program(
                name,
                sha256(wasm),
                wasm.clone(),
                original,
                compiled.module(),
                compiled.machines(),
                compiled.meterGlobal());
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

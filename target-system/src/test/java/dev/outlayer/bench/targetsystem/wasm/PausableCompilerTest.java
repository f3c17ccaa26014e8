package dev.outlayer.bench.targetsystem.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.CompiledModule;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.outlayer.bench.targetsystem.bench.BenchContracts;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compile in classes with pause points between them: same results, and cache entries Chicory loads. */
class PausableCompilerTest {
    /** 600 chained functions: 5 classes of 128. */
    private static final WasmModule MODULE = Parser.parse(BenchContracts.synthetic(600, 7));

    @TempDir
    Path cacheDir;

    @Test
    void pausesBeforeEachClassAndComputesWhatTheInterpreterComputes() {
        AtomicInteger pauses = new AtomicInteger();
        var compiled = PausableCompiler.compile(MODULE, null, pauses::incrementAndGet);
        assertThat(pauses.get()).isGreaterThanOrEqualTo(600 / PausableCompiler.FUNCTIONS_PER_CLASS);
        assertThat(stored(compiled)).isEqualTo(stored(InterpreterMachine::new));
        // Instances of the compiled code are built from a copy of the module without its bodies.
        WasmModule runs = ((CompiledModule) compiled).wasmModule();
        assertThat(runs.codeSection().functionBodies())
                .hasSameSizeAs(MODULE.codeSection().functionBodies())
                .allSatisfy(body -> assertThat(body.instructions()).isEmpty());
        assertThat(runs.exportSection()).isSameAs(MODULE.exportSection());
    }

    @Test
    void itsCacheEntryLoadsThroughChicorysOwnBuilder() {
        CompiledCodeCache cache = new CompiledCodeCache(cacheDir);
        PausableCompiler.compile(MODULE, cache, () -> {});
        assertThat(cache.contains(MODULE.digest())).isTrue();
        var loaded = MachineFactoryCompiler.builder(MODULE).withCache(cache).compile();
        assertThat(stored(loaded)).isEqualTo(stored(InterpreterMachine::new));
    }

    @Test
    void itsCacheEntryLoadsWithoutTheModulesBodies() throws Exception {
        CompiledCodeCache cache = new CompiledCodeCache(cacheDir);
        assertThat(PausableCompiler.load(MODULE, cache)).isNull();
        PausableCompiler.compile(MODULE, cache, () -> {});
        var loaded = PausableCompiler.load(MODULE, cache);
        assertThat(((CompiledModule) loaded).wasmModule().codeSection().functionBodies())
                .allSatisfy(body -> assertThat(body.instructions()).isEmpty());
        assertThat(stored(loaded)).isEqualTo(stored(InterpreterMachine::new));
    }

    /** Runs {@code increment}, which stores the chain's result at 1 MiB - 8. */
    private static long stored(Function<Instance, Machine> machine) {
        WasmModule module = machine instanceof CompiledModule compiled ? compiled.wasmModule() : MODULE;
        Instance instance = Instance.builder(module).withMachineFactory(machine).build();
        instance.export("increment").apply();
        return instance.memory().readLong(1024 * 1024 - 8);
    }
}

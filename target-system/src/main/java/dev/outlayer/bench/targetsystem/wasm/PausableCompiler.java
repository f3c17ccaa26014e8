package dev.outlayer.bench.targetsystem.wasm;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.compiler.internal.ClassLoadingCollector;
import com.dylibso.chicory.compiler.internal.Compiler;
import com.dylibso.chicory.compiler.internal.CompilerResult;
import com.dylibso.chicory.compiler.internal.MachineFactory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.CodeSection;
import com.dylibso.chicory.wasm.types.FunctionBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chicory's {@code MachineFactoryCompiler.builder(module).withCache(cache).compile()}, with a
 * pause point between classes: the compiler emits a module's functions in classes of
 * {@link #FUNCTIONS_PER_CLASS}, and {@code pausePoint} runs before each is loaded, so a
 * background compilation can give its core to one a call is waiting for (see
 * {@code CompileQueue}). Chicory's public builder hides the class collector, so this uses its
 * internal compiler (Chicory's version is pinned in the root pom) and stores and loads cache
 * entries with the builder's own serializer, so entries load either way.
 */
public final class PausableCompiler {
    private static final Logger LOG = LoggerFactory.getLogger(PausableCompiler.class);

    /**
     * Functions per generated class (Chicory's default is 12,288: one class for most contracts).
     * 128 gives a 213 KiB contract 16 classes, about 20 ms of compiling between pause points.
     */
    static final int FUNCTIONS_PER_CLASS = 128;

    private static final MethodHandle STORE =
            handle("storeClassLoadingCollector", byte[].class, ClassLoadingCollector.class);
    private static final MethodHandle LOAD =
            handle("loadClassLoadingCollector", ClassLoadingCollector.class, byte[].class);

    private PausableCompiler() {}

    /**
     * Compiles {@code module}, pausing where told, and stores the classes in {@code cache} (may be
     * null). Instances must be built from the factory's own module ({@code CompiledModule.wasmModule()}),
     * which may be a copy without function bodies.
     */
    public static Function<Instance, Machine> compile(WasmModule module, Cache cache, Runnable pausePoint) {
        String digest = module.digest();
        Compiler compiler = Compiler.builder(module)
                .withMaxFunctionsPerClass(FUNCTIONS_PER_CLASS)
                .withClassCollectorFactory(() -> new PausingCollector(pausePoint))
                .build();
        CompilerResult result = compiler.compile();
        ClassLoadingCollector classes = (ClassLoadingCollector) result.collector();
        boolean whole = result.interpretedFunctions().isEmpty();
        // Only whole compilations are stored, so a loaded entry never needs the module's bodies.
        if (whole && cache != null && digest != null) {
            try {
                cache.putIfAbsent(digest, store(classes));
            } catch (IOException | UncheckedIOException e) {
                // A full or missing disk costs the next start a compile, not this contract its classes.
                LOG.warn("compiled classes of module {} not kept for the next start: {}", digest, e.toString());
            }
        }
        // Instances of compiled code read the module's sections but never its function bodies
        // (nine tenths of a parsed module's heap), unless Chicory left a function to its interpreter.
        return new MachineFactory(whole ? withoutFunctionBodies(module) : module, classes.machineFactory());
    }

    /**
     * The classes {@link #compile} stored for {@code module} (a whole compilation: its instances
     * need no function bodies), or null if the cache has none. Throws if the entry cannot be read.
     */
    public static Function<Instance, Machine> load(WasmModule module, Cache cache) throws IOException {
        byte[] stored = cache.get(module.digest());
        if (stored == null) {
            return null;
        }
        ClassLoadingCollector classes;
        try {
            classes = (ClassLoadingCollector) LOAD.invokeExact(stored);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read the compiled classes", e);
        }
        return new MachineFactory(withoutFunctionBodies(module), classes.machineFactory());
    }

    /**
     * The classes {@code cache} keeps for {@code module}, or null when it keeps none or its entry cannot
     * be used: a damaged or foreign entry is dropped (and logged), so the caller compiles afresh and
     * stores the classes again.
     */
    public static Function<Instance, Machine> loadKept(WasmModule module, CompiledCodeCache cache) {
        if (cache == null || !cache.contains(module.digest())) {
            return null;
        }
        try {
            return load(module, cache);
        } catch (IOException | RuntimeException | LinkageError unreadable) {
            LOG.warn("compiled-code cache entry {} unusable: {}", module.digest(), unreadable.toString());
            cache.remove(module.digest());
            return null;
        }
    }

    /**
     * {@code module} with every function body empty (its locals kept): what instances of its
     * compiled code need. A contract keeps this instead of the parsed bodies once compiled.
     */
    static WasmModule withoutFunctionBodies(WasmModule module) {
        CodeSection.Builder code = CodeSection.builder();
        code.setRequiresDataCount(module.codeSection().isRequiresDataCount());
        for (FunctionBody body : module.codeSection().functionBodies()) {
            code.addFunctionBody(new FunctionBody(body.localTypes(), List.of()));
        }
        WasmModule.Builder lean = InstrumentedModule.copy(module, module.globalSection(), code.build())
                .withDigest(module.digest())
                .withValidation(false);
        module.startSection().ifPresent(lean::setStartSection);
        return lean.build();
    }

    /** Loads each class as Chicory's collector does, after the pause point. */
    private static final class PausingCollector extends ClassLoadingCollector {
        private final Runnable pausePoint;

        PausingCollector(Runnable pausePoint) {
            this.pausePoint = pausePoint;
        }

        @Override
        public void put(String name, byte[] bytes) {
            pausePoint.run();
            super.put(name, bytes);
        }
    }

    private static byte[] store(ClassLoadingCollector classes) {
        try {
            return (byte[]) STORE.invokeExact(classes);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot serialize the compiled classes", e);
        }
    }

    /** Chicory's private (de)serializer of compiled classes, so entries read and write as its builder's do. */
    private static MethodHandle handle(String name, Class<?> returns, Class<?> takes) {
        try {
            var method = MachineFactoryCompiler.class.getDeclaredMethod(name, takes);
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method).asType(MethodType.methodType(returns, takes));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Chicory's compiler changed: no " + name, e);
        }
    }
}

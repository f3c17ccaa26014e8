package dev.outlayer.bench.targetsystem.contracts;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryImport;
import dev.outlayer.bench.targetsystem.errors.FatalErrors;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.wasm.CompiledCodeCache;
import dev.outlayer.bench.targetsystem.wasm.GasInstrumenter;
import dev.outlayer.bench.targetsystem.wasm.InstrumentedModule;
import dev.outlayer.bench.targetsystem.wasm.MemoryImage;
import dev.outlayer.bench.targetsystem.wasm.PausableCompiler;
import dev.outlayer.bench.targetsystem.wasm.StackAnalysis;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates contract code as NEAR's preparation would (a parseable module of the wasm features
 * nearcore enables, function imports only from {@code env}, no memory import, at most 4 MiB; the
 * memory is NEAR's whatever the module declares, {@link NearMemory}), notes function imports that are not NEAR host functions with their signatures (calls then
 * fail to link), instruments it for gas and compiles it to JVM bytecode with Chicory's compiler.
 */
public final class ContractCompiler {
    private static final Logger LOG = LoggerFactory.getLogger(ContractCompiler.class);

    /**
     * Where a deploy hands work to the cores a request leaves idle: validating the original
     * module while the deploying thread instruments it, and half of the instrumented module's
     * bodies. The deploying thread runs a task itself when no helper has taken it, so a busy
     * helper delays nothing; with one core there is no helper.
     */
    private static final Executor DEPLOY_HELPER = deployHelper();

    /** The heap every tiered deploy in this process shares until its compiled code arrives. */
    private static final CompileBudget HEAP_BUDGET = CompileBudget.ofHeap();

    /** Which machine runs calls. */
    public enum Path {
        /** The interpreter until the compiler (in the background) is done, then compiled: the default. */
        TIERED,
        /** Compile during deploy; every call runs compiled. */
        COMPILED,
        /** Never compile (the reference path for gas determinism tests). */
        INTERPRETED
    }

    private final boolean metered;
    private final Path path;
    private final CompileQueue background;
    private final CompiledCodeCache cache;
    private final CompileBudget budget;
    /** This compiler's contracts queued on or compiling in the shared background queue. */
    private final Set<CompiledContract> queued = ConcurrentHashMap.newKeySet();

    /**
     * @param metered    false only for the unmetered baseline of the benchmark
     * @param background where TIERED compilation runs
     * @param cache      compiled classes kept across restarts, or null
     */
    public ContractCompiler(boolean metered, Path path, CompileQueue background, CompiledCodeCache cache) {
        this(metered, path, background, cache, HEAP_BUDGET);
    }

    ContractCompiler(
            boolean metered, Path path, CompileQueue background, CompiledCodeCache cache, CompileBudget budget) {
        this.metered = metered;
        this.path = path;
        this.background = background;
        this.cache = cache;
        this.budget = budget;
    }

    /** NEAR's code hash: sha256 of the code, base58. */
    public static String codeHash(byte[] code) {
        try {
            return Base58.encode(MessageDigest.getInstance("SHA-256").digest(code));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public CompiledContract compile(byte[] code) {
        return compile(code, codeHash(code));
    }

    /**
     * As {@link #compile(byte[])} for code whose {@link #codeHash} the caller has computed. A
     * tiered deploy holds a share of the heap budget ({@link CompileBudget}) until its compiled
     * code arrives; when the background compiler is so far behind that the share is not there, the
     * deploy compiles its own code before it returns, as a deploy in nearcore does, and holds
     * nothing after.
     */
    public CompiledContract compile(byte[] code, String codeHash) {
        CompileBudget.Reservation reservation = path == Path.TIERED ? budget.tryReserve(code.length) : null;
        Path effective = path == Path.TIERED && reservation == null ? Path.COMPILED : path;
        try {
            CompiledContract contract = compile(code, codeHash, effective);
            if (reservation != null) {
                contract.whenCompilationEnds(reservation::release);
            }
            return contract;
        } catch (RuntimeException | Error e) {
            if (reservation != null) {
                reservation.release();
            }
            throw e;
        }
    }

    private CompiledContract compile(byte[] code, String codeHash, Path path) {
        if (code.length > ExtCost.MAX_CONTRACT_SIZE) {
            throw new InvalidContractException(
                    "contract is " + code.length + " bytes; NEAR's limit is " + ExtCost.MAX_CONTRACT_SIZE);
        }
        // Validation (Chicory's, as a validating parse runs it) on a helper core while this
        // thread checks NEAR's rules and instruments; its verdict comes first either way, so an
        // invalid module fails with the validation error whatever else it trips over.
        PrepareLimits.check(code);
        WasmModule module = parseUnvalidated(code, "invalid wasm");
        FutureTask<Void> validation = new FutureTask<>(() -> {
            InstrumentedModule.validate(module);
            return null;
        });
        DEPLOY_HELPER.execute(validation);
        String linkError;
        GasInstrumenter.MeteredBinary binary = null;
        try {
            checkImports(module);
            linkError = linkError(module);
            PrepareLimits.checkFeatures(module);
            PrepareLimits.checkInstrumentation(module);
            if (metered) {
                try {
                    binary = instrument(code, module);
                } catch (InvalidContractException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new InvalidContractException("cannot instrument the module: " + e.getMessage());
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            awaitValidation(validation);
            throw e;
        }
        awaitValidation(validation);
        int startFunction = -1; // unmetered: the start section stays and runs at instantiation
        int gasGlobal = -1;
        int stackGlobal = -1;
        WasmModule runnable = module;
        if (binary != null) {
            // The instrumenter's record of what it wrote builds the module Chicory would parse
            // from its bytes (no second parse). Tiered: it is validated with the compilation, off
            // the request path; the other paths validate it now.
            if (binary.instrumented() != null) {
                try {
                    runnable = binary.instrumented().build(DEPLOY_HELPER);
                } catch (RuntimeException e) {
                    throw new InvalidContractException("cannot read the instrumented module: " + describe(e));
                }
                if (this.path != Path.TIERED) {
                    validateInstrumented(runnable);
                }
            } else {
                runnable = path == Path.TIERED
                        ? parseUnvalidated(binary.bytes(), "cannot read the instrumented module")
                        : parse(binary.bytes(), "instrumented module does not validate");
            }
            gasGlobal = binary.gasGlobalIndex();
            stackGlobal = binary.stackGlobalIndex();
            startFunction = binary.startFunction();
        }
        // Compiled before (this process or an earlier one): the classes load in milliseconds, and
        // they were only stored after the instrumented module validated.
        boolean cached = path == Path.TIERED && cache != null && cache.contains(runnable.digest());
        Function<Instance, Machine> factory = InterpreterMachine::new;
        String compileFailure = null;
        if (path == Path.COMPILED || cached) {
            try {
                if (this.path == Path.TIERED && !cached && binary != null && binary.instrumented() != null) {
                    validateInstrumented(runnable); // as the background compilation would first
                }
                factory = compileMachine(runnable);
            } catch (InvalidContractException e) {
                if (this.path != Path.TIERED) {
                    throw e;
                }
                // A tiered deploy compiling its own code (over the heap budget) ends as its background
                // compilation would have: deployed, and every call fails with this reason.
                LOG.error("contract {} cannot run: {}", codeHash, e.getMessage());
                compileFailure = e.getMessage();
            }
        }
        TreeSet<String> methods = new TreeSet<>();
        var exports = module.exportSection();
        int imported = module.importSection().count(ExternalType.FUNCTION);
        for (int i = 0; i < exports.exportCount(); i++) {
            Export export = exports.getExport(i);
            if (export.exportType() == ExternalType.FUNCTION) {
                FunctionType type = functionType(module, (int) export.index(), imported);
                if (type.params().isEmpty() && type.returns().isEmpty()) {
                    methods.add(export.name());
                }
            }
        }
        CompiledContract contract = new CompiledContract(
                codeHash,
                code.length,
                runnable,
                factory,
                gasGlobal,
                stackGlobal,
                startFunction,
                NearMemory.definedBy(module),
                Collections.unmodifiableSet(methods),
                NearMemory.definedBy(module) ? MemoryImage.of(runnable, NearMemory.LIMITS) : null);
        contract.unlinked(linkError);
        switch (cached ? Path.COMPILED : path) {
            case COMPILED -> {
                if (compileFailure == null) {
                    contract.useCompiled(factory);
                } else {
                    contract.broken(compileFailure);
                }
            }
            case INTERPRETED -> contract.compilationFailed();
            case TIERED -> {
                WasmModule toCompile = runnable;
                boolean instrumented = binary != null;
                queued.add(contract);
                contract.queuedAs(background.submit(() -> {
                    try {
                        if (instrumented) {
                            validateInstrumented(toCompile);
                        }
                        contract.useCompiled(compileMachine(toCompile));
                    } catch (InvalidContractException e) {
                        LOG.error("contract {} cannot run: {}", contract.codeHash(), e.getMessage());
                        contract.broken(e.getMessage());
                    } catch (RuntimeException | LinkageError e) {
                        // Not the module's fault: its calls stay on the interpreter, and its share of
                        // the heap budget is released with the end of its compilation.
                        if (!cancelled(e)) {
                            LOG.error(
                                    "contract {}: compilation failed, calls stay on the interpreter",
                                    contract.codeHash(),
                                    e);
                        }
                        contract.compilationFailed();
                    } catch (VirtualMachineError e) {
                        FatalErrors.halt(e); // out of memory: the process ends, as on every other thread
                    } finally {
                        queued.remove(contract);
                    }
                }));
            }
        }
        return contract;
    }

    /**
     * NEAR's metering of a parsed module: nearcore's operation, bulk-operation and frame costs;
     * the result also builds the instrumented module as Chicory would parse its bytes (once
     * {@code module} has been validated).
     */
    public static GasInstrumenter.MeteredBinary instrument(byte[] code, WasmModule module) {
        return GasInstrumenter.instrumentToModule(
                code,
                module,
                ExtCost.REGULAR_OP_COST,
                0,
                ExtCost.LINEAR_OP_BASE_COST,
                ExtCost.LINEAR_OP_UNIT_COST,
                true,
                new StackAnalysis.Limit(stackCharges(module), ExtCost.MAX_STACK_HEIGHT));
    }

    private Function<Instance, Machine> compileMachine(WasmModule module) {
        Function<Instance, Machine> kept = PausableCompiler.loadKept(module, cache);
        if (kept != null) {
            return kept;
        }
        try {
            // Pausable: a compilation nobody waits for gives way to one a call waits for (CompileQueue).
            return PausableCompiler.compile(module, cache, CompileQueue::pausePoint);
        } catch (RuntimeException e) {
            if (cancelled(e)) {
                throw e; // its simulator closed: not the module's fault (the caller keeps it runnable)
            }
            throw new InvalidContractException("cannot compile the module: " + describe(e));
        } catch (StackOverflowError e) {
            throw new InvalidContractException("cannot compile the module: " + describe(e));
        }
    }

    static FunctionType functionType(WasmModule module, int functionIndex, int importedFunctions) {
        if (functionIndex < importedFunctions) {
            int seen = 0;
            for (int i = 0; i < module.importSection().importCount(); i++) {
                Import imp = module.importSection().getImport(i);
                if (imp instanceof FunctionImport f) {
                    if (seen++ == functionIndex) {
                        return module.typeSection().getType(f.typeIndex());
                    }
                }
            }
        }
        int typeIndex = module.functionSection().getFunctionType(functionIndex - importedFunctions);
        return module.typeSection().getType(typeIndex);
    }

    private static WasmModule parse(byte[] code, String what) {
        try {
            return Parser.parse(code);
        } catch (RuntimeException | StackOverflowError e) {
            throw new InvalidContractException(what + ": " + describe(e));
        } catch (OutOfMemoryError e) {
            throw new InvalidContractException(what + ": a section declares more entries than memory allows");
        }
    }

    /** Chicory's validation of the instrumented module the instrumenter built (as a validating parse would). */
    private static void validateInstrumented(WasmModule instrumented) {
        try {
            InstrumentedModule.validate(instrumented);
        } catch (RuntimeException | StackOverflowError e) {
            throw new InvalidContractException("instrumented module does not validate: " + describe(e));
        }
    }

    /** Chicory's parse without its validation (see {@link #awaitValidation}). */
    private static WasmModule parseUnvalidated(byte[] code, String what) {
        try {
            // A parser per parse: it keeps the type section it read in a field.
            return Parser.builder().withValidation(false).build().parse(() -> new java.io.ByteArrayInputStream(code));
        } catch (RuntimeException | StackOverflowError e) {
            throw new InvalidContractException(what + ": " + describe(e));
        } catch (OutOfMemoryError e) {
            throw new InvalidContractException(what + ": a section declares more entries than memory allows");
        }
    }

    /** Waits for the validation of the original module (running it here if no helper took it). */
    private static void awaitValidation(FutureTask<Void> validation) {
        validation.run(); // does nothing if a helper has started it
        try {
            validation.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while validating a contract", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof OutOfMemoryError) {
                throw new InvalidContractException("invalid wasm: a section declares more entries than memory allows");
            }
            throw new InvalidContractException("invalid wasm: " + describe(cause));
        }
    }

    /** Whether {@code e} ended a compilation its simulator cancelled (Chicory may wrap what a pause point throws). */
    private static boolean cancelled(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CompileQueue.Cancelled) {
                return true;
            }
        }
        return false;
    }

    /**
     * The owning simulator is closing: its compilations still queued are dropped and the running
     * ones end at their next pause point (the queue and its threads serve the whole JVM).
     */
    public void close() {
        queued.forEach(CompiledContract::cancelCompilation);
    }

    private static Executor deployHelper() {
        int helpers = Runtime.getRuntime().availableProcessors() - 1;
        if (helpers < 1) {
            return task -> {}; // the deploying thread runs every task itself
        }
        AtomicInteger names = new AtomicInteger();
        return Executors.newFixedThreadPool(helpers, r -> {
            Thread thread = new Thread(r, "contract-deploy-helper-" + names.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /**
     * finite-wasm's stack charge of every function; one whose operand stack can exceed
     * max_operand_stack_bytes_per_function fails the deploy with nearcore's OperandStackTooLarge.
     */
    private static java.util.List<StackAnalysis.FunctionStack> stackCharges(WasmModule module) {
        java.util.List<StackAnalysis.FunctionStack> stacks = StackAnalysis.analyze(module);
        for (int f = 0; f < stacks.size(); f++) {
            long bytes = stacks.get(f).operandStackBytes();
            if (bytes > StackAnalysis.MAX_OPERAND_STACK_BYTES_PER_FUNCTION) {
                throw new InvalidContractException("OperandStackTooLarge: function " + f + " needs " + bytes
                        + " bytes of operand stack; the limit is "
                        + StackAnalysis.MAX_OPERAND_STACK_BYTES_PER_FUNCTION);
            }
        }
        return stacks;
    }

    /**
     * Imports as prepare_v3.rs's transform_import_section takes them, in one pass: only from
     * {@code env} ({@code Instantiate} otherwise), only functions: a memory import is
     * {@code PrepareError::Memory} (nearcore imports its own normalized memory), a table or global
     * {@code Instantiate}. Function imports are linked at the call ({@link #linkError}).
     */
    private static void checkImports(WasmModule module) {
        var imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            Import imp = imports.getImport(i);
            if (!NearImports.MODULE.equals(imp.module())) {
                throw new InvalidContractException("Instantiate: import " + imp.module() + "." + imp.name()
                        + " is not from the env module: NEAR contracts may import only env");
            }
            if (imp instanceof MemoryImport) {
                throw new InvalidContractException("Memory: import env." + imp.name()
                        + " imports a memory; nearcore gives every contract its own (1,024 pages, at most 2,048)");
            }
            if (!(imp instanceof FunctionImport)) {
                throw new InvalidContractException("Instantiate: import env." + imp.name() + " (" + imp.importType()
                        + ") is not provided: NEAR provides host functions only");
            }
        }
    }

    /**
     * Why the module's function imports do not link against NEAR's host functions (a name it does not
     * provide, or another signature), or null. nearcore's preparation does not look at them; its
     * linker refuses them at every call (wasmtime_runner: instantiate_pre, FunctionCallError::LinkError).
     */
    private static String linkError(WasmModule module) {
        var imports = module.importSection();
        for (int i = 0; i < imports.importCount(); i++) {
            FunctionImport f = (FunctionImport) imports.getImport(i);
            NearImports.HostFn host = NearImports.table().get(f.name());
            if (host == null) {
                return "unknown or invalid import: env." + f.name() + " is not a NEAR host function";
            }
            if (f.typeIndex() < 0 || f.typeIndex() >= module.typeSection().typeCount()) {
                throw new InvalidContractException("import env." + f.name() + " refers to type " + f.typeIndex()
                        + "; the module declares " + module.typeSection().typeCount() + " types");
            }
            FunctionType wanted = module.typeSection().getType(f.typeIndex());
            if (!wanted.equals(host.type())) {
                return "unknown or invalid import: env." + f.name() + " has signature " + wanted + " but NEAR's is "
                        + host.type();
            }
        }
        return null;
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import com.dylibso.chicory.runtime.CompiledModule;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.wasm.MemoryImage;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A deployed contract, loaded once for its code hash and shared by every call: the validated,
 * instrumented module, the machine that runs it and what a call needs to know (metering global,
 * memory limits and the post-instantiation memory image, exported methods). Instances made from it are never shared.
 *
 * <p>The machine starts as Chicory's interpreter and switches to the JVM bytecode Chicory's
 * compiler produces as soon as that is ready (see {@link ContractCompiler}): the first call does
 * not wait for compilation. Gas is the same on both, because metering is in the wasm itself.
 */
public final class CompiledContract {
    private final String codeHash;
    /** The code hash's 32 bytes, decoded once: every committed call writes them into the account record. */
    private final byte[] codeHashBytes;

    private final int codeSize;
    private final int gasGlobalIndex;
    private final int stackGlobalIndex;
    private final int startFunction;
    /** The module has a memory section (which nearcore replaces with NEAR's memory, {@link NearMemory}). */
    private final boolean definesMemory;

    private final Set<String> methods;
    private final MemoryImage memoryImage;
    /** Its linear memory (if any) resets to an image: a condition of reusing instances. */
    private final boolean memoryResets;
    /** Each call thread's instance, once the module runs compiled. */
    private final ThreadLocal<ReusableInstance> threadInstance = new ThreadLocal<>();

    private final CompletableFuture<Boolean> compiled = new CompletableFuture<>();
    /**
     * The module instances are built from and the machine that runs them, read together: compiled
     * code comes with a copy of the module without function bodies, and Chicory builds an instance
     * of compiled code only from the module that code was compiled with.
     */
    private volatile Runner runner;

    private volatile String brokenReason;

    /**
     * @param gasGlobalIndex the metering global, or -1 when loaded without metering
     * @param stackGlobalIndex the stack-limit global (max_stack_height), or -1 without one
     * @param startFunction  the start function the host must run after attaching the meter, or -1
     * @param definesMemory  the module has a memory section (else only host functions see a memory)
     */
    CompiledContract(
            String codeHash,
            int codeSize,
            WasmModule module,
            Function<Instance, Machine> machineFactory,
            int gasGlobalIndex,
            int stackGlobalIndex,
            int startFunction,
            boolean definesMemory,
            Set<String> methods,
            MemoryImage memoryImage) {
        this.codeHash = codeHash;
        this.codeHashBytes = Base58.decode(codeHash);
        this.codeSize = codeSize;
        this.runner = new Runner(module, machineFactory, false);
        this.gasGlobalIndex = gasGlobalIndex;
        this.stackGlobalIndex = stackGlobalIndex;
        this.startFunction = startFunction;
        this.definesMemory = definesMemory;
        this.methods = methods;
        this.memoryImage = memoryImage;
        this.memoryResets = !definesMemory || memoryImage != null;
    }

    /**
     * True when a call may run on its thread's {@link ReusableInstance}: the module runs compiled
     * (the interpreter keeps per-machine call state; compiled code, once there, stays) and allows it.
     */
    boolean reusesInstances() {
        return runner.reusesInstances();
    }

    /** This thread's reusable instance, or null before its first call here. */
    ReusableInstance threadInstance() {
        return threadInstance.get();
    }

    void threadInstance(ReusableInstance instance) {
        threadInstance.set(instance);
    }

    /** Linear memory after instantiation, shared by every call's copy-on-write view; null: built per call. */
    public MemoryImage memoryImage() {
        return memoryImage;
    }

    public String codeHash() {
        return codeHash;
    }

    /** The sha256 of the code (what {@link #codeHash()} spells in base58). */
    public byte[] codeHashBytes() {
        return codeHashBytes.clone();
    }

    public int codeSize() {
        return codeSize;
    }

    /**
     * The module (its sections; once compiled, maybe without function bodies) with its machine,
     * and whether calls may reset an instance instead of building one ({@link ReusableInstance#supports}).
     */
    public record Runner(WasmModule module, Function<Instance, Machine> machineFactory, boolean reusesInstances) {}

    /** What a new instance is built from: the module and the machine, one consistent pair. */
    public Runner runner() {
        return runner;
    }

    /** The module's sections (exports, imports, globals...); function bodies only before compilation. */
    public WasmModule module() {
        return runner.module();
    }

    public int gasGlobalIndex() {
        return gasGlobalIndex;
    }

    public int stackGlobalIndex() {
        return stackGlobalIndex;
    }

    public int startFunction() {
        return startFunction;
    }

    /**
     * The memory every call sees: NEAR's 1,024 pages growing to 2,048, whatever the module declares
     * ({@link NearMemory}).
     */
    public MemoryLimits memoryLimits() {
        return NearMemory.LIMITS;
    }

    /** The module has a memory section: Chicory creates the instance's memory (ours); else only host functions have one. */
    boolean definesMemory() {
        return definesMemory;
    }

    public Set<String> methods() {
        return methods;
    }

    public boolean metered() {
        return gasGlobalIndex >= 0;
    }

    /** The host values this module links against, for the last host binding it was given. */
    private volatile LinkedImports linked;

    private record LinkedImports(ImportValues host, ImportValues imported) {}

    /**
     * What of {@code host} this module imports: every host value whose module and name one of its
     * imports names, in {@code host}'s order. Chicory links each import by scanning the values it
     * is given (and validates the match), so a call links against its module's few imports rather
     * than all of NEAR's host functions; an import {@code host} lacks still fails to link, as before.
     * Kept per binding (direct mode's table is one object, as is each linux worker's).
     */
    ImportValues importsFrom(ImportValues host) {
        LinkedImports l = linked;
        if (l == null || l.host() != host) {
            l = new LinkedImports(host, ModuleImports.of(module()).select(host));
            linked = l;
        }
        return l.imported();
    }

    /** Where this contract's background compilation waits, or null. */
    private volatile CompileQueue.Job compileJob;

    void queuedAs(CompileQueue.Job job) {
        compileJob = job;
    }

    /** A call is about to run on the interpreter: its compilation goes ahead of modules nobody calls. */
    AutoCloseable callWaiting() {
        CompileQueue.Job job = compileJob;
        return job != null && compiling() ? job.callWaiting() : () -> {};
    }

    /** True once calls run compiled bytecode rather than the interpreter. */
    public boolean isCompiled() {
        return compiled.getNow(false);
    }

    /**
     * Calls run {@code factory}'s code from now on, on instances of the module it was compiled with
     * (see {@code PausableCompiler}); whether they reset instances is decided here, off the deploy's path.
     */
    void useCompiled(Function<Instance, Machine> factory) {
        WasmModule parsed = runner.module();
        WasmModule runs = factory instanceof CompiledModule compiled ? compiled.wasmModule() : parsed;
        runner = new Runner(runs, factory, memoryResets && ReusableInstance.supports(parsed));
        compileJob = null; // the job holds the module it compiled
        compiled.complete(true);
    }

    /** The module failed validation or compilation in the background: every call fails with this reason. */
    void broken(String reason) {
        brokenReason = reason;
        compileJob = null;
        compiled.complete(false);
    }

    /** Why calls cannot run, or null. */
    public String brokenReason() {
        return brokenReason;
    }

    /** Why the module's function imports do not link (nearcore's LinkError at every call), or null. */
    private volatile String linkError;

    void unlinked(String reason) {
        linkError = reason;
    }

    public String linkError() {
        return linkError;
    }

    /**
     * Its simulator is closing: a compilation still queued is dropped (calls would stay on the
     * interpreter), a running one ends at its next pause point.
     */
    void cancelCompilation() {
        CompileQueue.Job job = compileJob;
        if (job != null && job.cancel()) {
            compilationFailed();
        }
    }

    /** Compilation is not wanted: calls keep running on the interpreter. */
    void compilationFailed() {
        compileJob = null;
        compiled.complete(false);
    }

    /** Runs {@code action} once compilation ends (at once if it already has). */
    void whenCompilationEnds(Runnable action) {
        compiled.thenRun(action);
    }

    /** True while the background compiler has not finished with this contract. */
    boolean compiling() {
        return !compiled.isDone();
    }

    /** Waits for the background compilation; true if calls now run compiled. */
    public boolean awaitCompiled(long timeout, TimeUnit unit) {
        try {
            return compiled.get(timeout, unit);
        } catch (Exception e) {
            return false;
        }
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasm.ChicoryException;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.state.AccountStorage;
import dev.outlayer.bench.targetsystem.wasm.CowMemory;
import dev.outlayer.bench.targetsystem.wasm.GasMeter;
import dev.outlayer.bench.targetsystem.wasm.MemoryImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one method of a compiled contract as NEAR runs a function call: contract loading gas,
 * a fresh instance (fresh linear memory: a copy-on-write view of the contract's memory image) per call, the method, and an outcome that maps every
 * way of failing to NEAR's error kinds. Never throws for anything the contract does; an
 * {@link ApiException} from the host binding (it could not start the call) is passed on.
 */
public final class ContractRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ContractRuntime.class);
    /** The failure of a call that failed inside the runtime or a host function rather than in its code. */
    private static final String RUNTIME_FAULT_WORDS = "internal error in the wasm runtime";

    static final String RUNTIME_FAULT = "GenericTrap: " + RUNTIME_FAULT_WORDS;

    private ContractRuntime() {}

    /**
     * Runs {@code method} against {@code committed} state; the outcome carries the writes.
     *
     * <p>A call that starts on the interpreter while the compiler is still busy with the
     * contract is interrupted when the compiled code is ready and run again from the start on
     * it: nothing of the first attempt is kept (its writes were only in its overlay), and gas is
     * identical on both machines, so the outcome is the one the compiled code gives. The first
     * call never waits for the compiler, and a long one does not stay on the slow path.
     */
    public static Outcome run(CompiledContract contract, CallContext context, AccountStorage committed, String method) {
        return run(contract, context, committed, method, HostBinding.DIRECT);
    }

    /** Runs with the host functions of {@code binding} (direct, or the Linux emulator's kernel). */
    public static Outcome run(
            CompiledContract contract,
            CallContext context,
            AccountStorage committed,
            String method,
            HostBinding binding) {
        return run(contract, context, ReceiptContext.NONE, committed, method, binding);
    }

    /** Runs inside a receipt on {@code committed} as an account's whole state (a receipt's earlier actions applied). */
    static Outcome run(
            CompiledContract contract,
            CallContext context,
            ReceiptContext receipt,
            NavigableMap<Bytes, byte[]> committed,
            String method,
            HostBinding binding) {
        return run(contract, context, receipt, StateOverlay.storageOf(committed), method, binding);
    }

    /** Runs inside a receipt: with its promise results, data receivers and the engine's yields. */
    public static Outcome run(
            CompiledContract contract,
            CallContext context,
            ReceiptContext receipt,
            AccountStorage committed,
            String method,
            HostBinding binding) {
        try {
            if (!contract.compiling()) {
                return attempt(contract, context, receipt, new StateOverlay(committed), method, binding);
            }
            return attemptWhileCompiling(contract, context, receipt, committed, method, binding);
        } finally {
            binding.exit();
        }
    }

    /** A call that starts on the interpreter runs again once its compiled code arrives. */
    private static Outcome attemptWhileCompiling(
            CompiledContract contract,
            CallContext context,
            ReceiptContext receipt,
            AccountStorage committed,
            String method,
            HostBinding binding) {
        AutoCloseable waiting = contract.callWaiting();
        TierSwitch tierSwitch = new TierSwitch(Thread.currentThread());
        // Only compiled code is worth stopping the interpreter for: a compile that failed (calls stay
        // on the interpreter) or a broken contract leaves the running call alone.
        contract.whenCompilationEnds(() -> {
            if (contract.isCompiled()) {
                tierSwitch.fire();
            }
        });
        Outcome outcome;
        boolean switched;
        try {
            outcome = attempt(contract, context, receipt, new StateOverlay(committed), method, binding);
        } finally {
            // Also when the binding refused the call: a late interrupt must not hit this thread's next task.
            switched = tierSwitch.disarm();
            closeQuietly(waiting);
        }
        if (switched && "ExecutionTimeout".equals(outcome.errorKind()) && contract.isCompiled()) {
            return attempt(contract, context, receipt, new StateOverlay(committed), method, binding);
        }
        return outcome;
    }

    private static void closeQuietly(AutoCloseable handle) {
        try {
            handle.close();
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Interrupts the interpreting thread once compilation ends, but only while armed. */
    private static final class TierSwitch {
        private final Thread thread;
        private boolean armed = true;
        private boolean fired;

        TierSwitch(Thread thread) {
            this.thread = thread;
        }

        synchronized void fire() {
            if (armed) {
                fired = true;
                thread.interrupt();
            }
        }

        /** Stops further interrupts; true if one was sent (its flag is cleared here). */
        boolean disarm() {
            boolean sent;
            synchronized (this) {
                armed = false;
                sent = fired;
            }
            if (sent) {
                Thread.interrupted();
            }
            return sent;
        }
    }

    private static Outcome attempt(
            CompiledContract contract,
            CallContext context,
            ReceiptContext receipt,
            StateOverlay state,
            String method,
            HostBinding binding) {
        GasMeter gas =
                new GasMeter(context.prepaidGas(), context.view() ? ExtCost.MAX_GAS_BURNT_VIEW : ExtCost.MAX_GAS_BURNT);
        VmLogic logic = new VmLogic(context, gas, state, receipt);
        long instantiateNanos = 0;
        long execNanos = 0;
        long start = System.nanoTime();
        ReusableInstance reused = null;
        NearImports.enter(logic);
        try {
            binding.enter(logic);
            // nearcore's wasmtime runner at 86 (FixContractLoadingCost off) burns nothing for these:
            // an empty method name fails before loading, code that does not compile never pays the
            // loading fee, and a missing or ill-typed method is abort_but_nop_outcome_in_old_protocol,
            // a nop outcome of 0 gas; contract_loading is charged only for a call that then runs.
            if (contract.brokenReason() != null) {
                return failure(logic, "CompilationError", contract.brokenReason(), 0, 0);
            }
            if (method.isEmpty()) {
                return failure(logic, "MethodNotFound", "MethodEmptyName: the method name is empty", 0, 0);
            }
            if (contract.linkError() != null) {
                // nearcore links after charging the loading fee; the LinkError aborts with it burnt.
                logic.chargeContractLoading(contract.codeSize());
                return failure(logic, "LinkError", "Link Error: " + contract.linkError(), 0, 0);
            }
            if (!contract.methods().contains(method)) {
                boolean exported = contract.module().exportSection() != null && exportsFunction(contract, method);
                return exported
                        ? failure(
                                logic,
                                "MethodNotFound",
                                "MethodInvalidSignature: " + method
                                        + " is exported but does not take no arguments and return nothing",
                                0,
                                0)
                        : failure(
                                logic, "MethodNotFound", "MethodNotFound: the contract has no method " + method, 0, 0);
            }
            logic.chargeContractLoading(contract.codeSize());
            reused = binding == HostBinding.DIRECT ? reusable(contract) : null;
            Instance instance = reused != null ? reused.take() : null;
            if (instance == null) {
                reused = null;
                instance = instantiate(contract, binding.imports(), newMemory(contract));
            }
            if (contract.metered()) {
                gas.attach(instance, contract.gasGlobalIndex());
            }
            attachStack(gas, instance, contract);
            if (contract.startFunction() >= 0) {
                // Instrumentation removed the start section so that it runs under the call's budget.
                instance.getMachine().call(contract.startFunction(), new long[0]);
                attachStack(gas, instance, contract); // the method starts with the whole stack again
            }
            long afterInstantiate = System.nanoTime();
            instantiateNanos = afterInstantiate - start;
            instance.export(method).apply();
            logic.distributeUnusedGas();
            execNanos = System.nanoTime() - afterInstantiate;
            // No storage stake check here: nearcore's action_function_call has none; the receipt checks
            // once after all its actions (ReceiptEngine, lib.rs apply_action_receipt).
            return new Outcome(
                    true,
                    logic.returnData(),
                    List.copyOf(logic.logs()),
                    gas.burnt(),
                    gas.used(),
                    instructions(gas, contract),
                    null,
                    null,
                    null,
                    state.changes(),
                    logic.promises(),
                    logic.storageUsage(),
                    logic.balance(),
                    instantiateNanos,
                    execNanos,
                    logic.finishProfile());
        } catch (StackOverflowError e) {
            return trap(logic, WasmTrap.StackOverflow, "the call recursed too deeply", start, instantiateNanos);
        } catch (OutOfMemoryError e) {
            // The pages one call wrote (up to 128 MiB of linear memory) did not fit in the heap;
            // the instance is dropped with them and the heap stays usable for other calls.
            return failure(
                    logic,
                    "WasmTrap",
                    "MemoryLimit: the host has no memory for this instance's " + "linear memory right now",
                    start,
                    instantiateNanos);
        } catch (ApiException refused) {
            // The binding could not take the call (linux mode: no task worker came free): the
            // request's answer, not the contract's failure.
            throw refused;
        } catch (RuntimeException e) {
            return classify(logic, contract, e, start, instantiateNanos);
        } finally {
            if (reused != null) {
                reused.release();
            }
            binding.endRun();
            NearImports.exit();
        }
    }

    /**
     * This thread's reusable instance of {@code contract} (built on its first call here; compiled code,
     * once there, is never replaced), or null when the contract cannot reuse instances. Direct mode
     * only: linux mode binds each call to its own worker's syscalls.
     */
    private static ReusableInstance reusable(CompiledContract contract) {
        if (!contract.reusesInstances()) {
            return null;
        }
        ReusableInstance reused = contract.threadInstance();
        if (reused == null) {
            CowMemory memory = contract.definesMemory() ? contract.memoryImage().newMemory() : null;
            reused = new ReusableInstance(instantiate(contract, HostBinding.DIRECT.imports(), memory), memory);
            contract.threadInstance(reused);
        }
        return reused;
    }

    /**
     * A new linear memory for one instance: a view of the image, else a blank one its
     * instantiation writes the data segments into (never 64 MiB of Chicory's own); null when the
     * module declares no memory (its host functions then get one of their own, {@link NearImports}).
     */
    private static Memory newMemory(CompiledContract contract) {
        if (!contract.definesMemory()) {
            return null;
        }
        MemoryImage image = contract.memoryImage();
        return image != null ? image.newMemory() : NearMemory.blank();
    }

    private static void attachStack(GasMeter gas, Instance instance, CompiledContract contract) {
        if (contract.stackGlobalIndex() >= 0) {
            gas.attachStack(instance, contract.stackGlobalIndex(), ExtCost.MAX_STACK_HEIGHT);
        }
    }

    private static boolean exportsFunction(CompiledContract contract, String name) {
        var exports = contract.module().exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            var export = exports.getExport(i);
            if (export.name().equals(name)
                    && export.exportType() == com.dylibso.chicory.wasm.types.ExternalType.FUNCTION) {
                return true;
            }
        }
        return false;
    }

    /** A new instance of {@code contract} over {@code memory} (from {@link #newMemory}), initialised, nothing run. */
    private static Instance instantiate(CompiledContract contract, ImportValues host, Memory memory) {
        ImportValues hostFunctions = contract.importsFrom(host);
        CompiledContract.Runner runner = contract.runner();
        Instance.Builder builder = Instance.builder(runner.module())
                .withMachineFactory(runner.machineFactory())
                .withTableFactory(ContractTable::new)
                .withStart(false);
        builder.withImportValues(hostFunctions);
        if (memory != null) {
            // NEAR's limits in place of the module's own, as prepare_v3.rs replaces its memory section.
            builder.withMemoryLimits(contract.memoryLimits()).withMemoryFactory(limits -> memory);
        }
        return builder.build();
    }

    private static long instructions(GasMeter gas, CompiledContract contract) {
        return contract.metered() ? gas.wasmGas() / ExtCost.REGULAR_OP_COST : 0;
    }

    private static Outcome classify(
            VmLogic logic, CompiledContract contract, RuntimeException e, long start, long instantiateNanos) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GasMeter.OutOfGasException) {
                return outOfGas(logic, start, instantiateNanos);
            }
            if (t instanceof HostError h) {
                HostError.Kind error = h.kind();
                return error instanceof HostError.GuestPanic
                        ? failure(logic, "GuestPanic", error.display(), error, start, instantiateNanos)
                        : failure(logic, "HostError", error.message(), error, start, instantiateNanos);
            }
            // Interrupted in the wasm, or while the call waited in a host function (linux mode: for a
            // task worker): either way the tier switch or the watchdog stopped it.
            if (t instanceof ChicoryInterruptedException || t instanceof InterruptedException) {
                return failure(
                        logic,
                        "ExecutionTimeout",
                        "the call ran past the wall-clock limit and was interrupted",
                        start,
                        instantiateNanos);
            }
        }
        if (contract.metered() && logic.gas().exhausted()) {
            return outOfGas(logic, start, instantiateNanos);
        }
        if (logic.gas().stackExhausted()) {
            return trap(
                    logic,
                    WasmTrap.StackOverflow,
                    "the call's frames need more than max_stack_height (" + ExtCost.MAX_STACK_HEIGHT + " bytes)",
                    start,
                    instantiateNanos);
        }
        if (!(e instanceof ChicoryException
                || e instanceof ArithmeticException
                || e instanceof IndexOutOfBoundsException)) {
            // Not a trap of the contract's code but a fault of the runtime or a host function (a bug
            // of ours; nearcore panics on its WasmUnknownError): the call fails as a generic trap,
            // the exception in the log, never in the outcome the client sees.
            LOG.error("a contract call failed inside the contract runtime; it fails as a generic trap", e);
            return trap(logic, WasmTrap.GenericTrap, RUNTIME_FAULT_WORDS, start, instantiateNanos);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        WasmTrap trap = trapName(e, message);
        return trap == null
                ? failure(logic, "WasmTrap", "ExecutionError: " + message, null, start, instantiateNanos)
                : trap(logic, trap, message, start, instantiateNanos);
    }

    /** GasLimitExceeded when max_gas_burnt stopped the call, GasExceeded when its prepaid gas did. */
    private static Outcome outOfGas(VmLogic logic, long start, long instantiateNanos) {
        return logic.gas().overMaxBurnt()
                ? failure(
                        logic,
                        "GasLimitExceeded",
                        "Exceeded the maximum amount of gas allowed to burn per contract.",
                        start,
                        instantiateNanos)
                : failure(logic, "GasExceeded", "Exceeded the prepaid gas.", start, instantiateNanos);
    }

    /** nearcore's WasmTrap variants, recognised from the trap Chicory raised. */
    private static WasmTrap trapName(RuntimeException e, String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("call stack exhausted")) {
            return WasmTrap.StackOverflow; // the interpreter's JVM stack ran out
        }
        if (m.contains("unreachable")) {
            return WasmTrap.Unreachable;
        }
        if (m.contains("out of bounds memory") || m.contains("memory access")) {
            return WasmTrap.MemoryOutOfBounds;
        }
        if (m.contains("divide by zero") || m.contains("integer overflow") || m.contains("invalid conversion")) {
            return WasmTrap.IllegalArithmetic;
        }
        if (m.contains("indirect call type mismatch")) {
            return WasmTrap.IncorrectCallIndirectSignature;
        }
        if (m.contains("uninitialized element")
                || m.contains("undefined element")
                || m.contains("out of bounds table")) {
            return WasmTrap.CallIndirectOOB;
        }
        return e instanceof TrapException ? WasmTrap.GenericTrap : null;
    }

    private static Outcome failure(VmLogic logic, String kind, String message, long start, long instantiateNanos) {
        return failure(logic, kind, message, null, start, instantiateNanos);
    }

    /** A WasmTrap: the message names nearcore's variant, then says what happened. */
    private static Outcome trap(VmLogic logic, WasmTrap trap, String words, long start, long instantiateNanos) {
        return failure(logic, "WasmTrap", trap.name() + ": " + words, trap, start, instantiateNanos);
    }

    private static Outcome failure(
            VmLogic logic, String kind, String message, VmError vmError, long start, long instantiateNanos) {
        GasMeter gas = logic.gas();
        long exec = start == 0 ? 0 : Math.max(0, System.nanoTime() - start - instantiateNanos);
        return new Outcome(
                false,
                null,
                List.copyOf(logic.logs()),
                gas.burnt(),
                gas.used(),
                gas.wasmGas() / ExtCost.REGULAR_OP_COST,
                kind,
                message,
                vmError,
                Map.of(),
                logic.promises(),
                0,
                null,
                instantiateNanos,
                exec,
                logic.finishProfile());
    }
}

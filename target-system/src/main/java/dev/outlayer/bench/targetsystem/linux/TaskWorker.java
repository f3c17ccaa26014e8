package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.ChicoryException;
import dev.outlayer.bench.targetsystem.contracts.VmLogic;
import dev.outlayer.bench.targetsystem.wasm.GasMeter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A booted task worker: it holds the root filesystem image and has its syscall table bound once
 * (the host functions find the running process through {@link #current}). Running a program
 * creates a process with a fresh /tmp and a fresh instance, so nothing leaks between runs, and a
 * process that hit a limit leaves the worker as reusable as one that exited cleanly.
 *
 * <p>One worker runs one process at a time, on the caller's thread.
 */
final class TaskWorker {
    private static final Logger LOG = LoggerFactory.getLogger(TaskWorker.class);
    private static final AtomicInteger PIDS = new AtomicInteger(1);
    /** The trap of a process whose run failed inside the wasm runtime (not a syscall, not the program). */
    static final String RUNTIME_FAULT = "internal error in the wasm runtime";

    static final long TMP_QUOTA_BYTES = 64L * 1024 * 1024;

    final int id;
    private final FileSystemImage image;
    private final SyscallTable table;
    private final Watchdog watchdog;
    private final ImportValues imports;
    private Process current;

    private TaskWorker(int id, FileSystemImage image, SyscallTable table, Watchdog watchdog) {
        this.id = id;
        this.image = image;
        this.table = table;
        this.watchdog = watchdog;
        this.imports = table.bind(() -> current);
    }

    /** Boots a worker: builds its root filesystem image and binds the kernel's syscall table. */
    static TaskWorker boot(int id, SyscallTable table, Watchdog watchdog) {
        return new TaskWorker(id, FileSystemImage.boot(), table, watchdog);
    }

    /** The syscall table bound to this worker, as Chicory imports. */
    ImportValues imports() {
        return imports;
    }

    /**
     * Makes a NEAR contract call this worker's running process: its env.* imports reach the
     * kernel's NEAR syscalls, which act on {@code logic}. The contract runtime builds and runs the
     * instance (exactly as in direct mode); {@link #endContract} ends the process.
     */
    Process startContract(VmLogic logic, Spec spec) {
        FileSystem fs = new FileSystem(image.newExecutionTree(), TMP_QUOTA_BYTES);
        Process process = new Process(
                PIDS.getAndIncrement(), spec.argv(), spec.env(), "/", fs, spec.limits(), table, logic.gas(), false);
        process.runContract(logic);
        process.markStarted();
        current = process;
        return process;
    }

    void endContract(Process process) {
        current = null;
        process.closeAll();
    }

    /** What a process is started with, besides its program and its three standard streams. */
    record Spec(
            List<String> argv, Map<String, String> env, ProcessLimits limits, String entry, ProcessProfile profile) {
        Spec(List<String> argv, Map<String, String> env, ProcessLimits limits, String entry) {
            this(argv, env, limits, entry, ProcessProfile.LINUX);
        }
    }

    /** Runs {@code program} to completion as a new process with the given standard streams. */
    ProcessOutcome run(Program program, Spec spec, Descriptor stdin, Descriptor stdout, Descriptor stderr) {
        FileSystem fs = new FileSystem(image.newExecutionTree(), TMP_QUOTA_BYTES);
        ProcessProfile profile = spec.profile();
        Program.Metered metered = program.metered(profile);
        // linux: one budget for wasm and kernel work, one unit per wasm instruction. outlayer:
        // wasmtime's fuel, which host calls do not draw on.
        Process process = new Process(
                PIDS.getAndIncrement(),
                spec.argv(),
                spec.env(),
                "/",
                fs,
                spec.limits(),
                table,
                new GasMeter(spec.limits().maxInstructions()),
                profile.chargesKernel());
        process.install(0, stdin);
        process.install(1, stdout);
        process.install(2, stderr);
        process.wallLimit(profile.wallNanos(spec.limits()));
        process.profile(profile);
        if (profile.preopensRoot()) {
            process.install(3, new OpenDirectory(fs, fs.root, "/", "/"));
        }
        current = process;
        long start = System.nanoTime();
        process.markStarted();
        Watchdog.Alarm alarm = watchdog.arm(profile.wallNanos(spec.limits()));
        ProcessKilled.Reason killedBy = null;
        String trap = null;
        boolean procExit = false;
        try {
            // withStart(false): Chicory would otherwise call _start while building, before the meter is attached.
            Instance instance = Instance.builder(metered.module())
                    .withStart(false)
                    .withImportValues(imports)
                    .withMachineFactory(metered.machines())
                    .withMemoryFactory(
                            limits -> new LimitedMemory(limits, spec.limits().maxPages(), process::memoryLimitHit))
                    .withTableFactory(LimitedTable.factory(process::memoryLimitHit))
                    .build();
            process.meter().attach(instance, metered.meterGlobal());
            instance.export(spec.entry()).apply();
            process.exit(0);
        } catch (WasiExitException e) {
            procExit = true;
            process.exit(e.exitCode());
        } catch (ProcessKilled e) {
            killedBy = e.reason;
        } catch (GasMeter.OutOfGasException e) {
            killedBy = ProcessKilled.Reason.INSTRUCTIONS;
        } catch (ChicoryInterruptedException e) {
            killedBy = ProcessKilled.Reason.WALL_TIME;
        } catch (ChicoryException | StackOverflowError | ArithmeticException | IndexOutOfBoundsException e) {
            // A trap: unreachable (also how wasi-libc's abort() ends), out-of-bounds, stack exhaustion.
            if (process.meter().exhausted()) {
                killedBy = ProcessKilled.Reason.INSTRUCTIONS;
            } else {
                trap = e instanceof StackOverflowError ? "call stack exhausted" : String.valueOf(e.getMessage());
            }
        } catch (RuntimeException e) {
            // A fault of the runtime itself (a Chicory bug), not of the program: the process traps
            // as on a machine fault, as when a syscall fails so (SyscallTable.kernelFault); the
            // exception is logged, never shown, and the worker serves on.
            LOG.error("pid {} ({}) failed inside the wasm runtime; the process traps", process.pid, program.name, e);
            trap = RUNTIME_FAULT;
        } finally {
            if (alarm.disarm() && killedBy == null) {
                killedBy = ProcessKilled.Reason.WALL_TIME;
            }
            current = null;
            process.closeAll();
        }
        if (killedBy == null && process.hitMemoryLimit()) {
            killedBy = ProcessKilled.Reason.MEMORY;
        }
        int exitCode = killedBy != null
                ? ProcessOutcome.SIGKILL_STATUS
                : trap != null ? ProcessOutcome.SIGABRT_STATUS : process.exitCode();
        return new ProcessOutcome(
                process.pid,
                exitCode,
                killedBy,
                trap,
                process.wasmInstructions(),
                profile.chargesKernel() ? process.kernelInstructions() : 0,
                process.stats.counts(),
                process.stats.timesMicros(),
                System.nanoTime() - start,
                procExit);
    }
}

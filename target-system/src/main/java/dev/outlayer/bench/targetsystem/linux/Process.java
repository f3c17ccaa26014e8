package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.contracts.VmLogic;
import dev.outlayer.bench.targetsystem.wasm.GasMeter;
import java.util.List;
import java.util.Map;

/**
 * One emulated process: pid, argv, environment, working directory, file-descriptor table, limits,
 * its own instruction count and syscall statistics, and its exit status once it ends.
 */
final class Process {
    static final int MAX_FDS = 1024;

    final int pid;
    final List<String> argv;
    final Map<String, String> env;
    final String cwd;
    final FileSystem fs;
    final ProcessLimits limits;
    final SyscallStats stats;
    private final Descriptor[] fds = new Descriptor[MAX_FDS];
    private final GasMeter meter;
    private final boolean kernelChargesMeter;
    private long kernelInstructions;
    private VmLogic near;
    private Integer exitCode;
    private boolean memoryLimitHit;
    private long startedNanos = System.nanoTime();
    private long wallNanos;
    private ProcessProfile profile = ProcessProfile.LINUX;

    /**
     * @param meter              the budget the wasm draws on: an instruction budget (one unit per
     *                           wasm instruction) for a WASI program, the call's NEAR gas for a contract
     * @param kernelChargesMeter whether kernel work is charged to {@code meter}: yes for programs
     *                           (one limit covers both); no for contracts, whose NEAR gas must stay
     *                           exactly what direct mode burns
     */
    Process(
            int pid,
            List<String> argv,
            Map<String, String> env,
            String cwd,
            FileSystem fs,
            ProcessLimits limits,
            SyscallTable table,
            GasMeter meter,
            boolean kernelChargesMeter) {
        this.pid = pid;
        this.argv = argv;
        this.env = env;
        this.cwd = cwd;
        this.fs = fs;
        this.limits = limits;
        this.stats = new SyscallStats(table);
        this.meter = meter;
        this.kernelChargesMeter = kernelChargesMeter;
        this.wallNanos = limits.maxNanos();
    }

    // --- file descriptors ---

    void install(int fd, Descriptor descriptor) {
        fds[fd] = descriptor;
    }

    Descriptor fd(long fd) {
        if (fd < 0 || fd >= MAX_FDS || fds[(int) fd] == null) {
            throw new SyscallError(Errno.BADF);
        }
        return fds[(int) fd];
    }

    /** The lowest free descriptor number, like open(2). */
    int allocate(Descriptor descriptor) {
        for (int fd = 3; fd < MAX_FDS; fd++) {
            if (fds[fd] == null) {
                fds[fd] = descriptor;
                return fd;
            }
        }
        throw new SyscallError(Errno.MFILE);
    }

    void close(long fd) {
        Descriptor descriptor = fd(fd);
        fds[(int) fd] = null;
        if (!isOpenElsewhere(descriptor)) {
            descriptor.close();
        }
    }

    void renumber(long from, long to) {
        Descriptor descriptor = fd(from);
        Descriptor replaced = fd(to);
        if (from == to) {
            return; // as dup2(fd, fd): nothing to do
        }
        fds[(int) to] = descriptor;
        fds[(int) from] = null;
        if (replaced != descriptor && !isOpenElsewhere(replaced)) {
            replaced.close();
        }
    }

    /** Closes every descriptor at exit, so that pipe readers downstream see EOF. */
    void closeAll() {
        for (int fd = 0; fd < MAX_FDS; fd++) {
            if (fds[fd] != null) {
                Descriptor descriptor = fds[fd];
                fds[fd] = null;
                if (!isOpenElsewhere(descriptor)) {
                    descriptor.close();
                }
            }
        }
    }

    private boolean isOpenElsewhere(Descriptor descriptor) {
        for (Descriptor open : fds) {
            if (open == descriptor) {
                return true;
            }
        }
        return false;
    }

    // --- accounting and limits ---

    GasMeter meter() {
        return meter;
    }

    /** Charges kernel work (syscall cost); past a program's instruction limit it kills the process. */
    void chargeKernel(long instructions) {
        kernelInstructions += instructions;
        if (kernelChargesMeter) {
            try {
                meter.charge(instructions);
            } catch (GasMeter.OutOfGasException e) {
                throw new ProcessKilled(ProcessKilled.Reason.INSTRUCTIONS);
            }
        }
    }

    long kernelInstructions() {
        return kernelChargesMeter ? Math.min(kernelInstructions, meter.hostGas()) : kernelInstructions;
    }

    /** Wasm instructions of a program (its meter counts one per instruction). */
    long wasmInstructions() {
        return meter.burnt() - (kernelChargesMeter ? kernelInstructions() : 0);
    }

    /** The NEAR call this process runs (linux-mode contracts), or null for a WASI program. */
    VmLogic near() {
        return near;
    }

    void runContract(VmLogic logic) {
        this.near = logic;
    }

    void markStarted() {
        startedNanos = System.nanoTime();
    }

    /** Time since the process started; stands in for its CPU clocks (a process owns its thread). */
    long cpuNanos() {
        return System.nanoTime() - startedNanos;
    }

    long deadlineNanos() {
        return startedNanos + wallNanos;
    }

    /** The profile's wall-time limit, when it is not max_seconds. */
    void wallLimit(long nanos) {
        wallNanos = nanos;
    }

    /** How the process was set up; {@link ProcessProfile#LINUX} unless a run says otherwise. */
    void profile(ProcessProfile profile) {
        this.profile = profile;
    }

    ProcessProfile profile() {
        return profile;
    }

    void memoryLimitHit() {
        memoryLimitHit = true;
    }

    boolean hitMemoryLimit() {
        return memoryLimitHit;
    }

    void exit(int code) {
        if (exitCode == null) {
            exitCode = code;
        }
    }

    Integer exitCode() {
        return exitCode;
    }
}

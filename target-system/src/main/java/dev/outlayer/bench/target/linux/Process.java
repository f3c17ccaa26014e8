package dev.outlayer.bench.target.linux;

import dev.outlayer.bench.target.wasm.GasMeter;

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
    private Integer exitCode;
    private boolean memoryLimitHit;
    private long startedNanos = System.nanoTime();

    Process(int pid, List<String> argv, Map<String, String> env, String cwd, FileSystem fs,
            ProcessLimits limits, SyscallTable table) {
        this.pid = pid;
        this.argv = argv;
        this.env = env;
        this.cwd = cwd;
        this.fs = fs;
        this.limits = limits;
        this.stats = new SyscallStats(table);
        // One budget for wasm and kernel work: the metering pass counts one per wasm instruction.
        this.meter = new GasMeter(limits.maxInstructions());
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

    /** Charges kernel work (syscall cost) to the process's budget; past the limit kills it. */
    void chargeKernel(long instructions) {
        try {
            meter.charge(instructions);
        } catch (GasMeter.OutOfGasException e) {
            throw new ProcessKilled(ProcessKilled.Reason.INSTRUCTIONS);
        }
    }

    long kernelInstructions() {
        return meter.hostGas();
    }

    long wasmInstructions() {
        return meter.burnt() - meter.hostGas();
    }

    /** Everything the process cost: the wasm it ran plus the kernel work done on its behalf. */
    long instructions() {
        return meter.burnt();
    }

    void markStarted() {
        startedNanos = System.nanoTime();
    }

    /** Time since the process started; stands in for its CPU clocks (a process owns its thread). */
    long cpuNanos() {
        return System.nanoTime() - startedNanos;
    }

    long deadlineNanos() {
        return startedNanos + limits.maxNanos();
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

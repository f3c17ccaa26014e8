package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.Locale;

/**
 * How a WASI program is set up and counted. {@link #LINUX} is this emulator's own, richer
 * process; {@link #OUTLAYER} is exactly what OutLayer's worker gives a WASI preview-1 module
 * ({@code worker/src/executor/wasi_p1.rs}), so that a run measures what a job costs there.
 */
public enum ProcessProfile {
    /**
     * argv (argv[0] the program's name), a preopened root directory at fd 3, a Linux-like default
     * environment plus the NEAR context, one instruction per wasm operator with the kernel's work
     * charged to the same limit, and a deadline of {@code max_seconds}.
     */
    LINUX("linux", true, true, true, false, 0, true),
    /**
     * OutLayer's worker: stdin, stdout, stderr and the environment only (no argv, no preopened
     * directory), the worker's 26 system variables over the job's secrets
     * ({@link OutlayerEnvironment}), wasmtime's fuel as the instruction count (host calls free,
     * see {@code GasInstrumenter.instrumentWasmtimeFuel}), and a deadline of
     * {@code max(max_execution_seconds, 5)} seconds. No CPU-time clocks: wasmtime's preview1
     * answers EBADF for them.
     */
    OUTLAYER("outlayer", false, false, false, true, 5, false);

    private final String apiName;
    private final boolean passesArgv;
    private final boolean preopensRoot;
    private final boolean chargesKernel;
    private final boolean wasmtimeFuel;
    private final double minSeconds;
    private final boolean cpuClocks;

    ProcessProfile(
            String apiName,
            boolean passesArgv,
            boolean preopensRoot,
            boolean chargesKernel,
            boolean wasmtimeFuel,
            double minSeconds,
            boolean cpuClocks) {
        this.apiName = apiName;
        this.passesArgv = passesArgv;
        this.preopensRoot = preopensRoot;
        this.chargesKernel = chargesKernel;
        this.wasmtimeFuel = wasmtimeFuel;
        this.minSeconds = minSeconds;
        this.cpuClocks = cpuClocks;
    }

    /**
     * Whether clock_time_get and clock_res_get serve the process and thread CPU-time clocks (Linux
     * does; wasmtime's preview1, crates/wasi/src/preview1.rs, answers EBADF for both).
     */
    boolean cpuClocks() {
        return cpuClocks;
    }

    /** The name a request or flag uses: {@code linux} or {@code outlayer}. */
    public String apiName() {
        return apiName;
    }

    /** The profile a request or flag names; null is {@code fallback}. */
    public static ProcessProfile named(String name, ProcessProfile fallback) {
        if (name == null) {
            return fallback;
        }
        for (ProcessProfile profile : values()) {
            if (profile.apiName.equals(name.toLowerCase(Locale.ROOT))) {
                return profile;
            }
        }
        throw ApiException.invalid("profile \"" + name + "\" is not known; use \"linux\" or \"outlayer\"");
    }

    boolean passesArgv() {
        return passesArgv;
    }

    boolean preopensRoot() {
        return preopensRoot;
    }

    /** Whether syscalls cost instructions against the limit (wasmtime's fuel does not count host calls). */
    boolean chargesKernel() {
        return chargesKernel;
    }

    boolean wasmtimeFuel() {
        return wasmtimeFuel;
    }

    /** The wall-time limit: OutLayer's worker waits {@code max(max_execution_seconds, 5)} seconds. */
    double wallSeconds(ProcessLimits limits) {
        return Math.max(limits.maxSeconds(), minSeconds);
    }

    long wallNanos(ProcessLimits limits) {
        return (long) (wallSeconds(limits) * 1_000_000_000L);
    }
}

package dev.outlayer.bench.targetsystem.linux;

/**
 * A reproduction of OutLayer's browser-worker Linux demo mode ({@code browser-worker/src/linux-executor.js}
 * with {@code demoMode}, reached through {@code ContractSimulator.executeLinux}), so that the spec's
 * "Linux Mode (Demo)" column can be measured rather than quoted. No contract code runs: the first call
 * "boots" for 500 ms, every call "executes" for 100 ms and reports 1,000,000 instructions, 42 syscalls
 * and the demo's canned stdout, which the simulator fails to parse as JSON and returns as
 * {@code {error: "Invalid contract output", stdout}}. As in the browser there is no lock around the boot:
 * calls that arrive while no kernel is ready each wait the 500 ms.
 */
public final class LinuxDemo {
    public static final long BOOT_MILLIS = 500;
    public static final long EXECUTION_MILLIS = 100;
    public static final long INSTRUCTIONS = 1_000_000;
    public static final long SYSCALLS = 42;
    /** What {@code ContractSimulator} answers when a contract's stdout is not JSON (always, in the demo). */
    public static final String RESULT_ERROR = "Invalid contract output";
    /** {@code executeContract} passes NEAR_METHOD, NEAR_ARGS and NEAR_STATE_PATH. */
    private static final int ENV_VARS = 3;

    private volatile boolean kernelReady;

    /**
     * How long this call waits to boot: 500 ms while no kernel is ready, or for a cold start (a new
     * executor, which boots its own kernel); else nothing.
     */
    public long bootMillis(boolean coldStart) {
        return coldStart || !kernelReady ? BOOT_MILLIS : 0;
    }

    /** A boot of the shared executor finished: later calls skip it. A cold start's own executor does not count. */
    public void booted(boolean coldStart) {
        if (!coldStart) {
            kernelReady = true;
        }
    }

    /** The demo's stdout for a contract call: {@code executeProgram(wasmBytes, [methodName], env)}. */
    public static String stdout(String method, int wasmSize) {
        return "Demo Linux execution\nArgs: " + method + "\nEnv vars: " + ENV_VARS + "\nWASM size: " + wasmSize
                + " bytes\n";
    }
}

package dev.outlayer.bench.targetsystem.linux;

import java.nio.charset.StandardCharsets;

/**
 * A job's result as OutLayer's worker reports it ({@code ExecutionResult} of
 * {@code worker/src/executor/mod.rs}): stdout and the fuel consumed on success; on failure no
 * output, 0 instructions and the worker's error text. The emulator's own accounting of the same
 * run stays in {@link #execution()}.
 *
 * @param success         the program returned from {@code _start}
 * @param output          its stdout, or null on failure
 * @param error           the worker's message on failure, else null
 * @param instructions    wasmtime fuel consumed on success, 0 on failure (as the worker reports it)
 * @param executionTimeMs wall time of the run
 * @param execution       the emulator's record of the process
 */
public record OutlayerResult(
        boolean success, byte[] output, String error, long instructions, long executionTimeMs, Execution execution) {

    private static final int INPUT_PREVIEW_CHARS = 200;

    /** What the worker reports of {@code execution}, a run of {@code stdin} under {@code limits}. */
    public static OutlayerResult of(Execution execution, byte[] stdin, ProcessLimits limits) {
        ProcessOutcome outcome = execution.outcome();
        long millis = outcome.wallNanos() / 1_000_000;
        String error = error(execution, stdin, limits);
        if (error == null) {
            return new OutlayerResult(true, execution.stdout(), null, outcome.wasmInstructions(), millis, execution);
        }
        return new OutlayerResult(false, null, error, 0, millis, execution);
    }

    /** The worker's wording for each way a run fails; null when it succeeded. */
    private static String error(Execution execution, byte[] stdin, ProcessLimits limits) {
        ProcessOutcome outcome = execution.outcome();
        if (outcome.killedBy() == ProcessKilled.Reason.WALL_TIME) {
            return "WASM execution timed out after " + (long) Math.ceil(ProcessProfile.OUTLAYER.wallSeconds(limits))
                    + " seconds (consumed " + outcome.wasmInstructions() + " instructions)";
        }
        if (outcome.killedBy() == ProcessKilled.Reason.INSTRUCTIONS) {
            return "WASM execution failed: all fuel consumed by WebAssembly";
        }
        if (outcome.killedBy() == ProcessKilled.Reason.MEMORY) {
            // Not the worker's: its preview-1 store sets no memory limit. The emulator keeps max_memory_mb.
            return "WASM execution failed: memory limit of " + limits.maxMemoryMb() + " MB reached";
        }
        if (outcome.trap() != null) {
            return "WASM execution failed: wasm trap: " + outcome.trap();
        }
        if (!outcome.procExit()) {
            return null;
        }
        // wasmtime reports every proc_exit, status 0 included, as an error of the call.
        if (execution.stderr().length > 0) {
            return new String(execution.stderr(), StandardCharsets.UTF_8);
        }
        String input = new String(stdin, StandardCharsets.UTF_8);
        String preview = input.length() > INPUT_PREVIEW_CHARS ? input.substring(0, INPUT_PREVIEW_CHARS) + "..." : input;
        return "WASM program exited with error status. This usually means invalid input_data or panic in code."
                + " Input received: " + preview + ". Original error: Exited with i32 exit status "
                + outcome.exitCode();
    }
}

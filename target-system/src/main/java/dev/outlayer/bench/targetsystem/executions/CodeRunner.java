package dev.outlayer.bench.targetsystem.executions;

import java.util.Optional;

/**
 * What a worker compiles and runs code with: the program registry standing in for OutLayer's
 * compile-from-GitHub step, and the Linux emulator as its WASI executor. The root wires it.
 */
public interface CodeRunner {

    /** Whether the wasm of this checksum is compiled and loaded here (OutLayer: the cached file exists). */
    boolean compiled(String checksum);

    /** Compiles the source's wasm under its checksum; throws {@link CompileFailed} when it cannot. */
    void compile(String checksum, CodeSource source);

    /**
     * The compiled wasm's bytes, which a worker uploads to the coordinator for executors elsewhere
     * (OutLayer's POST /wasm/upload); empty when the runner has none to give.
     */
    default Optional<byte[]> wasm(CodeSource source) {
        return Optional.empty();
    }

    /**
     * Loads a wasm another worker compiled (downloaded from the coordinator, OutLayer's GET
     * /wasm/{checksum}) under its checksum; throws {@link CompileFailed} when it cannot.
     */
    default void load(String checksum, byte[] wasm) {
        throw new CompileFailed("this runner cannot load a downloaded wasm");
    }

    /** Runs the compiled checksum for the task with its limits, input and secrets. */
    RunResult run(String checksum, ExecutionTask task, String workerId) throws InterruptedException;

    /**
     * How a run ended.
     *
     * @param error null on success, else what the contract is told (OutLayer's error text)
     * @param errorCategory OutLayer's job error category for a failed run (execution_failed,
     *     access_denied, ...); null on success
     */
    record RunResult(
            boolean success, byte[] stdout, String error, String errorCategory, long instructions, long timeMs) {}

    /** The source's code cannot be had or compiled: OutLayer's {@code compilation_failed}. */
    final class CompileFailed extends RuntimeException {
        public CompileFailed(String message) {
            super(message);
        }
    }
}

package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.persistence.StorableText;

/**
 * How a worker finished a job (OutLayer's {@code CompleteJobRequest}): {@code timeMs} is the
 * compile time of a compile job, the execution time of an execute job.
 *
 * @param errorCategory OutLayer's category of a failure (compilation_failed, execution_failed,
 *     access_denied, insufficient_payment, custom; null = failed)
 * @param compileCostYocto a compile job's cost as its worker computed it (OutLayer's worker:
 *     compile time x {@code per_compile_ms_fee}), yoctoNEAR as a decimal string; the claim of the
 *     request's execute job carries it
 * @param compileResult what a compile job leaves for the executor (OutLayer's {@code
 *     compile_result}, the FastFS URL); a compile-only request is resolved with it, and without it
 *     nobody resolves a compile-only request
 */
public record JobOutcome(
        boolean success,
        String error,
        String errorCategory,
        long timeMs,
        long instructions,
        String wasmChecksum,
        String compileCostYocto,
        String compileResult) {

    /**
     * An error text is a diagnostic that may hold anything a program or a worker printed: what
     * PostgreSQL's text cannot hold (which would refuse the whole report) reads as U+FFFD in every store.
     */
    public JobOutcome {
        error = StorableText.replacingUnstorable(error);
    }

    public static JobOutcome succeeded(long timeMs, long instructions, String wasmChecksum) {
        return new JobOutcome(true, null, null, timeMs, instructions, wasmChecksum, null, null);
    }

    public static JobOutcome failed(String category, String error, long timeMs) {
        return new JobOutcome(false, error, category, timeMs, 0, null, null, null);
    }

    /** A compile job's success with its cost and the result it leaves for the executor (either may be null). */
    public static JobOutcome compiled(long timeMs, String wasmChecksum, String compileCostYocto, String compileResult) {
        return new JobOutcome(true, null, null, timeMs, 0, wasmChecksum, compileCostYocto, compileResult);
    }
}

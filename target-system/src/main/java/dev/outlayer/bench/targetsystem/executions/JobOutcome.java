package dev.outlayer.bench.targetsystem.executions;

/**
 * How a worker finished a job (OutLayer's {@code CompleteJobRequest}): {@code timeMs} is the
 * compile time of a compile job, the execution time of an execute job.
 *
 * @param errorCategory OutLayer's category of a failure (compilation_failed, execution_failed,
 *     access_denied, insufficient_payment, custom; null = failed)
 */
public record JobOutcome(
        boolean success, String error, String errorCategory, long timeMs, long instructions, String wasmChecksum) {

    public static JobOutcome succeeded(long timeMs, long instructions, String wasmChecksum) {
        return new JobOutcome(true, null, null, timeMs, instructions, wasmChecksum);
    }

    public static JobOutcome failed(String category, String error, long timeMs) {
        return new JobOutcome(false, error, category, timeMs, 0, null);
    }
}

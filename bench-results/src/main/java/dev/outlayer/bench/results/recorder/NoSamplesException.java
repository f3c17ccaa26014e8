package dev.outlayer.bench.results.recorder;

/**
 * A statistic was asked of a measurement the run holds no sample of: a percentile of an empty
 * histogram would read 0 and pass any "at most" check, so there is no number to give. The message
 * names the missing measurement, e.g. {@code no samples of server phase 'decrypt' of 'run with secrets'}.
 */
public final class NoSamplesException extends IllegalStateException {
    public NoSamplesException(String measurement) {
        super("no samples of " + measurement);
    }
}

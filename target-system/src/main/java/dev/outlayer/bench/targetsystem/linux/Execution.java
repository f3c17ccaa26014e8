package dev.outlayer.bench.targetsystem.linux;

/**
 * One finished process with its captured output and where its time went before it ran
 * ({@code queueNanos}: waiting for a worker, or booting one on a cold start).
 */
public record Execution(
        String program,
        ProcessOutcome outcome,
        byte[] stdout,
        byte[] stderr,
        boolean outputTruncated,
        int workerId,
        long queueNanos,
        boolean coldStart) {}

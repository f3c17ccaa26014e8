package dev.outlayer.bench.targetsystem.throttle;

/**
 * What a shared rate-limit store does when it cannot answer in time: {@code open} admits within
 * the client's in-process bucket (each coordinator then enforces the limit alone), {@code closed}
 * refuses the request with 503 rather than admit anything it cannot count.
 */
public enum StoreFailurePolicy {
    open,
    closed
}

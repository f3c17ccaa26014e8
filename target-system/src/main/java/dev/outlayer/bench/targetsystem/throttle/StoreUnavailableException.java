package dev.outlayer.bench.targetsystem.throttle;

/** A shared store could not decide and the policy is to fail closed: the request gets a 503. */
public final class StoreUnavailableException extends RuntimeException {
    private final long retryAfterNanos;

    public StoreUnavailableException(String message, long retryAfterNanos) {
        super(message, null, false, false);
        this.retryAfterNanos = retryAfterNanos;
    }

    /** How long until the store is tried again. */
    public long retryAfterNanos() {
        return retryAfterNanos;
    }
}

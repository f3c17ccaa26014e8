package dev.outlayer.bench.targetsystem.errors;

/**
 * Marks an exception that says "not now" rather than "never": a store that is restarting or
 * unreachable. Work that failed with one is tried again, as long as it takes; any other failure of
 * the same work would fail again, so a loop gives it up after a few tries (see {@link #in}).
 */
public interface TransientFailure {
    /** Whether {@code failure} or one of its causes is transient. */
    static boolean in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TransientFailure) {
                return true;
            }
        }
        return false;
    }
}

package dev.outlayer.bench.targetsystem.timing;

/**
 * The pause of a polling loop before it tries again what just failed (a job store restarting, a peer
 * down): 100 ms after the first failure, doubling up to 5 s. Without it such a loop retries at once,
 * spinning a core and writing a warning per try for as long as the failure lasts.
 */
public final class RetryPause {
    private static final long FIRST_MILLIS = 100;
    private static final long MAX_MILLIS = 5_000;

    private RetryPause() {}

    public static long millis(int failuresInARow) {
        return Math.min(MAX_MILLIS, FIRST_MILLIS << Math.min(Math.max(failuresInARow, 1) - 1, 6));
    }

    /** Sleeps the pause; false when interrupted (the loop is being stopped). */
    public static boolean sleep(int failuresInARow) {
        try {
            Thread.sleep(millis(failuresInARow));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

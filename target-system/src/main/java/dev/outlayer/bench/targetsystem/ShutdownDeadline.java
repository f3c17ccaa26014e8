package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.errors.FatalErrors;
import java.util.concurrent.TimeUnit;

/**
 * Shutdown ends within its grace whatever state the server is in: the orderly close runs on its
 * own thread, and if it has not returned by the deadline (a listener whose threads died of an
 * OutOfMemoryError, a resource that blocks), the JVM is halted.
 */
final class ShutdownDeadline {
    /** Beyond the requests' grace: time for the closing itself (listeners, pools, stores). */
    static final long CLOSE_MARGIN_MILLIS = 2_000;

    private ShutdownDeadline() {}

    /** Runs {@code close}; returns true if it ended in time, else runs {@code onExpiry} and returns false. */
    static boolean run(Runnable close, long deadlineMillis, Runnable onExpiry) {
        Thread closing = new Thread(close, "shutdown-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(TimeUnit.MILLISECONDS.toMillis(Math.max(1, deadlineMillis)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!closing.isAlive()) {
            return true;
        }
        onExpiry.run();
        return false;
    }

    /** The real expiry: say why on stderr, then halt. */
    static void halt(long deadlineMillis) {
        System.err.println("shutdown did not finish within " + deadlineMillis + " ms: halting");
        System.err.flush();
        Runtime.getRuntime().halt(FatalErrors.EXIT_CODE);
    }
}

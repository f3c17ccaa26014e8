package dev.outlayer.bench.targetsystem.testing;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * The one bound a unit test puts on wall time: a call that must end, or a state another thread
 * must reach, not hang. Speed targets are the benchmarks' to check, never a unit test's, so the
 * bound is far above what a loaded machine needs (a test cannot flake on it) and still fails a
 * call that would run forever.
 */
public final class HangGuard {
    /** How long a call may run before the test calls it a hang; in seconds for {@code @Timeout}. */
    public static final long BOUND_SECONDS = 60;

    public static final Duration BOUND = Duration.ofSeconds(BOUND_SECONDS);

    private static final long POLL_MILLIS = 10;

    private HangGuard() {}

    /**
     * Waits for what another thread or process must bring about: polls {@code done} until it holds
     * or {@link #BOUND} has passed, and says which. The caller asserts what it waited for, so that
     * its own assertion tells what is missing.
     */
    public static boolean until(Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!done.call()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }

    /** What {@code call} returns, failing the test (and leaving the call behind) if it runs past {@link #BOUND}. */
    public static <T> T ends(ThrowingSupplier<T> call) {
        return assertTimeoutPreemptively(BOUND, call, () -> "still running after " + BOUND.toSeconds() + " s: a hang");
    }
}

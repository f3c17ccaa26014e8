package dev.outlayer.bench.targetsystem.testing;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * The one bound a unit test puts on wall time: a call that must end, not hang. Speed targets are
 * the benchmarks' to check, never a unit test's, so the bound is far above what a loaded machine
 * needs (a test cannot flake on it) and still fails a call that would run forever.
 */
public final class HangGuard {
    /** How long a call may run before the test calls it a hang; in seconds for {@code @Timeout}. */
    public static final long BOUND_SECONDS = 60;

    public static final Duration BOUND = Duration.ofSeconds(BOUND_SECONDS);

    private HangGuard() {}

    /** What {@code call} returns, failing the test (and leaving the call behind) if it runs past {@link #BOUND}. */
    public static <T> T ends(ThrowingSupplier<T> call) {
        return assertTimeoutPreemptively(BOUND, call, () -> "still running after " + BOUND.toSeconds() + " s: a hang");
    }
}

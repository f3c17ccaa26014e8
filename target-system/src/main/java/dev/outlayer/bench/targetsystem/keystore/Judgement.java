package dev.outlayer.bench.targetsystem.keystore;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.RunFacts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * What one judgement of an access condition reads besides the caller, as OutLayer's keystore
 * passes it to {@code evaluate}: the chain, what the worker reported of the run, the condition's
 * patterns compiled beforehand; and this host's clock, which {@code ValidUntil} reads, and the
 * deadline on the whole evaluation ({@code judge_access}'s {@code ACCESS_EVALUATION_DEADLINE}), read
 * on {@code ticker} (nanoseconds, as {@code System.nanoTime}).
 */
public record Judgement(
        ChainView chain, RunFacts facts, CompiledPatterns patterns, Clock clock, LongSupplier ticker, long deadlineAt) {
    /** OutLayer's {@code ACCESS_EVALUATION_DEADLINE}: how long one condition may take to evaluate. */
    public static final Duration DEADLINE = Duration.ofSeconds(15);

    private static final long U64_MAX_SECONDS = Long.divideUnsigned(-1L, 1_000_000_000L);

    /** A judgement that starts now, by this JVM's {@code System.nanoTime}. */
    public static Judgement starting(ChainView chain, RunFacts facts, CompiledPatterns patterns, Clock clock) {
        return starting(chain, facts, patterns, clock, System::nanoTime);
    }

    /** A judgement that starts now by {@code ticker}. */
    static Judgement starting(
            ChainView chain, RunFacts facts, CompiledPatterns patterns, Clock clock, LongSupplier ticker) {
        return new Judgement(chain, facts, patterns, clock, ticker, ticker.getAsLong() + DEADLINE.toNanos());
    }

    /**
     * Nanoseconds since the epoch by this host's clock (an unsigned u64, saturated as OutLayer's
     * {@code now_ns}).
     *
     * @throws ApiException (UNPROCESSABLE) when the clock reads before the epoch: no time limit can
     *     be judged, and a verdict either way would admit somebody
     */
    long nowNs() {
        OptionalLong now = nowNs(clock);
        if (now.isEmpty()) {
            throw AccessCondition.unreadable(
                    "ValidUntil", "the host clock reads before the epoch; no time limit can be judged");
        }
        return now.getAsLong();
    }

    /** Nanoseconds since the epoch on {@code clock} (unsigned); empty before the epoch. */
    static OptionalLong nowNs(Clock clock) {
        Instant now = clock.instant();
        if (now.getEpochSecond() < 0) {
            return OptionalLong.empty();
        }
        if (Long.compareUnsigned(now.getEpochSecond(), U64_MAX_SECONDS) >= 0) {
            return OptionalLong.of(-1L); // u64::MAX
        }
        return OptionalLong.of(now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    /**
     * Checked before each chain read and after the verdict: once the deadline has passed the
     * evaluation stops, whatever another branch would have said (OutLayer times out the evaluation
     * as a whole).
     *
     * @throws DeadlinePassed when the evaluation has taken longer than {@link #DEADLINE}
     */
    void requireWithinDeadline() {
        if (ticker.getAsLong() - deadlineAt > 0) {
            throw new DeadlinePassed();
        }
    }

    /**
     * The evaluation took longer than {@link #DEADLINE}: OutLayer's sentence, never a verdict about
     * the caller (422 here, where OutLayer answers 500). Not an unknown branch: {@code Logic} does
     * not go on past it.
     */
    public static final class DeadlinePassed extends ApiException {
        DeadlinePassed() {
            super(
                    Kind.UNPROCESSABLE,
                    "Access condition could not be evaluated within " + DEADLINE.toSeconds()
                            + "s: it asks the chain for answers that did not arrive. This is not a verdict about"
                            + " the caller — the condition's balance, NFT or DAO checks name contracts that are not"
                            + " answering.");
        }
    }
}

package dev.outlayer.bench.simulations.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one throttled client (all virtual users sharing one bucket) went through: when it first sent, when
 * each call was admitted and how many tokens the server said were left, how many 429s it got. Shared by
 * virtual users on any thread; the numbers Gatling's assertions cannot compute are derived here.
 */
public final class Tally {
    private final String client;
    private final AtomicLong firstSentNanos = new AtomicLong(Long.MAX_VALUE);
    private final ConcurrentLinkedQueue<Admission> admissions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger firstAttemptRejections = new AtomicInteger();
    private final AtomicInteger retryRejections = new AtomicInteger();
    private final AtomicInteger concurrencyRejections = new AtomicInteger();
    private final AtomicInteger callsStarted = new AtomicInteger();
    private final AtomicInteger callsAdmitted = new AtomicInteger();
    private final AtomicInteger callsFailed = new AtomicInteger();

    private record Admission(long nanos, long remaining) {
    }

    /** A tally for {@code client}, e.g. "anonymous": a simulation holds one per bucket it drives. */
    public Tally(String client) {
        this.client = client;
    }

    void started(long nanos) {
        callsStarted.incrementAndGet();
        firstSentNanos.accumulateAndGet(nanos, Math::min);
    }

    void admitted(Observation response) {
        admissions.add(new Admission(response.receivedNanos(), response.remaining()));
    }

    void rejected(boolean firstAttempt, String reason) {
        (firstAttempt ? firstAttemptRejections : retryRejections).incrementAndGet();
        if ("concurrency".equals(reason)) {
            concurrencyRejections.incrementAndGet();
        }
    }

    void finished(boolean admitted) {
        (admitted ? callsAdmitted : callsFailed).incrementAndGet();
    }

    public int callsStarted() {
        return callsStarted.get();
    }

    /** Calls that were finally admitted and answered 200, retries included. */
    public int callsAdmitted() {
        return callsAdmitted.get();
    }

    public int firstAttemptRejections() {
        return firstAttemptRejections.get();
    }

    /** Seconds from the first request sent to the last admitted response. */
    public double totalSeconds() {
        List<Admission> sorted = sorted();
        return sorted.isEmpty() ? Double.NaN : (sorted.get(sorted.size() - 1).nanos - firstSentNanos.get()) / 1e9;
    }

    /**
     * Admissions per second after the first {@code burst}, as the client saw them: (admitted - burst) over the
     * time from the first to the last admission. It equals the bucket's refill rate only if the client kept
     * the bucket empty to the end.
     */
    public double effectiveRateAfterBurst(int burst) {
        List<Admission> sorted = sorted();
        if (sorted.size() <= burst) {
            return Double.NaN;
        }
        return (sorted.size() - burst) / spanSeconds(sorted);
    }

    /**
     * Tokens the bucket granted per second after its initial {@code burst}: admissions beyond the burst plus
     * the tokens still unused at the end (the server's {@code X-RateLimit-Remaining} on the last admissions),
     * over the time from the first to the last admission. A client that waits out whole-second
     * {@code Retry-After}s and then has fewer calls left than a second's refill leaves tokens unused; counting
     * them measures the refill rate rather than the client's leftover demand.
     */
    public double sustainedRateAfterBurst(int burst) {
        List<Admission> sorted = sorted();
        if (sorted.size() <= burst) {
            return Double.NaN;
        }
        return (sorted.size() - burst + unusedAtEnd(sorted)) / spanSeconds(sorted);
    }

    /** Tokens left after the last round of admissions: the lowest remaining reported in its final 50 ms. */
    private static long unusedAtEnd(List<Admission> sorted) {
        long end = sorted.get(sorted.size() - 1).nanos;
        return sorted.stream().filter(a -> end - a.nanos <= 50_000_000L && a.remaining >= 0)
                .mapToLong(Admission::remaining).min().orElse(0);
    }

    private static double spanSeconds(List<Admission> sorted) {
        return (sorted.get(sorted.size() - 1).nanos - sorted.get(0).nanos) / 1e9;
    }

    private List<Admission> sorted() {
        List<Admission> sorted = new ArrayList<>(admissions);
        sorted.sort(Comparator.comparingLong(Admission::nanos));
        return sorted;
    }

    /** A one-line account for the console. */
    public String summary(int burst) {
        List<Admission> sorted = sorted();
        return String.format("%s: %d calls, %d admitted, %d failed; 429s: %d first attempts, %d retries (%d for concurrency); "
                        + "total %.2f s; after the burst of %d: effective %.2f rps, sustained %.2f rps (%d tokens unused at the end)",
                client, callsStarted.get(), callsAdmitted.get(), callsFailed.get(), firstAttemptRejections.get(),
                retryRejections.get(), concurrencyRejections.get(), totalSeconds(), burst,
                effectiveRateAfterBurst(burst), sustainedRateAfterBurst(burst),
                sorted.isEmpty() ? 0 : unusedAtEnd(sorted));
    }
}

package dev.outlayer.bench.simulations.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
    /** When the first call was refused for its rate: the burst was spent and the bucket empty then. */
    private final AtomicLong firstRateRejectionNanos = new AtomicLong(Long.MAX_VALUE);

    private final ConcurrentLinkedQueue<Admission> admissions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger firstAttemptRejections = new AtomicInteger();
    private final AtomicInteger retryRejections = new AtomicInteger();
    private final AtomicInteger concurrencyRejections = new AtomicInteger();
    private final AtomicInteger callsStarted = new AtomicInteger();
    private final AtomicInteger callsAdmitted = new AtomicInteger();
    private final AtomicInteger callsFailed = new AtomicInteger();

    /** An admitted call: when it was sent (the server decides right after), answered, and the tokens left. */
    private record Admission(long sentNanos, long receivedNanos, long remaining) {}

    /** A tally for {@code client}, e.g. "anonymous": a simulation holds one per bucket it drives. */
    public Tally(String client) {
        this.client = client;
    }

    void started(long nanos) {
        callsStarted.incrementAndGet();
        firstSentNanos.accumulateAndGet(nanos, Math::min);
    }

    void admitted(Observation response) {
        admissions.add(new Admission(response.sentNanos(), response.receivedNanos(), response.remaining()));
    }

    void rejected(Observation response, boolean firstAttempt, String reason) {
        (firstAttempt ? firstAttemptRejections : retryRejections).incrementAndGet();
        if ("concurrency".equals(reason)) {
            concurrencyRejections.incrementAndGet();
        } else {
            firstRateRejectionNanos.accumulateAndGet(response.sentNanos(), Math::min);
        }
    }

    void finished(boolean admitted) {
        (admitted ? callsAdmitted : callsFailed).incrementAndGet();
    }

    /** Calls that were finally admitted and answered 200, retries included. */
    public int callsAdmitted() {
        return callsAdmitted.get();
    }

    /** Seconds from the first request sent to the last admitted response. */
    public double totalSeconds() {
        long lastAnswer =
                admissions.stream().mapToLong(Admission::receivedNanos).max().orElse(Long.MIN_VALUE);
        return lastAnswer == Long.MIN_VALUE ? Double.NaN : (lastAnswer - firstSentNanos.get()) / 1e9;
    }

    /**
     * Tokens the bucket granted per second once its initial {@code burst} was spent: from the first call
     * refused for its rate (the bucket was empty then) to the last admitted call, the calls admitted in
     * between plus the tokens still unused at the end (the server's {@code X-RateLimit-Remaining} on the last
     * admissions), per second. Starting at the first rate refusal keeps the cold first requests out of the
     * measure; counting unused tokens measures the refill rate, not the client's leftover demand: a client
     * that waits out a whole-second {@code Retry-After} and then has fewer calls left than a second's refill
     * leaves tokens in the bucket. NaN if the client was never refused for its rate: it never emptied the
     * bucket (it called slower than the refill), so the refill rate was not observable.
     */
    public double rateAfterBurst() {
        List<Admission> sorted = sorted();
        long emptied = firstRateRejectionNanos.get();
        if (sorted.isEmpty() || emptied == Long.MAX_VALUE) {
            return Double.NaN;
        }
        long end = sorted.get(sorted.size() - 1).sentNanos;
        long granted = sorted.stream().filter(a -> a.sentNanos > emptied).count();
        // When the first call was refused the bucket held between 0 and 1 token, which the count above
        // cannot see: take the middle of that range rather than assume a full token or none.
        return end <= emptied ? Double.NaN : (granted + unusedAtEnd(sorted) - 0.5) / ((end - emptied) / 1e9);
    }

    /** Tokens left after the last round of admissions: the lowest remaining reported in its final 50 ms. */
    private static long unusedAtEnd(List<Admission> sorted) {
        long end = sorted.get(sorted.size() - 1).sentNanos;
        return sorted.stream()
                .filter(a -> end - a.sentNanos <= 50_000_000L && a.remaining >= 0)
                .mapToLong(Admission::remaining)
                .min()
                .orElse(0);
    }

    private List<Admission> sorted() {
        List<Admission> sorted = new ArrayList<>(admissions);
        sorted.sort(Comparator.comparingLong(Admission::sentNanos));
        return sorted;
    }

    /** A one-line account for the console. */
    public String summary() {
        List<Admission> sorted = sorted();
        String rate = firstRateRejectionNanos.get() == Long.MAX_VALUE
                ? "never refused for its rate, so the bucket's refill was not observable"
                : String.format(
                        Locale.ROOT,
                        "rate after the burst %.2f rps (%d tokens unused at the end)",
                        rateAfterBurst(),
                        sorted.isEmpty() ? 0 : unusedAtEnd(sorted));
        return String.format(
                Locale.ROOT,
                "%s: %d calls, %d admitted, %d failed; 429s: %d on first attempts, %d on retries"
                        + " (%d of them for concurrency); total %.2f s; %s",
                client,
                callsStarted.get(),
                callsAdmitted.get(),
                callsFailed.get(),
                firstAttemptRejections.get(),
                retryRejections.get(),
                concurrencyRejections.get(),
                totalSeconds(),
                rate);
    }
}

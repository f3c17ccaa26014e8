package dev.outlayer.bench.simulations.support;

import dev.outlayer.bench.results.recorder.NoSamplesException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one throttled client (all virtual users sharing one bucket) went through, as the client saw it: when
 * it first sent, when each call was admitted, when it was refused for its rate, how many 429s it got and why.
 * Shared by virtual users on any thread; the numbers Gatling's assertions cannot compute are derived here.
 * Nothing here takes the throttle's word for a rate: {@code X-RateLimit-Remaining} is not read.
 */
public final class Tally {
    private final String client;
    private final AtomicLong firstSentNanos = new AtomicLong(Long.MAX_VALUE);

    /** Admitted calls: when each was sent and when its answer came. */
    private final ConcurrentLinkedQueue<long[]> admissions = new ConcurrentLinkedQueue<>();
    /** When each call refused for its rate was sent: the bucket was empty then. */
    private final ConcurrentLinkedQueue<Long> rateRejections = new ConcurrentLinkedQueue<>();

    private final AtomicInteger firstAttemptRejections = new AtomicInteger();
    private final AtomicInteger retryRejections = new AtomicInteger();
    private final AtomicInteger concurrencyRejections = new AtomicInteger();
    private final AtomicInteger callsStarted = new AtomicInteger();
    private final AtomicInteger callsAdmitted = new AtomicInteger();
    private final AtomicInteger callsFailed = new AtomicInteger();

    /** A tally for {@code client}, e.g. "anonymous": a simulation holds one per bucket it drives. */
    public Tally(String client) {
        this.client = client;
    }

    void started(long nanos) {
        callsStarted.incrementAndGet();
        firstSentNanos.accumulateAndGet(nanos, Math::min);
    }

    void admitted(Observation response) {
        admissions.add(new long[] {response.sentNanos(), response.receivedNanos()});
    }

    void rejected(Observation response, boolean firstAttempt, String reason) {
        (firstAttempt ? firstAttemptRejections : retryRejections).incrementAndGet();
        if ("concurrency".equals(reason)) {
            concurrencyRejections.incrementAndGet(); // the in-flight cap: says nothing about the bucket
        } else {
            rateRejections.add(response.sentNanos());
        }
    }

    void finished(boolean admitted) {
        (admitted ? callsAdmitted : callsFailed).incrementAndGet();
    }

    /** Calls that were finally admitted and answered 200, retries included. */
    public int callsAdmitted() {
        return callsAdmitted.get();
    }

    /** 429s for the in-flight cap ({@code reason: "concurrency"}), first attempts and retries. */
    public int concurrencyRejections() {
        return concurrencyRejections.get();
    }

    /** Seconds from the first request sent to the last admitted response. */
    public double totalSeconds() {
        return secondsUntilAdmitted(Integer.MAX_VALUE);
    }

    /** Seconds from the first request sent to the answer of the {@code n}-th admitted call (or of the last). */
    public double secondsUntilAdmitted(int n) {
        long[] answers = admissions.stream().mapToLong(a -> a[1]).sorted().toArray();
        if (answers.length == 0) {
            throw new NoSamplesException("admitted calls of the " + client + " client");
        }
        return (answers[Math.min(n, answers.length) - 1] - firstSentNanos.get()) / 1e9;
    }

    /**
     * Calls admitted per second once the initial burst was spent, from the client's own clock only. The window
     * runs from the first call refused for its rate to the last one: at both ends the bucket was empty (it held
     * less than one token), so the calls admitted in between are what it refilled in that time, to within one
     * token whatever the client's demand did meanwhile. Calls after the last refusal are left out: the client
     * may have had fewer left than the bucket refilled, which would read as a slower refill. The window needs
     * two refusals some time apart; without them the refill was not observed and there is no rate.
     */
    public double rateAfterBurst() {
        long[] refused =
                rateRejections.stream().mapToLong(Long::longValue).sorted().toArray();
        if (refused.length < 2 || refused[refused.length - 1] == refused[0]) {
            throw new NoSamplesException("two refusals for the rate of the " + client
                    + " client (the bucket was never seen empty twice: " + refused.length + " refusals)");
        }
        long from = refused[0];
        long to = refused[refused.length - 1];
        long admitted =
                admissions.stream().filter(a -> a[0] > from && a[0] < to).count();
        return admitted / ((to - from) / 1e9);
    }

    /** Seconds between the first and the last refusal for the rate: the window of {@link #rateAfterBurst()}. */
    private double rateWindowSeconds() {
        long[] refused = rateRejections.stream().mapToLong(Long::longValue).toArray();
        return refused.length < 2
                ? 0
                : (Arrays.stream(refused).max().getAsLong()
                                - Arrays.stream(refused).min().getAsLong())
                        / 1e9;
    }

    /** A one-line account for the console. */
    public String summary() {
        String rate;
        try {
            rate = String.format(
                    Locale.ROOT,
                    "admitted %.2f rps over the %.2f s between the first and last refusal for the rate",
                    rateAfterBurst(),
                    rateWindowSeconds());
        } catch (NoSamplesException e) {
            rate = "no rate: " + e.getMessage();
        }
        return String.format(
                Locale.ROOT,
                "%s: %d calls, %d admitted, %d failed; 429s: %d on first attempts, %d on retries"
                        + " (%d of them for concurrency); total %s s; %s",
                client,
                callsStarted.get(),
                callsAdmitted.get(),
                callsFailed.get(),
                firstAttemptRejections.get(),
                retryRejections.get(),
                concurrencyRejections.get(),
                admissions.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f", totalSeconds()),
                rate);
    }
}

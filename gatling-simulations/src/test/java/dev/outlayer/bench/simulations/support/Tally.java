package dev.outlayer.bench.simulations.support;

import dev.outlayer.bench.results.recorder.NoSamplesException;
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
    /** Calls refused for their rate: when each was sent and when its answer came (the bucket was empty between). */
    private final ConcurrentLinkedQueue<long[]> rateRejections = new ConcurrentLinkedQueue<>();

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
            rateRejections.add(new long[] {response.sentNanos(), response.receivedNanos()});
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
     * opens when the answer of the first call refused for its rate arrives and closes when the last such call is
     * sent: the server found the bucket empty (less than one token) before the first moment and after the last,
     * so the calls sent within the window and admitted are what it refilled in that time, to within the calls in
     * flight at the close. Calls sent before the window opens are left out: answers to a burst sent at once
     * arrive in any order, so a call admitted from the initial burst can be answered after a refusal. Calls after
     * the last refusal are left out: the client may have had fewer left than the bucket refilled, which would
     * read as a slower refill. Without two refusals some time apart the refill was not observed and there is no
     * rate.
     */
    public double rateAfterBurst() {
        long[] window = rateWindow();
        long from = window[0];
        long to = window[1];
        long admitted =
                admissions.stream().filter(a -> a[0] > from && a[0] < to).count();
        return admitted / ((to - from) / 1e9);
    }

    /** From the first refusal's answer to the last refusal's sending, in nanos. */
    private long[] rateWindow() {
        long from = rateRejections.stream().mapToLong(r -> r[1]).min().orElse(0);
        long to = rateRejections.stream().mapToLong(r -> r[0]).max().orElse(0);
        if (rateRejections.size() < 2 || to <= from) {
            throw new NoSamplesException("two refusals for the rate of the " + client
                    + " client some time apart (the bucket was not seen empty twice: " + rateRejections.size()
                    + " refusals)");
        }
        return new long[] {from, to};
    }

    /** Seconds of the window of {@link #rateAfterBurst()}. */
    private double rateWindowSeconds() {
        long[] window = rateWindow();
        return (window[1] - window[0]) / 1e9;
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

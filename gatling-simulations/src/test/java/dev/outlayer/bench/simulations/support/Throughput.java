package dev.outlayer.bench.simulations.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Per request name: how many calls succeeded (200 with every check passing), and when the first of them was
 * sent and the last answered, for completed calls per second over that span.
 */
public final class Throughput implements Consumer<Observation> {
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong succeeded = new AtomicLong();
        final AtomicLong firstSentNanos = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastReceivedNanos = new AtomicLong(Long.MIN_VALUE);
    }

    @Override
    public void accept(Observation observation) {
        if (observation.status() != 200 || !observation.ok()) {
            return;
        }
        Window window = windows.computeIfAbsent(observation.request(), name -> new Window());
        window.succeeded.incrementAndGet();
        window.firstSentNanos.accumulateAndGet(observation.sentNanos(), Math::min);
        window.lastReceivedNanos.accumulateAndGet(observation.receivedNanos(), Math::max);
    }

    /** Successful calls of all the named requests together. */
    public long succeeded(String... requests) {
        long total = 0;
        for (String request : requests) {
            Window window = windows.get(request);
            total += window == null ? 0 : window.succeeded.get();
        }
        return total;
    }

    /** Seconds from the first of the named requests sent to the last one answered; NaN if none succeeded. */
    public double spanSeconds(String... requests) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (String request : requests) {
            Window window = windows.get(request);
            if (window != null) {
                first = Math.min(first, window.firstSentNanos.get());
                last = Math.max(last, window.lastReceivedNanos.get());
            }
        }
        return first == Long.MAX_VALUE ? Double.NaN : (last - first) / 1e9;
    }

    /** Successful calls of the named requests per second of their span. */
    public double perSecond(String... requests) {
        return succeeded(requests) / spanSeconds(requests);
    }
}

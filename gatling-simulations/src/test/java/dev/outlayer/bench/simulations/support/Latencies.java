package dev.outlayer.bench.simulations.support;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Microsecond latency histograms per request name (client-side, from {@link Observation#elapsedNanos()})
 * and per {@code Server-Timing} phase, for numbers finer than Gatling's whole milliseconds.
 */
public final class Latencies implements Consumer<Observation> {
    private final Map<String, ConcurrentHistogram> elapsed = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentHistogram> phases = new ConcurrentHashMap<>();
    private final String[] phaseNames;

    /** Records every observation's elapsed time, and the named {@code Server-Timing} phases. */
    public Latencies(String... phaseNames) {
        this.phaseNames = phaseNames;
    }

    @Override
    public void accept(Observation observation) {
        if (observation.status() != 200) {
            return;
        }
        recorder(elapsed, observation.request()).recordValue(Math.max(1, observation.elapsedNanos() / 1000));
        for (String phase : phaseNames) {
            double millis = observation.serverPhaseMillis(phase);
            if (!Double.isNaN(millis)) {
                recorder(phases, observation.request() + " " + phase).recordValue(Math.max(1, Math.round(millis * 1000)));
            }
        }
    }

    /** The client-side latency histogram of {@code request}, in microseconds. */
    public Histogram elapsed(String request) {
        return snapshot(elapsed, request);
    }

    /** The {@code Server-Timing} histogram of {@code phase} on {@code request}, in microseconds. */
    public Histogram phase(String request, String phase) {
        return snapshot(phases, request + " " + phase);
    }

    private static ConcurrentHistogram recorder(Map<String, ConcurrentHistogram> map, String key) {
        return map.computeIfAbsent(key, k -> new ConcurrentHistogram(3));
    }

    private static Histogram snapshot(Map<String, ConcurrentHistogram> map, String key) {
        ConcurrentHistogram histogram = map.get(key);
        return histogram == null ? new Histogram(3) : histogram.copy();
    }
}

package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent clients that each open their connection first ({@code GET /health}, recorded under its own
 * name, outside the measured calls) and then start calling at one instant, {@code delay} after the first
 * of them is connected. A throughput's window opens with the first call: clients still connecting inside
 * it count as calls not made (44 ms of a 210 ms window in one CI run of CounterSimulation). One per phase.
 */
public final class CommonStart {
    private final String connectRequest;
    private final Duration delay;
    private final AtomicLong startMillis = new AtomicLong();

    public CommonStart(String connectRequest, Duration delay) {
        this.connectRequest = connectRequest;
        this.delay = delay;
    }

    /** Opens the client's connection, then waits for the phase's start (at once if it has passed). */
    public ChainBuilder connectAndWait() {
        return exec(Observed.send(
                        connectRequest, http(connectRequest).get("/health").check(status().is(200))))
                .pause(session -> untilStart());
    }

    private Duration untilStart() {
        long now = System.currentTimeMillis();
        long start = startMillis.updateAndGet(at -> at != 0 ? at : now + delay.toMillis());
        return Duration.ofMillis(Math.max(0, start - now));
    }
}

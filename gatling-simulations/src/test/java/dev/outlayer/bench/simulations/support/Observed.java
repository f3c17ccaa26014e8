package dev.outlayer.bench.simulations.support;

import dev.outlayer.bench.simulations.support.results.Results;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The one place every request of the simulations goes through: it saves the response's status, timings,
 * {@code Server-Timing} and rate-limit headers, turns them into an {@link Observation} and hands it to each
 * registered listener (the throttle tallies, latency histograms), and records it in the run's
 * {@code results.json} (microsecond client times and Server-Timing phases).
 */
public final class Observed {
    private static final String SENT = "observed.sentNanos";
    private static final String STATUS = "observed.status";
    private static final String RESPONSE_TIME = "observed.responseTimeMs";
    private static final String SERVER_TIMING = "observed.serverTiming";
    private static final String RETRY_AFTER = "observed.retryAfter";
    private static final String REMAINING = "observed.remaining";
    /** The last observation of this virtual user, for the chain that follows the request. */
    private static final String LAST = "observed.last";

    private static final List<Consumer<Observation>> LISTENERS = new CopyOnWriteArrayList<>();

    private Observed() {
    }

    /** Registers a listener for every following observation, from any virtual user's thread. */
    public static void listen(Consumer<Observation> listener) {
        LISTENERS.add(listener);
    }

    /** Sends {@code request}, named {@code name} in the report, and observes its response. */
    public static ChainBuilder send(String name, HttpRequestActionBuilder request) {
        HttpRequestActionBuilder observed = request.check(
                status().saveAs(STATUS),
                responseTimeInMillis().saveAs(RESPONSE_TIME),
                header("Server-Timing").optional().saveAs(SERVER_TIMING),
                header("Retry-After").optional().saveAs(RETRY_AFTER),
                header("X-RateLimit-Remaining").optional().saveAs(REMAINING));
        return exec(session -> session.set(SENT, System.nanoTime())
                        .remove(STATUS).remove(SERVER_TIMING).remove(RETRY_AFTER).remove(REMAINING))
                .exec(observed)
                .exec(session -> record(name, session));
    }

    /** The last observation of this virtual user. */
    public static Observation last(Session session) {
        return session.get(LAST);
    }

    private static Session record(String name, Session session) {
        long now = System.nanoTime();
        Observation observation = new Observation(name,
                session.contains(STATUS) ? session.getInt(STATUS) : 0,
                !session.isFailed(),
                now,
                now - session.getLong(SENT),
                session.contains(RESPONSE_TIME) ? session.getLong(RESPONSE_TIME) : -1,
                session.getString(SERVER_TIMING),
                session.getString(RETRY_AFTER),
                parseLong(session.getString(REMAINING)));
        Results.record(name, observation.status(), observation.ok(), observation.elapsedNanos(), observation.serverTiming());
        for (Consumer<Observation> listener : LISTENERS) {
            listener.accept(observation);
        }
        // The KO of one request must not colour the next: the report already holds it.
        return session.set(LAST, observation).markAsSucceeded();
    }

    private static long parseLong(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

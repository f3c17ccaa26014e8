package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.outlayer.bench.results.recorder.Results;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/**
 * The one place every request of the simulations goes through: it times the exchange with
 * {@link System#nanoTime()} (finer than Gatling's whole milliseconds), records it with its status and
 * {@code Server-Timing} in the run's one recorder ({@link Results#recorder()}, which the verdicts read and
 * results.json is written from), and leaves an {@link Observation} in the session for the chain that follows.
 */
public final class Observed {
    private static final String SENT = "observed.sentNanos";
    private static final String STATUS = "observed.status";
    private static final String SERVER_TIMING = "observed.serverTiming";
    private static final String RETRY_AFTER = "observed.retryAfter";
    /** The last observation of this virtual user, for the chain that follows the request. */
    private static final String LAST = "observed.last";
    /** How many of this virtual user's requests failed so far (each is marked succeeded after it is recorded). */
    private static final String FAILED = "observed.failed";

    private Observed() {}

    /** Sends {@code request}, named {@code name} in the report, and observes its response. */
    public static ChainBuilder send(String name, HttpRequestActionBuilder request) {
        HttpRequestActionBuilder observed = request.check(
                status().saveAs(STATUS),
                header("Server-Timing").optional().saveAs(SERVER_TIMING),
                header("Retry-After").optional().saveAs(RETRY_AFTER));
        return exec(session -> session.set(SENT, System.nanoTime())
                        .remove(STATUS)
                        .remove(SERVER_TIMING)
                        .remove(RETRY_AFTER))
                .exec(observed)
                .exec(session -> record(name, session));
    }

    /**
     * Records a client-side span made of several requests (from {@code sentNanos} to {@code doneNanos}) as one
     * request named {@code name}, with {@code serverTiming} as its phases, and makes it this user's last
     * observation (what {@link SteppedLoad} judges).
     */
    public static Session span(
            Session session, String name, boolean ok, long sentNanos, long doneNanos, String serverTiming) {
        int status = ok ? 200 : 0;
        Results.recorder().record(name, status, ok, sentNanos, doneNanos, serverTiming);
        return session.set(LAST, new Observation(name, status, ok, sentNanos, doneNanos, null));
    }

    /**
     * Runs {@code chain} and records it as one request named {@code name}: from before its first request is sent
     * to after its last is answered, OK when none of its requests failed (a group's time in Gatling is the sum of
     * its response times instead).
     */
    public static ChainBuilder spanOf(String name, ChainBuilder chain) {
        String sent = "observed.spanSent." + name;
        String failedBefore = "observed.spanFailed." + name;
        return exec(session -> session.set(sent, System.nanoTime()).set(failedBefore, failed(session)))
                .exec(chain)
                .exec(session -> span(
                        session,
                        name,
                        failed(session) == session.getInt(failedBefore),
                        session.getLong(sent),
                        System.nanoTime(),
                        null));
    }

    private static int failed(Session session) {
        return session.contains(FAILED) ? session.getInt(FAILED) : 0;
    }

    /** The last observation of this virtual user. */
    public static Observation last(Session session) {
        return session.get(LAST);
    }

    private static Session record(String name, Session session) {
        long now = System.nanoTime();
        int status = session.contains(STATUS) ? session.getInt(STATUS) : 0;
        Observation observation = new Observation(
                name, status, !session.isFailed(), session.getLong(SENT), now, session.getString(RETRY_AFTER));
        Results.recorder()
                .record(name, status, observation.ok(), observation.sentNanos(), now, session.getString(SERVER_TIMING));
        // The KO of one request must not colour the next: the report already holds it (and the count, spans).
        return session.set(LAST, observation)
                .set(FAILED, failed(session) + (observation.ok() ? 0 : 1))
                .markAsSucceeded();
    }
}

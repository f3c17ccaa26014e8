package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.outlayer.bench.results.names.RequestName;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.function.Function;

/**
 * One call through the throttled proxy that retries on 429 after waiting what {@code Retry-After} says.
 * The first attempt and the retries are named apart in the report, e.g. {@code status (first attempt)} and
 * {@code status (retry)}; a 429 is a KO there so that Gatling counts it. A 429 must carry
 * {@code Retry-After} and the JSON-RPC error -32005; an admitted call must carry a JSON-RPC result. With
 * {@code -Dthrottle.keying=outlayer} a 429 is OutLayer's: plain text and {@code Retry-After: 5}
 * ({@link ExpectedThrottle}).
 */
public final class Throttled {
    private static final String ATTEMPTS = "throttled.attempts";
    private static final String OUTLAYER_BODY = "throttled.body";
    private static final int MAX_RETRIES = Params.integer("retry.max", 120);

    private Throttled() {}

    /**
     * A chain that sends {@code request} (given its report name) until it is admitted, or fails for another
     * reason than the rate limit, or {@code retry.max} retries were spent; {@code tally} counts the outcome.
     */
    public static ChainBuilder call(String name, Tally tally, Function<String, HttpRequestActionBuilder> request) {
        String first = name + RequestName.FIRST_ATTEMPT;
        String retry = name + RequestName.RETRY;
        return exec(session -> {
                    tally.started(System.nanoTime());
                    return session.set(ATTEMPTS, 0);
                })
                .exec(Observed.send(first, checked(request.apply(first))))
                .exec(session -> account(session, tally, true))
                .asLongAs(Throttled::shouldRetry)
                .on(
                        pause(Throttled::retryAfter),
                        exec(Observed.send(retry, checked(request.apply(retry))))
                                .exec(session -> account(session, tally, false)))
                .exec(session -> {
                    tally.finished(Observed.last(session).status() == 200
                            && Observed.last(session).ok());
                    return session;
                });
    }

    private static HttpRequestActionBuilder checked(HttpRequestActionBuilder request) {
        if (ExpectedThrottle.outlayer()) {
            // OutLayer's coordinator: plain text, a fixed Retry-After: 5, no Server-Timing of ours.
            return request.check(status().is(200), jsonPath("$.result").exists())
                    .checkIf((response, session) -> response.status().code() == 429)
                    .then(
                            header("Retry-After").is(String.valueOf(ExpectedThrottle.OUTLAYER_RETRY_AFTER_SECONDS)),
                            bodyString().saveAs(OUTLAYER_BODY));
        }
        return request.check(
                        status().is(200),
                        jsonPath("$.result").exists(),
                        header("Server-Timing").exists())
                .checkIf((response, session) -> response.status().code() == 429)
                .then(
                        header("Retry-After").exists(),
                        jsonPath("$.error.code").ofInt().is(-32005),
                        jsonPath("$.error.data.reason").saveAs("throttled.reason"));
    }

    private static Session account(Session session, Tally tally, boolean firstAttempt) {
        Observation response = Observed.last(session);
        if (response.status() == 200) {
            tally.admitted(response);
        } else if (response.status() == 429) {
            String reason = ExpectedThrottle.outlayer()
                    ? ExpectedThrottle.outlayerReason(session.getString(OUTLAYER_BODY))
                    : session.getString("throttled.reason");
            tally.rejected(response, firstAttempt, reason);
        }
        return session.set(ATTEMPTS, session.getInt(ATTEMPTS) + (firstAttempt ? 0 : 1))
                .remove("throttled.reason")
                .remove(OUTLAYER_BODY);
    }

    private static boolean shouldRetry(Session session) {
        return Observed.last(session).status() == 429 && session.getInt(ATTEMPTS) < MAX_RETRIES;
    }

    /** Waits what Retry-After says (whole seconds, per RFC 9110); 1 s if the header is missing or odd. */
    private static Duration retryAfter(Session session) {
        String header = Observed.last(session).retryAfter();
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(header == null ? "1" : header.strip())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }
}

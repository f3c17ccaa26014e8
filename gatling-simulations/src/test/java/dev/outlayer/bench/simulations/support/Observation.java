package dev.outlayer.bench.simulations.support;

/**
 * What one HTTP exchange showed the chain that follows it (the throttled client's retry decision and tally).
 *
 * @param request       the request name as in the Gatling report, e.g. {@code status (retry)}
 * @param status        the HTTP status, 0 if no response arrived
 * @param ok            whether every check of the request passed
 * @param sentNanos     {@link System#nanoTime()} just before the request was sent
 * @param receivedNanos {@link System#nanoTime()} just after the response was processed
 * @param retryAfter    the {@code Retry-After} header, or null
 */
public record Observation(
        String request, int status, boolean ok, long sentNanos, long receivedNanos, String retryAfter) {}

package dev.outlayer.bench.simulations.support;

/**
 * What one HTTP exchange showed: the request's report name, its status, its timing as Gatling measured it
 * (whole ms) and as bracketed with {@link System#nanoTime()} around the request, the server's
 * {@code Server-Timing} header, and the rate-limit headers when present.
 *
 * @param request        the request name as in the Gatling report, e.g. {@code status (retry)}
 * @param status         the HTTP status, 0 if no response arrived
 * @param ok             whether every check of the request passed
 * @param receivedNanos  {@link System#nanoTime()} just after the response was processed
 * @param elapsedNanos   nanoTime from just before sending to just after the response
 * @param responseTimeMs Gatling's response time
 * @param serverTiming   the {@code Server-Timing} header, or null
 * @param retryAfter     the {@code Retry-After} header, or null
 * @param remaining      {@code X-RateLimit-Remaining}, or -1
 */
public record Observation(String request, int status, boolean ok, long receivedNanos, long elapsedNanos,
                          long responseTimeMs, String serverTiming, String retryAfter, long remaining) {

    /** {@link System#nanoTime()} just before the request was sent. */
    public long sentNanos() {
        return receivedNanos - elapsedNanos;
    }

    /** The duration of one {@code Server-Timing} phase in ms (e.g. {@code throttle}), or NaN if absent. */
    public double serverPhaseMillis(String phase) {
        if (serverTiming == null) {
            return Double.NaN;
        }
        for (String metric : serverTiming.split(",")) {
            String[] parts = metric.strip().split(";");
            if (parts[0].strip().equals(phase)) {
                for (int i = 1; i < parts.length; i++) {
                    String param = parts[i].strip();
                    if (param.startsWith("dur=")) {
                        try {
                            return Double.parseDouble(param.substring(4));
                        } catch (NumberFormatException e) {
                            return Double.NaN;
                        }
                    }
                }
            }
        }
        return Double.NaN;
    }
}

package dev.outlayer.bench.targetsystem.http;

/**
 * How long one listener lets a connection sit half-sent or silent: a connection that sends part
 * of a request (or of a chunked body) and stops is closed when a timeout expires, not held forever.
 *
 * @param requestParseTimeoutMillis longest from the first byte of a request to the end of its headers
 * @param readTimeoutMillis         longest a read may wait for the next byte, a body included
 * @param idleTimeoutMillis         longest a connection may stay open with nothing happening
 */
public record ServerLimits(int requestParseTimeoutMillis, int readTimeoutMillis, int idleTimeoutMillis) {
    /** The flags' defaults (see TargetOptions). */
    public static final ServerLimits DEFAULTS = new ServerLimits(10_000, 30_000, 60_000);

    public ServerLimits {
        if (requestParseTimeoutMillis <= 0 || readTimeoutMillis <= 0 || idleTimeoutMillis <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }
}

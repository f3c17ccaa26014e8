package dev.outlayer.bench.targetsystem.errors;

/**
 * The one family of exceptions a request can end with. Domain packages throw it (or a subclass)
 * with a {@link Kind} and a message written for the client; the HTTP edge turns the kind into a
 * status and a JSON error body. Anything else that escapes a handler is an internal error whose
 * text never reaches the client.
 */
public class ApiException extends RuntimeException {
    /** What went wrong, in the client's terms; the HTTP edge maps each to one status. */
    public enum Kind {
        /** The request is malformed or names something invalid (400). */
        INVALID,
        /** No or unknown credentials (401). */
        UNAUTHENTICATED,
        /** The caller's balance does not cover the request (402: an HTTPS call's payment key). */
        PAYMENT_REQUIRED,
        /** Known caller, not allowed (403). */
        FORBIDDEN,
        /** The named resource does not exist (404). */
        NOT_FOUND,
        /** The request conflicts with the current state (409). */
        CONFLICT,
        /** The body is larger than the configured limit (413). */
        TOO_LARGE,
        /** The body's {@code Content-Type} is not one the route reads (415). */
        UNSUPPORTED_MEDIA_TYPE,
        /** Well-formed, but its execution failed in a way the client must see (422). */
        UNPROCESSABLE,
        /** The caller must slow down (429). */
        TOO_MANY_REQUESTS,
        /** A service this one depends on failed (502). */
        BAD_GATEWAY,
        /** Temporarily unable to take the request: queue full, shutting down, store down (503). */
        UNAVAILABLE,
        /** A service this one depends on did not answer in time (504). */
        GATEWAY_TIMEOUT
    }

    private final Kind kind;
    private final long retryAfterSeconds;
    private final String code;

    public ApiException(Kind kind, String message) {
        this(kind, message, 0);
    }

    /** {@code retryAfterSeconds > 0} adds a {@code Retry-After} header to the answer. */
    public ApiException(Kind kind, String message, long retryAfterSeconds) {
        this(kind, null, message, retryAfterSeconds);
    }

    private ApiException(Kind kind, String code, String message, long retryAfterSeconds) {
        // An answer, not a bug: no stack trace to fill on every refused request under load.
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * A refusal OutLayer names with a machine-readable code beside its sentence: the HTTP edge
     * answers {@code {"error": code, "message": message}} (its coordinator's coded errors).
     */
    public static ApiException coded(Kind kind, String code, String message) {
        return new ApiException(kind, code, message, 0);
    }

    public Kind kind() {
        return kind;
    }

    /** The refusal's code when it has one ({@link #coded}), else null. */
    public String code() {
        return code;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException invalid(String message) {
        return new ApiException(Kind.INVALID, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(Kind.NOT_FOUND, message);
    }
}

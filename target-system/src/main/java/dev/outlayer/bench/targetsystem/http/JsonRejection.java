package dev.outlayer.bench.targetsystem.http;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.SerdeJsonErrors;

/**
 * What axum's {@code Json<T>} extractor refuses a body with (axum 0.7, which OutLayer's coordinator
 * and keystore-worker pin; its {@code JsonRejection}), for the routes that mirror one of OutLayer's
 * {@code Json} handlers: axum's status and words (its fixed sentence, then the reason), in the target
 * system's JSON error body ({@code {"error": message, "status": code}}: the external interface promises
 * JSON for every error, where axum answers plain text).
 *
 * <ul>
 *   <li>415 {@code Expected request with `Content-Type: application/json`}: no or another
 *       {@code Content-Type} ({@link JsonContentType}), checked before the body is read;
 *   <li>400 {@code Failed to parse the request body as JSON: } serde_json's syntax error (JsonSyntaxError:
 *       not JSON, an empty body, bytes that are not UTF-8), in serde's words at serde's position;
 *   <li>422 {@code Failed to deserialize the JSON body into the target type: } why the JSON does not fit
 *       the route's request (JsonDataError: a member missing, of another type, out of range, given twice),
 *       in {@link JsonCodec}'s words (a member given twice in serde's).
 * </ul>
 *
 */
public final class JsonRejection extends ApiException {
    static final String MISSING_JSON_CONTENT_TYPE = "Expected request with `Content-Type: application/json`";
    static final String SYNTAX = "Failed to parse the request body as JSON: ";
    static final String DATA = "Failed to deserialize the JSON body into the target type: ";

    /** One instance: an ApiException keeps no stack trace, so it holds nothing of the request. */
    private static final JsonRejection UNSUPPORTED =
            new JsonRejection(Kind.UNSUPPORTED_MEDIA_TYPE, MISSING_JSON_CONTENT_TYPE);

    private JsonRejection(Kind kind, String message) {
        super(kind, message);
    }

    /** 415 unless {@code contentType} (the request's first {@code Content-Type}, or null) is JSON's. */
    static void requireJson(String contentType) {
        if (!JsonContentType.isJson(contentType)) {
            throw UNSUPPORTED;
        }
    }

    /** {@link JsonCodec#read}, its refusals sorted as axum sorts serde's: syntax 400, data 422. */
    static <T> T read(byte[] body, Class<T> type) {
        try {
            return JsonCodec.read(body, type);
        } catch (JsonRejection rejection) {
            throw rejection;
        } catch (ApiException refused) {
            if (refused.kind() != Kind.INVALID) {
                throw refused;
            }
            throw of(body, refused.getMessage());
        }
    }

    /**
     * A well-formed body that a handler finds wanting in a way serde would have refused it (a required
     * member absent): 422 as axum's JsonDataError.
     */
    public static JsonRejection data(String reason) {
        return new JsonRejection(Kind.UNPROCESSABLE, DATA + reason);
    }

    /** Why {@code body} was refused: serde's syntax error if it has one (read again: the error path only), else data. */
    private static JsonRejection of(byte[] body, String codecMessage) {
        String syntax = SerdeJsonErrors.syntaxError(body);
        if (syntax != null) {
            return new JsonRejection(Kind.INVALID, SYNTAX + syntax);
        }
        SerdeJsonErrors.Refusal refusal = SerdeJsonErrors.refusal(body, -1);
        // a member of the request given twice: serde's "duplicate field `x`" (Jackson's text reads as a syntax error)
        return data(refusal.duplicateDepth() > 0 ? refusal.message() : codecMessage);
    }
}

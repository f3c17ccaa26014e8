package dev.outlayer.bench.targetsystem.http.executions;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import io.undertow.server.HttpServerExchange;
import java.util.Deque;

/** Query strings as axum's {@code Query} extractor reads them (serde_urlencoded), in its words when refused. */
final class AxumQuery {
    private AxumQuery() {}

    private static ApiException rejection(String reason) {
        return ApiException.invalid("Failed to deserialize query string: " + reason);
    }

    /** The member's one value, or null without one; serde refuses a member given twice. */
    static String value(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw rejection("duplicate field `" + name + "`");
        }
        return values.getFirst();
    }

    static String required(HttpServerExchange exchange, String name) {
        String value = value(exchange, name);
        if (value == null) {
            throw rejection("missing field `" + name + "`");
        }
        return value;
    }

    /** An {@code Option<i64>} member, in Rust's words when it is not one. */
    static Long integer(HttpServerExchange exchange, String name) {
        String text = value(exchange, name);
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            throw rejection("cannot parse integer from empty string");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            boolean digits = text.matches("[+-]?[0-9]+");
            throw rejection(
                    !digits
                            ? "invalid digit found in string"
                            : text.startsWith("-")
                                    ? "number too small to fit in target type"
                                    : "number too large to fit in target type");
        }
    }
}

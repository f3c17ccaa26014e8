package dev.outlayer.bench.targetsystem.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads the target system's error body, {@code {"error": message, "status": code}}, as a test asserts it. */
public final class ErrorBodies {
    private ErrorBodies() {}

    /** The {@code error} message of {@code body}; fails the test when the body is not an error body. */
    public static String message(String body) {
        JsonNode error;
        try {
            error = JsonCodec.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON error body: " + body, e);
        }
        assertThat(error.path("error").isTextual())
                .as("an error body: %s", body)
                .isTrue();
        assertThat(error.path("status").isInt()).as("an error body: %s", body).isTrue();
        return error.path("error").asText();
    }
}

package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.StringBody;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.gatling.javaapi.core.Body;
import io.gatling.javaapi.core.Session;
import java.util.function.Function;

/**
 * The one way the simulations write and read JSON bodies that depend on the virtual user (a fixed body is a
 * template under {@code src/test/resources/bodies/}): records and maps serialised by Jackson, snake_case
 * keys as the target's API has them, absent (null) fields left out.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {}

    /** A request body: what {@code value} gives for the virtual user, as JSON. */
    public static Body body(Function<Session, Object> value) {
        return StringBody(session -> write(value.apply(session)));
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON: " + e.getMessage(), e);
        }
    }

    public static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }
}

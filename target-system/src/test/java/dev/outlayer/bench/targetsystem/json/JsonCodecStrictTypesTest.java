package dev.outlayer.bench.targetsystem.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JsonCodec reads values as serde_json does for OutLayer and nearcore: a value of another JSON type
 * is a client error naming the field, never converted (Jackson's defaults would truncate 1.9 to 1,
 * read -7 as true, 5 as "5", "" as not given and 1e400 as Infinity).
 */
class JsonCodecStrictTypesTest {
    record Limits(
            @JsonProperty("max_instructions") Long maxInstructions,
            @JsonProperty("max_memory_mb") long maxMemoryMb,
            @JsonProperty("max_seconds") Double maxSeconds,
            @JsonProperty("ratio") double ratio) {}

    record Body(
            @JsonProperty("nonce") Long nonce,
            @JsonProperty("attempt") Integer attempt,
            @JsonProperty("count") int count,
            @JsonProperty("success") Boolean success,
            @JsonProperty("cold_start") boolean coldStart,
            @JsonProperty("owner") String owner,
            @JsonProperty("argv") List<String> argv,
            @JsonProperty("env") Map<String, String> env,
            @JsonProperty("limits") Limits limits,
            @JsonProperty("input") JsonNode input) {}

    private static Body read(String json) {
        return JsonCodec.read(json.getBytes(StandardCharsets.UTF_8), Body.class);
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> read(json))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.INVALID))
                .hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.9", "1.0", "1e2", "-0.5", "1e400"})
    void aDecimalIsNoInteger(String number) {
        refused("{\"nonce\": " + number + "}", "'nonce' must be an integer");
        refused("{\"attempt\": " + number + "}", "'attempt' must be an integer");
        refused("{\"count\": " + number + "}", "'count' must be an integer");
        refused("{\"limits\": {\"max_memory_mb\": " + number + "}}", "'limits.max_memory_mb' must be an integer");
        refused("{\"limits\": {\"max_instructions\": " + number + "}}", "'limits.max_instructions' must be an integer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-7", "5", "0", "1", "0.5", "\"true\"", "\"false\"", "\"\""})
    void onlyTrueOrFalseIsABoolean(String value) {
        refused("{\"success\": " + value + "}", "'success' must be true or false");
        refused("{\"cold_start\": " + value + "}", "'cold_start' must be true or false");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "5", "-1.5", "true", "false"})
    void aNumberOrBooleanIsNoString(String value) {
        refused("{\"owner\": " + value + "}", "'owner' must be a string");
        refused("{\"argv\": [\"a\", " + value + "]}", "'argv[1]' must be a string");
        refused("{\"env\": {\"A\": " + value + "}}", "'env.A' must be a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\" \"", "\"\\u0001\\u001f\"", "\"\\t\"", "\"5\"", "\"null\""})
    void aStringIsNoNumber(String value) {
        refused("{\"nonce\": " + value + "}", "'nonce' must be an integer");
        refused("{\"count\": " + value + "}", "'count' must be an integer");
        refused("{\"limits\": {\"max_instructions\": " + value + "}}", "'limits.max_instructions' must be an integer");
        refused("{\"limits\": {\"max_seconds\": " + value + "}}", "'limits.max_seconds' must be a number");
        refused("{\"limits\": {\"ratio\": " + value + "}}", "'limits.ratio' must be a number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "\"NaN\"", "\"Infinity\"", "\"-Infinity\""})
    void aDoubleIsFinite(String value) {
        refused("{\"limits\": {\"max_seconds\": " + value + "}}", "'limits.max_seconds' must be a number");
        refused("{\"limits\": {\"ratio\": " + value + "}}", "'limits.ratio' must be a number");
    }

    @Test
    void valuesOfTheirOwnTypeStillRead() {
        Body body = read("{\"nonce\": 7, \"attempt\": 2, \"count\": -3, \"success\": false, \"cold_start\": true,"
                + " \"owner\": \"alice.near\", \"argv\": [\"a\"], \"env\": {\"A\": \"1\"},"
                + " \"limits\": {\"max_instructions\": 100, \"max_memory_mb\": 64, \"max_seconds\": 2,"
                + " \"ratio\": 1.5e300}, \"input\": {\"n\": 1.9, \"s\": \"\", \"b\": 1}}");
        assertThat(body.nonce()).isEqualTo(7L);
        assertThat(body.attempt()).isEqualTo(2);
        assertThat(body.count()).isEqualTo(-3);
        assertThat(body.success()).isFalse();
        assertThat(body.coldStart()).isTrue();
        assertThat(body.owner()).isEqualTo("alice.near");
        assertThat(body.argv()).containsExactly("a");
        assertThat(body.env()).containsEntry("A", "1");
        // An integer is a valid f64 for serde too.
        assertThat(body.limits().maxSeconds()).isEqualTo(2.0);
        assertThat(body.limits().ratio()).isEqualTo(1.5e300);
        // Free-form JSON keeps whatever it holds.
        assertThat(body.input().toString()).isEqualTo("{\"n\":1.9,\"s\":\"\",\"b\":1}");
    }

    /** Boxed members are serde's {@code Option}s: null or absent is not given (primitives: JsonCodecSerdeParityTest). */
    @Test
    void nullAndAbsentStayNotGivenForBoxedMembers() {
        Body body = read("{\"nonce\": null, \"success\": null, \"owner\": null, \"count\": 0, \"cold_start\": false,"
                + " \"limits\": {\"max_seconds\": null, \"max_memory_mb\": 1, \"ratio\": 1}}");
        assertThat(body.nonce()).isNull();
        assertThat(body.success()).isNull();
        assertThat(body.owner()).isNull();
        assertThat(body.limits().maxSeconds()).isNull();
        assertThat(body.attempt()).isNull();
    }

    @Test
    void storedRecordsRoundTrip() {
        Body body = new Body(
                1L << 60,
                3,
                4,
                true,
                false,
                "",
                List.of(""),
                Map.of("", ""),
                new Limits(9L, 10, 0.25, -1e-300),
                JsonCodec.object().put("x", 1));
        assertThat(JsonCodec.read(JsonCodec.bytes(body), Body.class)).isEqualTo(body);
    }
}

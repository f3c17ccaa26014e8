package dev.outlayer.bench.targetsystem.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JsonCodec reads fields and bodies where serde refuses them: a primitive is a field that is no {@code Option}
 * (null and a missing member are refused, where Jackson read 0 or false), {@code #[serde(default)]} takes a missing
 * member only, nesting stops at serde_json's recursion limit and free-form JSON holds no number beyond f64.
 */
class JsonCodecSerdeParityTest {
    record Limits(
            @JsonProperty("max_instructions") long maxInstructions,
            @JsonProperty("max_memory_mb") int maxMemoryMb,
            @JsonProperty("ratio") double ratio) {}

    record Complete(
            @JsonProperty("time_ms") long timeMs,

            @JsonProperty(value = "instructions", defaultValue = "0")
            long instructions,

            @JsonProperty(value = "compile_only", defaultValue = "false")
            boolean compileOnly,

            @JsonProperty(value = "weight", defaultValue = "0.5")
            double weight,

            @JsonProperty("success") boolean success,

            @JsonSetter(nulls = Nulls.AS_EMPTY) @JsonProperty("cold_start")
            boolean coldStart,

            @JsonProperty("refund_usd") Long refundUsd,
            @JsonProperty("limits") Limits limits,
            @JsonProperty("input") JsonNode input,
            @JsonProperty("secrets") Map<String, JsonNode> secrets) {}

    private static final String LIMITS = "\"limits\":{\"max_instructions\":1,\"max_memory_mb\":2,\"ratio\":0.5}";

    private static Complete read(String json) {
        return JsonCodec.read(json.getBytes(StandardCharsets.UTF_8), Complete.class);
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> read(json))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.INVALID))
                .hasMessage(message);
    }

    @Test
    void aPrimitiveIsRequiredAndNeverNull() {
        refused("{\"time_ms\":null,\"success\":true," + LIMITS + "}", "'time_ms' must be an integer, not null");
        refused("{\"success\":true," + LIMITS + "}", "'time_ms' is required: an integer");
        refused("{\"time_ms\":1,\"success\":null," + LIMITS + "}", "'success' must be true or false, not null");
        refused("{\"time_ms\":1," + LIMITS + "}", "'success' is required: true or false");
        refused(
                "{\"time_ms\":1,\"success\":true,\"limits\":{\"max_instructions\":1,\"max_memory_mb\":null,\"ratio\":1}}",
                "'limits.max_memory_mb' must be an integer, not null");
        refused(
                "{\"time_ms\":1,\"success\":true,\"limits\":{\"max_instructions\":1,\"max_memory_mb\":2}}",
                "'limits.ratio' is required: a number");
        refused(
                "{\"time_ms\":1,\"success\":true,\"limits\":{\"max_memory_mb\":2,\"ratio\":1}}",
                "'limits.max_instructions' is required: an integer");
    }

    @Test
    void aSerdeDefaultTakesAMissingMemberButNotNull() {
        Complete absent = read("{\"time_ms\":7,\"success\":false," + LIMITS + "}");
        assertThat(absent.instructions()).isZero();
        assertThat(absent.compileOnly()).isFalse();
        assertThat(absent.weight()).isEqualTo(0.5);
        refused(
                "{\"time_ms\":7,\"success\":false,\"instructions\":null," + LIMITS + "}",
                "'instructions' must be an integer, not null");
        refused(
                "{\"time_ms\":7,\"success\":false,\"compile_only\":null," + LIMITS + "}",
                "'compile_only' must be true or false, not null");
        refused(
                "{\"time_ms\":7,\"success\":false,\"weight\":null," + LIMITS + "}",
                "'weight' must be a number, not null");
        Complete given = read("{\"time_ms\":7,\"success\":true,\"instructions\":9,\"compile_only\":true,\"weight\":2,"
                + LIMITS + "}");
        assertThat(given.instructions()).isEqualTo(9);
        assertThat(given.compileOnly()).isTrue();
        assertThat(given.weight()).isEqualTo(2.0);
        assertThat(given.success()).isTrue();
    }

    @Test
    void optionalMembersStayNotGivenWhenNullOrMissing() {
        Complete nulls = read("{\"time_ms\":7,\"success\":true,\"cold_start\":null,\"refund_usd\":null," + LIMITS
                + ",\"input\":null}");
        assertThat(nulls.coldStart()).isFalse();
        assertThat(nulls.refundUsd()).isNull();
        assertThat(nulls.input().isNull()).isTrue();
        Complete missing = read("{\"time_ms\":7,\"success\":true," + LIMITS + "}");
        assertThat(missing.coldStart()).isFalse();
        assertThat(missing.refundUsd()).isNull();
        assertThat(missing.input()).isNull();
    }

    /** serde_json's remaining_depth is 128, decremented before each level: 127 levels read, the 128th refused. */
    @Test
    void nestingStopsAtSerdeJsonsRecursionLimit() {
        // The body's object is level 1: 126 arrays inside it are the deepest serde_json reads.
        String prefix = "{\"time_ms\":1,\"success\":true," + LIMITS + ",\"input\":";
        Complete deepest = read(prefix + "[".repeat(126) + "]".repeat(126) + "}");
        assertThat(deepest.input().at("/0".repeat(125)).isArray()).isTrue();
        refused(
                prefix + "[".repeat(127) + "]".repeat(127) + "}",
                "the request body is not valid JSON: recursion limit exceeded at line 1 column "
                        + (prefix.length() + 127));
        // Two levels of record and map, then objects: the 126th is level 128, refused where its '{' is.
        String secrets = "{\"secrets\":{\"a\":";
        refused(
                secrets + "{\"b\":".repeat(126) + "1" + "}".repeat(126) + "}}",
                "the request body is not valid JSON: recursion limit exceeded at line 1 column "
                        + (secrets.length() + 125 * "{\"b\":".length() + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1.8e308", "2e308", "123456789e302"})
    void aNumberBeyondF64InFreeFormJsonIsRefusedWhereSerdeJsonRefusesIt(String number) {
        String prefix = "{\"time_ms\":1,\"success\":true," + LIMITS + ",\"input\":{\"a\":[1,";
        refused(
                prefix + number + "]}}",
                "the request body is not valid JSON: number out of range at line 1 column "
                        + (prefix.length() + number.length()));
        refused(
                "{\"secrets\":{\"k\":" + number + "}}",
                "the request body is not valid JSON: number out of range at line 1 column " + (16 + number.length()));
    }

    @Test
    void anIntegerBeyondF64IsOutOfRangeToo() {
        String huge = "1" + "0".repeat(309); // 1e309 written out: serde_json parses it as an f64
        refused(
                "{\"input\":" + huge + "}",
                "the request body is not valid JSON: number out of range at line 1 column " + (9 + huge.length()));
        String large = "1" + "0".repeat(300); // an f64 still, a BigInteger here
        Complete read = read("{\"time_ms\":1,\"success\":true," + LIMITS + ",\"input\":" + large + "}");
        assertThat(read.input().bigIntegerValue().toString()).isEqualTo(large);
    }

    @Test
    void numbersAnF64HoldsAndIgnoredMembersStayAccepted() {
        Complete read = read("{\"time_ms\":1,\"success\":true," + LIMITS
                + ",\"input\":[1.7976931348623157e308,1e-400,-0.0,5],\"unknown\":1e400}");
        assertThat(read.input().get(0).doubleValue()).isEqualTo(Double.MAX_VALUE);
        assertThat(read.input().get(1).doubleValue()).isZero();
        // serde skips an unknown member without converting its numbers (de.rs ignore_value), and so does Jackson
        assertThat(read.input().size()).isEqualTo(4);
    }

    /** {@code #[serde(default)] project_ids: Vec<String>} and {@code #[serde(default)] format: ResponseFormat}. */
    record Defaults(
            @JsonProperty("project_ids") @JsonDeserialize(using = SerdeFields.Defaulted.class)
            List<String> projectIds,

            @JsonProperty("format") @JsonDeserialize(using = SerdeFields.Defaulted.class)
            String format) {
        Defaults {
            projectIds = projectIds == null ? List.of() : projectIds;
            format = format == null ? "Text" : format;
        }
    }

    @Test
    void aSerdeDefaultOfAReferenceTypeTakesAMissingMemberButNotNull() {
        Defaults absent = JsonCodec.read("{}".getBytes(StandardCharsets.UTF_8), Defaults.class);
        assertThat(absent.projectIds()).isEmpty();
        assertThat(absent.format()).isEqualTo("Text");
        Defaults given = JsonCodec.read(
                "{\"project_ids\":[\"a/b\"],\"format\":\"Json\"}".getBytes(StandardCharsets.UTF_8), Defaults.class);
        assertThat(given.projectIds()).containsExactly("a/b");
        assertThat(given.format()).isEqualTo("Json");
        assertThatThrownBy(
                        () -> JsonCodec.read("{\"project_ids\":null}".getBytes(StandardCharsets.UTF_8), Defaults.class))
                .isInstanceOf(ApiException.class)
                .hasMessage("'project_ids' must be an array, not null");
        assertThatThrownBy(() -> JsonCodec.read("{\"format\":null}".getBytes(StandardCharsets.UTF_8), Defaults.class))
                .isInstanceOf(ApiException.class)
                .hasMessage("'format' must be a string, not null");
        assertThatThrownBy(
                        () -> JsonCodec.read("{\"project_ids\":[1]}".getBytes(StandardCharsets.UTF_8), Defaults.class))
                .as("the elements are read as the list's own deserializer reads them")
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("project_ids");
    }

    @Test
    void treesTheTargetSystemBuildsItselfAreNotChecked() {
        assertThat(JsonCodec.object()
                        .put("ratio", Double.POSITIVE_INFINITY)
                        .get("ratio")
                        .isDouble())
                .isTrue();
    }
}

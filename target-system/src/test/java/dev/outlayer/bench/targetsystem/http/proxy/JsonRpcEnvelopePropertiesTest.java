package dev.outlayer.bench.targetsystem.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.JsonRpcIdArbitraries;
import dev.outlayer.bench.targetsystem.json.RawJson;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The proxy's one-pass check of a JSON-RPC body against generated input. */
class JsonRpcEnvelopePropertiesTest {
    private static JsonRpcEnvelope scan(String body) {
        return JsonRpcEnvelope.scan(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 300)
    void theIdIsKeptAsItsExactJsonTextAndEchoedSo(@ForAll("ids") String id) {
        JsonRpcEnvelope envelope = scan(
                "{\"params\":{\"x\":[1,{\"y\":null}]},\"id\":" + id + ",\"jsonrpc\":\"2.0\",\"method\":\"status\"}");
        assertThat(envelope.valid()).isTrue();
        assertThat(envelope.id().text()).isEqualTo(id);

        String error = new String(
                JsonCodec.bytes(JsonRpcError.of(envelope.id(), JsonRpcError.LIMIT_EXCEEDED, "Rate limit exceeded")),
                StandardCharsets.UTF_8);
        assertThat(error).startsWith("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":");
    }

    @Example
    void refusesWhatNearcoreRefuses() {
        JsonRpcEnvelope trailing = scan("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"status\"}x");
        assertThat(trailing.code()).isEqualTo(JsonRpcError.PARSE_ERROR);
        assertThat(trailing.problem()).isEqualTo("Parse error: trailing characters at line 1 column 43");
        assertThat(trailing.id()).isEqualTo(RawJson.NULL);

        JsonRpcEnvelope duplicate = scan("{\"jsonrpc\":\"2.0\",\"method\":\"status\",\"method\":\"block\",\"id\":1}");
        assertThat(duplicate.code()).isEqualTo(JsonRpcError.PARSE_ERROR);
        assertThat(duplicate.problem()).isEqualTo("Parse error: duplicate field `method` at line 1 column 43");

        JsonRpcEnvelope nestedDuplicate =
                scan("{\"jsonrpc\":\"2.0\",\"method\":\"q\",\"params\":{\"a\":1,\"a\":2},\"id\":1}");
        assertThat(nestedDuplicate.code()).isEqualTo(JsonRpcError.PARSE_ERROR);

        JsonRpcEnvelope batch = scan("[{\"jsonrpc\":\"2.0\",\"method\":\"status\",\"id\":1}]");
        assertThat(batch.code()).isEqualTo(JsonRpcError.INVALID_REQUEST);
        assertThat(batch.problem()).contains("batch requests are not supported");

        JsonRpcEnvelope objectId = scan("{\"jsonrpc\":\"2.0\",\"method\":\"status\",\"id\":{\"a\":1}}");
        assertThat(objectId.code()).isEqualTo(JsonRpcError.INVALID_REQUEST);
        assertThat(objectId.id().text()).isEqualTo("{\"a\":1}");
    }

    @Property(tries = 500)
    void noBodyMakesTheScanThrowAndEveryRefusalSaysWhy(@ForAll("bodies") String body) {
        JsonRpcEnvelope envelope = scan(body);
        if (envelope.valid()) {
            assertThat(envelope.problem()).isNull();
        } else {
            assertThat(envelope.code()).isIn(JsonRpcError.PARSE_ERROR, JsonRpcError.INVALID_REQUEST);
            assertThat(envelope.problem()).isNotBlank().doesNotContainPattern(JsonRpcIdArbitraries.JAVA_WORDS);
        }
        assertThat(envelope.id()).isNotNull();
    }

    @Provide
    Arbitrary<String> ids() {
        return JsonRpcIdArbitraries.idTokens();
    }

    @Provide
    Arbitrary<String> bodies() {
        return JsonRpcIdArbitraries.bodies(
                "\"jsonrpc\":\"2.0\"",
                "\"jsonrpc\":\"1.0\"",
                "\"method\":\"status\"",
                "\"method\":\"\"",
                "\"params\":[]",
                "\"params\":7",
                "\"x\":{\"y\":[1,2,{}]}");
    }
}

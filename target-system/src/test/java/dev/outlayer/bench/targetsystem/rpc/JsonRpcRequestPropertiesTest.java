package dev.outlayer.bench.targetsystem.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.JsonRpcIdArbitraries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The emulator's JSON-RPC envelope against generated input: every id comes back as the exact
 * JSON text sent, and no body (malformed, truncated, duplicated, trailing) makes it throw; each
 * gets a JSON-RPC error in nearcore's shape.
 */
class JsonRpcRequestPropertiesTest {
    private final NearRpcEmulator emulator = new RpcTestNode().emulator;

    private String answer(String body) {
        return new String(
                emulator.handle(body.getBytes(StandardCharsets.UTF_8), RpcTestNode.RPC_ADDR)
                        .body(),
                StandardCharsets.UTF_8);
    }

    /**
     * An id an f64 holds comes back as its exact text; a number beyond f64 is refused while nearcore's serde_json
     * parses the body ("number out of range"), answered with a null id.
     */
    @Property(tries = 300)
    void everyIdIsEchoedAsItsExactJsonText(@ForAll("ids") String id) throws IOException {
        if (id.matches("-?[0-9].*") && Double.isInfinite(Double.parseDouble(id))) {
            JsonNode refused = json(answer("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"health\"}"));
            assertThat(refused.at("/error/cause/name").asText()).isEqualTo("PARSE_ERROR");
            assertThat(refused.at("/error/data").asText()).startsWith("number out of range at line 1 column ");
            assertThat(refused.get("id").isNull()).isTrue();
            return;
        }
        String answer = answer("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"health\"}");
        assertThat(answer).startsWith("{\"jsonrpc\":\"2.0\",\"result\":null").endsWith(",\"id\":" + id + "}");

        String error = answer("{\"id\" : " + id + " , \"jsonrpc\":\"2.0\",\"method\":\"no_such_method\"}");
        assertThat(error).contains("\"code\":-32601").endsWith(",\"id\":" + id + "}");
    }

    @Example
    void structuredIdsAreEchoedAsSentToo() throws IOException {
        String id = "{\"a\": [1.5e308, 123456789012345678901234567890, \"\\u00e9\"]}";
        assertThat(answer("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"health\"}"))
                .endsWith(",\"id\":" + id + "}");
        JsonNode beyond = json(answer("{\"jsonrpc\":\"2.0\",\"id\":{\"a\": [1e999999999]},\"method\":\"health\"}"));
        assertThat(beyond.at("/error/data").asText()).isEqualTo("number out of range at line 1 column 40");
    }

    @Example
    void trailingInputAndDuplicateKeysAreRefusedAsParseErrors() throws IOException {
        JsonNode trailing = json(answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"health\"} {}"));
        assertThat(trailing.at("/error/cause/name").asText()).isEqualTo("PARSE_ERROR");
        assertThat(trailing.at("/error/data").asText()).isEqualTo("trailing characters at line 1 column 44");
        assertThat(trailing.get("id").isNull()).isTrue();

        JsonNode garbage = json(answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"health\"}x"));
        assertThat(garbage.at("/error/data").asText()).startsWith("trailing characters at line 1");

        JsonNode duplicate = json(answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"health\"}"));
        assertThat(duplicate.at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(duplicate.at("/error/data").asText()).isEqualTo("JSON RPC Request format was expected");
    }

    @Property(tries = 400)
    void noBodyCrashesTheEmulator(@ForAll("bodies") String body) throws IOException {
        NearRpcEmulator.Response response =
                emulator.handle(body.getBytes(StandardCharsets.UTF_8), RpcTestNode.RPC_ADDR);
        JsonNode answer = JsonCodec.MAPPER.readTree(response.body());
        assertThat(answer.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(answer.has("id")).isTrue();
        if (answer.has("error")) {
            assertThat(answer.at("/error/name").asText()).isNotEmpty();
            assertThat(answer.at("/error/message").asText()).isNotEmpty();
            assertThat(answer.at("/error/data").toString()).doesNotContainPattern(JsonRpcIdArbitraries.JAVA_WORDS);
            assertThat(response.httpStatus()).isIn(200, 400, 422);
        } else {
            assertThat(response.httpStatus()).isEqualTo(200);
        }
    }

    @Provide
    Arbitrary<String> ids() {
        return JsonRpcIdArbitraries.idTokens();
    }

    /** Near-valid requests cut, duplicated, padded and mixed with arbitrary text. */
    @Provide
    Arbitrary<String> bodies() {
        return JsonRpcIdArbitraries.bodies(
                "\"jsonrpc\":\"2.0\"",
                "\"jsonrpc\":2",
                "\"method\":\"status\"",
                "\"method\":\"block\"",
                "\"method\":\"query\"",
                "\"method\":[]",
                "\"params\":{\"finality\":\"final\"}",
                "\"params\":[null]",
                "\"params\":{\"request_type\":\"view_account\",\"account_id\":\"a.near\",\"finality\":\"final\"}",
                "\"params\":\"x\"",
                "\"extra\":true",
                "\"params\":{\"a\":1,\"a\":2}");
    }

    private static JsonNode json(String text) throws IOException {
        return JsonCodec.MAPPER.readTree(text);
    }
}

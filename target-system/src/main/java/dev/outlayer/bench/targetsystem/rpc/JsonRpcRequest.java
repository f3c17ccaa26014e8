package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.json.SerdeJsonErrors;
import java.io.IOException;

/**
 * One JSON-RPC 2.0 request as nearcore accepts it ({@code chain/jsonrpc-primitives/src/message.rs}):
 * {@code jsonrpc} must be "2.0", {@code method} a string, {@code id} present (any JSON value, kept
 * as the exact text sent so that it is echoed unchanged),
 * {@code params} optional ({@code null} when absent), and no other member. Anything else that is
 * valid JSON (a batch, a notification without id, a response) is answered with nearcore's "JSON
 * RPC Request format was expected" parse error; malformed JSON with serde_json's message ({@link SerdeJsonErrors}).
 */
record JsonRpcRequest(
        @JsonDeserialize(using = RpcParams.Text.class) String jsonrpc,
        @JsonDeserialize(using = RawJson.Deserializer.class) RawJson id,
        @JsonDeserialize(using = RpcParams.Text.class) String method,
        JsonNode params) {
    static final String NOT_A_REQUEST = "JSON RPC Request format was expected";
    /** Strict where nearcore is: an unknown member makes the body "not a request". Trailing input is checked below. */
    private static final ObjectReader READER = JsonCodec.requestReader(JsonRpcRequest.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    JsonRpcRequest {
        // An absent id stays null, a JSON null id is RawJson.NULL: only the first is a notification.
        if (!"2.0".equals(jsonrpc) || method == null || id == null) {
            throw RpcException.parseError(NOT_A_REQUEST);
        }
        if (params == null) {
            params = NullNode.getInstance();
        }
    }

    static JsonRpcRequest parse(byte[] body) {
        if (!JsonCodec.isUtf8(body)) {
            // serde_json refuses what Jackson would decode leniently (the overlong C0 AF as '/')
            throw malformed(body, null);
        }
        try (JsonParser parser = JsonCodec.MAPPER.createParser(body)) {
            if (parser.nextToken() == null) {
                throw malformed(body, null); // nothing but whitespace
            }
            JsonRpcRequest request = READER.withAttribute(RawJson.SOURCE, body).readValue(parser);
            if (JsonCodec.hasTrailing(parser)) {
                throw RpcException.parseError(JsonCodec.trailingCharacters(parser));
            }
            if (request == null) {
                throw RpcException.parseError(NOT_A_REQUEST); // the body was JSON null
            }
            return request;
        } catch (StreamReadException e) {
            throw malformed(body, e);
        } catch (StreamConstraintsException e) {
            throw malformed(body, null); // nested past serde_json's recursion limit
        } catch (DatabindException e) {
            // Malformed JSON inside a member (params) arrives wrapped; serde reads the whole body before it looks
            // at the members, so a syntax error anywhere comes first. Else it is valid JSON that is not a request.
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof StreamReadException refused) {
                    throw malformed(body, refused);
                }
            }
            String syntax = SerdeJsonErrors.syntaxError(body);
            throw RpcException.parseError(syntax != null ? syntax : NOT_A_REQUEST);
        } catch (IOException e) {
            throw RpcException.parseError("the request body could not be read");
        }
    }

    /**
     * A body Jackson refused, answered with serde_json's words as nearcore's server parses it into its untagged
     * {@code Message}: a duplicate member of the request object is no syntax error there but a body that matches no
     * request ({@code Request} denies it, {@code UnmatchedSub(Value)} keeps the last).
     */
    private static RpcException malformed(byte[] body, StreamReadException refused) {
        long at = refused == null || refused.getLocation() == null
                ? -1
                : refused.getLocation().getByteOffset();
        SerdeJsonErrors.Refusal refusal = SerdeJsonErrors.refusal(body, at);
        return RpcException.parseError(refusal.duplicateDepth() == 1 ? NOT_A_REQUEST : refusal.message());
    }
}

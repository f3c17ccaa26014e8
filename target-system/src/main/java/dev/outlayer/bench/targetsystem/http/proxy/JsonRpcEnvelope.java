package dev.outlayer.bench.targetsystem.http.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.json.SerdeJsonErrors;
import java.io.IOException;

/**
 * What the proxy needs of a JSON-RPC request before forwarding its bytes unchanged: is it one
 * well-formed JSON-RPC 2.0 call, and its {@code id} for the proxy's own answers. One streaming
 * pass over the body builds no tree: {@code params} and unknown members are skipped token by
 * token (still checked for well-formedness and duplicate keys), strings are never decoded but
 * {@code jsonrpc} and {@code method}. Refused as nearcore refuses: malformed JSON, anything after
 * the object, a duplicate key.
 *
 * @param id      the id exactly as sent; {@link RawJson#NULL} when absent or the body is not JSON
 * @param code    0 for a valid call, else {@link JsonRpcError#PARSE_ERROR} or {@link JsonRpcError#INVALID_REQUEST}
 * @param problem why the body was refused (null when valid)
 */
record JsonRpcEnvelope(RawJson id, int code, String problem) {
    /**
     * Not the target system's serde limits: the proxy forwards what the node judges (its recursion limit
     * included), so its scan keeps only a guard against nesting that would cost it heap.
     */
    private static final JsonFactory FACTORY = JsonCodec.MAPPER
            .getFactory()
            .copy()
            .setStreamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(256).build());

    boolean valid() {
        return code == 0;
    }

    static JsonRpcEnvelope scan(byte[] body) {
        RawJson id = RawJson.NULL;
        String invalid = null;
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return parseError("Parse error: " + SerdeJsonErrors.syntaxError(body)); // only whitespace
            }
            if (first != JsonToken.START_OBJECT) {
                invalid = first == JsonToken.START_ARRAY
                        ? "batch requests are not supported; send one JSON-RPC object per request"
                        : "expected a JSON object";
                parser.skipChildren();
            } else {
                boolean version = false;
                boolean method = false;
                String name;
                while ((name = parser.nextFieldName()) != null) {
                    JsonToken value = parser.nextToken();
                    switch (name) {
                        case "jsonrpc" -> version = value == JsonToken.VALUE_STRING && "2.0".equals(parser.getText());
                        case "method" -> method = value == JsonToken.VALUE_STRING && parser.getTextLength() > 0;
                        case "id" -> {
                            id = RawJson.at(parser, body);
                            if (value.isStructStart()) {
                                invalid = "\"id\" must be a string, a number or null";
                            }
                        }
                        case "params" -> {
                            if (!value.isStructStart() && value != JsonToken.VALUE_NULL) {
                                invalid = "\"params\" must be an object or an array";
                            }
                            parser.skipChildren();
                        }
                        default -> parser.skipChildren();
                    }
                }
                if (!version) {
                    invalid = "\"jsonrpc\" must be \"2.0\"";
                } else if (!method) {
                    invalid = "\"method\" must be a non-empty string";
                }
            }
            if (JsonCodec.hasTrailing(parser)) {
                return parseError("Parse error: " + JsonCodec.trailingCharacters(parser));
            }
        } catch (StreamReadException e) {
            // Jackson's words name Java features: serde_json's are what a NEAR client reads. Error path only.
            long at = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            return parseError(
                    "Parse error: " + SerdeJsonErrors.refusal(body, at).message());
        } catch (IOException e) {
            return parseError("Parse error: the body could not be read");
        }
        return invalid == null
                ? new JsonRpcEnvelope(id, 0, null)
                : new JsonRpcEnvelope(id, JsonRpcError.INVALID_REQUEST, "Invalid request: " + invalid);
    }

    /** As nearcore answers a body it cannot parse: with a null id, whatever id it may have read. */
    private static JsonRpcEnvelope parseError(String problem) {
        return new JsonRpcEnvelope(RawJson.NULL, JsonRpcError.PARSE_ERROR, problem);
    }
}

package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.util.AccessPattern;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Binds a method's params into a record as nearcore's serde reads them, with its error texts: every
 * failure is a PARSE_ERROR "Failed parsing args: ...". Records validate in their constructors and
 * throw {@link RpcException}; Jackson's own failures are rewritten so that no Java name reaches
 * the client.
 */
final class RpcParams {
    private RpcParams() {}

    static <T> T read(JsonNode params, Class<T> type) {
        try {
            return JsonCodec.MAPPER.treeToValue(params, type);
        } catch (InvalidTypeIdException e) {
            throw unknownVariant(e.getBaseType().getRawClass(), e.getTypeId());
        } catch (JsonProcessingException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof RpcException answer) {
                    throw answer;
                }
            }
            throw RpcException.badParams(
                    "invalid value" + (e instanceof JsonMappingException mapping ? where(mapping) : ""));
        }
    }

    /** serde's texts for an internally tagged enum whose tag is missing or names no variant. */
    private static RpcException unknownVariant(Class<?> type, String tag) {
        JsonTypeInfo info = type.getAnnotation(JsonTypeInfo.class);
        if (tag == null) {
            return RpcException.badParams("missing field `" + info.property() + "`");
        }
        String variants = Arrays.stream(type.getAnnotation(JsonSubTypes.class).value())
                .map(variant -> "`" + variant.name() + "`")
                .collect(Collectors.joining(", "));
        return RpcException.badParams("unknown variant `" + tag + "`, expected one of " + variants);
    }

    private static String where(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "" : " for `" + path + "`";
    }

    /** A required member: absent (or bound as null) is serde's "missing field". */
    static String required(String value, String field) {
        if (value == null) {
            throw RpcException.badParams("missing field `" + field + "`");
        }
        return value;
    }

    /** A required account id, valid by NEAR's rules (nearcore checks while deserialising). */
    static String accountId(String id) {
        required(id, "account_id");
        String problem = AccountIds.problem(id);
        if (problem != null) {
            throw RpcException.badParams("invalid value: \"" + id + "\", " + problem);
        }
        return id;
    }

    /** A serde_with {@code Base64} field: serde passes the crate's error text on as it is. */
    static byte[] base64(String text, String field) {
        required(text, field);
        try {
            return StandardBase64.decode(text, StandardBase64.Padding.INDIFFERENT);
        } catch (StandardBase64.InvalidBase64 e) {
            throw RpcException.badParams(e.getMessage());
        }
    }

    /** serde's description of an unexpected value: {@code integer `5`}, {@code sequence}, {@code map}... */
    static String describe(JsonNode node) {
        return describe(node.asToken(), node.asText());
    }

    private static String describe(JsonToken token, String text) {
        return switch (token) {
            case START_ARRAY -> "sequence";
            case START_OBJECT -> "map";
            case VALUE_NUMBER_INT -> "integer `" + text + "`";
            case VALUE_NUMBER_FLOAT -> "floating point `" + text + "`";
            case VALUE_TRUE, VALUE_FALSE -> "boolean `" + text + "`";
            case VALUE_STRING -> "string \"" + text + "\"";
            default -> "null";
        };
    }

    /**
     * A string member as serde reads one: only a JSON string will do (Jackson alone would read
     * {@code 5} as "5"), and {@code null} is a wrong type, not an absent member.
     */
    static final class Text extends StdDeserializer<String> {
        Text() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
            String text = parser.currentToken().isScalarValue() ? parser.getText() : "";
            throw RpcException.badParams(
                    "invalid type: " + describe(parser.currentToken(), text) + ", expected a string");
        }

        /** Asked per null, not once: the answer to a null is an error. */
        @Override
        public AccessPattern getNullAccessPattern() {
            return AccessPattern.DYNAMIC;
        }

        @Override
        public String getNullValue(DeserializationContext context) {
            throw RpcException.badParams("invalid type: null, expected a string");
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
        }
    }
}

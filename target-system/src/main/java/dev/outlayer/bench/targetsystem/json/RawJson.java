package dev.outlayer.bench.targetsystem.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One JSON value kept as the exact text the client sent, written back unchanged. A JSON-RPC
 * {@code id} is echoed this way: read as a number or a tree, {@code 1e999999999} would come back
 * as {@code Infinity}, a big integer rounded, an escaped string re-escaped. Also a value as serde_json
 * wrote it ({@link #written}), which Jackson would write in another order and with other numbers.
 */
public final class RawJson implements JsonSerializable {
    /** JSON {@code null}, for an answer whose request id could not be read. */
    public static final RawJson NULL = new RawJson("null");

    /**
     * The attribute under which a reader passes the body it parses to {@link Deserializer}:
     * {@code reader.withAttribute(RawJson.SOURCE, body)}.
     */
    public static final Object SOURCE = RawJson.class;

    private final String text;

    private RawJson(String text) {
        this.text = text;
    }

    /**
     * JSON text this system wrote itself ({@link SerdeJsonText#raw}, kept in a column and read back), written out
     * unchanged. Not for text from outside: nothing checks it.
     */
    public static RawJson written(String text) {
        return new RawJson(text);
    }

    /**
     * The value at the parser's current token, which must be the first token of a value, read from
     * {@code source} (the bytes the parser reads); leaves the parser on the value's last token.
     */
    public static RawJson at(JsonParser parser, byte[] source) throws IOException {
        return at(parser, source, false);
    }

    /** {@link #at}; {@code inRange}: a number in the value beyond f64 is refused, as serde_json parses one. */
    private static RawJson at(JsonParser parser, byte[] source, boolean inRange) throws IOException {
        JsonToken token = parser.currentToken();
        int start = (int) parser.currentTokenLocation().getByteOffset();
        if (token == JsonToken.VALUE_NULL) {
            return NULL;
        }
        int end;
        if (token.isStructStart()) {
            if (inRange) {
                skipRequiringNumbersInRange(parser);
            } else {
                parser.skipChildren();
            }
            end = (int) parser.currentTokenLocation().getByteOffset() + 1;
        } else {
            if (inRange) {
                FiniteNodes.requireInRange(parser);
            }
            // Jackson reads a string's content lazily: make it check the whole literal (an unterminated
            // or badly escaped one throws here) before its extent is looked up.
            parser.finishToken();
            end = scalarEnd(source, start, token);
        }
        return new RawJson(new String(source, start, end - start, StandardCharsets.UTF_8));
    }

    /** {@code skipChildren}, looking at each number on the way. */
    private static void skipRequiringNumbersInRange(JsonParser parser) throws IOException {
        int open = 1;
        while (open > 0) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return; // the parser has refused the unterminated value already
            }
            if (token.isStructStart()) {
                open++;
            } else if (token.isStructEnd()) {
                open--;
            } else {
                FiniteNodes.requireInRange(parser);
            }
        }
    }

    /** Where a scalar the parser has accepted ends: after its closing quote, or after its last character. */
    private static int scalarEnd(byte[] source, int start, JsonToken token) {
        int i = start + 1;
        if (token == JsonToken.VALUE_STRING) {
            while (i < source.length && source[i] != '"') {
                i += source[i] == '\\' ? 2 : 1;
            }
            return i + 1;
        }
        // A number or true/false: ends at the first byte that cannot continue it.
        while (i < source.length && isScalarByte(source[i])) {
            i++;
        }
        return i;
    }

    private static boolean isScalarByte(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || b == '.' || b == '-' || b == '+' || b == 'E';
    }

    /** The JSON text, as sent. */
    public String text() {
        return text;
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider serializers) throws IOException {
        generator.writeRawValue(text);
    }

    @Override
    public void serializeWithType(JsonGenerator generator, SerializerProvider serializers, TypeSerializer typeSer)
            throws IOException {
        serialize(generator, serializers);
    }

    /**
     * Binds a record component to the exact text of its value, from the body given as the reader's
     * {@link #SOURCE} attribute. A JSON {@code null} is {@link #NULL}; an absent member stays null. A number
     * in it beyond f64 is refused ({@link FiniteNodes}): nearcore reads the id as a serde_json Value.
     */
    public static final class Deserializer extends JsonDeserializer<RawJson> {
        @Override
        public RawJson deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!(context.getAttribute(SOURCE) instanceof byte[] source)) {
                throw new IllegalStateException("RawJson needs the body as the reader's SOURCE attribute");
            }
            return at(parser, source, true);
        }

        @Override
        public RawJson getNullValue(DeserializationContext context) {
            return NULL;
        }

        @Override
        public RawJson getAbsentValue(DeserializationContext context) {
            return null;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawJson raw && raw.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}

package dev.outlayer.bench.targetsystem.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A {@code byte[]} as serde writes and reads a {@code Vec<u8>}: a JSON array of numbers 0 to 255, where
 * Jackson's default is a base64 string. Reading refuses what serde refuses: a string, a number out of a u8's
 * range, a decimal, anything but an array of integers. Put on a record component with {@code
 * @JsonSerialize(using = SerdeBytes.Writer.class) @JsonDeserialize(using = SerdeBytes.Reader.class)}.
 */
public final class SerdeBytes {
    private SerdeBytes() {}

    public static final class Writer extends JsonSerializer<byte[]> {
        @Override
        public void serialize(byte[] value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeStartArray(value, value.length);
            for (byte b : value) {
                gen.writeNumber(b & 0xFF);
            }
            gen.writeEndArray();
        }
    }

    public static final class Reader extends JsonDeserializer<byte[]> {
        @Override
        public byte[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartArrayToken()) {
                return (byte[]) ctxt.handleUnexpectedToken(byte[].class, p);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t != JsonToken.VALUE_NUMBER_INT
                        || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || p.getLongValue() < 0
                        || p.getLongValue() > 255) {
                    return (byte[])
                            ctxt.reportInputMismatch(byte[].class, "each byte must be an integer from 0 to 255");
                }
                bytes.write(p.getIntValue());
            }
            return bytes.toByteArray();
        }
    }
}

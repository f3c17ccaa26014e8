package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;

/**
 * nearcore's error enums as serde writes them to JSON: a unit variant is its bare name, any other
 * {@code {"Variant": {fields}}}; balances (u128, {@code BigInteger} here) are decimal strings
 * (dec_format), u64s ({@code Long}) unsigned numbers, nested enums ({@code Map}) objects.
 *
 * <p>The views' enums are records in serde's externally tagged form: the enum an interface annotated
 * {@code @JsonTypeInfo(use = NAME, include = WRAPPER_OBJECT)}, each variant with fields a record named by
 * {@code @JsonTypeName} ({@code {"Variant": {fields}}}), a newtype variant a record whose one component
 * is its {@code @JsonValue} ({@code {"Variant": value}}), and the unit variants an enum implementing
 * {@link UnitVariant} (the bare name).
 */
final class SerdeJson {
    private SerdeJson() {}

    /**
     * A unit variant of an externally tagged enum: serde writes its bare name, where Jackson's wrapper
     * object would write {@code {"<enum class>": "<name>"}}; so the type wrapper is left out.
     */
    interface UnitVariant extends JsonSerializable {
        String name();

        @Override
        default void serialize(JsonGenerator generator, SerializerProvider serializers) throws IOException {
            generator.writeString(name());
        }

        @Override
        default void serializeWithType(JsonGenerator generator, SerializerProvider serializers, TypeSerializer type)
                throws IOException {
            serialize(generator, serializers);
        }
    }

    static JsonNode variant(String name, Map<String, ?> fields) {
        if (fields == null || fields.isEmpty()) {
            return TextNode.valueOf(name);
        }
        ObjectNode variant = JsonCodec.object();
        variant.set(name, value(fields));
        return variant;
    }

    static JsonNode value(Object value) {
        if (value == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (value instanceof BigInteger balance) {
            return TextNode.valueOf(balance.toString());
        }
        if (value instanceof Long || value instanceof Integer) {
            return JsonNodeFactory.instance.numberNode(
                    new BigInteger(Long.toUnsignedString(((Number) value).longValue())));
        }
        if (value instanceof Boolean flag) {
            return JsonNodeFactory.instance.booleanNode(flag);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = JsonCodec.object();
            map.forEach((name, field) -> object.set(String.valueOf(name), value(field)));
            return object;
        }
        return TextNode.valueOf(String.valueOf(value));
    }
}

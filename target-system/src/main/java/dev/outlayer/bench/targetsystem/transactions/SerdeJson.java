package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.math.BigInteger;
import java.util.Map;

/**
 * nearcore's error enums as serde writes them to JSON: a unit variant is its bare name, any other
 * {@code {"Variant": {fields}}}; balances (u128, {@code BigInteger} here) are decimal strings
 * (dec_format), u64s ({@code Long}) unsigned numbers, nested enums ({@code Map}) objects.
 */
final class SerdeJson {
    private SerdeJson() {}

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

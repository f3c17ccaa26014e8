package dev.outlayer.bench.targetsystem.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Doubles as serde_json's f64 reads them: a number that overflows a double ({@code 1e400}) is refused,
 * where Jackson reads it as Infinity; so is the string {@code "NaN"} or {@code "Infinity"}, which Jackson
 * accepts whatever its coercion settings say. Jackson has no setting for either, so the stock
 * deserializer reads the value and this one refuses what is not finite.
 */
final class FiniteDoubles {
    static final SimpleModule MODULE =
            new SimpleModule("finite-doubles").addDeserializer(Double.class, new Finite(Double.class, null));

    private FiniteDoubles() {}

    /** The {@code double} deserializer, which {@link SerdeFields} gives serde's null and missing-member rules. */
    static JsonDeserializer<Double> primitive() {
        return new Finite(double.class, 0.0);
    }

    private static final class Finite extends NumberDeserializers.DoubleDeserializer {
        Finite(Class<Double> type, Double nullValue) {
            super(type, nullValue);
        }

        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            Double value = super.deserialize(parser, context);
            if (value != null && !Double.isFinite(value)) {
                return (Double) context.handleWeirdNumberValue(
                        handledType(), value, "not a finite number (a double holds at most 1.8e308)");
            }
            return value;
        }
    }
}

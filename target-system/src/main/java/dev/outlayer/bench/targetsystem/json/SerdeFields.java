package dev.outlayer.bench.targetsystem.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.util.AccessPattern;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A primitive record component ({@code long}, {@code int}, {@code boolean}, {@code double}) read as
 * serde reads a field that is no {@code Option}: JSON {@code null} is refused ("invalid type: null,
 * expected u64"), and so is a missing member ("missing field `time_ms`") unless the component
 * declares serde's {@code #[serde(default)]} as {@code @JsonProperty(defaultValue = "0")}: then a
 * missing member is that value, but {@code null} is still refused. Jackson alone reads both as 0 or
 * false. A component that may be null is a boxed type ({@code Option<u64>} is {@code Long}); one of
 * our own API whose null means "not given" says so with {@code @JsonSetter(nulls = Nulls.AS_EMPTY)}.
 */
public final class SerdeFields {
    static final SimpleModule MODULE = new SimpleModule("serde-fields")
            .addDeserializer(long.class, new Primitive<>(long.class, NumberDeserializers.find(long.class, "long")))
            .addDeserializer(int.class, new Primitive<>(int.class, NumberDeserializers.find(int.class, "int")))
            .addDeserializer(
                    boolean.class, new Primitive<>(boolean.class, NumberDeserializers.find(boolean.class, "boolean")))
            .addDeserializer(double.class, new Primitive<>(double.class, FiniteDoubles.primitive()));

    private SerdeFields() {}

    /**
     * A reference component of a record that is no {@code Option}: serde refuses a body without it, or with
     * null, as "missing field `member`" (called from the record's compact constructor; the body reader turns
     * it into axum's 422).
     */
    public static <T> T required(T value, String member) {
        if (value == null) {
            throw new IllegalArgumentException("missing field `" + member + "`");
        }
        return value;
    }

    /**
     * A {@code #[serde(rename_all = "lowercase")]} enum of unit variants as serde reads it: {@code
     * @JsonDeserialize(using = SerdeFields.LowercaseVariant.class)} on the enum. A string that spells no variant is
     * refused in serde's words ("unknown variant `rsa`, expected `ed25519` or `secp256k1`"), which the body reader
     * passes on; a value that is no string is a type error (Jackson alone would read {@code 1} as the string "1").
     */
    public static final class LowercaseVariant extends StdDeserializer<Enum<?>> implements ContextualDeserializer {
        private final Class<?> type;

        public LowercaseVariant() {
            this(null);
        }

        private LowercaseVariant(Class<?> type) {
            super(Enum.class);
            this.type = type;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
            JavaType contextual = context.getContextualType();
            return new LowercaseVariant(
                    contextual != null
                            ? contextual.getRawClass()
                            : property.getType().getRawClass());
        }

        @Override
        public Enum<?> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Enum<?>) context.handleUnexpectedToken(type, parser);
            }
            String spelled = parser.getText();
            List<String> spellings = new ArrayList<>();
            for (Object constant : type.getEnumConstants()) {
                String spelling = ((Enum<?>) constant).name().toLowerCase(Locale.ROOT);
                if (spelling.equals(spelled)) {
                    return (Enum<?>) constant;
                }
                spellings.add(spelling);
            }
            return (Enum<?>) context.handleInstantiationProblem(
                    type,
                    spelled,
                    new IllegalArgumentException("unknown variant `" + spelled + "`, expected " + oneOf(spellings)));
        }
    }

    /**
     * serde's {@code #[serde(deny_unknown_fields)]} for a record read through a {@code @JsonCreator} that gathers
     * the members it does not declare ({@code @JsonAnySetter}): the first of them, in the order written, is refused
     * in serde's words ("unknown field `valut`, expected one of `path`, `type`, ..."), the record's members by their
     * JSON names in declared order.
     */
    public static void denyUnknown(Map<String, ?> unknown, Class<? extends Record> type) {
        if (unknown == null || unknown.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (RecordComponent component : type.getRecordComponents()) {
            JsonProperty renamed = component.getAnnotation(JsonProperty.class);
            names.add(renamed == null || renamed.value().isEmpty() ? component.getName() : renamed.value());
        }
        throw new IllegalArgumentException(
                "unknown field `" + unknown.keySet().iterator().next() + "`, expected " + oneOf(names));
    }

    /**
     * serde's list of what it expected ({@code OneOf}): "`a`", "`a` or `b`", "one of `a`, `b`, `c`"; its unknown
     * field and unknown variant refusals end with it.
     */
    public static String oneOf(List<String> names) {
        return switch (names.size()) {
            case 0 -> "nothing";
            case 1 -> "`" + names.get(0) + "`";
            case 2 -> "`" + names.get(0) + "` or `" + names.get(1) + "`";
            default ->
                "one of "
                        + String.join(
                                ", ", names.stream().map(n -> "`" + n + "`").toList());
        };
    }

    /**
     * A reference component that is serde's {@code #[serde(default)]} field of a type that is no {@code Option} (a
     * {@code Vec}, an enum): {@code @JsonDeserialize(using = SerdeFields.Defaulted.class)}. A missing member is read
     * as null, for the record's compact constructor to put the default in; JSON {@code null} is refused as serde
     * refuses it ("'project_ids' must be an array, not null"). ({@code @JsonSetter(nulls = Nulls.FAIL)} cannot tell
     * the two apart on a record: Jackson reads a missing creator property as null too.) The value itself is read
     * by the type's own deserializer. A required member that must not be null either ({@code String}, not {@code
     * Option<String>}) uses it too, its constructor calling {@link #required}: absent is serde's "missing field",
     * null is refused as a null.
     */
    public static final class Defaulted extends StdDeserializer<Object> implements ContextualDeserializer {
        private final JsonDeserializer<Object> standard;
        private final PropertyName name;
        private final JavaType type;

        public Defaulted() {
            this(null, null, null);
        }

        private Defaulted(JsonDeserializer<Object> standard, PropertyName name, JavaType type) {
            super(Object.class);
            this.standard = standard;
            this.name = name;
            this.type = type;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
                throws JsonMappingException {
            if (property == null) {
                throw JsonMappingException.from(context, "SerdeFields.Defaulted is for a record component");
            }
            JavaType declared = property.getType();
            return new Defaulted(
                    context.findContextualValueDeserializer(declared, property), property.getFullName(), declared);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return standard.deserialize(parser, context);
        }

        @Override
        public AccessPattern getNullAccessPattern() {
            return AccessPattern.DYNAMIC;
        }

        @Override
        public Object getNullValue(DeserializationContext context) throws JsonMappingException {
            throw InvalidNullException.from(context, name, type);
        }

        /** Left out: null, which the record's constructor replaces with serde's default. */
        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
        }
    }

    /**
     * serde's {@code Error::custom}: a member's own deserializer refusing what it read (a {@code deserialize_with}
     * that judges the value), in its own words and where the member stands in the document.
     */
    public static final class Custom extends JsonMappingException {
        public Custom(JsonParser parser, String message) {
            super(parser, message);
        }
    }

    /** A required member that is absent: serde's "missing field". Its path names the member. */
    public static final class MissingField extends MismatchedInputException {
        MissingField(JsonParser parser, JavaType type) {
            super(parser, "missing field", type);
        }
    }

    private static final class Primitive<T> extends StdDeserializer<T> implements ContextualDeserializer {
        private final Class<T> type;
        private final JsonDeserializer<?> standard;
        private final PropertyName name;
        /** {@code #[serde(default)]}'s value, or null when the member is required. */
        private final T absent;

        Primitive(Class<T> type, JsonDeserializer<?> standard) {
            this(type, standard, null, null);
        }

        private Primitive(Class<T> type, JsonDeserializer<?> standard, PropertyName name, T absent) {
            super(type);
            this.type = type;
            this.standard = standard;
            this.name = name;
            this.absent = absent;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
                throws JsonMappingException {
            if (property == null) {
                return this;
            }
            String declared = property.getMetadata().getDefaultValue();
            return new Primitive<>(type, standard, property.getFullName(), declared == null ? null : parse(declared));
        }

        @SuppressWarnings("unchecked")
        private T parse(String declared) {
            Object value;
            if (type == long.class) {
                value = Long.valueOf(declared);
            } else if (type == int.class) {
                value = Integer.valueOf(declared);
            } else if (type == double.class) {
                value = Double.valueOf(declared);
            } else if (declared.equals("true") || declared.equals("false")) {
                value = Boolean.valueOf(declared);
            } else {
                throw new IllegalArgumentException("a boolean's defaultValue is \"true\" or \"false\": " + declared);
            }
            return (T) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return (T) standard.deserialize(parser, context);
        }

        /** Asked per null, not once: the answer to a null is an error. */
        @Override
        public AccessPattern getNullAccessPattern() {
            return AccessPattern.DYNAMIC;
        }

        @Override
        public T getNullValue(DeserializationContext context) throws JsonMappingException {
            throw InvalidNullException.from(context, name, context.constructType(type));
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) throws JsonMappingException {
            if (absent != null) {
                return absent;
            }
            throw new MissingField(context.getParser(), context.constructType(type));
        }

        /** What {@code @JsonSetter(nulls = Nulls.AS_EMPTY)} reads a null (or a missing member) as: 0 or false. */
        @Override
        public Object getEmptyValue(DeserializationContext context) throws JsonMappingException {
            return standard.getEmptyValue(context);
        }
    }
}

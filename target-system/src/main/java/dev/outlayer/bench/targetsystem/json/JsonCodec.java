package dev.outlayer.bench.targetsystem.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one ObjectMapper of the target system, and reading JSON into records with errors a client
 * can act on. Strict where a JSON-RPC server is: a duplicate key or anything after the top-level
 * value is an error; unknown fields are ignored so that newer clients keep working.
 *
 * <p>Typed as serde_json types (OutLayer and nearcore read with it): a value of another JSON type
 * is refused, never converted. Jackson's lenient defaults are off: a decimal for an integer (1.9
 * would be 1), a number or a string for true/false, a number or true/false for a string, a string
 * for a number, an empty or blank string (every character up to U+0020 counts as blank) for a
 * number as "not given", a number too large for a double read as Infinity. An integer for a double
 * stays accepted, as serde's f64 does. Places that take a value in two shapes (a u128 as a string
 * or a number, a block id as a height or a hash) bind a {@code JsonNode} and decide themselves.
 *
 * <p>Fields as serde's derive reads them ({@link SerdeFields}): a primitive component is a field that
 * is no {@code Option}, so {@code null} or a missing member is refused where Jackson read 0 or false,
 * unless it declares serde's default. Bodies as serde_json parses them: the 128th nested level is
 * refused, and so is a number beyond f64 in free-form JSON ({@link FiniteNodes}), both in serde_json's
 * words.
 */
public final class JsonCodec {
    public static final ObjectMapper MAPPER = typed().configure(
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .addModule(SerdeFields.MODULE)
            .build();

    /**
     * Reads back what the target system stored itself (its PostgreSQL rows): typed as {@link #MAPPER}, but
     * a primitive member that is null or absent reads as 0 or false, as a row written before the member
     * existed needs. Requests are read as serde reads them; a stored row is not a request.
     */
    public static final ObjectMapper STORED = typed().build();

    /** The settings both mappers share: strict types, no lenient coercions, finite doubles. */
    private static JsonMapper.Builder typed() {
        return JsonMapper.builder()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true)
                .configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false)
                .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false)
                .withCoercionConfigDefaults(config -> config.setAcceptBlankAsEmpty(false)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Textual,
                        config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .addModule(FiniteDoubles.MODULE);
    }

    /**
     * serde_json's recursion limit: its {@code remaining_depth} starts at 128 and is decremented before each
     * {@code [} or <code>{</code> is entered, refusing at 0, so 127 levels are read and the 128th is refused.
     */
    private static final int MAX_NESTING_DEPTH = 127;

    static {
        // Deeply nested input is refused by the parser before it can cost stack or heap, where serde_json refuses it.
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build());
    }

    /** Per record type, the reader of request bodies: its trees hold only numbers serde_json reads. */
    private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return MAPPER.readerFor(type).with(FiniteNodes.INSTANCE);
        }
    };

    private JsonCodec() {}

    /**
     * The reader {@link #read} binds {@code type} with: free-form JSON in it ({@code JsonNode}) refuses a number
     * beyond f64 as serde_json does. For a reader that handles its own errors (the JSON-RPC emulator's).
     */
    public static ObjectReader requestReader(Class<?> type) {
        return READERS.get(type);
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(Object value) {
        return bytes(MAPPER, value);
    }

    static byte[] bytes(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads {@code json} into {@code type} (a record, usually). Every failure is an
     * {@link ApiException} of kind INVALID whose message names the field and what was expected;
     * Jackson's own text, which quotes input and class names, never reaches the client.
     * Validation in a record's compact constructor may throw {@link ApiException} or
     * {@link IllegalArgumentException}: its message is passed on as written.
     */
    public static <T> T read(byte[] json, Class<T> type) {
        if (json.length == 0) {
            throw ApiException.invalid("the request body is empty; a JSON object is expected");
        }
        requireUtf8(json);
        if (mayHoldSurrogateEscape(json)) {
            // Jackson takes an escaped lone surrogate into a string no UTF-8 or PostgreSQL text can hold; serde refuses
            // it
            String refused = SerdeJsonErrors.syntaxError(json);
            if (refused != null) {
                throw ApiException.invalid("the request body is not valid JSON: " + refused);
            }
        }
        try {
            T value = READERS.get(type).readValue(json);
            if (value == null) {
                throw ApiException.invalid("the request body is JSON null; a JSON object is expected");
            }
            return value;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ApiException api) {
                throw api;
            }
            if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
                throw ApiException.invalid(cause.getMessage());
            }
            throw ApiException.invalid(where(e) + "has an invalid value");
        } catch (SerdeFields.Custom e) {
            throw ApiException.invalid(e.getOriginalMessage());
        } catch (InvalidFormatException e) {
            throw ApiException.invalid(where(e) + "must be " + describe(e.getTargetType()));
        } catch (InvalidNullException e) {
            throw ApiException.invalid(where(e) + "must be " + describe(e.getTargetType()) + ", not null");
        } catch (SerdeFields.MissingField e) {
            throw ApiException.invalid(where(e) + "is required: " + describe(e.getTargetType()));
        } catch (MismatchedInputException e) {
            throw ApiException.invalid(where(e) + "must be " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            refuseAsSerdeJson(json, e);
            throw ApiException.invalid(where(e) + "has an invalid value");
        } catch (FiniteNodes.OutOfRange e) {
            refuseAsSerdeJson(json, e);
            throw ApiException.invalid("the request body is not valid JSON: number out of range");
        } catch (JsonProcessingException e) {
            refuseAsSerdeJson(json, e);
            var location = e.getLocation();
            throw ApiException.invalid(
                    location == null
                            ? "the request body is not valid JSON"
                            : "the request body is not valid JSON (line " + location.getLineNr() + ", column "
                                    + location.getColumnNr() + ")");
        } catch (IOException e) {
            throw ApiException.invalid("the request body cannot be read as JSON");
        }
    }

    /**
     * A body refused for what serde_json refuses while it parses (nesting past its recursion limit, a number beyond
     * f64) is answered in its words and at its position: the body is scanned again, on this error path only.
     */
    private static void refuseAsSerdeJson(byte[] json, Throwable refused) {
        for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamConstraintsException || cause instanceof FiniteNodes.OutOfRange) {
                String serde = SerdeJsonErrors.syntaxError(json);
                if (serde != null) {
                    throw ApiException.invalid("the request body is not valid JSON: " + serde);
                }
                return;
            }
        }
    }

    /**
     * JSON is UTF-8 (RFC 8259), and serde_json refuses anything else. Jackson decodes some invalid
     * sequences instead: the overlong {@code C0 AF} becomes '/', a character no check on the text saw.
     */
    private static void requireUtf8(byte[] json) {
        if (!isUtf8(json)) {
            throw ApiException.invalid("the request body is not valid UTF-8");
        }
    }

    /** Whether the body has an escape of a UTF-16 surrogate (D800-DFFF) somewhere: most have none (one pass, no parse). */
    static boolean mayHoldSurrogateEscape(byte[] json) {
        for (int i = 0; i + 3 < json.length; i++) {
            if (json[i] == '\\'
                    && json[i + 1] == 'u'
                    && (json[i + 2] == 'd' || json[i + 2] == 'D')
                    && "89abcdefABCDEF".indexOf(json[i + 3]) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code bytes} are well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF). */
    public static boolean isUtf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0) {
            i++; // ASCII, as most request bodies are whole: no decoder needed
        }
        if (i == bytes.length) {
            return true;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer scratch = CharBuffer.allocate(Math.max(1, Math.min(bytes.length, 1024))); // checked, not kept
        CoderResult result;
        do {
            scratch.clear();
            result = decoder.decode(in, scratch, true);
        } while (result.isOverflow());
        return !result.isError();
    }

    /**
     * Whether anything but whitespace follows the value the parser has just read: another value
     * or bytes that are no JSON at all (serde_json, and so nearcore, refuses both alike).
     */
    public static boolean hasTrailing(JsonParser parser) throws IOException {
        try {
            return parser.nextToken() != null;
        } catch (StreamReadException e) {
            return true;
        }
    }

    /** serde_json's words for {@link #hasTrailing}, with where the trailing input starts. */
    public static String trailingCharacters(JsonParser parser) {
        JsonLocation at = parser.currentTokenLocation();
        return "trailing characters at line " + at.getLineNr() + " column " + at.getColumnNr();
    }

    /** {@code "'a.b[2]' "}, or {@code "the body "} at the top level. */
    private static String where(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "the body " : "'" + path + "' ";
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class || type.isEnum()) {
            return type.isEnum() ? "one of " + java.util.Arrays.toString(type.getEnumConstants()) : "a string";
        }
        if (type == int.class
                || type == Integer.class
                || type == long.class
                || type == Long.class
                || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == byte[].class) {
            return "an array of bytes (integers from 0 to 255)"; // serde's Vec<u8> (SerdeBytes)
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a valid " + type.getSimpleName();
    }
}

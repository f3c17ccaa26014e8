package dev.outlayer.bench.targetsystem.http.keystore;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.json.SerdeFields;
import dev.outlayer.bench.targetsystem.json.SerdeJsonErrors;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How OutLayer's keystore reads a {@code /decrypt} body that names declared keys (api.rs {@code body_shape},
 * {@code SigningKeyRequest}, {@code EncryptionKeyRequest}): which of the two requests a body is, decided on its
 * bytes before either is parsed, and the key entries in serde's words.
 */
final class DeclaredKeyEntries {
    private static final String SIGNING = "signing_keys";
    private static final String ENCRYPTION = "encryption_keys";
    private static final String TASK_KEY = "task_key";
    private static final List<String> SIGNING_FIELDS = List.of("path", "type", "bind", "caller", "vault");
    private static final List<String> ENCRYPTION_FIELDS = List.of("path", "bind", "caller", "vault");

    private DeclaredKeyEntries() {}

    /**
     * The request a {@code /decrypt} body is: {@link KeystoreRequests.KeyedDecrypt} when it is a JSON object with
     * a {@code signing_keys} or {@code encryption_keys} member other than {@code null} or {@code []}, or a {@code
     * task_key} member other than {@code null} or {@code false}; else {@link KeystoreRequests.Decrypt}, read and
     * refused exactly as before. An object naming any of the three twice is neither (a duplicate is read differently by different readers): 422, before any parser reads it.
     */
    static Class<?> shapeOf(byte[] body) {
        Set<String> seen = new HashSet<>();
        boolean keyed = false;
        try (JsonParser parser = JsonCodec.MAPPER.getFactory().createParser(body)) {
            // Duplicates are this probe's to judge (only of its two members), not the parser's.
            parser.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return KeystoreRequests.Decrypt.class;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(SIGNING) || name.equals(ENCRYPTION)) {
                    if (!seen.add(name)) {
                        throw ambiguous(body, name);
                    }
                    keyed |= namesKeys(parser, value);
                } else if (name.equals(TASK_KEY)) {
                    if (!seen.add(name)) {
                        throw ambiguous(body, name);
                    }
                    keyed |= value != JsonToken.VALUE_NULL && value != JsonToken.VALUE_FALSE;
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            // Not JSON, or a duplicate of another member (Jackson's strict reading): the secrets request's
            // reader refuses it as it always did.
            return KeystoreRequests.Decrypt.class;
        }
        return keyed ? KeystoreRequests.KeyedDecrypt.class : KeystoreRequests.Decrypt.class;
    }

    /** Absent, {@code null} or {@code []} names no key; anything else does (and the keyed reader judges it). */
    private static boolean namesKeys(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return false;
        }
        if (value == JsonToken.START_ARRAY) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.END_ARRAY) {
                return false;
            }
            parser.skipChildren();
            // skip the rest of the array
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                parser.skipChildren();
            }
            return true;
        }
        return true;
    }

    private static ApiException ambiguous(byte[] body, String name) {
        SerdeJsonErrors.Refusal refusal = SerdeJsonErrors.refusal(body, -1);
        String reason = refusal.duplicateDepth() == 1 && refusal.message().startsWith("duplicate field `" + name + "`")
                ? refusal.message()
                : "duplicate field `" + name + "`";
        return new ApiException(
                ApiException.Kind.UNPROCESSABLE,
                "the request body cannot be read as either a secrets request or a keyed request: " + reason
                        + ". A body names each of `signing_keys`, `encryption_keys` and `task_key` at most once.");
    }

    /** {@code task_key} as serde reads OutLayer's {@code null_as_false} bool: absent or {@code null} is false. */
    static boolean flag(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("invalid type: " + describe(value) + ", expected a boolean");
        }
        return value.asBoolean();
    }

    /**
     * A family's entries as serde reads OutLayer's {@code Vec<SigningKeyRequest>} / {@code
     * Vec<EncryptionKeyRequest>} ({@code deny_unknown_fields}; an encryption key has no {@code type}): absent or
     * {@code null} is none; what does not fit throws {@link IllegalArgumentException} in serde's words.
     */
    static List<DeclaredKeys.Declared> read(JsonNode entries, DeclaredKeys.Family family) {
        if (entries == null || entries.isNull()) {
            return List.of();
        }
        if (!entries.isArray()) {
            throw new IllegalArgumentException("invalid type: " + describe(entries) + ", expected a sequence");
        }
        List<String> fields = family == DeclaredKeys.Family.SIGNING ? SIGNING_FIELDS : ENCRYPTION_FIELDS;
        String struct = family == DeclaredKeys.Family.SIGNING ? "SigningKeyRequest" : "EncryptionKeyRequest";
        List<DeclaredKeys.Declared> out = new ArrayList<>();
        for (JsonNode entry : entries) {
            if (!entry.isObject()) {
                throw new IllegalArgumentException("invalid type: " + describe(entry) + ", expected struct " + struct);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = entry.fields(); it.hasNext(); ) {
                String name = it.next().getKey();
                if (!fields.contains(name)) {
                    throw new IllegalArgumentException(
                            "unknown field `" + name + "`, expected " + SerdeFields.oneOf(fields));
                }
            }
            String path = text(entry, "path", true);
            DeclaredKeys.KeyType type = family == DeclaredKeys.Family.SIGNING
                    ? variant(entry, "type", true, DeclaredKeys.KeyType.class, null)
                    : null;
            out.add(new DeclaredKeys.Declared(
                    path,
                    type,
                    variant(entry, "bind", false, DeclaredKeys.Binding.class, DeclaredKeys.Binding.PROJECT),
                    variant(entry, "caller", false, DeclaredKeys.Caller.class, DeclaredKeys.Caller.SIGNER),
                    text(entry, "vault", false)));
        }
        return List.copyOf(out);
    }

    /** A string member; {@code required} is serde's non-{@code Option} field, else absent or {@code null} is none. */
    private static String text(JsonNode entry, String name, boolean required) {
        JsonNode value = entry.get(name);
        if (value == null && required) {
            throw new IllegalArgumentException("missing field `" + name + "`");
        }
        if (value == null || value.isNull() && !required) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("invalid type: " + describe(value) + ", expected a string");
        }
        return value.asText();
    }

    /** A lowercase unit variant; a {@code #[serde(default)]} one ({@code fallback}) may be absent, never null. */
    private static <E extends Enum<E>> E variant(
            JsonNode entry, String name, boolean required, Class<E> type, E fallback) {
        JsonNode value = entry.get(name);
        if (value == null) {
            if (required) {
                throw new IllegalArgumentException("missing field `" + name + "`");
            }
            return fallback;
        }
        List<String> spellings = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            spellings.add(constant.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(
                    "invalid type: " + describe(value) + ", expected a string (unit variant)");
        }
        int at = spellings.indexOf(value.asText());
        if (at < 0) {
            throw new IllegalArgumentException(
                    "unknown variant `" + value.asText() + "`, expected " + SerdeFields.oneOf(spellings));
        }
        return type.getEnumConstants()[at];
    }

    /** serde's {@code Unexpected} for a JSON value. */
    private static String describe(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            return "string \"" + value.asText() + "\"";
        }
        if (value.isBoolean()) {
            return "boolean `" + value.asText() + "`";
        }
        if (value.isIntegralNumber()) {
            return "integer `" + value.asText() + "`";
        }
        if (value.isNumber()) {
            return "floating point `" + value.asText() + "`";
        }
        return value.isArray() ? "sequence" : "map";
    }
}

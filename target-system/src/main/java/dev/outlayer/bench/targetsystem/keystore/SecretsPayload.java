package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The plaintext of a profile: a JSON object of environment variables. Shared by the keystore (on
 * store and on decrypt) and by the coordinator (before injecting), so a name is judged the same way
 * everywhere. Error messages name variables, never their values.
 */
public final class SecretsPayload {
    public static final int MAX_VARIABLES = 256;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final String[] RESERVED_PREFIXES = {"NEAR_", "OUTLAYER_"};

    private SecretsPayload() {}

    /** Parses and checks a decrypted payload; an ApiException (INVALID) says what is wrong. */
    public static Map<String, String> parse(byte[] plaintextJson) {
        JsonNode root;
        try {
            root = JsonCodec.MAPPER.readTree(plaintextJson);
        } catch (IOException e) {
            // The parser's message quotes input, which is secret: say only where it broke.
            throw ApiException.invalid("decrypted secrets are not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.invalid(
                    "decrypted secrets must be a JSON object of environment variables, e.g. {\"API_KEY\":\"...\"}");
        }
        if (root.size() > MAX_VARIABLES) {
            throw ApiException.invalid("secrets hold " + root.size() + " variables; at most " + MAX_VARIABLES);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (var it = root.fields(); it.hasNext(); ) {
            var entry = it.next();
            String name = entry.getKey();
            checkName(name);
            JsonNode value = entry.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw ApiException.invalid("secret " + name + " must be a string, number or boolean");
            }
            String text = value.asText();
            if (text.indexOf('\0') >= 0) {
                throw ApiException.invalid(
                        "secret " + name + " contains a NUL character, which no environment can hold");
            }
            variables.put(name, text);
        }
        return Collections.unmodifiableMap(variables);
    }

    /** Rejects names a process environment cannot hold and the platform's reserved prefixes. */
    public static void checkName(String name) {
        if (isReserved(name)) {
            throw ApiException.invalid("secret name " + name + " is reserved: names starting with NEAR_ or OUTLAYER_"
                    + " are set by the platform and cannot be supplied as secrets");
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalid(
                    "secret name '" + (name.length() > 64 ? name.substring(0, 64) + "..." : name)
                            + "' is not a valid environment variable name (letters, digits, _; not starting with a digit; at most 128)");
        }
    }

    public static boolean isReserved(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String prefix : RESERVED_PREFIXES) {
            if (upper.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

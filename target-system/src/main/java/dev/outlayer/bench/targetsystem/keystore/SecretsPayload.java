package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The plaintext of a profile: a JSON object of environment variables. Shared by the keystore (on
 * store and on decrypt) and by the coordinator (before injecting), so a name is judged the same way
 * everywhere. The name rules are OutLayer keystore-worker's ({@code api.rs}): the exact names its
 * worker sets ({@link #RESERVED_NAMES}, case-sensitive, no prefix ban) are refused, and a secret
 * stored by hand may not start with {@code PROTECTED_} (that prefix marks secrets the keystore
 * generated itself). Error messages name variables, never their values.
 */
public final class SecretsPayload {
    public static final int MAX_VARIABLES = 256;
    /** The prefix OutLayer reserves for secrets generated inside its keystore; refused on a manual store. */
    public static final String PROTECTED_PREFIX = "PROTECTED_";
    /**
     * OutLayer keystore-worker's {@code RESERVED_SECRET_KEYS} (the worker's {@code SYSTEM_ENV_VARS}),
     * in its order. Exact names: {@code NEAR_API_KEY} or {@code OUTLAYER_TOKEN} are ordinary secrets.
     */
    public static final List<String> RESERVED_NAMES = List.of(
            "NEAR_SENDER_ID",
            "NEAR_CONTRACT_ID",
            "NEAR_BLOCK_HEIGHT",
            "NEAR_BLOCK_TIMESTAMP",
            "NEAR_RECEIPT_ID",
            "NEAR_PREDECESSOR_ID",
            "NEAR_SIGNER_PUBLIC_KEY",
            "NEAR_GAS_BURNT",
            "NEAR_USER_ACCOUNT_ID",
            "NEAR_PAYMENT_YOCTO",
            "NEAR_TRANSACTION_HASH",
            "NEAR_MAX_INSTRUCTIONS",
            "NEAR_MAX_MEMORY_MB",
            "NEAR_MAX_EXECUTION_SECONDS",
            "NEAR_REQUEST_ID",
            "NEAR_NETWORK_ID",
            "OUTLAYER_PROJECT_ID",
            "OUTLAYER_PROJECT_UUID",
            "OUTLAYER_EXECUTION_TYPE",
            "OUTLAYER_CALL_ID",
            "OUTLAYER_PROJECT_NAME",
            "OUTLAYER_PROJECT_OWNER",
            "ATTACHED_USD",
            "USD_PAYMENT",
            "WALLET_ID",
            "NEAR_RPC_PROXY_AVAILABLE");

    private static final Set<String> RESERVED = Set.copyOf(RESERVED_NAMES);

    private SecretsPayload() {}

    /**
     * Parses and checks a plaintext as it is stored by hand ({@code PUT /secrets}, encrypt-secrets):
     * reserved names and the {@code PROTECTED_} prefix are refused, as OutLayer's {@code /pubkey} does.
     */
    public static Map<String, String> parseManual(byte[] plaintextJson) {
        Map<String, String> variables = parse(plaintextJson);
        refuseProtected(variables.keySet());
        return variables;
    }

    /**
     * OutLayer keystore-worker's checks on the secrets a client is about to encrypt ({@code POST
     * /pubkey {seed, secrets_json}}, {@code api.rs pubkey_handler}): a JSON object whose names are
     * neither reserved nor {@code PROTECTED_}. Only names, as OutLayer: the values are judged when
     * the ciphertext is stored.
     */
    public static void checkNamesBeforeEncryption(String secretsJson) {
        JsonNode root;
        try {
            root = JsonCodec.MAPPER.readTree(secretsJson);
        } catch (IOException e) {
            // The parser's message would quote the secrets: say only what is wrong.
            throw ApiException.invalid("Invalid JSON format: secrets_json is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.invalid("Invalid JSON format: secrets_json must be a JSON object of secrets");
        }
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        refuseReserved(names);
        refuseProtected(names);
    }

    /**
     * A decrypted plaintext as OutLayer's keystore reads one it merges into ({@code update_user_secrets_handler}:
     * a {@code serde_json::Map}): any JSON object, its values as written (a payment key's {@code project_ids} array,
     * a {@code null}), sorted by name. Only what is not a JSON object is refused.
     */
    static TreeMap<String, JsonNode> anyObject(byte[] plaintextJson) {
        JsonNode root;
        try {
            root = JsonCodec.MAPPER.readTree(plaintextJson);
        } catch (IOException e) {
            throw ApiException.invalid("decrypted secrets are not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.invalid("decrypted secrets are not a JSON object");
        }
        TreeMap<String, JsonNode> values = new TreeMap<>();
        root.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
        return values;
    }

    /** OutLayer's refusal of {@code PROTECTED_} names a client wrote itself, naming them all. */
    static void refuseProtected(Collection<String> names) {
        List<String> protectedNames =
                names.stream().filter(name -> name.startsWith(PROTECTED_PREFIX)).toList();
        if (!protectedNames.isEmpty()) {
            // OutLayer's sentence (api.rs): the dashboard shows it as it is.
            throw ApiException.invalid("Manual secrets cannot use 'PROTECTED_' prefix (reserved for auto-generated"
                    + " secrets): " + String.join(", ", protectedNames));
        }
    }

    /** Every reserved name at once, as OutLayer does: the owner fixes the object in one round trip. */
    static void refuseReserved(Collection<String> names) {
        List<String> reserved =
                names.stream().filter(SecretsPayload::isReserved).toList();
        if (!reserved.isEmpty()) {
            throw ApiException.invalid("Cannot use reserved system keywords as secret keys: "
                    + String.join(", ", reserved) + ". These environment variables are automatically set by the"
                    + " worker.");
        }
    }

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
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        refuseReserved(names);
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

    /**
     * Refuses a reserved name and what no process environment can hold (an empty name, '=' or NUL).
     * Nothing more: OutLayer accepts any other key, e.g. {@code my-key} or {@code 1ST}.
     */
    public static void checkName(String name) {
        if (isReserved(name)) {
            throw ApiException.invalid("secret name " + name + " is reserved: the worker sets it itself");
        }
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0 || name.length() > 1024) {
            throw ApiException.invalid("secret name '" + (name.length() > 64 ? name.substring(0, 64) + "..." : name)
                    + "' cannot be an environment variable name (empty, '=', NUL or over 1024 characters)");
        }
    }

    /** One of OutLayer's exact reserved names (case-sensitive, as OutLayer compares them). */
    public static boolean isReserved(String name) {
        return RESERVED.contains(name);
    }
}

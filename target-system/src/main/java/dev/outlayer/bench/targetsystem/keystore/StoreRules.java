package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.RustDebug;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What OutLayer's contract refuses to store, in the words it panics with (contract {@code secrets.rs}
 * {@code store_secrets_internal}, {@code profile_shape_error}; near-sdk's argument deserialisation for
 * account ids): this keystore's store plays the contract's {@code store_secrets}, so it refuses the same
 * rows, each a 400. Only the store applies these rules: a row an older keystore stored before them still
 * loads and is judged as it was.
 */
public final class StoreRules {
    /** The longest branch the contract stores, in bytes. */
    static final int MAX_BRANCH_BYTES = 255;

    private static final int PROFILE_MAX_BYTES = 64;
    private static final long MAX_NONCE = Integer.MAX_VALUE;
    private static final long U32_MAX = 0xFFFF_FFFFL;

    private StoreRules() {}

    /**
     * The accessor's fields as a store request gives them (a repository and branch, or an accessor in
     * OutLayer keystore-worker's form), checked as the contract checks its {@code SecretAccessor} before
     * storing: a repository and a given branch that are not empty, a branch of at most 255 bytes, a wasm hash
     * of 64 hex characters, a project id with a '/'. Fields of another JSON type are left to the accessor's
     * own reading.
     */
    public static void checkAccessor(String repo, String branch, JsonNode accessor) {
        if (accessor != null && accessor.isObject()) {
            String type = accessor.path("type").asText("");
            switch (type) {
                case "Repo" -> checkRepo(text(accessor, "repo"), text(accessor, "branch"));
                case "WasmHash" -> checkWasmHash(text(accessor, "hash"));
                case "Project" -> checkProjectId(text(accessor, "project_id"));
                default -> {
                    // System: its nonce is the profile's, checked by checkPaymentKeyNonce
                }
            }
            return;
        }
        if (accessor == null || accessor.isNull()) {
            checkRepo(repo, branch);
        }
    }

    private static void checkRepo(String repo, String branch) {
        if (repo != null && repo.isEmpty()) {
            throw ApiException.invalid("Repository cannot be empty");
        }
        if (branch != null) {
            if (branch.isEmpty()) {
                throw ApiException.invalid("Branch name cannot be empty if provided");
            }
            if (branch.getBytes(StandardCharsets.UTF_8).length > MAX_BRANCH_BYTES) {
                throw ApiException.invalid("Branch name too long (max 255 chars)");
            }
        }
    }

    /** After the contract's one spelling of a hash, lower case ({@code canonical_accessor}). */
    private static void checkWasmHash(String hash) {
        if (hash == null) {
            return;
        }
        String canonical = hash.toLowerCase(Locale.ROOT);
        if (canonical.isEmpty()) {
            throw ApiException.invalid("WASM hash cannot be empty");
        }
        if (canonical.getBytes(StandardCharsets.UTF_8).length != 64) {
            throw ApiException.invalid("WASM hash must be 64 hex characters (SHA256)");
        }
        if (!canonical.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw ApiException.invalid("WASM hash must be hex encoded");
        }
    }

    private static void checkProjectId(String projectId) {
        if (projectId == null) {
            return;
        }
        if (projectId.isEmpty()) {
            throw ApiException.invalid("Project ID cannot be empty");
        }
        if (projectId.indexOf('/') < 0) {
            throw ApiException.invalid("Project ID must be in format 'owner.near/name'");
        }
    }

    /** The contract's refusal of a project its {@code projects} map does not hold. */
    static ApiException noSuchProject(String projectId) {
        return ApiException.invalid("Project '" + projectId + "' does not exist");
    }

    /**
     * A payment key's profile is its nonce: a u32 as Rust parses one, not 0 (the coordinator's own keys live
     * at {@code (owner, 0)}) and at most i32::MAX (the coordinator's column is a signed 32-bit integer).
     */
    static void checkPaymentKeyNonce(String profile) {
        long nonce = parseU32(profile).orElseThrow(StoreRules::notANumber);
        if (nonce < 1) {
            throw ApiException.invalid("Payment key nonce 0 is reserved. The first nonce is 1 \u2014 ask the contract"
                    + " with get_next_payment_key_nonce.");
        }
        if (nonce > MAX_NONCE) {
            throw ApiException.invalid("Payment key nonce is too large (maximum 2147483647)");
        }
    }

    /** Rust's {@code str::parse::<u32>}: an optional '+', then ASCII digits (leading zeros allowed), at most u32::MAX. */
    static OptionalLong parseU32(String text) {
        String digits = text.startsWith("+") ? text.substring(1) : text;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 10 || Long.parseLong(significant) > U32_MAX) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(significant));
    }

    private static ApiException notANumber() {
        return ApiException.invalid("A payment key's profile is its nonce and must be a number");
    }

    /** A payment key is written once (the contract's write-once rule); deleting it and storing again is the way. */
    static ApiException paymentKeyExists() {
        return ApiException.invalid("Payment key already exists for this nonce. A payment key cannot be rewritten"
                + " \u2014 delete it first, or use a new nonce.");
    }

    /**
     * OutLayer's {@code PROFILE_RULE}: 1 to 64 BYTES of letters, digits (Unicode's, as Rust's {@code
     * char::is_alphanumeric}), '-' or '_', refused naming the half it fails.
     */
    static void checkProfile(String profile) {
        profileShapeError(profile).ifPresent(why -> {
            throw ApiException.invalid("profile must be " + SecretsRefShape.PROFILE_RULE + " (" + why + ")");
        });
    }

    /** The contract's {@code profile_shape_error}: why the name cannot be stored, or empty. */
    static Optional<String> profileShapeError(String profile) {
        int bytes = profile.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < 1 || bytes > PROFILE_MAX_BYTES) {
            return Optional.of("got " + bytes + " bytes");
        }
        return profile.codePoints().filter(c -> !(isAlphanumeric(c) || c == '-' || c == '_')).findFirst().stream()
                .mapToObj(c -> "it contains " + RustDebug.character(c))
                .findFirst();
    }

    /** Rust's {@code char::is_alphanumeric}: Unicode's Alphabetic property, or a number (Nd, Nl, No). */
    private static boolean isAlphanumeric(int c) {
        int type = Character.getType(c);
        return Character.isAlphabetic(c)
                || type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /**
     * A profile shaped like an implicit account (64 lowercase hex) names that agent: only the agent's own row
     * may use it, so a credential cannot be planted under an agent's name.
     */
    static void checkAgentProfile(String profile, String owner) {
        if (AccountIds.isNearImplicit(profile) && !profile.equals(owner)) {
            throw ApiException.invalid("A profile of 64 hex characters names an AGENT, and only that agent's own"
                    + " secrets may use it. This secret is owned by '" + owner + "' \u2014 give it a different"
                    + " profile name.");
        }
    }

    static void checkCiphertextPresent(String encryptedSecretsBase64) {
        if (encryptedSecretsBase64.isEmpty()) {
            throw ApiException.invalid("Encrypted secrets cannot be empty");
        }
    }

    /**
     * An account id of a condition as near-sdk's {@code AccountId} reads one in the contract's arguments; a
     * refusal is the panic of its argument deserialisation (without serde_json's {@code at line L column C},
     * which places the value in the contract call's arguments, a document this request is not).
     */
    static String accountId(String id) {
        String problem = AccountIds.problem(id);
        if (problem != null) {
            throw ApiException.invalid(
                    "Failed to deserialize input from JSON. Error: `invalid value: \"" + id + "\", " + problem + "`");
        }
        return id;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}

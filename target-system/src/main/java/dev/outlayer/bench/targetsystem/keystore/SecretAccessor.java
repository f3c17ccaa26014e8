package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * What code may open a profile, and so which seed picks its key: OutLayer's {@code SecretAccessor}.
 * The seeds are OutLayer keystore-worker's strings exactly: {@code repo:owner[:branch]},
 * {@code wasm_hash:hash:owner}, {@code project:project_id:owner} and
 * {@code system:payment_key:owner:nonce}, where a System secret's nonce is its profile name. The
 * JSON is the keystore-worker's internally tagged form, e.g. {@code {"type":"WasmHash","hash":"..."}}.
 */
public sealed interface SecretAccessor {
    int MAX_FIELD_CHARS = 256;

    /** The seed this accessor's secrets are encrypted under, for {@code owner} and the profile's name. */
    String seed(String owner, String profile);

    /** The keystore-worker's JSON form. */
    ObjectNode toJson();

    /**
     * The spelling OutLayer's contract keys a row by ({@code secrets.rs canonical_accessor}): a wasm hash in lower
     * case, every other accessor as given. Seeds are not normalised: this is the row's key only.
     */
    default SecretAccessor canonical() {
        return this;
    }

    /**
     * The spelling of a profile name the contract keys a row of this accessor by ({@code secrets.rs
     * canonical_profile}): a payment key's nonce as its number, every other profile as given.
     */
    default String canonicalProfile(String profile) {
        return profile;
    }

    /** Secrets bound to a repository, optionally one branch (a profile without one serves every branch). */
    record Repo(String repo, String branch) implements SecretAccessor {
        /** {@code repo} as given: callers normalise it with {@link RepoUrls} first. */
        public Repo {
            repo = required(repo, "repo");
            DeclaredKeys.refuseReservedRepo(repo);
            branch = branch == null || branch.isBlank() ? null : branch.strip();
        }

        @Override
        public String seed(String owner, String profile) {
            return branch == null ? repo + ":" + owner : repo + ":" + owner + ":" + branch;
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode node = tagged("Repo").put("repo", repo);
            return branch == null ? node.putNull("branch") : node.put("branch", branch);
        }
    }

    /** Secrets bound to one compiled module: its SHA-256, 64 hex characters (its seed as written, as OutLayer). */
    record WasmHash(String hash) implements SecretAccessor {
        public WasmHash {
            hash = required(hash, "hash");
            if (!hash.matches("[0-9a-fA-F]{64}")) {
                throw ApiException.invalid("Invalid WASM hash: must be 64 hex characters");
            }
        }

        @Override
        public String seed(String owner, String profile) {
            return "wasm_hash:" + hash + ":" + owner;
        }

        /** One binary, one row: the worker names it by {@code hex::encode}, lower case. */
        @Override
        public SecretAccessor canonical() {
            String lower = hash.toLowerCase(Locale.ROOT);
            return lower.equals(hash) ? this : new WasmHash(lower);
        }

        @Override
        public ObjectNode toJson() {
            return tagged("WasmHash").put("hash", hash);
        }
    }

    /** Secrets bound to a project (every version of it), e.g. {@code alice.near/agent}. */
    record Project(String projectId) implements SecretAccessor {
        public Project {
            projectId = required(projectId, "project_id");
        }

        @Override
        public String seed(String owner, String profile) {
            return "project:" + projectId + ":" + owner;
        }

        @Override
        public ObjectNode toJson() {
            return tagged("Project").put("project_id", projectId);
        }
    }

    /** OutLayer's system secrets; its only type is {@code payment_key} (HTTPS API payment keys). */
    record System(String secretType) implements SecretAccessor {
        public static final String PAYMENT_KEY = "payment_key";

        public System {
            if (!PAYMENT_KEY.equals(secretType)) {
                throw ApiException.invalid("System.secret_type must be \"" + PAYMENT_KEY + "\"");
            }
        }

        @Override
        public String seed(String owner, String profile) {
            return "system:" + secretType + ":" + owner + ":" + profile;
        }

        /**
         * A payment key's profile is its nonce: {@code 01} and {@code +1} are nonce 1, kept as {@code 1} (what
         * {@code delete_payment_key} looks up); a profile that is not a u32 stays as given, for the store to refuse.
         */
        @Override
        public String canonicalProfile(String profile) {
            if (profile == null) {
                return null;
            }
            OptionalLong nonce = StoreRules.parseU32(profile);
            return nonce.isPresent() ? Long.toString(nonce.getAsLong()) : profile;
        }

        @Override
        public ObjectNode toJson() {
            return tagged("System").put("secret_type", secretType);
        }
    }

    /**
     * Reads the keystore-worker's form. A {@code Repo}'s repository is normalised with
     * {@code normalizeRepo} (the caller says which of OutLayer's two rules applies).
     */
    public static SecretAccessor fromJson(JsonNode node, UnaryOperator<String> normalizeRepo) {
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("accessor must be an object like {\"type\":\"WasmHash\",\"hash\":\"...\"}");
        }
        String type = node.path("type").asText("");
        return switch (type) {
            case "Repo" -> new Repo(normalizeRepo.apply(text(node, "repo")), optionalText(node, "branch"));
            case "WasmHash" -> new WasmHash(text(node, "hash"));
            case "Project" -> new Project(text(node, "project_id"));
            case "System" -> new System(text(node, "secret_type"));
            default ->
                throw ApiException.invalid(
                        "accessor.type must be Repo, WasmHash, Project or System, got '" + truncate(type) + "'");
        };
    }

    private static ObjectNode tagged(String type) {
        return JsonCodec.object().put("type", type);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiException.invalid("accessor." + field + " is required and must be a string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid("accessor." + field + " must be a string");
        }
        return value.textValue();
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(name + " is required");
        }
        if (value.length() > MAX_FIELD_CHARS) {
            throw ApiException.invalid(name + " is longer than " + MAX_FIELD_CHARS + " characters");
        }
        return value.strip();
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}

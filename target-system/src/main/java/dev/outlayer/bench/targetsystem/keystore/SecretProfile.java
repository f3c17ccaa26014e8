package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One stored profile: a ciphertext for a scope, and who may have it decrypted. {@code sealedSeed} is null for a
 * ciphertext sealed to its scope's seed, which is every row stored or updated since rows are keyed by the
 * contract's one spelling; a row an earlier version stored under another spelling (an upper-case wasm hash, a
 * nonce {@code 01}) is re-keyed at load ({@link #canonical}) and keeps the seed its blob was sealed to.
 */
public record SecretProfile(
        String owner,
        String profile,
        Scope scope,
        String encryptedSecretsBase64,
        AccessCondition access,
        Instant createdAt,
        Instant updatedAt,
        String sealedSeed) {
    private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[a-z0-9._-]{1,64}");

    public SecretProfile {
        if (sealedSeed != null && sealedSeed.equals(scope.seed())) {
            sealedSeed = null;
        }
    }

    /** A row whose ciphertext is sealed to its own scope's seed. */
    public SecretProfile(
            String owner,
            String profile,
            Scope scope,
            String encryptedSecretsBase64,
            AccessCondition access,
            Instant createdAt,
            Instant updatedAt) {
        this(owner, profile, scope, encryptedSecretsBase64, access, createdAt, updatedAt, null);
    }

    /** The seed whose key opens the ciphertext: the one it was sealed to. */
    public String seed() {
        return sealedSeed != null ? sealedSeed : scope.seed();
    }

    /**
     * This row as OutLayer's contract keys it ({@code secrets.rs canonical_accessor}, {@code canonical_profile}:
     * a wasm hash in lower case, a payment key's nonce as its number), its ciphertext still opened with the seed
     * it was sealed to; this row itself when it is spelled so already.
     */
    SecretProfile canonical() {
        SecretAccessor accessor = scope.accessor().canonical();
        String name = accessor.canonicalProfile(profile);
        if (accessor.equals(scope.accessor()) && name.equals(profile)) {
            return this;
        }
        return new SecretProfile(
                owner,
                name,
                new Scope(accessor, owner, name),
                encryptedSecretsBase64,
                access,
                createdAt,
                updatedAt,
                seed());
    }

    /** The size of the stored ciphertext, shown in listings instead of the ciphertext itself. */
    public int ciphertextBytes() {
        String b64 = encryptedSecretsBase64.strip();
        int padding = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
        return b64.length() / 4 * 3 - padding;
    }

    /** The stored form (profiles.json), which keeps the ciphertext. */
    ObjectNode toStoredJson() {
        ObjectNode node = JsonCodec.object();
        node.put("owner", owner);
        node.put("profile", profile);
        if (scope.accessor() instanceof SecretAccessor.Repo repo) {
            // The form of earlier versions, kept for repository scopes so old stores read unchanged.
            node.put("repo", repo.repo());
            if (repo.branch() == null) {
                node.putNull("branch");
            } else {
                node.put("branch", repo.branch());
            }
        } else {
            node.set("accessor", scope.accessor().toJson());
        }
        node.set("access", access.toJson());
        node.put("created_at", createdAt.toString());
        node.put("updated_at", updatedAt.toString());
        node.put("encrypted_secrets_base64", encryptedSecretsBase64);
        if (sealedSeed != null) {
            node.put("sealed_to", sealedSeed);
        }
        return node;
    }

    static SecretProfile fromStoredJson(JsonNode node) {
        JsonNode branch = node.get("branch");
        // Stored repositories are already normalised: read back as written.
        SecretAccessor accessor = node.has("accessor")
                ? SecretAccessor.fromJson(node.get("accessor"), repo -> repo)
                : new SecretAccessor.Repo(
                        node.path("repo").asText(), branch == null || branch.isNull() ? null : branch.asText());
        return new SecretProfile(
                node.path("owner").asText(),
                node.path("profile").asText(),
                new Scope(
                        accessor,
                        node.path("owner").asText(),
                        node.path("profile").asText()),
                node.path("encrypted_secrets_base64").asText(),
                AccessCondition.parse(node.get("access")),
                Instant.parse(node.path("created_at").asText()),
                Instant.parse(node.path("updated_at").asText()),
                node.hasNonNull("sealed_to") ? node.get("sealed_to").asText() : null);
    }

    static void checkProfileName(String profile) {
        if (profile == null || !PROFILE_NAME.matcher(profile).matches()) {
            throw ApiException.invalid("profile name must be 1-64 characters of letters, digits, '.', '_' or '-'");
        }
    }

    /** NEAR account ids: lowercase letters, digits and . _ -, at most 64 characters. */
    static void checkAccountId(String what, String accountId) {
        if (accountId == null || !ACCOUNT_ID.matcher(accountId).matches()) {
            throw ApiException.invalid(what + " must be a NEAR account id (1-64 of a-z, 0-9, '.', '_', '-')");
        }
    }
}

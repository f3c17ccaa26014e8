package dev.outlayer.bench.targetsystem.http.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.keystore.Scope;

/** The keystore's request bodies (docs/keystore.md), read by Jackson; required fields are checked here. */
final class KeystoreRequests {
    private KeystoreRequests() {}

    /** {@code POST /pubkey {repo, owner, branch?}}. */
    record PublicKey(String repo, String owner, String branch) {
        PublicKey {
            required(repo, "repo");
            required(owner, "owner");
        }

        Scope scope() {
            return new Scope(repo, owner, branch);
        }
    }

    /**
     * {@code PUT /secrets/{owner}/{profile} {repo, branch?, encrypted_secrets_base64, access}}.
     * {@code access} stays a JSON tree: a tagged union that AccessConditionParser walks with depth
     * and size limits.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record StoreProfile(String repo, String branch, String encryptedSecretsBase64, JsonNode access) {
        StoreProfile {
            required(repo, "repo");
            required(encryptedSecretsBase64, "encrypted_secrets_base64");
        }

        Scope scope(String owner) {
            return new Scope(repo, owner, branch);
        }
    }

    /** {@code POST /decrypt {owner, profile, repo, branch?, user_account_id}}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Decrypt(String owner, String profile, String repo, String branch, String userAccountId) {
        Decrypt {
            required(owner, "owner");
            required(profile, "profile");
            required(userAccountId, "user_account_id");
            required(repo, "repo");
        }

        Scope scope() {
            return new Scope(repo, owner, branch);
        }
    }

    private static void required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("'" + field + "' is required and must be a non-empty string");
        }
    }
}

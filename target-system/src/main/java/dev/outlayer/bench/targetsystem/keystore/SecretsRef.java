package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;

/**
 * The {@code secrets} block of a run or linux-mode contract call: which stored profile to inject.
 * {@code {owner, profile, repo, branch?}}; a missing or blank field is refused with a message naming it.
 */
public record SecretsRef(String owner, String profile, String repo, String branch) {
    public SecretsRef {
        required(owner, "owner");
        required(profile, "profile");
        required(repo, "repo");
    }

    /** Reads the block from a JSON tree (a contract call's body); ApiException (INVALID) names the bad field. */
    public static SecretsRef fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("'secrets' must be an object {owner, profile, repo, branch?}");
        }
        return JsonCodec.read(JsonCodec.bytes(node), SecretsRef.class);
    }

    private static void required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("secrets." + field + " is required and must be a non-empty string");
        }
    }
}

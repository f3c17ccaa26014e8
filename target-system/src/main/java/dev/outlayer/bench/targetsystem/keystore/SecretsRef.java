package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;

/**
 * The {@code secrets} block of a run or linux-mode contract call: which stored profile to inject.
 * {@code {owner, profile, repo, branch?}}, or {@code {owner, profile, accessor}} for the other scopes
 * (OutLayer keystore-worker's form, e.g. {@code {"type":"WasmHash","hash":"..."}}); a missing or
 * blank field is refused with a message naming it. The keystore normalises and checks the rest.
 */
public record SecretsRef(String owner, String profile, String repo, String branch, JsonNode accessor) {
    public SecretsRef {
        required(owner, "owner");
        required(profile, "profile");
        boolean hasAccessor = accessor != null && !accessor.isNull();
        if (hasAccessor == (repo != null)) {
            throw ApiException.invalid("secrets needs either repo (and branch) or accessor {type, ...}");
        }
        if (!hasAccessor) {
            required(repo, "repo");
        } else if (!accessor.isObject()) {
            throw ApiException.invalid(
                    "secrets.accessor must be an object like {\"type\":\"WasmHash\",\"hash\":\"...\"}");
        }
    }

    /** A repository's profile. */
    public SecretsRef(String owner, String profile, String repo, String branch) {
        this(owner, profile, repo, branch, null);
    }

    /** Reads the block from a JSON tree (a contract call's body); ApiException (INVALID) names the bad field. */
    public static SecretsRef fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw ApiException.invalid(
                    "'secrets' must be an object {owner, profile, repo, branch?} or {owner, profile, accessor}");
        }
        return JsonCodec.read(JsonCodec.bytes(node), SecretsRef.class);
    }

    private static void required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid("secrets." + field + " is required and must be a non-empty string");
        }
    }
}

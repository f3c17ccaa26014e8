package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code secrets} block of a run or linux-mode contract call: which stored profile to inject.
 * {@code {owner, profile, repo, branch?}}.
 */
public record SecretsRef(String owner, String profile, String repo, String branch) {

    /** Reads the block; IllegalArgumentException names the missing or malformed field. */
    public static SecretsRef fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("'secrets' must be an object {owner, profile, repo, branch?}");
        }
        return new SecretsRef(required(node, "owner"), required(node, "profile"), required(node, "repo"), optional(node, "branch"));
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new IllegalArgumentException("secrets." + field + " is required and must be a non-empty string");
        }
        return value.textValue();
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("secrets." + field + " must be a string");
        }
        return value.textValue();
    }
}

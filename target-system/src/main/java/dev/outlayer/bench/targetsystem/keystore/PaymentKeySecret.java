package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The plaintext of an OutLayer payment key (a secret with the {@code System} accessor {@code
 * payment_key}, its profile the key's nonce): {@code {"key": 64 hex digits, "project_ids": [...],
 * "max_per_call": "N" | null, "initial_balance": "N"}}, the metadata OutLayer's worker reads when it
 * decrypts the secret after the contract's event and reports to the coordinator with the key's
 * sha256 ({@code key_hash}), never the key.
 */
public record PaymentKeySecret(String key, List<String> projectIds, String maxPerCall, String initialBalance) {
    /** Reads and checks the plaintext; 400 naming what is wrong (never quoting the key). */
    public static PaymentKeySecret parse(byte[] plaintext) {
        JsonNode root;
        try {
            root = JsonCodec.MAPPER.readTree(plaintext);
        } catch (IOException e) {
            throw ApiException.invalid("a payment key's secret is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.invalid("a payment key's secret must be {\"key\": 64 hex digits, \"project_ids\": [...],"
                    + " \"max_per_call\": \"N\" or null, \"initial_balance\": \"N\"}");
        }
        JsonNode key = root.get("key");
        if (key == null || !key.isTextual() || !key.asText().matches("[0-9a-fA-F]{64}")) {
            throw ApiException.invalid("a payment key's secret needs key: 64 hex digits");
        }
        List<String> projects = new ArrayList<>();
        JsonNode ids = root.get("project_ids");
        if (ids != null && !ids.isNull()) {
            if (!ids.isArray()) {
                throw ApiException.invalid("a payment key's project_ids must be an array of project ids");
            }
            for (JsonNode id : ids) {
                if (!id.isTextual() || id.asText().isEmpty()) {
                    throw ApiException.invalid("a payment key's project_ids must be an array of project ids");
                }
                projects.add(id.asText());
            }
        }
        return new PaymentKeySecret(
                key.asText().toLowerCase(Locale.ROOT),
                List.copyOf(projects),
                decimal(root, "max_per_call"),
                decimal(root, "initial_balance"));
    }

    private static String decimal(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !value.asText().matches("[0-9]{0,39}")) {
            throw ApiException.invalid("a payment key's " + field + " must be a decimal string");
        }
        return value.asText();
    }

    /** The same key with another {@code initial_balance} (a top-up's new total). */
    public PaymentKeySecret withInitialBalance(String balance) {
        return new PaymentKeySecret(key, projectIds, maxPerCall, balance);
    }

    /** The plaintext again, in the shape {@link #parse} reads. */
    public byte[] toJson() {
        return JsonCodec.bytes(new Plaintext(key, projectIds, maxPerCall, initialBalance));
    }

    private record Plaintext(
            @JsonProperty("key") String key,
            @JsonProperty("project_ids") List<String> projectIds,
            @JsonProperty("max_per_call") String maxPerCall,
            @JsonProperty("initial_balance") String initialBalance) {}

    /** sha256 of the key's 64 lower-case hex digits: OutLayer's {@code key_hash}. */
    public String keyHash() {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** Where the keystore tells what happened to payment keys (the coordinator, in one process). */
    public interface Listener {
        /** A payment key's secret was stored (created or replaced). */
        void stored(String owner, long nonce, PaymentKeySecret secret);

        /** A payment key's secret was deleted. */
        void deleted(String owner, long nonce);
    }

    /** A System secret's profile is the key's nonce: a u32 in decimal. */
    static long nonceOf(String profile) {
        if (profile == null || !profile.matches("[0-9]{1,10}") || Long.parseLong(profile) > 0xFFFF_FFFFL) {
            throw ApiException.invalid("a payment key's profile is its nonce: a u32 in decimal");
        }
        return Long.parseLong(profile);
    }
}

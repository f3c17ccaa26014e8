package dev.outlayer.bench.simulations.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.keystore.Ecies;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.csv;

/**
 * Scenario 3's setup, done as a user would: the secret profiles of {@code feeders/secrets.csv}
 * (case, owner, api_key, profile, repo, branch, variables, access, user_account_id) encrypted for
 * their scope with the keystore's public key and stored with the owner's API key, and the
 * {@code printenv} program uploaded to the coordinator.
 */
public final class SecretProfiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One feeder row. */
    public record Profile(String useCase, String owner, String apiKey, String profile, String repo, String branch,
                          int variables, String access, String userAccountId) {
        /** The names printenv is asked for: every variable of the profile. */
        public List<String> names() {
            return SecretProfiles.variables(variables).keySet().stream().toList();
        }

        /** The run's {@code secrets} block. */
        public ObjectNode secretsBlock() {
            ObjectNode block = JSON.createObjectNode().put("owner", owner).put("profile", profile).put("repo", repo);
            if (branch != null) {
                block.put("branch", branch);
            }
            return block;
        }
    }

    private SecretProfiles() {
    }

    public static Map<String, Profile> load() {
        Map<String, Profile> profiles = new LinkedHashMap<>();
        for (Map<String, Object> row : csv("secrets.csv").readRecords()) {
            String branch = String.valueOf(row.get("branch")).strip();
            Profile profile = new Profile(text(row, "case"), text(row, "owner"), text(row, "api_key"), text(row, "profile"),
                    text(row, "repo"), branch.isEmpty() ? null : branch, Integer.parseInt(text(row, "variables")),
                    text(row, "access"), text(row, "user_account_id"));
            profiles.put(profile.useCase(), profile);
        }
        return profiles;
    }

    /** SECRET_1..SECRET_n with 40-character values. */
    public static Map<String, String> variables(int count) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            variables.put("SECRET_" + i, "value-" + i + "-" + "s".repeat(32));
        }
        return variables;
    }

    /** Encrypts and stores every profile; fails loudly, since the scenario means nothing without them. */
    public static void store(String keystoreUrl, Iterable<Profile> profiles) {
        for (Profile p : profiles) {
            ObjectNode scope = JSON.createObjectNode().put("repo", p.repo()).put("owner", p.owner());
            if (p.branch() != null) {
                scope.put("branch", p.branch());
            }
            JsonNode pubkey = send("POST", keystoreUrl + "/pubkey", null, scope);
            byte[] plaintext = json(variables(p.variables())).getBytes(StandardCharsets.UTF_8);
            String ciphertext = Base64.getEncoder().encodeToString(
                    Ecies.encrypt(HexFormat.of().parseHex(pubkey.path("pubkey").asText()), plaintext));
            ObjectNode body = JSON.createObjectNode().put("repo", p.repo());
            if (p.branch() != null) {
                body.put("branch", p.branch());
            }
            body.put("encrypted_secrets_base64", ciphertext);
            try {
                body.set("access", JSON.readTree(p.access()));
            } catch (IOException e) {
                throw new IllegalArgumentException("feeders/secrets.csv: access of " + p.profile() + " is not JSON", e);
            }
            send("PUT", keystoreUrl + "/secrets/" + p.owner() + "/" + p.profile(), p.apiKey(), body);
        }
    }

    /** Uploads resources/programs/printenv.wasm as {@code printenv}. */
    public static void uploadPrintenv(String coordinatorUrl) {
        Path root = Path.of(System.getProperty("outlayer.root", ".")).toAbsolutePath().normalize();
        try {
            byte[] wasm = Files.readAllBytes(root.resolve("resources/programs/printenv.wasm"));
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(coordinatorUrl + "/programs/printenv"))
                    .header("Content-Type", "application/wasm").PUT(HttpRequest.BodyPublishers.ofByteArray(wasm)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("PUT /programs/printenv -> " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot upload printenv: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode send(String method, String url, String bearer, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + url + " -> " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new IllegalArgumentException("feeders/secrets.csv: column " + column + " is empty");
        }
        return String.valueOf(value).strip();
    }
}

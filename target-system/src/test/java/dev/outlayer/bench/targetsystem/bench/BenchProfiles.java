package dev.outlayer.bench.targetsystem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Stores secret profiles in a keystore over its HTTP API, as a user would, for benchmarks. */
final class BenchProfiles {
    private BenchProfiles() {}

    static Map<String, String> variables(int count) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            variables.put("SECRET_" + i, "value-" + i + "-" + "x".repeat(32));
        }
        return variables;
    }

    static void store(
            HttpClient http,
            String keystoreUrl,
            String apiKey,
            String owner,
            String profile,
            String repo,
            Map<String, String> variables)
            throws Exception {
        store(http, keystoreUrl, apiKey, owner, profile, repo, variables, JsonCodec.MAPPER.readTree("\"AllowAll\""));
    }

    /** As above, with an access condition. */
    static void store(
            HttpClient http,
            String keystoreUrl,
            String apiKey,
            String owner,
            String profile,
            String repo,
            Map<String, String> variables,
            JsonNode access)
            throws Exception {
        var scope = JsonCodec.object().put("repo", repo).put("owner", owner);
        var pubkey = JsonCodec.MAPPER.readTree(http.send(
                        HttpRequest.newBuilder(URI.create(keystoreUrl + "/pubkey"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.bytes(scope)))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                .body());
        byte[] blob = Ecies.encrypt(
                HexFormat.of().parseHex(pubkey.path("pubkey").asText()),
                JsonCodec.MAPPER.writeValueAsString(variables).getBytes(StandardCharsets.UTF_8));
        var body = JsonCodec.object()
                .put("repo", repo)
                .put("encrypted_secrets_base64", Base64.getEncoder().encodeToString(blob));
        body.set("access", access);
        var response = http.send(
                HttpRequest.newBuilder(URI.create(keystoreUrl + "/secrets/" + owner + "/" + profile))
                        .header("Authorization", "Bearer " + apiKey)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.bytes(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    "storing " + owner + "/" + profile + " failed: " + response.statusCode() + " " + response.body());
        }
    }
}

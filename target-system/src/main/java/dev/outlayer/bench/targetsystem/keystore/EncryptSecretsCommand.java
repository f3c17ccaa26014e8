package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code encrypt-secrets}: encrypts a JSON object of environment variables for a scope with the
 * keystore's public key, so users never write crypto. Prints the base64 ciphertext; with
 * {@code --profile} and {@code --api-key} it also stores it.
 */
@Command(
        name = "encrypt-secrets",
        mixinStandardHelpOptions = true,
        description = {
            "Encrypt secrets for a scope (repo:owner[:branch], or a wasm_hash, project or system accessor) with the keystore's public key (OutLayer ECIES v1)",
            "and print the base64 ciphertext; with --profile and --api-key, also store it in the keystore."
        })
public final class EncryptSecretsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--keystore",
            defaultValue = "${env:OUTLAYER_KEYSTORE_URL:-http://127.0.0.1:8081}",
            description = "Keystore URL (env OUTLAYER_KEYSTORE_URL). Default: ${DEFAULT-VALUE}")
    String keystore;

    @Option(names = "--repo", description = "Repository, e.g. github.com/alice/project (or --accessor)")
    String repo;

    @Option(
            names = "--accessor",
            description = "Another scope, in OutLayer keystore-worker's form instead of --repo: "
                    + "'{\"type\":\"WasmHash\",\"hash\":\"<64 hex>\"}', '{\"type\":\"Project\",\"project_id\":\"alice.near/agent\"}'"
                    + " or '{\"type\":\"System\",\"secret_type\":\"payment_key\"}' (needs --profile: its nonce)")
    String accessor;

    @Option(names = "--owner", required = true, description = "NEAR account that owns the secrets")
    String owner;

    @Option(names = "--branch", description = "Bind the secrets to one branch (default: every branch)")
    String branch;

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--secrets", description = "JSON object of variables, e.g. '{\"API_KEY\":\"...\"}'")
        String json;

        @Option(names = "--secrets-file", description = "File holding the JSON object; '-' reads standard input")
        String file;
    }

    @Option(names = "--profile", description = "Also store the ciphertext under this profile name")
    String profile;

    @Option(
            names = "--api-key",
            defaultValue = "${env:OUTLAYER_API_KEY:-}",
            description = "API key of the owner, needed to store (env OUTLAYER_API_KEY)")
    String apiKey;

    @Option(
            names = "--access",
            defaultValue = "\"AllowAll\"",
            description =
                    "Access condition JSON for the stored profile, e.g. '{\"Whitelist\":{\"accounts\":[\"bob.near\"]}}'. Default: ${DEFAULT-VALUE}")
    String access;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try {
            byte[] plaintext = readSecrets();
            int variables = SecretsPayload.parseManual(plaintext).size();
            String base = keystore.endsWith("/") ? keystore.substring(0, keystore.length() - 1) : keystore;

            if ((repo == null) == (accessor == null)) {
                throw new IllegalArgumentException("give --repo or --accessor (one of them)");
            }
            JsonNode accessorJson = accessor == null ? null : JsonCodec.MAPPER.readTree(accessor);
            ObjectNode scope = JsonCodec.object();
            if (accessorJson != null) {
                scope.set("accessor", accessorJson);
            } else {
                scope.put("repo", repo);
            }
            scope.put("owner", owner);
            if (branch != null) {
                scope.put("branch", branch);
            }
            if (profile != null) {
                scope.put("profile", profile);
            }
            JsonNode pubkey = call("POST", base + "/pubkey", null, scope);
            byte[] publicKey = HexFormat.of().parseHex(pubkey.path("pubkey").asText());
            String ciphertext = Base64.getEncoder().encodeToString(Ecies.encrypt(publicKey, plaintext));
            err.println("encrypted " + variables + " variable(s) for scope "
                    + pubkey.path("seed").asText());

            if (profile != null) {
                if (apiKey == null || apiKey.isBlank()) {
                    throw new IllegalArgumentException(
                            "--profile needs --api-key (the owner's API key) to store the ciphertext");
                }
                ObjectNode body = JsonCodec.object();
                if (accessorJson != null) {
                    body.set("accessor", accessorJson);
                } else {
                    // As OutLayer's dashboard does: store under the repository as the key's answer
                    // normalised it, which is what the keystore looks up and opens with.
                    body.put("repo", pubkey.path("repo_normalized").asText(repo));
                }
                if (branch != null) {
                    body.put("branch", branch);
                }
                body.put("encrypted_secrets_base64", ciphertext);
                body.set("access", JsonCodec.MAPPER.readTree(access));
                String path = "/secrets/" + encode(owner) + "/" + encode(profile);
                JsonNode stored = call("PUT", base + path, apiKey, body);
                err.println("stored as " + owner + "/" + profile + ": " + stored);
            }
            out.println(ciphertext);
            out.flush();
            return 0;
        } catch (IllegalArgumentException | ApiException | IOException e) {
            err.println("encrypt-secrets: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private byte[] readSecrets() throws IOException {
        if (source.json != null) {
            return source.json.getBytes(StandardCharsets.UTF_8);
        }
        if ("-".equals(source.file)) {
            return System.in.readAllBytes();
        }
        return Files.readAllBytes(Path.of(source.file));
    }

    private JsonNode call(String method, String url, String bearer, JsonNode body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(JsonCodec.bytes(body)));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IOException e) {
            throw new IOException(
                    "cannot reach the keystore at " + url + " (" + e.getClass().getSimpleName() + ")");
        }
        JsonNode answer;
        try {
            answer = JsonCodec.MAPPER.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (response.statusCode() / 100 != 2) {
            String reason = answer == null ? "" : answer.path("error").asText("");
            throw new IOException(
                    method + " " + url + " -> " + response.statusCode() + (reason.isEmpty() ? "" : ": " + reason));
        }
        return answer == null ? JsonCodec.object() : answer;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.outlayer.bench.targetsystem.http.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.ChainView;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.keystore.KeystoreConfig;
import dev.outlayer.bench.targetsystem.keystore.KeystoreService;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real keystore on a free port with its own data directory and keys file, plus HTTP helpers. A test that needs
 * a fresh one per method registers {@link #perTest()} as an instance field with {@code @RegisterExtension}: it is
 * closed, and its directory deleted, after each test.
 */
public final class KeystoreFixture implements AutoCloseable, AfterEachCallback {
    public static final String WORKER_TOKEN = "worker-token-for-tests";
    public static final String COORDINATOR_TOKEN = "coordinator-token-for-tests";
    public static final String ALICE_KEY = "alice-key";
    public static final String BOB_KEY = "bob-key";
    public static final long MAX_BODY = 64 * 1024;

    public final Path dataDir;
    public final Path apiKeys;
    public final HttpServer server;
    public final KeystoreService service;
    public final String url;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The temporary directory {@link #perTest()} made, deleted on close; null for a directory the test owns. */
    private Path ownDir;

    public record Response(int status, JsonNode json, String body, String serverTiming) {}

    /** A keystore in a temporary directory of its own, for a {@code @RegisterExtension} instance field. */
    public static KeystoreFixture perTest() {
        try {
            Path dir = Files.createTempDirectory("keystore-test-");
            KeystoreFixture fixture = new KeystoreFixture(dir);
            fixture.ownDir = dir;
            return fixture;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close();
    }

    public KeystoreFixture(Path dir) throws IOException {
        this(dir, "");
    }

    public KeystoreFixture(Path dir, String masterSecretHex) throws IOException {
        this(dir, masterSecretHex, ChainView.NONE);
    }

    /** With {@code chain} as the keystore's view of the chain (on-chain conditions, the contract's projects). */
    public KeystoreFixture(Path dir, String masterSecretHex, ChainView chain) throws IOException {
        this.dataDir = dir.resolve("keystore");
        this.apiKeys = dir.resolve("api-keys.csv");
        if (!Files.exists(apiKeys)) {
            Files.writeString(
                    apiKeys,
                    "api_key,tier,owner\n" + ALICE_KEY + ",standard,alice.near\n" + BOB_KEY + ",standard,bob.near\n");
        }
        KeystoreConfig config = new KeystoreConfig(
                dataDir,
                masterSecretHex,
                List.of(WorkerTokens.sha256Hex(WORKER_TOKEN)),
                apiKeys,
                0,
                KeystoreConfig.DEFAULT_MAX_PROFILES_PER_OWNER,
                List.of(WorkerTokens.sha256Hex(COORDINATOR_TOKEN)),
                KeystoreConfig.DEFAULT_OUTLAYER_CONTRACT);
        Routes routes = new Routes("keystore", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        this.service = KeystoreService.create(config, null, chain);
        KeystoreRoutes.register(routes, service, new BodyReader(MAX_BODY));
        this.server = HttpServer.start("keystore-test", "127.0.0.1", 0, routes.handler(), 1000);
        this.url = "http://127.0.0.1:" + server.port();
    }

    public Response send(String method, String path, String bearer, Object body) {
        byte[] bytes = body == null ? new byte[0] : body instanceof byte[] raw ? raw : JsonCodec.bytes(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        bytes.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            boolean isJson =
                    response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
            JsonNode json = response.body().isEmpty() || !isJson ? null : JsonCodec.MAPPER.readTree(response.body());
            return new Response(
                    response.statusCode(),
                    json,
                    response.body(),
                    response.headers().firstValue("Server-Timing").orElse(""));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }

    public String pubkey(String repo, String owner, String branch) {
        var body = JsonCodec.object().put("repo", repo).put("owner", owner);
        if (branch != null) {
            body.put("branch", branch);
        }
        return send("POST", "/pubkey", null, body).json().path("pubkey").asText();
    }

    public String encrypt(String repo, String owner, String branch, String plaintextJson) {
        byte[] publicKey = HexFormat.of().parseHex(pubkey(repo, owner, branch));
        return Base64.getEncoder()
                .encodeToString(Ecies.encrypt(publicKey, plaintextJson.getBytes(StandardCharsets.UTF_8)));
    }

    public Response store(
            String apiKey,
            String owner,
            String profile,
            String repo,
            String branch,
            String ciphertext,
            String accessJson) {
        var body = JsonCodec.object().put("repo", repo).put("encrypted_secrets_base64", ciphertext);
        if (branch != null) {
            body.put("branch", branch);
        }
        try {
            body.set("access", JsonCodec.MAPPER.readTree(accessJson));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return send("PUT", "/secrets/" + owner + "/" + profile, apiKey, body);
    }

    public Response decrypt(String token, String owner, String profile, String repo, String branch, String user) {
        var body = JsonCodec.object()
                .put("owner", owner)
                .put("profile", profile)
                .put("repo", repo)
                .put("user_account_id", user);
        if (branch != null) {
            body.put("branch", branch);
        }
        return send("POST", "/decrypt", token, body);
    }

    public static String plaintextOf(Response response) {
        return new String(
                Base64.getDecoder()
                        .decode(response.json().path("plaintext_secrets").asText()),
                StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
        service.close();
        if (ownDir != null) {
            deleteTree(ownDir);
            ownDir = null;
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}

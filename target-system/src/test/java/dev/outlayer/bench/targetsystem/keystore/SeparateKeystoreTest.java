package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The keystore in one target system, the coordinator in another, joined by a worker token given as its hash. */
class SeparateKeystoreTest {
    static final String REPO = "github.com/alice/agent";

    @TempDir
    Path dir;

    @Test
    void aCoordinatorWithTheTokenDecryptsAndOneWithoutIsRefused() throws Exception {
        Path keys = dir.resolve("api-keys.csv");
        Files.writeString(keys, "api_key,tier,owner\nalice-key,standard,alice.near\n");
        Path tiers = dir.resolve("tiers.csv");
        Files.writeString(tiers, "tier,rate_per_second,burst,max_in_flight\nanonymous,5,10,4\nstandard,20,40,8\n");
        Path hashes = dir.resolve("worker-hashes.txt");
        Files.writeString(hashes, "# coordinator B\n" + WorkerTokens.sha256Hex("token-b") + "\n");

        try (TargetSystem keystoreOnly = start(
                "--components",
                "keystore",
                "--keystore-port",
                "0",
                "--keystore-data-dir",
                dir.resolve("ks").toString(),
                "--api-keys-file",
                keys.toString(),
                "--worker-token-hashes",
                WorkerTokens.sha256Hex("token-a"),
                "--worker-token-hashes-file",
                hashes.toString())) {
            assertThat(keystoreOnly.describe()).isEqualTo("keystore=" + keystoreOnly.keystoreUrl());
            KeystoreFixture.Response stored = storeProfile(keystoreOnly.keystoreUrl());
            assertThat(stored.status()).isEqualTo(201);

            for (String token : new String[] {"token-a", "token-b"}) {
                try (TargetSystem coordinator = coordinator(keys, tiers, keystoreOnly.keystoreUrl(), token)) {
                    assertThat(coordinator
                                    .secretsClient()
                                    .fetch(new SecretsRef("alice.near", "default", REPO, null), "bob.near"))
                            .containsEntry("K", "v");
                }
            }
            try (TargetSystem stranger = coordinator(keys, tiers, keystoreOnly.keystoreUrl(), "")) {
                assertThatThrownBy(() -> stranger.secretsClient()
                                .fetch(new SecretsRef("alice.near", "default", REPO, null), "bob.near"))
                        .isInstanceOfSatisfying(
                                SecretsException.class,
                                e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.BAD_GATEWAY))
                        .hasMessageContaining("worker token");
            }
        }
    }

    private TargetSystem coordinator(Path keys, Path tiers, String keystoreUrl, String token) {
        return start(
                "--components",
                "coordinator",
                "--coordinator-port",
                "0",
                "--api-keys-file",
                keys.toString(),
                "--tiers-file",
                tiers.toString(),
                "--upstream-rpc",
                "http://127.0.0.1:9",
                "--keystore-url",
                keystoreUrl,
                "--worker-token",
                token,
                "--contracts-dir",
                dir.resolve("no-contracts").toString());
    }

    private static TargetSystem start(String... args) {
        TargetOptions options = new TargetOptions();
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--host", "127.0.0.1", "--shutdown-grace-ms", "300"}, 0, all, args.length, 4);
        new CommandLine(options).parseArgs(all);
        return TargetSystem.start(options);
    }

    private static KeystoreFixture.Response storeProfile(String keystoreUrl) throws Exception {
        var http = HttpClient.newHttpClient();
        String pubkey = JsonCodec.MAPPER
                .readTree(http.send(
                                HttpRequest.newBuilder(URI.create(keystoreUrl + "/pubkey"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"repo\":\"" + REPO + "\",\"owner\":\"alice.near\"}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body())
                .path("pubkey")
                .asText();
        String ciphertext = Base64.getEncoder()
                .encodeToString(Ecies.encrypt(
                        HexFormat.of().parseHex(pubkey), "{\"K\":\"v\"}".getBytes(StandardCharsets.UTF_8)));
        var response = http.send(
                HttpRequest.newBuilder(URI.create(keystoreUrl + "/secrets/alice.near/default"))
                        .header("X-API-Key", "alice-key")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"repo\":\"" + REPO
                                + "\",\"encrypted_secrets_base64\":\"" + ciphertext + "\",\"access\":\"AllowAll\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new KeystoreFixture.Response(response.statusCode(), null, response.body(), "");
    }
}

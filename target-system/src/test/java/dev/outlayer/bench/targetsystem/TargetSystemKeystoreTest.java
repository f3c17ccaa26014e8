package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.keystore.SecretsRef;
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

/** The keystore inside the default JVM: announced on the READY line and reachable by the coordinator's client. */
class TargetSystemKeystoreTest {
    @TempDir
    Path dir;

    /** A counter call as bob.near (his API key k2): the account secrets are fetched for. */
    private static HttpResponse<String> callCounter(HttpClient http, TargetSystem system, String body)
            throws Exception {
        return callCounter(http, system, body, "k2");
    }

    private static HttpResponse<String> callCounter(HttpClient http, TargetSystem system, String body, String apiKey)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/contracts/counter.test.near/call"));
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        return http.send(
                request.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void embeddedKeystoreServesTheCoordinatorsRandomWorkerToken() throws Exception {
        Path keys = dir.resolve("api-keys.csv");
        Files.writeString(keys, "api_key,tier,owner\nk1,standard,alice.near\nk2,standard,bob.near\n");
        Path tiers = dir.resolve("tiers.csv");
        Files.writeString(tiers, "tier,rate_per_second,burst,max_in_flight\nanonymous,5,10,4\nstandard,20,40,8\n");
        TargetOptions options = new TargetOptions();
        new CommandLine(options)
                .parseArgs(
                        "--components",
                        "coordinator,keystore",
                        "--coordinator-port",
                        "0",
                        "--keystore-port",
                        "0",
                        "--host",
                        "127.0.0.1",
                        "--keystore-data-dir",
                        dir.resolve("ks").toString(),
                        "--api-keys-file",
                        keys.toString(),
                        "--tiers-file",
                        tiers.toString(),
                        "--upstream-rpc",
                        "http://127.0.0.1:9",
                        "--shutdown-grace-ms",
                        "500",
                        "--contracts-dir",
                        Path.of(System.getProperty("outlayer.root", ".."))
                                .resolve("resources/contracts")
                                .toString());
        try (TargetSystem system = TargetSystem.start(options)) {
            assertThat(system.describe()).contains("keystore=" + system.keystoreUrl(), "coordinator=");
            HttpClient http = HttpClient.newHttpClient();
            String pubkey = http.send(
                            HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/pubkey"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"repo\":\"github.com/a/b\",\"owner\":\"alice.near\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body()
                    .replaceAll(".*\"pubkey\":\"([0-9a-f]+)\".*", "$1");
            String ciphertext = Base64.getEncoder()
                    .encodeToString(Ecies.encrypt(
                            HexFormat.of().parseHex(pubkey), "{\"X\":\"y\"}".getBytes(StandardCharsets.UTF_8)));
            var stored = http.send(
                    HttpRequest.newBuilder(URI.create(system.keystoreUrl() + "/secrets/alice.near/default"))
                            .header("Authorization", "Bearer k1")
                            .PUT(HttpRequest.BodyPublishers.ofString(
                                    "{\"repo\":\"github.com/a/b\",\"encrypted_secrets_base64\":\"" + ciphertext
                                            + "\",\"access\":\"AllowAll\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);

            var secrets = system.secretsClient()
                    .fetch(new SecretsRef("alice.near", "default", "github.com/a/b", null), "bob.near");
            assertThat(secrets).containsEntry("X", "y");

            // The whole path over the coordinator: a program prints the injected variable.
            Path root = Path.of(System.getProperty("outlayer.root", "..")).toAbsolutePath();
            var upload = http.send(
                    HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/programs/printenv"))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(
                                    Files.readAllBytes(root.resolve("resources/programs/printenv.wasm"))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
            var run = http.send(
                    HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/programs/printenv/run"))
                            .header("Authorization", "Bearer k2")
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "{\"argv\":[\"X\"],\"context\":{\"sender_id\":\"bob.near\"},"
                                                    + "\"secrets\":{\"owner\":\"alice.near\",\"profile\":\"default\",\"repo\":\"github.com/a/b\"}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
            assertThat(run.body()).contains("\"stdout\":\"y\\n\"");
            assertThat(run.headers().firstValue("Server-Timing").orElse("")).contains("decrypt;dur=", "inject;dur=");

            // Linux-mode contract calls take the same block; the API key's owner is the account whose access is
            // checked.
            String secretsBlock =
                    "\"secrets\":{\"owner\":\"alice.near\",\"profile\":\"default\",\"repo\":\"github.com/a/b\"}";
            var linuxCall = callCounter(
                    http,
                    system,
                    "{\"method\":\"increment\",\"mode\":\"linux\",\"signer_id\":\"bob.near\"," + secretsBlock + "}");
            assertThat(linuxCall.statusCode()).as(linuxCall.body()).isEqualTo(200);
            assertThat(linuxCall.headers().firstValue("Server-Timing").orElse(""))
                    .contains("decrypt;dur=", "inject;dur=");
            var directCall = callCounter(
                    http, system, "{\"method\":\"increment\",\"signer_id\":\"bob.near\"," + secretsBlock + "}");
            assertThat(directCall.statusCode()).isEqualTo(400);
            assertThat(directCall.body()).contains("mode");
            var unknownProfile = callCounter(
                    http,
                    system,
                    "{\"method\":\"increment\",\"mode\":\"linux\",\"signer_id\":\"bob.near\","
                            + secretsBlock.replace("default", "missing") + "}");
            assertThat(unknownProfile.statusCode()).as(unknownProfile.body()).isEqualTo(404);

            // signer_id alone proves nothing: without bob's key the call is refused before it runs.
            var claimed = callCounter(
                    http,
                    system,
                    "{\"method\":\"increment\",\"mode\":\"linux\",\"signer_id\":\"bob.near\"," + secretsBlock + "}",
                    null);
            assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(401);
            var aliceAsBob = callCounter(
                    http,
                    system,
                    "{\"method\":\"increment\",\"mode\":\"linux\",\"signer_id\":\"bob.near\"," + secretsBlock + "}",
                    "k1");
            assertThat(aliceAsBob.statusCode()).as(aliceAsBob.body()).isEqualTo(403);
        }
    }
}

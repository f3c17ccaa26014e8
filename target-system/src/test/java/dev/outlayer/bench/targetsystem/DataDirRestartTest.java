package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target system started with {@code --data-dir} in its own JVM gets writes of every kind, then is
 * SIGKILLed while a load of counter increments is running, and started again on the same
 * directory: every write it acknowledged is there (contract deployed and callable with its
 * count, counter at least as far as the increments answered, account balance and key with its
 * nonce, uploaded program runnable, keystore profile).
 */
class DataDirRestartTest {
    private static final Pattern READY = Pattern.compile("(?m)^READY (.*)\\R");
    private static final String COUNTER = "counter.test.near";

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopChildren() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void everyAcknowledgedWriteSurvivesASigkillMidLoad() throws Exception {
        Path data = dir.resolve("data");
        Path root = TestPrograms.root();
        Files.writeString(dir.resolve("api-keys.csv"), "api_key,tier,owner\nk1,standard,alice.near\n");
        Files.writeString(
                dir.resolve("tiers.csv"),
                "tier,rate_per_second,burst,max_in_flight\nanonymous,1000,1000,64\nstandard,1000,1000,64\n");

        Map<String, String> first = start(data, "first");
        assertThat(send(put(
                                first.get("coordinator") + "/contracts/mine.test.near",
                                wasm(root, "contracts/counter.wasm")))
                        .statusCode())
                .isEqualTo(201);
        for (int i = 0; i < 5; i++) {
            assertThat(send(call(first.get("coordinator"), "mine.test.near", "increment"))
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(send(put(first.get("coordinator") + "/programs/echo", wasm(root, "programs/echo_json.wasm")))
                        .statusCode())
                .isEqualTo(201);
        JsonNode patched = rpc(
                first.get("rpc"),
                "sandbox_patch_state",
                "{\"records\":[{\"Account\":{\"account_id\":\"carol.test.near\",\"account\":{\"amount\":\"12345\","
                        + "\"locked\":\"0\",\"code_hash\":\"11111111111111111111111111111111\",\"storage_usage\":182}}},"
                        + "{\"AccessKey\":{\"account_id\":\"carol.test.near\",\"public_key\":"
                        + "\"ed25519:3TEoqgUGaWU78md2Zt7BkNLNp3ye2rvexsDo47GYM469\",\"access_key\":{\"nonce\":7,"
                        + "\"permission\":\"FullAccess\"}}}]}");
        assertThat(patched.get("result")).as(patched.toString()).isNotNull();
        storeProfile(first.get("keystore"));

        // Load: two clients increment the counter until the kill; count what was answered.
        AtomicLong sent = new AtomicLong();
        AtomicLong acknowledged = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Thread client = new Thread(() -> {
                while (true) {
                    sent.incrementAndGet();
                    try {
                        if (send(call(first.get("coordinator"), COUNTER, "increment"))
                                        .statusCode()
                                == 200) {
                            acknowledged.incrementAndGet();
                        }
                    } catch (Exception killed) {
                        return;
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.get() < 40 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Process killed = started.get(0);
        killed.destroyForcibly(); // SIGKILL, mid-load
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        for (Thread client : clients) {
            client.join(30_000);
        }
        assertThat(acknowledged.get()).as("increments answered before the kill").isGreaterThanOrEqualTo(40);

        Map<String, String> second = start(data, "second");
        long count = Long.parseLong(view(second.get("coordinator"), COUNTER).asText());
        System.out.printf(
                "DataDirRestartTest: %d increments sent, %d answered before the SIGKILL, %d kept%n",
                sent.get(), acknowledged.get(), count);
        assertThat(count).as("every answered increment is kept").isBetween(acknowledged.get(), sent.get());
        assertThat(view(second.get("coordinator"), "mine.test.near").asText()).isEqualTo("5");
        assertThat(send(call(second.get("coordinator"), "mine.test.near", "increment"))
                        .statusCode())
                .isEqualTo(200);

        JsonNode account = rpc(
                second.get("rpc"),
                "query",
                "{\"request_type\":\"view_account\",\"finality\":\"final\",\"account_id\":\"carol.test.near\"}");
        assertThat(account.at("/result/amount").asText()).as(account.toString()).isEqualTo("12345");
        JsonNode key = rpc(
                second.get("rpc"),
                "query",
                "{\"request_type\":\"view_access_key\",\"finality\":\"final\",\"account_id\":\"carol.test.near\","
                        + "\"public_key\":\"ed25519:3TEoqgUGaWU78md2Zt7BkNLNp3ye2rvexsDo47GYM469\"}");
        assertThat(key.at("/result/nonce").asLong()).as(key.toString()).isEqualTo(7);

        HttpResponse<String> run =
                send(HttpRequest.newBuilder(URI.create(second.get("coordinator") + "/programs/echo/run"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"stdin\":\"{\\\"a\\\":1}\"}")));
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);

        HttpResponse<String> profile =
                send(HttpRequest.newBuilder(URI.create(second.get("keystore") + "/secrets/alice.near/default"))
                        .header("Authorization", "Bearer k1")
                        .GET());
        assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
    }

    private void storeProfile(String keystore) throws Exception {
        String pubkey = send(HttpRequest.newBuilder(URI.create(keystore + "/pubkey"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"repo\":\"github.com/a/b\",\"owner\":\"alice.near\"}")))
                .body()
                .replaceAll(".*\"pubkey\":\"([0-9a-f]+)\".*", "$1");
        String ciphertext = Base64.getEncoder()
                .encodeToString(Ecies.encrypt(
                        HexFormat.of().parseHex(pubkey), "{\"X\":\"y\"}".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> stored = send(HttpRequest.newBuilder(URI.create(keystore + "/secrets/alice.near/default"))
                .header("Authorization", "Bearer k1")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"repo\":\"github.com/a/b\",\"encrypted_secrets_base64\":\""
                        + ciphertext + "\",\"access\":\"AllowAll\"}")));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
    }

    /** Starts Main in its own JVM on {@code data} and returns the READY line's URLs. */
    private Map<String, String> start(Path data, String name) throws Exception {
        Path root = TestPrograms.root();
        Path log = dir.resolve(name + ".log");
        Process child = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        // A short-lived JVM, as the test JVMs: C1 alone starts it in about half the time.
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "--data-dir",
                        data.toString(),
                        "--coordinator-port",
                        "0",
                        "--rpc-port",
                        "0",
                        "--keystore-port",
                        "0",
                        "--exit-on-stdin-eof",
                        "--compile-cache-dir",
                        dir.resolve("compiled").toString(),
                        "--contracts-dir",
                        root.resolve("resources/contracts").toString(),
                        "--accounts-file",
                        root.resolve("feeders/accounts.csv").toString(),
                        "--api-keys-file",
                        dir.resolve("api-keys.csv").toString(),
                        "--tiers-file",
                        dir.resolve("tiers.csv").toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        started.add(child);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (child.isAlive() && System.nanoTime() < deadline) {
            Matcher ready = READY.matcher(Files.readString(log));
            if (ready.find()) {
                Map<String, String> urls = new HashMap<>();
                for (String pair : ready.group(1).strip().split("\\s+")) {
                    int eq = pair.indexOf('=');
                    urls.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                return urls;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the target system did not start:\n" + Files.readString(log));
    }

    private static byte[] wasm(Path root, String path) throws Exception {
        return Files.readAllBytes(root.resolve("resources/" + path));
    }

    private static HttpRequest.Builder put(String url, byte[] wasm) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/wasm")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(wasm));
    }

    private static HttpRequest.Builder call(String coordinator, String account, String method) {
        return HttpRequest.newBuilder(URI.create(coordinator + "/contracts/" + account + "/call"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"" + method + "\"}"));
    }

    private JsonNode view(String coordinator, String account) throws Exception {
        HttpResponse<String> answer =
                send(HttpRequest.newBuilder(URI.create(coordinator + "/contracts/" + account + "/view"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"get_num\"}")));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(answer.body()).get("result");
    }

    private JsonNode rpc(String url, String method, String params) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}")));
        return JsonCodec.MAPPER.readTree(answer.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

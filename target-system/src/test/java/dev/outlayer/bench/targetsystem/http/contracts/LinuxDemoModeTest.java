package dev.outlayer.bench.targetsystem.http.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.throttle.ThrottleFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mode: "linux-demo"} against OutLayer's browser-worker demo path (linux-executor.js): 500 ms boot
 * once, 100 ms per execution, 1,000,000 instructions, the canned stdout the simulator cannot parse, and no
 * contract code run. The waits are the behaviour reproduced, so their lower bounds are checked.
 */
class LinuxDemoModeTest {
    @TempDir
    static Path dir;

    private static TargetSystem system;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        ThrottleFixture fixture = new ThrottleFixture(dir);
        TargetOptions options = new TargetOptions();
        options.host = "127.0.0.1";
        options.coordinatorPort = 0;
        options.rpcPort = 0;
        options.components = EnumSet.of(TargetOptions.Component.coordinator, TargetOptions.Component.rpc);
        options.tiersFile = fixture.tiers;
        options.apiKeysFile = fixture.keys;
        options.contractsDir = Path.of(System.getProperty("outlayer.root", ".."), "resources", "contracts");
        options.shutdownGraceMillis = 2000;
        system = TargetSystem.start(options);
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long number() throws Exception {
        return JsonCodec.MAPPER
                .readTree(post("/contracts/counter.test.near/view", "{\"method\":\"get_num\"}")
                        .body())
                .path("result")
                .asLong();
    }

    @Test
    void bootsOnceRunsNothingAndReportsTheDemosNumbers() throws Exception {
        long before = number();
        long started = System.nanoTime();
        HttpResponse<String> first =
                post("/contracts/counter.test.near/call", "{\"method\":\"increment\",\"mode\":\"linux-demo\"}");
        long firstMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode body = JsonCodec.MAPPER.readTree(first.body());
        assertThat(body.path("mode").asText()).isEqualTo("linux-demo");
        assertThat(body.path("instructions").asLong()).isEqualTo(1_000_000);
        assertThat(body.path("gas_burnt").asLong()).isEqualTo(1_000_000);
        assertThat(body.path("result").path("error").asText()).isEqualTo("Invalid contract output");
        assertThat(body.path("result").path("stdout").asText())
                .startsWith("Demo Linux execution\nArgs: increment\nEnv vars: 3\nWASM size: ")
                .endsWith(" bytes\n");
        assertThat(body.path("boot_ms").asLong()).isEqualTo(500);
        assertThat(body.path("demo").asText()).contains("reproduction of OutLayer's browser-worker");
        assertThat(firstMillis).isGreaterThanOrEqualTo(600);
        assertThat(first.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(v -> assertThat(v).contains("boot;dur=").contains("exec;dur="));

        long secondStart = System.nanoTime();
        HttpResponse<String> second =
                post("/contracts/counter.test.near/call", "{\"method\":\"increment\",\"mode\":\"linux-demo\"}");
        long secondMillis = (System.nanoTime() - secondStart) / 1_000_000;
        assertThat(JsonCodec.MAPPER.readTree(second.body()).path("boot_ms").asLong())
                .isZero();
        assertThat(secondMillis).isGreaterThanOrEqualTo(100);
        assertThat(second.headers().firstValue("Server-Timing"))
                .hasValueSatisfying(
                        v -> assertThat(v).contains("boot;dur=0.000").contains("exec;dur="));

        // A cold start is a new executor: it boots its own kernel.
        HttpResponse<String> cold = post(
                "/contracts/counter.test.near/call",
                "{\"method\":\"increment\",\"mode\":\"linux-demo\",\"cold_start\":true}");
        assertThat(JsonCodec.MAPPER.readTree(cold.body()).path("boot_ms").asLong())
                .isEqualTo(500);
        // No contract code ran: the counter is where it was.
        assertThat(number()).isEqualTo(before);
    }

    @Test
    void unknownModesAndAccountsAreStillRefused() throws Exception {
        HttpResponse<String> badMode =
                post("/contracts/counter.test.near/call", "{\"method\":\"increment\",\"mode\":\"linux-fast\"}");
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(badMode.body()).contains("linux-demo");
        HttpResponse<String> noAccount =
                post("/contracts/nobody.test.near/call", "{\"method\":\"increment\",\"mode\":\"linux-demo\"}");
        assertThat(noAccount.statusCode()).isEqualTo(404);
    }
}

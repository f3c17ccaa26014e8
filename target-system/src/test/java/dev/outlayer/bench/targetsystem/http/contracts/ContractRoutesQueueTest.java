package dev.outlayer.bench.targetsystem.http.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.CallScheduler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.Callers;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.identity.ApiKeyCallers;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter alone on a one-worker, one-slot scheduler and without linux mode: refusals it owes the client. */
class ContractRoutesQueueTest {
    private static ContractSimulator simulator;
    private static CallScheduler scheduler;
    private static HttpServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        simulator = TestContracts.simulator(true);
        simulator.deploy("limits.test.near", TestContracts.wasm("limits"));
        scheduler = new CallScheduler(1, 1, 10_000);
        Routes routes = new Routes("coordinator", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        new ContractRoutes(
                        simulator,
                        scheduler,
                        new BodyReader(1 << 20),
                        4 << 20,
                        null,
                        new Callers(new ApiKeyCallers(key -> null)))
                .register(routes);
        server = HttpServer.start("contracts-test", "127.0.0.1", 0, routes.handler(), 1000);
    }

    @AfterAll
    static void stop() {
        server.close();
        scheduler.close();
        simulator.close();
    }

    private static HttpRequest call(String body) {
        return HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/contracts/limits.test.near/call"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    @Test
    void aFullQueueIs503WithRetryAfterAndTheQueuedCallStillAnswers() throws Exception {
        // Runs until its 300 Tgas are spent: long enough to hold the one slot.
        CompletableFuture<HttpResponse<String>> busy =
                HTTP.sendAsync(call("{\"method\":\"loop_forever\"}"), HttpResponse.BodyHandlers.ofString());
        HangGuard.until(() -> scheduler.queued() > 0);
        HttpResponse<String> refused = HTTP.send(call("{\"method\":\"write\"}"), HttpResponse.BodyHandlers.ofString());
        boolean slotStillHeld = !busy.isDone();
        if (slotStillHeld) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            JsonNode error = JsonCodec.MAPPER.readTree(refused.body());
            assertThat(error.path("error").asText()).contains("contract queue is full");
            assertThat(error.path("status").asInt()).isEqualTo(503);
        }
        HttpResponse<String> looped = busy.get(30, TimeUnit.SECONDS);
        assertThat(looped.statusCode()).isEqualTo(422);
        assertThat(JsonCodec.MAPPER
                        .readTree(looped.body())
                        .path("error")
                        .path("kind")
                        .asText())
                .isIn("GasExceeded", "ExecutionTimeout");
        assertThat(slotStillHeld)
                .as("the loop should hold the slot while the second call is refused")
                .isTrue();
    }

    @Test
    void linuxModeIsRefusedWhereTheEmulatorIsNotWired() throws Exception {
        HttpResponse<String> response =
                HTTP.send(call("{\"method\":\"write\",\"mode\":\"linux\"}"), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("not part of this build");
    }
}

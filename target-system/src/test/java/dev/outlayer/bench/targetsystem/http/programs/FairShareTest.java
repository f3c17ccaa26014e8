package dev.outlayer.bench.targetsystem.http.programs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.http.Callers;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.identity.ApiKeyCallers;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.LinuxEmulator;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 15, item 11: one client's slow runs cannot hold the whole pool of Linux workers. */
class FairShareTest {
    /** Slow enough to hold a worker while the others are tried, and ended by the wall-time limit. */
    private static final String SLOW_RUN = "{\"argv\":[\"sleep\"],\"limits\":{\"max_seconds\":3}}";

    private final HttpClient http = HttpClient.newHttpClient();
    private LinuxEmulator emulator;
    private HttpServer server;

    @BeforeEach
    void start() {
        emulator = TestPrograms.emulator(4); // default share: half the pool, 2 workers per client
        Routes routes = new Routes("coordinator", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        Callers callers =
                new Callers(new ApiKeyCallers(Map.of("greedy-key", "greedy.near", "other-key", "other.near")::get));
        ProgramRoutes.register(routes, emulator, 1 << 20, 1 << 20, callers);
        server = HttpServer.start("fair-share-test", "127.0.0.1", 0, routes.handler(), 1000);
    }

    @AfterEach
    void stop() {
        server.close();
        emulator.close();
    }

    private CompletableFuture<HttpResponse<String>> run(String apiKey, String program, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/programs/" + program + "/run"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int busyWorkers() {
        return JsonCodec.MAPPER
                .valueToTree(emulator.health())
                .path("workers")
                .path("busy")
                .asInt();
    }

    @Test
    void thePoolIsOnHealthInTheSnakeCaseOfItsOtherFields() {
        var workers = JsonCodec.MAPPER.valueToTree(emulator.health()).path("workers");
        assertThat(workers.path("max_workers").asInt()).as("%s", workers).isEqualTo(4);
        assertThat(workers.path("busy").asInt()).as("%s", workers).isZero();
        assertThat(workers.path("idle_booted").asInt()).as("%s", workers).isBetween(0, 4);
        assertThat(workers.path("boots").asLong())
                .as("%s", workers)
                .isEqualTo(workers.path("idle_booted").asLong());
        assertThat(workers.has("mean_boot_us")).as("%s", workers).isTrue();
    }

    @Test
    void aClientBeyondItsShareGets429WhileOthersStillRun() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> held =
                List.of(run("greedy-key", "misbehave", SLOW_RUN), run("greedy-key", "misbehave", SLOW_RUN));
        HangGuard.until(() -> busyWorkers() >= 2); // the two slow runs take their workers
        assertThat(busyWorkers()).isEqualTo(2);

        HttpResponse<String> third = run("greedy-key", "misbehave", SLOW_RUN).get();
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
        JsonNode error = JsonCodec.MAPPER.readTree(third.body());
        assertThat(error.path("error").asText()).contains("already has 2 Linux runs in flight");

        // Another client, and an anonymous one (known by its address), run at once beside them.
        HttpResponse<String> other =
                run("other-key", "echo_json", "{\"stdin\":\"{}\"}").get();
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        HttpResponse<String> anonymous =
                run(null, "echo_json", "{\"stdin\":\"{}\"}").get();
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(200);

        for (CompletableFuture<HttpResponse<String>> slow : held) {
            assertThat(slow.get().statusCode()).isEqualTo(422); // killed by its wall-time limit, as asked
        }
        // The share is given back: the greedy client runs again.
        assertThat(run("greedy-key", "echo_json", "{\"stdin\":\"{}\"}").get().statusCode())
                .isEqualTo(200);
        assertThat(JsonCodec.MAPPER
                        .valueToTree(emulator.health())
                        .path("clients_running")
                        .asInt())
                .isZero();
    }
}

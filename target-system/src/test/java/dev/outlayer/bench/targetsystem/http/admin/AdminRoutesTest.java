package dev.outlayer.bench.targetsystem.http.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminRoutesTest {
    private static HttpServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Routes routes = new Routes("coordinator", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        new AdminRoutes().register(routes);
        server = HttpServer.start("admin-test", "127.0.0.1", 0, routes.handler(), 1000);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void gcReportsTheHeapAfterAndBefore() throws Exception {
        HttpResponse<String> gc = send("POST", "/admin/gc");
        assertThat(gc.statusCode()).isEqualTo(200);
        JsonNode body = JsonCodec.MAPPER.readTree(gc.body());
        assertThat(body.path("heap_used_bytes").asLong()).isPositive();
        assertThat(body.path("heap_committed_bytes").asLong())
                .isGreaterThanOrEqualTo(body.path("heap_used_bytes").asLong());
        assertThat(body.has("heap_max_bytes")).isTrue();
        assertThat(body.path("heap_used_before_bytes").asLong()).isPositive();
        assertThat(body.path("gc_ms").isNumber()).isTrue();
    }

    @Test
    void heapReportsWithoutCollecting() throws Exception {
        HttpResponse<String> heap = send("GET", "/admin/heap");
        assertThat(heap.statusCode()).isEqualTo(200);
        JsonNode body = JsonCodec.MAPPER.readTree(heap.body());
        assertThat(body.path("heap_used_bytes").asLong()).isPositive();
        assertThat(body.has("heap_used_before_bytes")).isFalse();
    }
}

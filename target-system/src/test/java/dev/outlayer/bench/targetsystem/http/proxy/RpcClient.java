package dev.outlayer.bench.targetsystem.http.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A test client for /near-rpc. */
final class RpcClient {
    static final String STATUS = "{\"jsonrpc\":\"2.0\",\"id\":\"t\",\"method\":\"status\",\"params\":[]}";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;

    RpcClient(String coordinatorUrl) {
        this.url = coordinatorUrl + "/near-rpc";
    }

    HttpResponse<String> post(String body, String... headers) throws Exception {
        return http.send(request(body, headers), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String body, String... headers) {
        return http.sendAsync(request(body, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** A body as bytes, not necessarily UTF-8. */
    HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        return http.send(
                request(HttpRequest.BodyPublishers.ofByteArray(body), headers), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String body, String... headers) {
        return request(HttpRequest.BodyPublishers.ofString(body), headers);
    }

    private HttpRequest request(HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .POST(body);
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder.build();
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JsonCodec.MAPPER.readTree(response.body());
    }
}

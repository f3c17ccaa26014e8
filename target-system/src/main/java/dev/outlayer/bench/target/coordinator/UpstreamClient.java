package dev.outlayer.bench.target.coordinator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Forwards JSON-RPC bodies to the upstream NEAR RPC over a pooled, non-blocking HTTP/1.1 client. */
public final class UpstreamClient implements AutoCloseable {
    private final URI uri;
    private final Duration timeout;
    private final ExecutorService callbacks;
    private final HttpClient client;

    public UpstreamClient(String url, Duration timeout) {
        this.uri = URI.create(url);
        this.timeout = timeout;
        this.callbacks = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread thread = new Thread(r, "upstream-client");
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(callbacks)
                .build();
    }

    public CompletableFuture<HttpResponse<byte[]>> post(byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    public URI uri() {
        return uri;
    }

    @Override
    public void close() {
        callbacks.shutdownNow();
    }
}

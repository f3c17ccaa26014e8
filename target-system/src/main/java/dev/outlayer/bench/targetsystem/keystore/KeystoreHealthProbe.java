package dev.outlayer.bench.targetsystem.keystore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The coordinator's look at its keystore, as OutLayer's health check takes it ({@code check_keystore},
 * coordinator handlers/health.rs): {@code GET {keystore}/health}, its HTTP status.
 */
public final class KeystoreHealthProbe {
    private final URI health;
    private final Duration timeout;
    private final HttpClient http;

    public KeystoreHealthProbe(String keystoreUrl, Duration timeout) {
        String base = keystoreUrl.endsWith("/") ? keystoreUrl.substring(0, keystoreUrl.length() - 1) : keystoreUrl;
        this.health = URI.create(base + "/health");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /** The status of the keystore's {@code /health}; throws when it cannot be reached in time. */
    public int status() throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(health).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}

package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's way to the keystore for OutLayer's {@code /secrets/*} routes (coordinator
 * handlers/github.rs). OutLayer never exposes its keystore: dashboards and SDKs ask the coordinator,
 * which builds the seed and forwards to the keystore's own {@code /pubkey}, {@code
 * /add_generated_secret} (with the coordinator's token) and {@code /update_user_secrets} (the same).
 */
public final class KeystoreFront {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoreFront.class);

    /** The keystore's answer: its status and its body as it came (UTF-8). */
    public record Answer(int status, String text) {
        public boolean succeeded() {
            return status >= 200 && status < 300;
        }

        /** The body as JSON; a 502 {@code Failed to parse keystore response} when it is none (OutLayer's words). */
        public JsonNode json() {
            try {
                JsonNode body = JsonCodec.MAPPER.readTree(text);
                if (body != null && !body.isMissingNode()) {
                    return body;
                }
            } catch (IOException e) {
                // the parser's words are not the client's to read
            }
            throw new ApiException(ApiException.Kind.BAD_GATEWAY, "Failed to parse keystore response");
        }
    }

    private final String base;
    private final String coordinatorToken;
    private final Duration timeout;
    private final HttpClient http;

    public KeystoreFront(String keystoreUrl, String coordinatorToken, Duration timeout) {
        this.base = keystoreUrl.endsWith("/") ? keystoreUrl.substring(0, keystoreUrl.length() - 1) : keystoreUrl;
        this.coordinatorToken = coordinatorToken;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /** {@code POST /pubkey {seed, secrets_json}}: public on the keystore, as in OutLayer. */
    public Answer publicKey(Object body) {
        return post("/pubkey", body, false);
    }

    /** {@code POST /add_generated_secret {seed, encrypted_secrets_base64?, new_secrets}}, as the coordinator. */
    public Answer addGeneratedSecret(Object body) {
        return post("/add_generated_secret", body, true);
    }

    /** {@code POST /update_user_secrets} with the client's body as it came, as the coordinator. */
    public Answer updateUserSecrets(JsonNode body) {
        return post("/update_user_secrets", body, true);
    }

    private Answer post(String path, Object body, boolean asCoordinator) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.bytes(body)));
        if (asCoordinator) {
            request.header("Authorization", "Bearer " + coordinatorToken);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new ApiException(
                    ApiException.Kind.GATEWAY_TIMEOUT,
                    "keystore did not answer " + path + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            // The cause (refused, reset, DNS) is the operator's to read in the log, not the caller's.
            LOG.warn("keystore unreachable at {}{}: {}", base, path, e.toString());
            throw new ApiException(ApiException.Kind.BAD_GATEWAY, "Failed to connect to keystore");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.Kind.UNAVAILABLE, "interrupted while waiting for the keystore");
        }
        return new Answer(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    }
}

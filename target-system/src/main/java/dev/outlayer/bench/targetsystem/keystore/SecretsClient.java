package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * The coordinator's side of secrets: asks the keystore's {@code /decrypt} over HTTP with the
 * coordinator's worker token and turns the answer into environment variables. The Linux emulator
 * injects them ({@code ProcessEnvironment}: platform variables always win) and times both steps as
 * the {@code decrypt} and {@code inject} phases of the execution's Server-Timing.
 */
public final class SecretsClient {
    private final URI decryptUri;
    private final String workerToken;
    private final Duration timeout;
    private final HttpClient http;

    public SecretsClient(String keystoreUrl, String workerToken, Duration timeout) {
        String base = keystoreUrl.endsWith("/") ? keystoreUrl.substring(0, keystoreUrl.length() - 1) : keystoreUrl;
        this.decryptUri = URI.create(base + "/decrypt");
        this.workerToken = workerToken;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /**
     * The profile's variables for an execution requested by {@code userAccountId}. Reserved names
     * (NEAR_*, OUTLAYER_*) and malformed payloads are refused with a 400 even if a keystore let them by.
     */
    public Map<String, String> fetch(SecretsRef ref, String userAccountId) throws SecretsException {
        try {
            ObjectNode body = JsonCodec.object();
            body.put("owner", ref.owner());
            body.put("profile", ref.profile());
            body.put("repo", ref.repo());
            if (ref.branch() != null) {
                body.put("branch", ref.branch());
            }
            body.put("user_account_id", userAccountId);
            HttpRequest request = HttpRequest.newBuilder(decryptUri)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + workerToken)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.bytes(body)))
                    .build();
            HttpResponse<byte[]> response = send(request);
            if (response.statusCode() != 200) {
                throw refusal(response);
            }
            JsonNode answer = JsonCodec.MAPPER.readTree(response.body());
            String plaintextBase64 = answer == null ? null : answer.path("plaintext_secrets").textValue();
            if (plaintextBase64 == null) {
                throw new SecretsException(502, "keystore answered /decrypt without plaintext_secrets");
            }
            return SecretsPayload.parse(Base64.getDecoder().decode(plaintextBase64));
        } catch (IllegalArgumentException e) {
            throw new SecretsException(400, "secrets " + ref.owner() + "/" + ref.profile() + " refused: " + e.getMessage());
        } catch (IOException e) {
            throw new SecretsException(502, "keystore answered /decrypt with a body that is not JSON");
        }
    }

    /**
     * The Linux emulator's view ({@code emulator.useSecrets(client::resolve)}): the request's
     * {@code secrets} block and the account that asked for the execution, whose access is checked.
     */
    public Map<String, String> resolve(JsonNode reference, String userAccountId) throws SecretsException {
        SecretsRef ref = SecretsRef.fromJson(reference);
        if (userAccountId == null || userAccountId.isBlank()) {
            throw new IllegalArgumentException("secrets need the account requesting the execution (context.sender_id,"
                    + " or the signer of a contract call): the profile's access condition is checked against it");
        }
        return fetch(ref, userAccountId);
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws SecretsException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new SecretsException(504, "keystore did not answer /decrypt within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new SecretsException(502, "keystore unreachable at " + decryptUri + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SecretsException(503, "interrupted while waiting for the keystore");
        }
    }

    /** Keeps the keystore's reason; its 401 means our own token is wrong, which is the server's fault. */
    private static SecretsException refusal(HttpResponse<byte[]> response) {
        String reason;
        try {
            JsonNode error = JsonCodec.MAPPER.readTree(response.body());
            reason = error == null ? "" : error.path("error").asText("");
        } catch (IOException e) {
            reason = "";
        }
        int status = response.statusCode();
        return switch (status) {
            case 400, 403, 404 -> new SecretsException(status, "keystore: " + reason);
            case 401 -> new SecretsException(502, "keystore refused the coordinator's worker token (check --worker-token"
                    + " and the keystore's --worker-token-hashes)");
            default -> new SecretsException(502, "keystore answered /decrypt with " + status + (reason.isEmpty() ? "" : ": " + reason));
        };
    }
}

package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
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
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of secrets: asks the keystore's {@code /decrypt} over HTTP with the
 * coordinator's worker token and turns the answer into environment variables. The Linux emulator
 * injects them ({@code ProcessEnvironment}: platform variables always win) and times both steps as
 * the {@code decrypt} and {@code inject} phases of the execution's Server-Timing.
 */
public final class SecretsClient {
    private static final Logger LOG = LoggerFactory.getLogger(SecretsClient.class);

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

    /** As below, reporting neither a build nor a calling account. */
    public Map<String, String> fetch(SecretsRef ref, String userAccountId) throws SecretsException {
        return fetch(ref, userAccountId, AccessCondition.RunFacts.NONE);
    }

    /**
     * The profile's variables for an execution requested by {@code userAccountId} (the signer), for
     * the run {@code facts} describe: the SHA-256 of the wasm it runs ({@code executed_wasm_sha256},
     * for a {@code WasmHash} access condition) and the account that called the contract ({@code
     * predecessor_id}, for a {@code Predecessor} one), sent as OutLayer's worker sends them with every
     * decrypt; a null one is sent as none. Reserved names (NEAR_*, OUTLAYER_*) and malformed payloads
     * are refused (INVALID) even if a keystore let them by. This is the Linux emulator's {@code
     * SecretsResolver} ({@code emulator.useSecrets(client::fetch)}).
     */
    public Map<String, String> fetch(SecretsRef ref, String userAccountId, AccessCondition.RunFacts facts)
            throws SecretsException {
        try {
            DecryptCall body = new DecryptCall(
                    ref.owner(),
                    ref.profile(),
                    ref.repo(),
                    ref.branch(),
                    ref.accessor(),
                    userAccountId,
                    facts.executedWasmSha256(),
                    facts.predecessorId());
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
            DecryptAnswer answer = JsonCodec.MAPPER.readValue(response.body(), DecryptAnswer.class);
            String plaintextBase64 = answer == null ? null : answer.plaintextSecrets();
            if (plaintextBase64 == null) {
                throw new SecretsException(
                        ApiException.Kind.BAD_GATEWAY, "keystore answered /decrypt without plaintext_secrets");
            }
            return SecretsPayload.parse(Base64.getDecoder().decode(plaintextBase64));
        } catch (SecretsException e) {
            throw e;
        } catch (ApiException e) {
            // The payload's checks: a reserved or malformed name, never a value.
            throw new SecretsException(
                    ApiException.Kind.INVALID,
                    "secrets " + ref.owner() + "/" + ref.profile() + " refused: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new SecretsException(
                    ApiException.Kind.BAD_GATEWAY,
                    "keystore answered /decrypt with plaintext_secrets that is not base64");
        } catch (IOException e) {
            throw new SecretsException(
                    ApiException.Kind.BAD_GATEWAY, "keystore answered /decrypt with a body that is not JSON");
        }
    }

    /** The body of {@code POST /decrypt}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record DecryptCall(
            String owner,
            String profile,
            String repo,
            String branch,
            JsonNode accessor,
            @JsonProperty("user_account_id") String userAccountId,
            @JsonProperty("executed_wasm_sha256") String executedWasmSha256,
            @JsonProperty("predecessor_id") String predecessorId) {}

    /** The keystore's answer: base64 of the profile's JSON object of variables. */
    private record DecryptAnswer(
            @JsonProperty("plaintext_secrets") String plaintextSecrets) {}

    /** The keystore's refusal, {@code {error, status}}. */
    private record KeystoreError(String error) {}

    private HttpResponse<byte[]> send(HttpRequest request) throws SecretsException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new SecretsException(
                    ApiException.Kind.GATEWAY_TIMEOUT,
                    "keystore did not answer /decrypt within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            // The cause (refused, reset, DNS) is the operator's to read in the log, not the caller's.
            LOG.warn("keystore unreachable at {}: {}", decryptUri, e.toString());
            throw new SecretsException(ApiException.Kind.BAD_GATEWAY, "keystore unreachable at " + decryptUri);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SecretsException(ApiException.Kind.UNAVAILABLE, "interrupted while waiting for the keystore");
        }
    }

    /** Keeps the keystore's reason; its 401 means our own token is wrong, which is the server's fault. */
    private static SecretsException refusal(HttpResponse<byte[]> response) {
        String reason;
        try {
            KeystoreError error = JsonCodec.MAPPER.readValue(response.body(), KeystoreError.class);
            reason = error == null || error.error() == null ? "" : error.error();
        } catch (IOException e) {
            reason = "";
        }
        int status = response.statusCode();
        return switch (status) {
            // OutLayer's worker reads a 400 whose body says "not found" as no such secret (keystore_client.rs
            // secrets_error, out-layer/outlayer 516d136's worker), which a run goes on without
            case 400 ->
                new SecretsException(
                        new String(response.body(), StandardCharsets.UTF_8).contains("not found")
                                ? ApiException.Kind.NOT_FOUND
                                : ApiException.Kind.INVALID,
                        "keystore: " + reason);
            case 403 -> new SecretsException(ApiException.Kind.FORBIDDEN, "keystore: " + reason);
            case 404 -> new SecretsException(ApiException.Kind.NOT_FOUND, "keystore: " + reason);
            // An on-chain access condition that could not be read (no such account, contract or role kind).
            case 422 -> new SecretsException(ApiException.Kind.UNPROCESSABLE, "keystore: " + reason);
            case 401 ->
                new SecretsException(
                        ApiException.Kind.BAD_GATEWAY,
                        "keystore refused the coordinator's worker token"
                                + " (check --worker-token and the keystore's --worker-token-hashes)");
            default ->
                new SecretsException(
                        ApiException.Kind.BAD_GATEWAY,
                        "keystore answered /decrypt with " + status + (reason.isEmpty() ? "" : ": " + reason));
        };
    }
}

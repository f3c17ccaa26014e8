package dev.outlayer.bench.targetsystem.http.keystore;

import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.ALICE_KEY;
import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.COORDINATOR_TOKEN;
import static dev.outlayer.bench.targetsystem.http.keystore.KeystoreFixture.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every keystore route of OutLayer's keystore-worker takes axum's {@code Json<T>}: without a JSON
 * {@code Content-Type} it is a 415, a body that is not JSON a 400 and JSON that does not fit a 422, in
 * axum's words in the target system's JSON error body, after the route's credential. {@code PUT /secrets} is the stand-in's own
 * (OutLayer keeps secrets on its contract) and reads any Content-Type as before.
 */
class KeystoreJsonBodiesTest {
    private static final String NOT_JSON = "Expected request with `Content-Type: application/json`";
    private static final String REPO = "github.com/alice/agent";

    /** Each OutLayer Json route and the credential it is checked with first (null: a public route). */
    private static final Map<String, String> OUTLAYER_JSON_ROUTES = Map.of(
            "/pubkey", "",
            "/decrypt", WORKER_TOKEN,
            "/encrypt", WORKER_TOKEN,
            "/decrypt-raw", WORKER_TOKEN,
            "/storage/encrypt", WORKER_TOKEN,
            "/storage/decrypt", WORKER_TOKEN,
            "/vrf/generate", WORKER_TOKEN,
            "/add_generated_secret", COORDINATOR_TOKEN,
            "/update_user_secrets", COORDINATOR_TOKEN);

    @RegisterExtension
    final KeystoreFixture keystore = KeystoreFixture.perTest();

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> send(String method, String path, String bearer, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(keystore.url + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (bearer != null && !bearer.isEmpty()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAxumRejection(HttpResponse<String> response, int status, String body) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ErrorBodies.message(response.body())).isEqualTo(body);
    }

    @Test
    void everyOutLayerRouteAnswers415WithoutAJsonContentType() throws Exception {
        for (var route : OUTLAYER_JSON_ROUTES.entrySet()) {
            for (String contentType : new String[] {null, "text/plain", "application/x-www-form-urlencoded"}) {
                assertAxumRejection(send("POST", route.getKey(), route.getValue(), contentType, "{}"), 415, NOT_JSON);
            }
        }
    }

    @Test
    void theCredentialIsCheckedBeforeTheContentType() throws Exception {
        HttpResponse<String> worker = send("POST", "/decrypt", "not-a-worker-token", null, "{}");
        assertThat(worker.statusCode()).isEqualTo(401);
        HttpResponse<String> coordinator = send("POST", "/add_generated_secret", WORKER_TOKEN, "text/plain", "{}");
        assertThat(coordinator.statusCode()).isEqualTo(401);
    }

    @Test
    void aBodyThatIsNotJsonIs400AndJsonThatDoesNotFitIs422() throws Exception {
        assertAxumRejection(
                send("POST", "/decrypt", WORKER_TOKEN, "application/json", "{\"owner\":"),
                400,
                "Failed to parse the request body as JSON: EOF while parsing a value at line 1 column 9");
        HttpResponse<String> wrongType = send(
                "POST", "/pubkey", null, "application/json; charset=utf-8", "{\"repo\":\"" + REPO + "\",\"owner\":7}");
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(422);
        assertThat(wrongType.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ErrorBodies.message(wrongType.body()))
                .isEqualTo("Failed to deserialize the JSON body into the target type: 'owner' must be a string");
    }

    @Test
    void aJsonContentTypeWithParametersIsServed() throws Exception {
        HttpResponse<String> pubkey = send(
                "POST",
                "/pubkey",
                null,
                "application/json; charset=utf-8",
                "{\"repo\":\"" + REPO + "\",\"owner\":\"alice.near\"}");
        assertThat(pubkey.statusCode()).as(pubkey.body()).isEqualTo(200);
        assertThat(pubkey.body())
                .isEqualTo(keystore.send("POST", "/pubkey", null, Map.of("repo", REPO, "owner", "alice.near"))
                        .body());
    }

    @Test
    void storingASecretIsTheStandInsOwnRouteAndReadsAnyContentType() throws Exception {
        String ciphertext = keystore.encrypt(REPO, "alice.near", null, "{\"API_KEY\":\"v\"}");
        HttpResponse<String> stored = send(
                "PUT",
                "/secrets/alice.near/default",
                ALICE_KEY,
                null,
                "{\"repo\":\"" + REPO + "\",\"encrypted_secrets_base64\":\"" + ciphertext
                        + "\",\"access\":\"AllowAll\"}");
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        HttpResponse<String> refused = send("PUT", "/secrets/alice.near/other", ALICE_KEY, "text/plain", "{");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
    }
}

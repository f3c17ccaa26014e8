package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.function.Function;

/**
 * One NEAR JSON-RPC endpoint as the simulations that sign transactions use it: the measured Gatling requests
 * ({@code block}, {@code view_access_key}, {@code send_tx}, a status query) and the blocking calls made while
 * setting up. Bodies are Jackson records; transactions come from {@link SignedCall}.
 */
public final class NearRpc {
    /** A JSON-RPC 2.0 request; the id names the call in a capture. */
    record Call(String jsonrpc, String id, String method, Object params) {}

    record Finality(String finality) {}

    record ViewAccessKey(String requestType, String finality, String accountId, String publicKey) {}

    record SendTx(String signedTxBase64, String waitUntil) {}

    record TxStatus(String txHash, String senderAccountId, String waitUntil) {}

    private static final Finality FINAL = new Finality("final");

    private final String url;
    private final String authorization;

    /**
     * @param url the endpoint, or a path on the coordinator ({@link JsonRpc#PROXY_PATH})
     * @param authorization the Authorization header, or null for none; Gatling EL in the measured requests
     */
    public NearRpc(String url, String authorization) {
        this.url = url;
        this.authorization = authorization;
    }

    /** The embedded target's emulator, else the coordinator's proxy (a deployment that names no RPC URL). */
    public static String targetUrl() {
        return Target.upstreamUrl() != null ? Target.upstreamUrl() + "/" : JsonRpc.PROXY_PATH;
    }

    /** {@code url}; through the proxy with the {@code unlimited} key, which is never throttled. */
    public static NearRpc at(String url) {
        return new NearRpc(url, url.equals(JsonRpc.PROXY_PATH) ? "Bearer " + JsonRpc.apiKey("unlimited") : null);
    }

    public String url() {
        return url;
    }

    /** A measured request of {@code method}; it must answer 200. */
    public HttpRequestActionBuilder request(String name, String method, Function<Session, Object> params) {
        HttpRequestActionBuilder request = http(name).post(url);
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        return request.body(Json.body(session -> call(method, params.apply(session))))
                .check(status().is(200));
    }

    /** The final block's hash, saved as {@code saveAs}: what transactions are signed with. */
    public HttpRequestActionBuilder finalBlockHash(String name, String saveAs) {
        return request(name, "block", session -> FINAL)
                .check(jsonPath("$.result.header.hash").saveAs(saveAs));
    }

    /** The access key of the session's {@code signer}: its nonce saved as {@code saveAs}. */
    public HttpRequestActionBuilder accessKeyNonce(String name, String signer, String saveAs) {
        return request(name, "query", session -> viewAccessKey(session.get(signer)))
                .check(jsonPath("$.result.nonce").ofLong().saveAs(saveAs));
    }

    /** {@code send_tx} of the session's {@code tx} (a {@link SignedCall#base64()}), waiting until {@code waitUntil}. */
    public HttpRequestActionBuilder sendTx(String name, String waitUntil) {
        return request(name, "send_tx", session -> new SendTx(session.getString("tx"), waitUntil));
    }

    /** A status query ({@code method}) of the session's {@code txHash} sent by {@code sender}. */
    public HttpRequestActionBuilder txStatus(String name, String method, String waitUntil) {
        return request(
                name,
                method,
                session -> new TxStatus(session.getString("txHash"), session.getString("sender"), waitUntil));
    }

    /** Whether an outcome's {@code status} is final: a SuccessValue or a Failure. */
    public static boolean isFinal(JsonNode status) {
        return status.has("SuccessValue") || status.has("Failure");
    }

    /** The final block's hash, asked while setting up. */
    public String finalBlockHash() {
        return result("block", FINAL).path("header").path("hash").asText();
    }

    /** The access key's nonce, asked while setting up; an error names the key when the account lacks it. */
    public long nonce(TransactionSigner signer) {
        JsonNode key = answer("query", viewAccessKey(signer));
        if (!key.path("result").has("nonce")) {
            throw new IllegalStateException(
                    "no access key " + signer.publicKey() + " on " + signer.signerId() + ": " + key);
        }
        return key.path("result").path("nonce").asLong();
    }

    /**
     * {@code tx} sent with {@code send_tx} (INCLUDED), then asked for with {@code tx} (FINAL) until its status is
     * final, {@code attempts} times at the most, {@code pause} apart: the last answer's result, or the answer.
     */
    public JsonNode sendAndAwaitFinal(SignedCall tx, String sender, int attempts, Duration pause) {
        result("send_tx", new SendTx(tx.base64(), "INCLUDED"));
        JsonNode outcome = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            JsonNode answer = answer("tx", new TxStatus(tx.hash(), sender, "FINAL"));
            outcome = answer.has("error") ? answer : answer.path("result"); // an error: not final yet
            if (isFinal(outcome.path("status"))) {
                return outcome;
            }
            SetupHttp.sleep(pause);
        }
        return outcome;
    }

    /** A blocking call's result; an error answer is an exception. */
    public JsonNode result(String method, Object params) {
        JsonNode answer = answer(method, params);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " -> " + answer.path("error"));
        }
        return answer.path("result");
    }

    /** A blocking call (not measured) and its whole answer; the authorization is sent as it is. */
    public JsonNode answer(String method, Object params) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(url.startsWith("/") ? Target.coordinatorUrl() + url : url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(call(method, params))));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return Json.read(SetupHttp.send(request.build()).body());
    }

    static Call call(String method, Object params) {
        return new Call("2.0", id(method), method, params);
    }

    static ViewAccessKey viewAccessKey(TransactionSigner signer) {
        return new ViewAccessKey(
                "view_access_key",
                "optimistic",
                signer.signerId(),
                signer.publicKey().toString());
    }

    private static String id(String method) {
        return switch (method) {
            case "block" -> "b";
            case "query" -> "k";
            case "send_tx" -> "tx";
            default -> "s";
        };
    }
}

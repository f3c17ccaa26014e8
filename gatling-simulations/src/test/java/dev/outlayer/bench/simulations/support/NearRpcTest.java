package dev.outlayer.bench.simulations.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NearRpcTest {
    private static final TransactionSigner SIGNER = TransactionSigner.fromSeed("alice.test.near", new byte[32]);

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void theBodiesAreTheJsonRpcRequestsNearNodesTake() {
        assertThat(Json.write(NearRpc.call("block", new NearRpc.Finality("final"))))
                .isEqualTo(
                        "{\"jsonrpc\":\"2.0\",\"id\":\"b\",\"method\":\"block\",\"params\":{\"finality\":\"final\"}}");
        assertThat(Json.write(NearRpc.call("query", NearRpc.viewAccessKey(SIGNER))))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"k\",\"method\":\"query\",\"params\":{\"request_type\":"
                        + "\"view_access_key\",\"finality\":\"optimistic\",\"account_id\":\"alice.test.near\","
                        + "\"public_key\":\"" + SIGNER.publicKey() + "\"}}");
        assertThat(Json.write(NearRpc.call("send_tx", new NearRpc.SendTx("AAEC", "INCLUDED"))))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"tx\",\"method\":\"send_tx\","
                        + "\"params\":{\"signed_tx_base64\":\"AAEC\",\"wait_until\":\"INCLUDED\"}}");
        assertThat(Json.write(
                        NearRpc.call("EXPERIMENTAL_tx_status", new NearRpc.TxStatus("H", "alice.test.near", "FINAL"))))
                .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"EXPERIMENTAL_tx_status\",\"params\":"
                        + "{\"tx_hash\":\"H\",\"sender_account_id\":\"alice.test.near\",\"wait_until\":\"FINAL\"}}");
    }

    @Test
    void aTransactionIsAskedForUntilItsStatusIsFinal() throws IOException {
        List<String> asked = new CopyOnWriteArrayList<>();
        List<String> answers = List.of(
                "{\"result\":{}}",
                "{\"error\":{\"name\":\"HANDLER_ERROR\",\"cause\":{\"name\":\"TIMEOUT_ERROR\"}}}",
                "{\"result\":{\"status\":{\"Started\":null}}}",
                "{\"result\":{\"status\":{\"SuccessValue\":\"\"}}}");
        serve(asked, answers);
        NearRpc rpc = new NearRpc(url(), null);
        SignedCall tx = SignedCall.sign(
                SIGNER, "outlayer.test.near", 1, "11111111111111111111111111111111", "m", "{}", 1, BigInteger.ZERO);

        JsonNode outcome = rpc.sendAndAwaitFinal(tx, "alice.test.near", 50, Duration.ofMillis(1));

        assertThat(outcome.path("status").has("SuccessValue")).isTrue();
        assertThat(asked)
                .extracting(body -> Json.read(body).path("method").asText())
                .containsExactly("send_tx", "tx", "tx", "tx");
        assertThat(Json.read(asked.get(1)).path("params").path("tx_hash").asText())
                .isEqualTo(tx.hash());
    }

    @Test
    void anErrorAnswerIsAnExceptionAndAMissingKeyIsNamed() throws IOException {
        serve(
                new CopyOnWriteArrayList<>(),
                List.of("{\"error\":{\"name\":\"HANDLER_ERROR\"}}", "{\"error\":{\"name\":\"UNKNOWN_ACCESS_KEY\"}}"));
        NearRpc rpc = new NearRpc(url(), null);

        assertThatThrownBy(rpc::finalBlockHash).hasMessageContaining("block -> {\"name\":\"HANDLER_ERROR\"}");
        assertThatThrownBy(() -> rpc.nonce(SIGNER))
                .hasMessageContaining("no access key " + SIGNER.publicKey() + " on alice.test.near");
    }

    /** A NEAR RPC that keeps each body it is sent and gives the answers in order, the last one from then on. */
    private void serve(List<String> asked, List<String> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                asked.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            byte[] answer =
                    answers.get(Math.min(asked.size(), answers.size()) - 1).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }
}

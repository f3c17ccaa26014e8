package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.SimulatorChainView;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.http.rpc.NearRpcHandler;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.TransactionEngine;
import dev.outlayer.bench.targetsystem.transactions.TransactionLimits;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The emulator's listener with calls waiting for their wait_until: a wait holds no worker thread, so
 * a hundred of them (more than the listener has workers) do not keep another call waiting.
 */
class RpcWaitsHttpTest {
    private static final long GENESIS_MILLIS = 1_700_000_000_000L;
    private static final long BLOCK_MILLIS = 1_000;
    private static final int WAITS = 100;
    private static final TransactionSigner ALICE = TransactionSigner.fromSeed("alice.test.near", seed(1));

    /** A clock moved by hand: no block comes, so waits for finality stay pending until the test moves it. */
    private final AtomicLong now = new AtomicLong(GENESIS_MILLIS + 10 * BLOCK_MILLIS + 500);

    private final BlockClock clock = new BlockClock(GENESIS_MILLIS, BLOCK_MILLIS, now::get);
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private HttpServer server;
    /** Closed after the server: @AutoClose fields close after @AfterEach. */
    @AutoClose
    private ContractSimulator simulator;

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) value);
        return seed;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aHundredCallsWaitingForFinalityDoNotDelayAStatusCall() throws Exception {
        simulator = new ContractSimulator(true, clock);
        simulator.deploy(
                "counter.test.near",
                Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/counter.wasm")));
        SimulatorTransactionChain chain = new SimulatorTransactionChain(simulator);
        AccountsFeeder.seed(
                List.of(new AccountsFeeder.Seed(
                        ALICE.signerId(), ALICE.publicKey(), new BigInteger("10000000000000000000000000"))),
                chain);
        // Waits longer than the test: only finality, or the test stopping, ends them.
        TransactionEngine engine = new TransactionEngine(clock, chain, TransactionLimits.PINNED, 120_000);
        NearRpcEmulator emulator =
                new NearRpcEmulator(clock, "outlayer-test", new SimulatorChainView(simulator), engine);
        server = HttpServer.start(
                "rpc-waits-test", "127.0.0.1", 0, new NearRpcHandler(emulator, new BodyReader(1 << 20)).handler(), 0);

        byte[] signed = ALICE.sign(
                "counter.test.near",
                1,
                Base58.decode(clock.hash(clock.latestHeight() - 2)),
                List.of(new Action.FunctionCall(
                        "increment", "{}".getBytes(StandardCharsets.UTF_8), 30_000_000_000_000L, BigInteger.ZERO)));
        JsonNode sent = post(
                        "send_tx",
                        "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                                + "\",\"wait_until\":\"EXECUTED_OPTIMISTIC\"}")
                .get(30, TimeUnit.SECONDS);
        String hash = sent.at("/result/transaction/hash").asText();
        assertThat(sent.at("/result/final_execution_status").asText())
                .as("%s", sent)
                .isEqualTo("EXECUTED_OPTIMISTIC");

        List<CompletableFuture<JsonNode>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITS; i++) {
            String params = i % 2 == 0
                    ? "{\"tx_hash\":\"" + hash
                            + "\",\"sender_account_id\":\"alice.test.near\",\"wait_until\":\"FINAL\"}"
                    : "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                            + "\",\"wait_until\":\"FINAL\"}";
            waiting.add(post(i % 2 == 0 ? "tx" : "send_tx", params));
        }
        HangGuard.until(() -> engine.pendingWaits() >= WAITS);
        assertThat(engine.pendingWaits()).as("every call arrived and waits").isEqualTo(WAITS);

        JsonNode status = post("status", "[]").get(20, TimeUnit.SECONDS);

        assertThat(status.at("/result/sync_info/latest_block_height").asLong()).isEqualTo(clock.latestHeight());
        assertThat(waiting)
                .as("the status call was answered while every wait was still pending")
                .noneMatch(CompletableFuture::isDone);
        assertThat(engine.pendingWaits()).isEqualTo(WAITS);

        now.addAndGet(3 * BLOCK_MILLIS); // the including block becomes final
        for (CompletableFuture<JsonNode> answer : waiting) {
            JsonNode reply = answer.get(30, TimeUnit.SECONDS);
            assertThat(reply.at("/result/final_execution_status").asText())
                    .as("%s", reply)
                    .isEqualTo("FINAL");
            assertThat(reply.at("/result/transaction/hash").asText()).isEqualTo(hash);
        }
        assertThat(engine.pendingWaits()).isZero();
    }

    private CompletableFuture<JsonNode> post(String method, String params) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            try {
                return JsonCodec.MAPPER.readTree(response.body());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}

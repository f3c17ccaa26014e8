package dev.outlayer.bench.targetsystem.http.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.throttle.ThrottleFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NEP-141 ft_transfer_call end to end over HTTP, with contracts built by near-sdk-as
 * (resources/contracts/as): the token's transfer, the receiver's ft_on_transfer, and
 * ft_resolve_transfer's refund of what the receiver did not use (all of it when it failed).
 */
class FtTransferCallTest {
    private static final String FT = "ft.test.near";
    private static final String RECEIVER = "receiver.test.near";
    private static final String ALICE = "alice.test.near";

    @TempDir
    static Path dir;

    private static TargetSystem system;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        ThrottleFixture fixture = new ThrottleFixture(dir);
        TargetOptions options = new TargetOptions();
        options.host = "127.0.0.1";
        options.coordinatorPort = 0;
        options.rpcPort = 0;
        options.components = EnumSet.of(TargetOptions.Component.coordinator, TargetOptions.Component.rpc);
        options.tiersFile = fixture.tiers;
        options.apiKeysFile = fixture.keys;
        options.contractsDir = dir.resolve("no-bundled-contracts");
        options.shutdownGraceMillis = 2000;
        system = TargetSystem.start(options);
        Path contracts = Path.of(System.getProperty("outlayer.root", ".."), "resources", "contracts");
        deploy(FT, Files.readAllBytes(contracts.resolve("ft.wasm")));
        deploy(RECEIVER, Files.readAllBytes(contracts.resolve("ft-receiver.wasm")));
        HttpResponse<String> init = call(
                FT, "new_default_meta", "{\"owner_id\":\"" + ALICE + "\",\"total_supply\":\"1000\"}", FT, null, null);
        assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    private static void deploy(String account, byte[] code) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/contracts/" + account))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(code))
                        .header("Content-Type", "application/wasm")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static HttpResponse<String> call(
            String account, String method, String args, String signer, String deposit, String wait) throws Exception {
        String body = "{\"method\":\"" + method + "\",\"args\":" + args + ",\"signer_id\":\"" + signer + "\""
                + (deposit == null ? "" : ",\"attached_deposit\":\"" + deposit + "\"")
                + (wait == null ? "" : ",\"wait\":\"" + wait + "\"") + "}";
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/contracts/" + account + "/call"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long balance(String account) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/contracts/" + FT + "/view"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"method\":\"ft_balance_of\",\"args\":{\"account_id\":\"" + account + "\"}}"))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Long.parseLong(
                JsonCodec.MAPPER.readTree(response.body()).path("result").asText());
    }

    private static JsonNode transferCall(String amount, String msg) throws Exception {
        HttpResponse<String> response = call(
                FT,
                "ft_transfer_call",
                "{\"receiver_id\":\"" + RECEIVER + "\",\"amount\":\"" + amount + "\",\"msg\":\"" + msg + "\"}",
                ALICE,
                "1",
                null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(response.body());
    }

    /** Every receipt's logs of the tree, in execution order, by executor. */
    private static List<String> logs(JsonNode answer, String executor) {
        List<String> logs = new ArrayList<>();
        for (JsonNode receipt : answer.path("final_execution_outcome").path("receipts_outcome")) {
            if (receipt.path("outcome").path("executor_id").asText().equals(executor)) {
                receipt.path("outcome").path("logs").forEach(l -> logs.add(l.asText()));
            }
        }
        return logs;
    }

    @Test
    void transferCallRefundsWhatTheReceiverReturnsAndWhenItFails() throws Exception {
        long alice = balance(ALICE);
        long receiver = balance(RECEIVER);

        JsonNode partial = transferCall("100", "return:30");
        assertThat(partial.path("result").asText()).as("used amount").isEqualTo("70");
        assertThat(partial.path("final_execution_outcome")
                        .path("status")
                        .path("SuccessValue")
                        .asText())
                .isEqualTo(java.util.Base64.getEncoder().encodeToString("\"70\"".getBytes()));
        assertThat(balance(ALICE)).isEqualTo(alice - 70);
        assertThat(balance(RECEIVER)).isEqualTo(receiver + 70);
        assertThat(logs(partial, FT))
                .containsExactly(
                        "EVENT_JSON:{\"standard\":\"nep141\",\"version\":\"1.0.0\",\"event\":\"ft_transfer\",\"data\":"
                                + "[{\"old_owner_id\":\"alice.test.near\",\"new_owner_id\":\"receiver.test.near\",\"amount\":\"100\"}]}",
                        "EVENT_JSON:{\"standard\":\"nep141\",\"version\":\"1.0.0\",\"event\":\"ft_transfer\",\"data\":"
                                + "[{\"old_owner_id\":\"receiver.test.near\",\"new_owner_id\":\"alice.test.near\",\"amount\":\"30\",\"memo\":\"refund\"}]}");
        assertThat(logs(partial, RECEIVER))
                .containsExactly("in 100 tokens from @alice.test.near ft_on_transfer, msg = return:30");

        JsonNode failed = transferCall("50", "panic");
        assertThat(failed.path("status").asText())
                .as("the resolve decides: success")
                .isEqualTo("success");
        assertThat(failed.path("result").asText()).isEqualTo("0");
        JsonNode receiverOutcome =
                failed.path("final_execution_outcome").path("receipts_outcome").get(1);
        assertThat(receiverOutcome.path("outcome").path("executor_id").asText()).isEqualTo(RECEIVER);
        assertThat(receiverOutcome
                        .path("outcome")
                        .path("status")
                        .path("Failure")
                        .toString())
                .contains("the receiver refuses the tokens");
        assertThat(balance(ALICE)).as("all 50 refunded").isEqualTo(alice - 70);
        assertThat(balance(RECEIVER)).isEqualTo(receiver + 70);

        JsonNode all = transferCall("20", "take-my-money");
        assertThat(all.path("result").asText()).isEqualTo("20");
        assertThat(balance(ALICE)).isEqualTo(alice - 90);
        assertThat(logs(all, FT)).hasSize(1);
    }

    @Test
    void transferCallWithoutOneYoctoFailsAndChangesNothing() throws Exception {
        long alice = balance(ALICE);
        HttpResponse<String> response = call(
                FT,
                "ft_transfer_call",
                "{\"receiver_id\":\"" + RECEIVER + "\",\"amount\":\"5\",\"msg\":\"\"}",
                ALICE,
                null,
                null);
        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = JsonCodec.MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).contains("Requires attached deposit of exactly 1 yoctoNEAR");
        assertThat(error.path("action_error").asText()).isEqualTo("FunctionCallError");
        assertThat(balance(ALICE)).isEqualTo(alice);
    }

    @Test
    void firstReceiptModeAnswersWithTheCallItself() throws Exception {
        HttpResponse<String> response = call(
                FT,
                "ft_transfer_call",
                "{\"receiver_id\":\"" + RECEIVER + "\",\"amount\":\"1\",\"msg\":\"take-my-money\"}",
                ALICE,
                "1",
                "first_receipt");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JsonCodec.MAPPER.readTree(response.body());
        assertThat(body.path("wait_mode").asText()).isEqualTo("first_receipt");
        JsonNode first =
                body.path("final_execution_outcome").path("receipts_outcome").get(0);
        assertThat(first.path("outcome").path("status").has("SuccessReceiptId")).isTrue();
    }
}

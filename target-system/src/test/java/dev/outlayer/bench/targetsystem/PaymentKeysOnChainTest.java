package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.HostBinding;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.keystore.PaymentKeySecret;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.transactions.SignedTransaction;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain half of payment keys end to end, as OutLayer runs it: the owner stores the key's
 * blob on the contract with {@code store_secrets} (System accessor), whose TopUp event with amount
 * 0 the coordinator's monitor queues and the in-process system-callback worker turns into a key
 * with balance 0; a top-up by {@code ft_transfer_call} of the stablecoin stand-in yields until the
 * worker has re-sealed the blob with the new balance and resumed, after which the contract holds
 * the new blob and the tokens and the coordinator the balance; {@code delete_payment_key} deletes
 * the coordinator's key and then the secret.
 */
class PaymentKeysOnChainTest {
    private static final String KEY = "5a".repeat(32);
    private static final String USDC = ContractSimulator.PAYMENT_TOKEN;
    private static final String OUTLAYER = ContractSimulator.OUTLAYER_ACCOUNT;

    @TempDir
    Path dir;

    private final AtomicLong nonce = new AtomicLong(100);

    private static HttpResponse<String> send(String method, String url, JsonNode body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body.toString()));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs a call by the client's user and waits for its final outcome. */
    private JsonNode sign(LifecycleClient client, String receiver, String method, String args, BigInteger deposit)
            throws Exception {
        byte[] blockHash = Base58.decode(client.rpc("block", "{\"finality\":\"final\"}")
                .path("header")
                .path("hash")
                .asText());
        byte[] signed = client.user.sign(
                receiver,
                nonce.incrementAndGet(),
                blockHash,
                List.of(new Action.FunctionCall(
                        method, args.getBytes(StandardCharsets.UTF_8), LifecycleClient.GAS, deposit)));
        client.rpc(
                "send_tx",
                "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                        + "\",\"wait_until\":\"INCLUDED\"}");
        return client.finalOutcome(SignedTransaction.decode(signed).hashText());
    }

    private String sealToKeystore(LifecycleClient client, String owner, String nonce, String plaintext)
            throws Exception {
        ObjectNode accessor = JsonCodec.object().put("type", "System").put("secret_type", "payment_key");
        ObjectNode keyRequest = JsonCodec.object().put("owner", owner).put("profile", nonce);
        keyRequest.set("accessor", accessor);
        HttpResponse<String> pubkey = send("POST", client.system.keystoreUrl() + "/pubkey", keyRequest);
        assertThat(pubkey.statusCode()).as(pubkey.body()).isEqualTo(200);
        byte[] publicKey = HexFormat.of()
                .parseHex(
                        JsonCodec.MAPPER.readTree(pubkey.body()).path("pubkey").asText());
        return Base64.getEncoder().encodeToString(Ecies.encrypt(publicKey, plaintext.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> balance(LifecycleClient client, String header) throws Exception {
        return send("GET", client.system.coordinatorUrl() + "/payment-keys/balance", null, "X-Payment-Key", header);
    }

    private static HttpResponse<String> awaitStatus(LifecycleClient client, String header, int status)
            throws Exception {
        HttpResponse<String> answer = balance(client, header);
        for (int i = 0; i < 100 && answer.statusCode() != status; i++) {
            Thread.sleep(100);
            answer = balance(client, header);
        }
        return answer;
    }

    private JsonNode view(LifecycleClient client, String account, String method, String args) throws Exception {
        return client.view(account, method, args);
    }

    private static String topUpArgs(long amount, int keyNonce) {
        return "{\"receiver_id\":\"" + OUTLAYER + "\",\"amount\":\"" + amount
                + "\",\"msg\":\"{\\\"action\\\":\\\"top_up_payment_key\\\",\\\"nonce\\\":" + keyNonce + "}\"}";
    }

    @Test
    void aKeyStoredOnChainIsFundedByAnFtTopUpAndDeletedThroughTheSystemCallbacks() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        try (LifecycleClient client = new LifecycleClient(options)) {
            String owner = client.user.signerId();
            String header = owner + ":5:" + KEY;
            String blob = sealToKeystore(
                    client,
                    owner,
                    "5",
                    "{\"key\":\"" + KEY + "\",\"project_ids\":[],"
                            + "\"max_per_call\":null,\"initial_balance\":\"0\"}");
            assertThat(balance(client, header).statusCode()).as("no key yet").isEqualTo(401);

            JsonNode stored = sign(
                    client,
                    OUTLAYER,
                    "store_secrets",
                    "{\"accessor\":{\"System\":\"PaymentKey\"}," + "\"profile\":\"5\",\"encrypted_secrets_base64\":\""
                            + blob + "\",\"access\":\"AllowAll\"}",
                    LifecycleClient.DEPOSIT);
            assertThat(stored.path("status").has("SuccessValue"))
                    .as(stored.toString())
                    .isTrue();
            HttpResponse<String> known = awaitStatus(client, header, 200);
            assertThat(known.statusCode()).as(known.body()).isEqualTo(200);
            assertThat(JsonCodec.MAPPER
                            .readTree(known.body())
                            .path("initial_balance")
                            .asText())
                    .isEqualTo("0");

            client.fundWithStablecoin(owner, 1_000_000);

            JsonNode toppedUp = sign(client, USDC, "ft_transfer_call", topUpArgs(250_000, 5), BigInteger.ONE);
            assertThat(toppedUp.path("status").path("SuccessValue").asText())
                    .as("ft_transfer_call's result: all 250000 used")
                    .isEqualTo(Base64.getEncoder().encodeToString("\"250000\"".getBytes(StandardCharsets.UTF_8)));
            HttpResponse<String> funded = balance(client, header);
            assertThat(JsonCodec.MAPPER
                            .readTree(funded.body())
                            .path("initial_balance")
                            .asText())
                    .isEqualTo("250000");
            assertThat(view(client, USDC, "ft_balance_of", "{\"account_id\":\"" + OUTLAYER + "\"}")
                            .asText())
                    .isEqualTo("250000");
            String newBlob = view(
                            client,
                            OUTLAYER,
                            "get_secrets",
                            "{\"accessor\":{\"System\":\"PaymentKey\"}," + "\"profile\":\"5\",\"owner\":\"" + owner
                                    + "\"}")
                    .path("encrypted_secrets")
                    .asText();
            assertThat(newBlob).isNotEqualTo(blob);
            PaymentKeySecret reopened = client.system.keystoreService().openPaymentKey(owner, 5, newBlob);
            assertThat(reopened.initialBalance())
                    .as("the blob on chain holds the new balance")
                    .isEqualTo("250000");
            assertThat(reopened.key()).isEqualTo(KEY);

            JsonNode unknownKey = sign(client, USDC, "ft_transfer_call", topUpArgs(250_000, 6), BigInteger.ONE);
            assertThat(unknownKey.path("status").path("SuccessValue").asText())
                    .as("a top-up of a key the contract does not hold is refunded")
                    .isEqualTo(Base64.getEncoder().encodeToString("\"0\"".getBytes(StandardCharsets.UTF_8)));
            assertThat(view(client, USDC, "ft_balance_of", "{\"account_id\":\"" + owner + "\"}")
                            .asText())
                    .isEqualTo("750000");

            JsonNode deleted = sign(client, OUTLAYER, "delete_payment_key", "{\"nonce\":5}", BigInteger.ONE);
            assertThat(deleted.path("status").has("SuccessValue"))
                    .as(deleted.toString())
                    .isTrue();
            assertThat(balance(client, header).statusCode())
                    .as("a deleted key is no key")
                    .isEqualTo(401);
            assertThat(view(
                                    client,
                                    OUTLAYER,
                                    "get_secrets",
                                    "{\"accessor\":{\"System\":\"PaymentKey\"}," + "\"profile\":\"5\",\"owner\":\""
                                            + owner + "\"}")
                            .isNull())
                    .isTrue();
        }
    }

    @Test
    void aTopUpWhoseBlobTheKeystoreCannotOpenIsRefundedAndChangesNoBalance() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        try (LifecycleClient client = new LifecycleClient(options)) {
            String owner = client.user.signerId();
            // sealed to nonce 7's scope, stored as nonce 8: the keystore cannot open it as key 8
            String blob = sealToKeystore(
                    client,
                    owner,
                    "7",
                    "{\"key\":\"" + KEY + "\",\"project_ids\":[],"
                            + "\"max_per_call\":null,\"initial_balance\":\"0\"}");
            JsonNode stored = sign(
                    client,
                    OUTLAYER,
                    "store_secrets",
                    "{\"accessor\":{\"System\":\"PaymentKey\"}," + "\"profile\":\"8\",\"encrypted_secrets_base64\":\""
                            + blob + "\",\"access\":\"AllowAll\"}",
                    LifecycleClient.DEPOSIT);
            assertThat(stored.path("status").has("SuccessValue"))
                    .as(stored.toString())
                    .isTrue();
            client.system
                    .contracts()
                    .call(
                            CallRequest.call(
                                            USDC,
                                            "ft_transfer",
                                            ("{\"receiver_id\":\"" + owner + "\",\"amount\":\"1000000\"}")
                                                    .getBytes(StandardCharsets.UTF_8))
                                    .withCaller(USDC, USDC)
                                    .withDeposit(BigInteger.ONE),
                            WaitMode.ALL_RECEIPTS,
                            HostBinding.DIRECT);

            JsonNode refused = sign(client, USDC, "ft_transfer_call", topUpArgs(250_000, 8), BigInteger.ONE);

            assertThat(refused.path("status").path("SuccessValue").asText())
                    .as("the worker resumed with an error: every token refunded")
                    .isEqualTo(Base64.getEncoder().encodeToString("\"0\"".getBytes(StandardCharsets.UTF_8)));
            assertThat(refused.toString()).contains("TopUp failed: owner=" + owner + ", nonce=8, error=");
            assertThat(view(client, USDC, "ft_balance_of", "{\"account_id\":\"" + owner + "\"}")
                            .asText())
                    .isEqualTo("1000000");
            assertThat(balance(client, owner + ":8:" + KEY).statusCode())
                    .as("the coordinator never learnt of a key it could not open")
                    .isEqualTo(401);
            assertThat(view(
                                    client,
                                    OUTLAYER,
                                    "get_secrets",
                                    "{\"accessor\":{\"System\":\"PaymentKey\"}," + "\"profile\":\"8\",\"owner\":\""
                                            + owner + "\"}")
                            .path("encrypted_secrets")
                            .asText())
                    .isEqualTo(blob);
        }
    }

    @Test
    void anExternalWorkerTakesSystemCallbackTasksFromThePoll() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        options.workerToken = "system-callbacks-worker-token-0123456789";
        try (LifecycleClient client = new LifecycleClient(options)) {
            String auth = "Bearer " + options.workerToken;
            ObjectNode topUp = JsonCodec.object()
                    .put("data_id", "ab".repeat(32))
                    .put("owner", "bob.test.near")
                    .put("nonce", 3)
                    .put("amount", "20000")
                    .put("encrypted_data", "YmxvYg==");
            HttpResponse<String> first =
                    send("POST", client.system.coordinatorUrl() + "/topup/create", topUp, "Authorization", auth);
            HttpResponse<String> again =
                    send("POST", client.system.coordinatorUrl() + "/topup/create", topUp, "Authorization", auth);
            assertThat(first.body()).isEqualTo("{\"task_id\":1,\"created\":true}");
            assertThat(again.body()).isEqualTo("{\"task_id\":1,\"created\":false}");
            HttpResponse<String> badDataId = send(
                    "POST",
                    client.system.coordinatorUrl() + "/topup/create",
                    topUp.deepCopy().put("data_id", "xyz"),
                    "Authorization",
                    auth);
            assertThat(badDataId.statusCode()).as(badDataId.body()).isEqualTo(422);

            HttpResponse<String> task = send(
                    "GET",
                    client.system.coordinatorUrl() + "/system-callbacks/poll?timeout=1",
                    null,
                    "Authorization",
                    auth);
            JsonNode body = JsonCodec.MAPPER.readTree(task.body());
            assertThat(body.path("task_type").asText()).isEqualTo("top_up");
            assertThat(body.path("data_id").asText()).isEqualTo("ab".repeat(32));
            assertThat(body.path("amount").asText()).isEqualTo("20000");
            assertThat(body.path("encrypted_data").asText()).isEqualTo("YmxvYg==");
            HttpResponse<String> empty = send(
                    "GET",
                    client.system.coordinatorUrl() + "/system-callbacks/poll?timeout=0",
                    null,
                    "Authorization",
                    auth);
            assertThat(empty.body()).isEqualTo("null");

            ObjectNode deletion = JsonCodec.object()
                    .put("data_id", "cd".repeat(32))
                    .put("owner", "bob.test.near")
                    .put("nonce", 3);
            send(
                    "POST",
                    client.system.coordinatorUrl() + "/payment-keys/delete-task/create",
                    deletion,
                    "Authorization",
                    auth);
            HttpResponse<String> waited = send(
                    "GET",
                    client.system.coordinatorUrl() + "/system-callbacks/poll?timeout=2",
                    null,
                    "Authorization",
                    auth);
            assertThat(JsonCodec.MAPPER
                            .readTree(waited.body())
                            .path("task_type")
                            .asText())
                    .isEqualTo("delete_payment_key");
            assertThat(JsonCodec.MAPPER.readTree(waited.body()).has("amount")).isFalse();

            HttpResponse<String> earnings =
                    send("GET", client.system.coordinatorUrl() + "/public/project-earnings/nobody.test.near", null);
            assertThat(earnings.body())
                    .isEqualTo("{\"project_owner\":\"nobody.test.near\",\"balance\":\"0\",\"total_earned\":\"0\","
                            + "\"updated_at\":null}");
        }
    }
}

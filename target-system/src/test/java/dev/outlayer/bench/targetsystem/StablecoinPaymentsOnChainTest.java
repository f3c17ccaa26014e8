package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * OutLayer's stablecoin payments for executions end to end on the embedded system (contract
 * payment.rs deposit_balance, execution.rs attached_usd, lib.rs withdraw_developer_earnings): every
 * step a signed transaction through the RPC emulator. A user deposits by {@code ft_transfer_call}
 * of the stablecoin stand-in, requests a developer's project with {@code attached_usd}, the
 * in-process worker runs and resolves it, and the developer's earnings follow the run: credited
 * when it succeeds, returned to the user when it fails, refused with nothing taken when the
 * balance is short; the developer withdraws them as tokens.
 */
class StablecoinPaymentsOnChainTest {
    private static final String USDC = ContractSimulator.PAYMENT_TOKEN;
    private static final String OUTLAYER = ContractSimulator.OUTLAYER_ACCOUNT;
    private static final String LIMITS = "{\"max_instructions\":100000000000,\"max_execution_seconds\":1}";

    private final AtomicLong nonce = new AtomicLong(100);

    private static String text(JsonNode view) {
        return view.asText();
    }

    private static String returned(JsonNode outcome) {
        assertThat(outcome.path("status").has("SuccessValue"))
                .as(outcome.toString())
                .isTrue();
        return new String(
                Base64.getDecoder()
                        .decode(outcome.path("status").path("SuccessValue").asText()),
                StandardCharsets.UTF_8);
    }

    /** The client's user signs request_execution of {@code project} with {@code attachedUsd}; its final outcome. */
    private JsonNode request(LifecycleClient client, String project, long attachedUsd) throws Exception {
        String args = "{\"source\":{\"Project\":{\"project_id\":\"" + project + "\"}},\"resource_limits\":" + LIMITS
                + ",\"input_data\":\"{}\",\"response_format\":\"Json\",\"params\":{\"attached_usd\":\"" + attachedUsd
                + "\"}}";
        return client.signed(
                client.user, nonce.incrementAndGet(), OUTLAYER, "request_execution", args, LifecycleClient.DEPOSIT);
    }

    @Test
    void attachedUsdPaysTheDeveloperForARunAndComesBackForAFailedOne() throws Exception {
        try (LifecycleClient client = new LifecycleClient(LifecycleClient.fastBlocks(1)).outcomesOnceExecuted()) {
            byte[] seed = new byte[32];
            Arrays.fill(seed, (byte) 9);
            TransactionSigner developer = TransactionSigner.fromSeed("developer.test.near", seed);
            AccountsFeeder.seed(
                    List.of(new AccountsFeeder.Seed(developer.signerId(), developer.publicKey(), LifecycleClient.NEAR)),
                    new SimulatorTransactionChain(client.system.contracts()));
            String user = client.user.signerId();
            String dev = developer.signerId();
            for (String[] project : new String[][] {
                {"echo", client.upload("echo_json")},
                {"spin", client.upload("misbehave")},
                {"env", client.upload("env_json")}
            }) {
                String args = "{\"name\":\"" + project[0] + "\",\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/"
                        + project[0] + ".wasm\",\"hash\":\"" + project[1] + "\"}}}";
                returned(client.signed(
                        developer, nonce.incrementAndGet(), OUTLAYER, "create_project", args, LifecycleClient.DEPOSIT));
            }
            client.fundWithStablecoin(user, 5_000_000);

            JsonNode deposited = client.signed(
                    client.user,
                    nonce.incrementAndGet(),
                    USDC,
                    "ft_transfer_call",
                    "{\"receiver_id\":\"" + OUTLAYER + "\",\"amount\":\"3000000\","
                            + "\"msg\":\"{\\\"action\\\":\\\"deposit_balance\\\"}\"}",
                    BigInteger.ONE);
            assertThat(returned(deposited)).as("all of it used").isEqualTo("\"3000000\"");
            String account = "{\"account_id\":\"" + user + "\"}";
            String developerAccount = "{\"account_id\":\"" + dev + "\"}";
            assertThat(text(client.view(OUTLAYER, "get_user_stablecoin_balance", account)))
                    .isEqualTo("3000000");

            JsonNode paid = request(client, dev + "/echo", 1_000_000);
            assertThat(JsonCodec.MAPPER.readTree(returned(paid)).path("program").asText())
                    .as("the worker ran the project's code")
                    .isEqualTo("echo_json");
            assertThat(paid.toString())
                    .contains("Credited 1000000 stablecoin to developer " + dev + " for project " + dev
                            + "/echo (attached=1000000, refund=0)");
            assertThat(text(client.view(OUTLAYER, "get_developer_earnings", developerAccount)))
                    .isEqualTo("1000000");
            assertThat(text(client.view(OUTLAYER, "get_user_stablecoin_balance", account)))
                    .isEqualTo("2000000");

            JsonNode seen = request(client, dev + "/env", 250_000);
            JsonNode env = JsonCodec.MAPPER.readTree(returned(seen));
            assertThat(env.path("ATTACHED_USD").asText())
                    .as("the worker gives the program the request's attached_usd")
                    .isEqualTo("250000");
            assertThat(env.path("OUTLAYER_PROJECT_ID").asText()).isEqualTo(dev + "/env");
            assertThat(env.path("OUTLAYER_PROJECT_OWNER").asText()).isEqualTo(dev);
            assertThat(text(client.view(OUTLAYER, "get_developer_earnings", developerAccount)))
                    .isEqualTo("1250000");
            assertThat(text(client.view(OUTLAYER, "get_user_stablecoin_balance", account)))
                    .isEqualTo("1750000");

            JsonNode failed = request(client, dev + "/spin", 500_000);
            assertThat(returned(failed))
                    .as("a run that hits its time limit fails")
                    .isEqualTo("null");
            assertThat(failed.toString()).contains("Returned 500000 stablecoin to " + user + " (execution failed)");
            assertThat(text(client.view(OUTLAYER, "get_user_stablecoin_balance", account)))
                    .isEqualTo("1750000");
            assertThat(text(client.view(OUTLAYER, "get_developer_earnings", developerAccount)))
                    .isEqualTo("1250000");

            JsonNode refused = request(client, dev + "/echo", 9_000_000);
            assertThat(refused.path("status").has("Failure")).isTrue();
            assertThat(refused.toString())
                    .contains("Insufficient stablecoin balance. Required: 9000000, available: 1750000");
            assertThat(text(client.view(OUTLAYER, "get_user_stablecoin_balance", account)))
                    .isEqualTo("1750000");

            JsonNode withdrawn = client.signed(
                    developer, nonce.incrementAndGet(), OUTLAYER, "withdraw_developer_earnings", "{}", BigInteger.ONE);
            returned(withdrawn);
            assertThat(withdrawn.toString()).contains("Developer " + dev + " successfully withdrew 1250000 stablecoin");
            assertThat(text(client.view(USDC, "ft_balance_of", developerAccount)))
                    .isEqualTo("1250000");
            assertThat(text(client.view(OUTLAYER, "get_developer_earnings", developerAccount)))
                    .isEqualTo("0");
            assertThat(text(client.view(USDC, "ft_balance_of", "{\"account_id\":\"" + OUTLAYER + "\"}")))
                    .isEqualTo("1750000");
        }
    }
}

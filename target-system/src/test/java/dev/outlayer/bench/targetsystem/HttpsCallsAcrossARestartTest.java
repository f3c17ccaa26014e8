package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With {@code --jobs-db-url} the embedded system keeps the HTTPS API where it keeps the jobs: a
 * paid call run by its workers, then the whole system stopped and started again on the same
 * database, and the public balance, the call's result ({@code GET /calls/{id}}) and the project
 * owner's earnings are what they were. A name the database cannot hold is refused with a reason.
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class HttpsCallsAcrossARestartTest {
    private static final String TOKEN = "https-restart-worker-token-0123456789";
    private static final String KEY = "6b".repeat(32);
    private static final String OWNER = "payer.test.near";

    @Test
    void theBalanceACallsResultAndEarningsSurviveARestartOnTheSameDatabase() throws Exception {
        try (PostgresServer.Database database = PostgresServer.freshDatabase()) {
            String callId;
            String cost;
            String developer;
            try (LifecycleClient client = new LifecycleClient(options(database)).outcomesOnceExecuted()) {
                String echo = client.upload("echo_json");
                developer = client.user.signerId();
                JsonNode created = HttpsCallEndToEndTest.createProject(client, 100, "echo", echo);
                assertThat(created.path("status").has("SuccessValue"))
                        .as(created.toString())
                        .isTrue();
                List<String> worker = List.of("Authorization", "Bearer " + TOKEN);
                // PostgreSQL's text cannot hold U+0000: a name holding one is the caller's error, and serving goes on
                JsonNode refused = client.send(
                        "POST",
                        "/workers/heartbeat",
                        "{\"worker_id\":\"w\\u0000\",\"status\":\"online\"}",
                        worker,
                        400);
                assertThat(refused.path("error").asText())
                        .isEqualTo(
                                "a text value holds a NUL character (U+0000), which the coordinator's database cannot store");
                client.send("POST", "/workers/heartbeat", "{\"worker_id\":\"w1\",\"status\":\"online\"}", worker, 200);
                JsonNode refusedProjects = client.send(
                        "POST",
                        "/payment-keys/init",
                        "{\"owner\":\"" + OWNER + "\",\"nonce\":9,\"key_hash\":\"" + PaymentKeys.keyHash(KEY)
                                + "\",\"project_ids\":[\"p\\u0000\"]}",
                        worker,
                        400);
                assertThat(refusedProjects.path("error").asText()).startsWith("a text value holds a NUL character");
                client.send(
                        "POST",
                        "/payment-keys/init",
                        "{\"owner\":\"" + OWNER + "\",\"nonce\":1,\"key_hash\":\"" + PaymentKeys.keyHash(KEY) + "\"}",
                        worker,
                        200);
                client.send(
                        "POST",
                        "/topup/complete",
                        "{\"owner\":\"" + OWNER + "\",\"nonce\":1,"
                                + "\"new_initial_balance\":\"50000\",\"amount\":\"50000\",\"key_hash\":\""
                                + PaymentKeys.keyHash(KEY) + "\",\"project_ids\":[]}",
                        worker,
                        200);
                JsonNode answer = client.send(
                        "POST",
                        "/" + developer + "/echo",
                        "{\"input\":{\"answer\":42}}",
                        List.of("X-Payment-Key", OWNER + ":1:" + KEY, "X-Attached-Deposit", "100"),
                        200);
                assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("completed");
                callId = answer.path("call_id").asText();
                cost = answer.path("compute_cost").asText();
            }

            try (LifecycleClient again = new LifecycleClient(options(database))) {
                JsonNode balance =
                        again.send("GET", "/public/payment-keys/" + OWNER + "/1/balance", null, List.of(), 200);
                long spent = Long.parseLong(cost) + 100;
                assertThat(balance.path("initial_balance").asText()).isEqualTo("50000");
                assertThat(balance.path("spent").asText()).isEqualTo(String.valueOf(spent));
                assertThat(balance.path("reserved").asText()).isEqualTo("0");
                assertThat(balance.path("available").asText()).isEqualTo(String.valueOf(50_000 - spent));

                JsonNode call =
                        again.send("GET", "/calls/" + callId, null, List.of("X-Payment-Key", OWNER + ":1:" + KEY), 200);
                assertThat(call.path("status").asText()).isEqualTo("completed");
                assertThat(call.path("output").path("input").path("answer").asInt())
                        .isEqualTo(42);
                assertThat(call.path("compute_cost").asText()).isEqualTo(cost);

                JsonNode earnings = again.send("GET", "/public/project-earnings/" + developer, null, List.of(), 200);
                assertThat(earnings.path("balance").asText()).isEqualTo("100");
                assertThat(earnings.path("total_earned").asText()).isEqualTo("100");
            }
        }
    }

    private static TargetOptions options(PostgresServer.Database database) {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        options.workerToken = TOKEN;
        options.jobsDbUrl = database.jdbcUrl();
        return options;
    }
}

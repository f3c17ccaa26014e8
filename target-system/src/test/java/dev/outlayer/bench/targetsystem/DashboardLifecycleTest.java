package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard after real executions by the coordinator's in-process workers: two paid requests
 * of the bundled echo_json (a WasmUrl source and a GitHub one, each compiled, run and resolved on
 * chain), then an HTTPS call of a project of it paid with a payment key. What the dashboard shows of
 * each run is what the contract's {@code execution_completed} event (the call's answer) says was
 * charged for it, and the workers are there as OutLayer's workers are.
 */
class DashboardLifecycleTest {
    /** The keystore's data, deleted after the class. */
    @TempDir
    static Path keystoreData;

    private static final String REPO = "github.com/alice/echo_json";
    private static final String TOKEN = "dashboard-lifecycle-token-0123456";
    private static final String KEY = "5b".repeat(32);
    private static final String PAYER = "payer.test.near";
    private static LifecycleClient client;
    private static String echo;
    private static long wasmUrlRequest;
    private static long gitHubRequest;
    private static JsonNode wasmUrlRun;
    private static JsonNode gitHubRun;
    private static String project;
    private static JsonNode call;

    @BeforeAll
    static void runTwoPaidRequests() throws Exception {
        TargetOptions options = LifecycleClient.fastBlocks(2);
        LifecycleClient.withKeystore(options, keystoreData);
        options.workerToken = TOKEN;
        client = new LifecycleClient(options);
        echo = client.upload("echo_json");

        JsonNode first = client.finalOutcome(client.requestExecution(echo, "{\"paid\":1}", 10));
        wasmUrlRequest = client.requestIdOf(first);
        wasmUrlRun = LifecycleClient.completedEvent(first).path("resources_used");
        client.resolvedView(wasmUrlRequest);

        JsonNode second = client.finalOutcome(client.requestExecutionWith("{\"source\":{\"GitHub\":{\"repo\":\""
                + REPO + "\",\"commit\":\"c1\",\"build_target\":\"wasm32-wasip1\"}},\"resource_limits\":"
                + "{\"max_instructions\":100000000000,\"max_memory_mb\":64,\"max_execution_seconds\":10},"
                + "\"input_data\":\"{\\\"paid\\\":2}\",\"response_format\":\"Json\"}"));
        gitHubRequest = client.requestIdOf(second);
        gitHubRun = LifecycleClient.completedEvent(second).path("resources_used");
        client.resolvedView(gitHubRequest);

        // an HTTPS call of a project of the same wasm (cached: one execute job), paid with a payment key
        project = client.user.signerId() + "/dash";
        HttpsCallEndToEndTest.createProject(client, 100, "dash", echo);
        List<String> worker = List.of("Authorization", "Bearer " + TOKEN);
        String keyHash = PaymentKeys.keyHash(KEY);
        client.send(
                "POST",
                "/payment-keys/init",
                "{\"owner\":\"" + PAYER + "\",\"nonce\":1,\"key_hash\":\"" + keyHash + "\"}",
                worker,
                200);
        client.send(
                "POST",
                "/topup/complete",
                "{\"owner\":\"" + PAYER + "\",\"nonce\":1,\"new_initial_balance\":\"50000\",\"amount\":\"50000\","
                        + "\"key_hash\":\"" + keyHash + "\",\"project_ids\":[]}",
                worker,
                200);
        call = client.send(
                "POST",
                "/call/" + project,
                "{\"input\":{\"paid\":3}}",
                List.of("X-Payment-Key", PAYER + ":1:" + KEY),
                200);
        assertThat(call.path("status").asText()).as(call.toString()).isEqualTo("completed");

        // the phase API may say resolved a moment before the workers recorded their last job and task
        awaitState(
                "five finished jobs and five completed tasks",
                () -> get("/public/jobs").size() == 5 && tasksCompleted() == 5);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitState(String what, Check check) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (check.holds()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never reached: " + what);
    }

    private static long tasksCompleted() throws Exception {
        long completed = 0;
        for (JsonNode worker : get("/public/workers")) {
            completed += worker.path("total_tasks_completed").asLong();
        }
        return completed;
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = client.send("GET", path, null, List.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(response.body());
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void eachRunIsListedWithWhatTheContractChargedForIt() throws Exception {
        JsonNode jobs = get("/public/jobs?user_account_id=" + query(client.user.signerId()));
        assertThat(jobs).hasSize(4);
        assertThat(jobs)
                .extracting(row -> row.path("request_id").asLong() + "/"
                        + row.path("job_type").asText())
                .containsExactly(
                        gitHubRequest + "/execute",
                        gitHubRequest + "/compile",
                        wasmUrlRequest + "/execute",
                        wasmUrlRequest + "/compile");
        for (JsonNode row : jobs) {
            assertThat(row.path("worker_id").asText()).startsWith("coordinator-worker-");
            assertThat(row.path("success").asBoolean()).isTrue();
            assertThat(row.path("status").asText()).isEqualTo("completed");
            assertThat(row.path("near_payment_yocto").asText()).isEqualTo(LifecycleClient.DEPOSIT.toString());
            assertThat(row.path("transaction_hash").asText()).isNotEmpty();
        }
        assertRun(jobs.get(0), jobs.get(1), gitHubRun);
        assertRun(jobs.get(2), jobs.get(3), wasmUrlRun);
        assertThat(jobs.get(0).path("github_repo").asText()).isEqualTo(REPO);
        assertThat(jobs.get(0).path("github_commit").asText()).isEqualTo("c1");
        assertThat(jobs.get(2).path("github_repo").isNull()).isTrue();
    }

    /** The execute row's instructions and time are the run's, the compile row's time the compile charged. */
    private static void assertRun(JsonNode execute, JsonNode compile, JsonNode run) {
        assertThat(execute.path("instructions_used").asLong())
                .isEqualTo(run.path("instructions").asLong())
                .isPositive();
        assertThat(execute.path("execution_time_ms").asLong())
                .isEqualTo(run.path("time_ms").asLong());
        assertThat(compile.path("compile_time_ms").asLong())
                .isEqualTo(run.path("compile_time_ms").asLong());
        assertThat(compile.path("instructions_used").isNull()).isTrue();
    }

    @Test
    void theHttpsCallIsListedWithItsCallProjectAndCost() throws Exception {
        JsonNode rows = get("/public/jobs?user_account_id=" + PAYER);
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(row.path("is_https_call").asBoolean()).isTrue();
        assertThat(row.path("call_id").asText()).isEqualTo(call.path("call_id").asText());
        assertThat(row.path("data_id").asText()).isEqualTo(call.path("call_id").asText());
        assertThat(row.path("project_id").asText()).isEqualTo(project);
        assertThat(row.path("compute_cost_usd").asText())
                .isEqualTo(call.path("compute_cost").asText());
        assertThat(row.path("instructions_used").asLong())
                .isEqualTo(call.path("instructions").asLong());
        assertThat(row.path("execution_time_ms").asLong())
                .isEqualTo(call.path("time_ms").asLong());
        assertThat(row.path("job_type").asText()).isEqualTo("execute");
        assertThat(row.path("transaction_hash").isNull()).isTrue();
        assertThat(row.path("near_payment_yocto").isNull()).isTrue();
        assertThat(row.path("request_id").asLong())
                .as("OutLayer's HTTPS request ids")
                .isGreaterThanOrEqualTo(100_000_000_000L);
        JsonNode stats = get("/public/stats");
        assertThat(stats.path("total_executions").asLong()).isEqualTo(5);
        assertThat(stats.path("unique_users").asLong()).isEqualTo(2);
    }

    @Test
    void theUsersEarningsAreItsTwoPaidRequests() throws Exception {
        long instructions = wasmUrlRun.path("instructions").asLong()
                + gitHubRun.path("instructions").asLong();
        long timeMs =
                wasmUrlRun.path("time_ms").asLong() + gitHubRun.path("time_ms").asLong();
        JsonNode earnings = get("/public/users/" + client.user.signerId() + "/earnings");
        assertThat(earnings.path("total_executions").asLong()).isEqualTo(4);
        assertThat(earnings.path("successful_executions").asLong()).isEqualTo(4);
        assertThat(earnings.path("total_near_spent_yocto").asText())
                .as("each request's deposit on its compile row and its execute row, as OutLayer sums it")
                .isEqualTo(
                        LifecycleClient.DEPOSIT.multiply(BigInteger.valueOf(4)).toString());
        assertThat(earnings.path("total_instructions_used").asLong()).isEqualTo(instructions);
        assertThat(earnings.path("average_execution_time_ms").asLong())
                .isEqualTo((timeMs + 1) / 2); // half away from zero
    }

    @Test
    void theGitHubRepositoryIsPopularAndItsWasmKnown() throws Exception {
        JsonNode repos = get("/public/repos/popular");
        assertThat(repos).hasSize(1);
        assertThat(repos.get(0).path("github_repo").asText()).isEqualTo(REPO);
        assertThat(repos.get(0).path("total_executions").asLong()).isEqualTo(2);
        assertThat(repos.get(0).path("successful_executions").asLong()).isEqualTo(2);
        assertThat(repos.get(0).path("last_commit").asText()).isEqualTo("c1");

        // the in-process compiler shares the wasm with the coordinator, as OutLayer's worker uploads it
        int size = TestPrograms.wasm("echo_json").length;
        JsonNode gitHub = get("/public/wasm/info?repo_url=" + query(REPO) + "&commit_hash=c1");
        assertThat(gitHub.path("exists").asBoolean()).isTrue();
        assertThat(gitHub.path("file_size").asLong()).isEqualTo(size);
        JsonNode wasmUrl =
                get("/public/wasm/info?repo_url=" + query("https://example.org/program.wasm") + "&commit_hash=" + echo);
        assertThat(wasmUrl.path("checksum").asText()).isEqualTo(echo);
        assertThat(wasmUrl.path("file_size").asLong()).isEqualTo(size);
    }

    @Test
    void theInProcessWorkersHeartbeatAsOutLayersWorkersDo() throws Exception {
        assertThat(get("/public/stats").path("active_workers").asLong()).isEqualTo(2);
        JsonNode health = get("/health/detailed");
        assertThat(health.path("status").asText()).isEqualTo("healthy");
        JsonNode workers = health.path("checks").path("workers");
        assertThat(workers.path("status").asText()).isEqualTo("ok");
        assertThat(workers.path("active").asLong()).isEqualTo(2);
        assertThat(workers.path("details"))
                .extracting(w -> w.path("worker_id").asText())
                .containsExactlyInAnyOrder("coordinator-worker-1", "coordinator-worker-2");
        assertThat(get("/public/workers"))
                .extracting(w -> w.path("worker_id").asText())
                .containsExactlyInAnyOrder("coordinator-worker-1", "coordinator-worker-2");
        for (JsonNode worker : get("/public/workers")) {
            assertThat(worker.path("total_tasks_failed").asLong()).isZero();
        }
        assertThat(tasksCompleted())
                .as("each request's task handed out twice (to its compiler, then to its executor), the call's once")
                .isEqualTo(5);
    }
}

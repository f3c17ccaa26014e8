package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * OutLayer's public dashboard reads (handlers/public.rs, pricing.rs, health.rs) through a running
 * coordinator, after an external worker ran three requests through the worker API with times,
 * instructions and failures of its choosing: a compiled and executed request, a second one of the
 * cached wasm that failed, and a GitHub request whose compile failed. Every number read back is one
 * of those.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiTest {
    /** The keystore's data, deleted after the class. */
    @TempDir
    static Path keystoreData;

    private static final String TOKEN = "dashboard-worker-token-0123456789";
    private static final String WORKER = "dash-1";
    private static final String REPO = "github.com/dash/app";
    private static final String PROGRAM_URL = "https://example.org/program.wasm";
    /** The fields of OutLayer's JobHistoryEntry, in its order. */
    private static final List<String> HISTORY_FIELDS = List.of(
            "id",
            "job_id",
            "request_id",
            "data_id",
            "worker_id",
            "success",
            "status",
            "error_details",
            "job_type",
            "execution_time_ms",
            "compile_time_ms",
            "instructions_used",
            "resolve_tx_id",
            "user_account_id",
            "near_payment_yocto",
            "actual_cost_yocto",
            "compile_cost_yocto",
            "github_repo",
            "github_commit",
            "transaction_hash",
            "created_at",
            "is_https_call",
            "call_id",
            "project_id",
            "compute_cost_usd");

    private LifecycleClient client;
    private String echo;
    private String firstTx;
    private String thirdTx;
    /** The jobs as claimed: the first request's compile and execute, the second's execute, the third's two. */
    private JsonNode compile1;

    private JsonNode execute1;
    private JsonNode execute2;
    private JsonNode compile3;
    private JsonNode execute3;
    /** {@code GET /health/detailed} before any worker said it is alive. */
    private HttpResponse<String> healthWithoutWorkers;

    /** The options of the system under test: jobs in memory here, a subclass's store otherwise. */
    protected TargetOptions options() {
        TargetOptions options = LifecycleClient.options(0);
        options.workerToken = TOKEN;
        LifecycleClient.withKeystore(options, keystoreData);
        return options;
    }

    /** What {@code checks.database} says of the store (a subclass's database is checked). */
    protected void assertDatabaseCheck(JsonNode database) {
        assertThat(database.path("status").asText()).isEqualTo("skipped");
        assertThat(database.has("latency_ms")).isTrue();
        assertThat(database.path("latency_ms").isNull()).isTrue();
        assertThat(database.path("error").asText()).contains("in memory");
    }

    @BeforeAll
    void runThreeRequests() throws Exception {
        client = new LifecycleClient(options());
        echo = client.upload("echo_json");
        healthWithoutWorkers = client.send("GET", "/health/detailed", null, List.of());

        // 1: compiled (the worker shares the wasm, as OutLayer's does), then executed
        firstTx = client.requestExecution(echo, "{\"n\":1}", 10);
        JsonNode task1 = poll("compilation,execution");
        compile1 = claim(task1);
        complete(compile1, true, null, null, 7, 0, "7000");
        Map<String, String> upload = new LinkedHashMap<>();
        upload.put("checksum", echo);
        upload.put("repo_url", PROGRAM_URL);
        upload.put("commit_hash", echo);
        upload.put("build_target", "wasm32-wasip1");
        assertThat(client.uploadWasm(upload, TestPrograms.wasm("echo_json"), TOKEN)
                        .statusCode())
                .isEqualTo(201);
        execute1 = claim(poll("execution"));
        complete(execute1, true, null, null, 11, 1000, null);

        // 2: the cached wasm, straight to the execute queue; the run fails
        client.requestExecution(echo, "{\"n\":2}", 10);
        execute2 = claim(poll("execution"));
        complete(execute2, false, "execution_failed", "boom", 5, 300, null);

        // 3: a GitHub source whose compile fails; the executor reports it
        thirdTx = client.requestExecutionWith("{\"source\":{\"GitHub\":{\"repo\":\"" + REPO
                + "\",\"commit\":\"c0ffee\",\"build_target\":\"wasm32-wasip1\"}},"
                + "\"resource_limits\":{\"max_instructions\":1000000000,\"max_memory_mb\":64,"
                + "\"max_execution_seconds\":10},\"input_data\":\"{}\",\"response_format\":\"Json\"}");
        compile3 = claim(poll("compilation,execution"));
        complete(compile3, false, "compilation_failed", "repository not found", 3, 0, null);
        execute3 = claim(poll("execution"), "execution"); // to report the failed compile
        complete(execute3, false, "compilation_failed", "repository not found", 0, 0, null);

        // OutLayer's worker says it is alive
        ok(client.send(
                "POST",
                "/workers/heartbeat",
                "{\"worker_id\":\"" + WORKER + "\",\"worker_name\":\"dashboard worker\",\"status\":\"online\"}",
                worker()));
    }

    @AfterAll
    void stop() {
        client.close();
    }

    private static List<String> worker() {
        return List.of("Authorization", "Bearer " + TOKEN);
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(response.body());
    }

    private JsonNode get(String path) throws Exception {
        return ok(client.send("GET", path, null, List.of()));
    }

    private JsonNode poll(String capabilities) throws Exception {
        return ok(client.send("GET", "/executions/poll?timeout=10&capabilities=" + capabilities, null, worker()));
    }

    /** The worker's claim of the task's next job, as a compiler and executor (the job as the claim answered it). */
    private JsonNode claim(JsonNode task) throws Exception {
        return claim(task, "compilation", "execution");
    }

    private JsonNode claim(JsonNode task, String... capabilities) throws Exception {
        ObjectNode claim = JsonCodec.object();
        claim.put("request_id", task.path("request_id").asLong());
        claim.put("data_id", task.path("data_id").asText());
        claim.put("worker_id", WORKER);
        claim.set("code_source", task.path("code_source"));
        claim.set("resource_limits", task.path("resource_limits"));
        var named = claim.putArray("capabilities");
        for (String capability : capabilities) {
            named.add(capability);
        }
        JsonNode jobs = ok(client.send("POST", "/jobs/claim", claim.toString(), worker()))
                .path("jobs");
        assertThat(jobs).hasSize(1);
        ObjectNode job = (ObjectNode) jobs.get(0);
        job.put("request_id", task.path("request_id").asLong());
        job.put("data_id", task.path("data_id").asText());
        return job;
    }

    /** OutLayer's worker's CompleteJobRequest. */
    private void complete(
            JsonNode job, boolean success, String category, String error, long timeMs, long instructions, String cost)
            throws Exception {
        ObjectNode body = JsonCodec.object();
        body.put("job_id", job.path("job_id").asLong());
        body.put("success", success);
        body.put("time_ms", timeMs);
        body.put("instructions", instructions);
        if (category != null) {
            body.put("error_category", category);
            body.put("error", error);
        }
        if (cost != null) {
            body.put("compile_cost_yocto", cost);
        }
        ok(client.send("POST", "/jobs/complete", body.toString(), worker()));
    }

    private static String deposits(int count) {
        return LifecycleClient.DEPOSIT.multiply(BigInteger.valueOf(count)).toString();
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void publicJobsListsTheFinishedJobsNewestFirstInOutLayersShape() throws Exception {
        JsonNode jobs = get("/public/jobs");
        List<Long> ids = new ArrayList<>();
        jobs.forEach(row -> ids.add(row.path("job_id").asLong()));
        assertThat(ids)
                .containsExactly(
                        execute3.path("job_id").asLong(),
                        compile3.path("job_id").asLong(),
                        execute2.path("job_id").asLong(),
                        execute1.path("job_id").asLong(),
                        compile1.path("job_id").asLong());
        for (JsonNode row : jobs) {
            List<String> fields = new ArrayList<>();
            row.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).isEqualTo(HISTORY_FIELDS);
            assertThat(row.path("id").asLong()).isEqualTo(row.path("job_id").asLong());
            assertThat(row.path("worker_id").asText()).isEqualTo(WORKER);
            assertThat(row.path("user_account_id").asText()).isEqualTo(client.user.signerId());
            assertThat(row.path("near_payment_yocto").asText()).isEqualTo(deposits(1));
            assertThat(row.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(row.path("resolve_tx_id").isNull()).isTrue();
            assertThat(row.path("actual_cost_yocto").isNull()).isTrue();
            assertThat(row.path("is_https_call").asBoolean()).isFalse();
            assertThat(row.path("call_id").isNull()).isTrue();
            assertThat(row.path("project_id").isNull()).isTrue();
            assertThat(row.path("compute_cost_usd").isNull()).isTrue();
        }

        JsonNode compiled = jobs.get(4);
        assertThat(compiled.path("request_id").asLong())
                .isEqualTo(compile1.path("request_id").asLong());
        assertThat(compiled.path("data_id").asText())
                .isEqualTo(compile1.path("data_id").asText());
        assertThat(compiled.path("job_type").asText()).isEqualTo("compile");
        assertThat(compiled.path("success").asBoolean()).isTrue();
        assertThat(compiled.path("status").asText()).isEqualTo("completed");
        assertThat(compiled.path("error_details").isNull()).isTrue();
        assertThat(compiled.path("compile_time_ms").asLong()).isEqualTo(7);
        assertThat(compiled.path("execution_time_ms").isNull()).isTrue();
        assertThat(compiled.path("instructions_used").isNull()).isTrue();
        assertThat(compiled.path("compile_cost_yocto").asText()).isEqualTo("7000");
        assertThat(compiled.path("transaction_hash").asText()).isEqualTo(firstTx);
        assertThat(compiled.path("github_repo").isNull()).isTrue();

        JsonNode ran = jobs.get(3);
        assertThat(ran.path("job_type").asText()).isEqualTo("execute");
        assertThat(ran.path("status").asText()).isEqualTo("completed");
        assertThat(ran.path("execution_time_ms").asLong()).isEqualTo(11);
        assertThat(ran.path("compile_time_ms").isNull()).isTrue();
        assertThat(ran.path("instructions_used").asLong()).isEqualTo(1000);
        assertThat(ran.path("compile_cost_yocto").isNull()).isTrue();
        assertThat(ran.path("transaction_hash").asText()).isEqualTo(firstTx);

        JsonNode failed = jobs.get(2);
        assertThat(failed.path("success").asBoolean()).isFalse();
        assertThat(failed.path("status").asText()).isEqualTo("execution_failed");
        assertThat(failed.path("error_details").asText()).isEqualTo("boom");
        assertThat(failed.path("execution_time_ms").asLong()).isEqualTo(5);
        assertThat(failed.path("instructions_used").asLong()).isEqualTo(300);

        JsonNode gitHubCompile = jobs.get(1);
        assertThat(gitHubCompile.path("job_type").asText()).isEqualTo("compile");
        assertThat(gitHubCompile.path("status").asText()).isEqualTo("compilation_failed");
        assertThat(gitHubCompile.path("error_details").asText()).isEqualTo("repository not found");
        assertThat(gitHubCompile.path("compile_time_ms").asLong()).isEqualTo(3);
        assertThat(gitHubCompile.path("github_repo").asText()).isEqualTo(REPO);
        assertThat(gitHubCompile.path("github_commit").asText()).isEqualTo("c0ffee");
        assertThat(gitHubCompile.path("transaction_hash").asText()).isEqualTo(thirdTx);
    }

    @Test
    void publicJobsPagesAndFiltersAsOutLayersQuery() throws Exception {
        JsonNode page = get("/public/jobs?limit=2&offset=1");
        assertThat(page)
                .extracting(row -> row.path("job_id").asLong())
                .containsExactly(
                        compile3.path("job_id").asLong(),
                        execute2.path("job_id").asLong());
        assertThat(get("/public/jobs?limit=1000"))
                .as("at most 100, and there are 5")
                .hasSize(5);
        assertThat(get("/public/jobs?limit=0")).isEmpty();
        assertThat(get("/public/jobs?offset=5")).isEmpty();
        assertThat(get("/public/jobs?user_account_id=" + query(client.user.signerId())))
                .hasSize(5);
        assertThat(get("/public/jobs?user_account_id=nobody.test.near")).isEmpty();

        assertRefused("/public/jobs?limit=abc", "Failed to deserialize query string: invalid digit found in string");
        assertRefused("/public/jobs?limit=1&limit=2", "Failed to deserialize query string: duplicate field `limit`");
        assertRefused("/public/jobs?limit=-1", "limit must not be negative");
        assertRefused("/public/jobs?offset=-1", "offset must not be negative");
        assertRefused("/public/jobs?user_account_id=a%00b", "user_account_id holds a NUL character (U+0000)");
    }

    private void assertRefused(String path, String message) throws Exception {
        HttpResponse<String> response = client.send("GET", path, null, List.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(ErrorBodies.message(response.body())).isEqualTo(message);
    }

    @Test
    void publicStatsCountSumAndAverageWhatTheWorkerReported() throws Exception {
        JsonNode stats = get("/public/stats");
        List<String> fields = new ArrayList<>();
        stats.fieldNames().forEachRemaining(fields::add);
        assertThat(fields)
                .containsExactly(
                        "total_executions",
                        "successful_executions",
                        "failed_executions",
                        "access_denied_executions",
                        "compilation_failed_executions",
                        "execution_failed_executions",
                        "insufficient_payment_executions",
                        "custom_executions",
                        "total_instructions_used",
                        "average_execution_time_ms",
                        "total_near_paid_yocto",
                        "unique_users",
                        "active_workers");
        assertThat(stats.path("total_executions").asLong()).isEqualTo(5);
        assertThat(stats.path("successful_executions").asLong()).isEqualTo(2);
        assertThat(stats.path("failed_executions").asLong()).isZero();
        assertThat(stats.path("access_denied_executions").asLong()).isZero();
        assertThat(stats.path("compilation_failed_executions").asLong()).isEqualTo(2);
        assertThat(stats.path("execution_failed_executions").asLong()).isEqualTo(1);
        assertThat(stats.path("insufficient_payment_executions").asLong()).isZero();
        assertThat(stats.path("custom_executions").asLong()).isZero();
        assertThat(stats.path("total_instructions_used").asLong()).isEqualTo(1000 + 300);
        assertThat(stats.path("average_execution_time_ms").asLong())
                .as("the execute jobs' 11, 5 and 0 ms: 5.33 rounds to 5")
                .isEqualTo(5);
        assertThat(stats.path("total_near_paid_yocto").asText())
                .as("each row's payment: two jobs of the first and third requests, one of the second")
                .isEqualTo(deposits(5));
        assertThat(stats.path("unique_users").asLong()).isEqualTo(1);
        assertThat(stats.path("active_workers").asLong())
                .as("the external worker's heartbeat")
                .isEqualTo(1);
    }

    @Test
    void popularReposCountTheGitHubRequestsJobs() throws Exception {
        JsonNode repos = get("/public/repos/popular");
        assertThat(repos).hasSize(1);
        JsonNode repo = repos.get(0);
        assertThat(repo.path("github_repo").asText()).isEqualTo(REPO);
        assertThat(repo.path("total_executions").asLong()).isEqualTo(2);
        assertThat(repo.path("successful_executions").asLong()).isZero();
        assertThat(repo.path("compilation_failed_executions").asLong()).isEqualTo(2);
        assertThat(repo.path("execution_failed_executions").asLong()).isZero();
        assertThat(repo.path("failed_executions").asLong()).isZero();
        assertThat(repo.path("last_commit").asText()).isEqualTo("c0ffee");
        assertThat(repo.size()).as("OutLayer's PopularRepo has 10 members").isEqualTo(10);
    }

    @Test
    void aUsersEarningsAreWhatItsPaidRequestsCost() throws Exception {
        String user = client.user.signerId();
        JsonNode earnings = get("/public/users/" + user + "/earnings");
        assertThat(earnings)
                .isEqualTo(JsonCodec.MAPPER.readTree("{\"user_account_id\":\"" + user + "\",\"total_executions\":5,"
                        + "\"successful_executions\":2,\"total_near_spent_yocto\":\"" + deposits(5) + "\","
                        + "\"total_instructions_used\":1300,\"average_execution_time_ms\":5}"));
        assertThat(get("/public/users/nobody.test.near/earnings"))
                .isEqualTo(JsonCodec.MAPPER.readTree("{\"user_account_id\":\"nobody.test.near\",\"total_executions\":0,"
                        + "\"successful_executions\":0,\"total_near_spent_yocto\":\"0\","
                        + "\"total_instructions_used\":0,\"average_execution_time_ms\":0}"));
    }

    @Test
    void wasmInfoFindsTheUploadedWasmByWhereItWasBuiltFrom() throws Exception {
        JsonNode info = get("/public/wasm/info?repo_url=" + query(PROGRAM_URL) + "&commit_hash=" + echo
                + "&build_target=wasm32-wasip1");
        assertThat(info.path("exists").asBoolean()).isTrue();
        assertThat(info.path("checksum").asText()).isEqualTo(echo);
        assertThat(info.path("file_size").asLong()).isEqualTo(TestPrograms.wasm("echo_json").length);
        assertThat(info.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?");
        assertThat(get("/public/wasm/info?repo_url=" + query(PROGRAM_URL) + "&commit_hash=" + echo))
                .as("build_target is wasm32-wasip1 unless named")
                .isEqualTo(info);
        assertThat(get("/public/wasm/info?repo_url=" + query(PROGRAM_URL) + "&commit_hash=" + echo
                        + "&build_target=wasm32-wasi"))
                .isEqualTo(JsonCodec.MAPPER.readTree(
                        "{\"exists\":false,\"checksum\":null,\"file_size\":null,\"created_at\":null}"));
        assertRefused(
                "/public/wasm/info?repo_url=x", "Failed to deserialize query string: missing field `commit_hash`");
        assertRefused(
                "/public/wasm/info?commit_hash=x", "Failed to deserialize query string: missing field `repo_url`");
    }

    @Test
    void aPricingRefreshWithinTheHourAnswersTheContractsPricing() throws Exception {
        JsonNode refreshed = ok(client.send("POST", "/public/pricing/refresh", null, List.of()));
        assertThat(refreshed).isEqualTo(get("/public/pricing"));
        // the bundled contract's get_pricing and get_max_limits
        assertThat(refreshed.path("base_fee").asText()).isEqualTo("1000000000000000000000");
        assertThat(refreshed.path("per_instruction_fee").asText()).isEqualTo("100000000000000");
        assertThat(refreshed.path("max_execution_seconds").asLong()).isEqualTo(180);
    }

    @Test
    void detailedHealthIsHealthyWithAnActiveWorkerAndUnhealthyWithNone() throws Exception {
        assertThat(healthWithoutWorkers.statusCode()).isEqualTo(503);
        JsonNode before = JsonCodec.MAPPER.readTree(healthWithoutWorkers.body());
        assertThat(before.path("status").asText()).isEqualTo("unhealthy");
        assertThat(before.path("checks").path("workers"))
                .isEqualTo(
                        JsonCodec.MAPPER.readTree("{\"status\":\"critical\",\"active\":0,\"total\":0,\"details\":[]}"));

        long from = System.currentTimeMillis() / 1000;
        JsonNode health = get("/health/detailed");
        long to = System.currentTimeMillis() / 1000;
        assertThat(health.path("status").asText()).isEqualTo("healthy");
        assertThat(health.path("timestamp").asLong()).isBetween(from, to);
        JsonNode checks = health.path("checks");
        Iterator<String> names = checks.fieldNames();
        List<String> checked = new ArrayList<>();
        names.forEachRemaining(checked::add);
        assertThat(checked)
                .containsExactly("database", "redis", "keystore", "workers", "event_monitor", "tee_attestation");
        assertDatabaseCheck(checks.path("database"));
        assertThat(checks.path("redis").path("status").asText()).isEqualTo("skipped");
        assertThat(checks.path("keystore").path("status").asText()).isEqualTo("ok");
        assertThat(checks.path("keystore").path("latency_ms").isIntegralNumber())
                .isTrue();
        assertThat(checks.path("keystore").has("error")).isFalse();

        JsonNode workers = checks.path("workers");
        assertThat(workers.path("status").asText()).isEqualTo("ok");
        assertThat(workers.path("active").asLong()).isEqualTo(1);
        assertThat(workers.path("total").asLong()).isEqualTo(1);
        JsonNode detail = workers.path("details").get(0);
        assertThat(detail.path("worker_id").asText()).isEqualTo(WORKER);
        assertThat(detail.path("worker_name").asText()).isEqualTo("dashboard worker");
        assertThat(detail.path("status").asText()).isEqualTo("online");
        assertThat(detail.path("last_heartbeat_secs_ago").asLong()).isGreaterThanOrEqualTo(0);

        JsonNode monitor = checks.path("event_monitor");
        assertThat(monitor.path("status").asText()).isEqualTo("ok");
        assertThat(monitor.path("chain_tip_block").isIntegralNumber()).isTrue();
        JsonNode coordinatorMonitor = monitor.path("workers").get(0);
        assertThat(coordinatorMonitor.path("worker_id").asText()).isEqualTo("coordinator-events");
        assertThat(coordinatorMonitor.path("current_block").asLong())
                .as("the block of the last receipt it read, at most the tip")
                .isPositive()
                .isLessThanOrEqualTo(monitor.path("chain_tip_block").asLong());
        assertThat(coordinatorMonitor.has("blocks_behind")).isFalse();
        assertThat(coordinatorMonitor.path("last_update_secs_ago").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(checks.path("tee_attestation"))
                .isEqualTo(JsonCodec.MAPPER.readTree("{\"status\":\"skipped\",\"workers\":[]}"));
    }
}

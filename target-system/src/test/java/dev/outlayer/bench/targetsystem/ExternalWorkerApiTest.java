package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.executions.JobStatus;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker API as an external worker uses it (no in-process workers): poll a task, claim its
 * compile job, heartbeat, complete, claim the execute job now that the wasm is cached, complete;
 * exclusive claims, the worker token, refusals that change nothing.
 */
class ExternalWorkerApiTest {
    private static final String TOKEN = "external-worker-token-0123456789";
    private static LifecycleClient client;
    private static String echo;

    @BeforeAll
    static void start() throws Exception {
        TargetOptions options = LifecycleClient.options(0);
        options.workerToken = TOKEN;
        client = new LifecycleClient(options);
        echo = client.upload("echo_json");
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    private static HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** axum's JsonDataError, as OutLayer's Json extractor answers a body that does not fit: 422, its words in our JSON error body. */
    private static void assertUnfit(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ErrorBodies.message(response.body()))
                .startsWith("Failed to deserialize the JSON body into the target type: ")
                .contains(reason);
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonCodec.MAPPER.readTree(response.body());
    }

    private static String claimBody(JsonNode task, String workerId) {
        ObjectNode claim = JsonCodec.object();
        claim.put("request_id", task.path("request_id").asLong());
        claim.put("data_id", task.path("data_id").asText());
        claim.put("worker_id", workerId);
        claim.set("code_source", task.path("code_source"));
        claim.set("resource_limits", task.path("resource_limits"));
        claim.putArray("capabilities").add("compilation").add("execution");
        return claim.toString();
    }

    /**
     * The task's next hand-out, from the execute queue, where the coordinator moved it when its
     * compile ended (OutLayer's complete_job pushes it there).
     */
    private static JsonNode movedToTheExecuteQueue(JsonNode task) throws Exception {
        JsonNode moved = ok(call("GET", "/executions/poll?timeout=10&queue=execute", null, TOKEN));
        assertThat(moved.path("request_id").asLong())
                .isEqualTo(task.path("request_id").asLong());
        return moved;
    }

    /** The stored status of a job as the claim answered it. */
    private static JobStatus statusOf(JsonNode job) {
        return client.system
                .executions()
                .store()
                .job(job.path("job_id").asLong())
                .orElseThrow()
                .status();
    }

    private static String finish(JsonNode job, String workerId, boolean success) {
        ObjectNode body = JsonCodec.object();
        body.put("job_id", job.path("job_id").asLong());
        body.put("worker_id", workerId);
        body.put("attempt", job.path("attempt").asInt());
        body.put("success", success);
        body.put("time_ms", 7);
        body.put("instructions", 1000);
        body.put("wasm_checksum", job.path("wasm_checksum").asText());
        return body.toString();
    }

    @Test
    void aCompileCompletedWithoutItsOptionalChecksumLetsTheExecuteJobBeClaimed() throws Exception {
        String fresh = client.upload("fsenv"); // compiled by no other test here
        client.requestExecution(fresh, "", 10);
        JsonNode task = ok(call("GET", "/tasks/poll?timeout=10", null, TOKEN));
        JsonNode compile = ok(call("POST", "/jobs/claim", claimBody(task, "ext-3"), TOKEN))
                .path("jobs")
                .get(0);
        assertThat(compile.path("job_type").asText()).isEqualTo("compile");
        ObjectNode done = (ObjectNode) JsonCodec.MAPPER.readTree(finish(compile, "ext-3", true));
        done.remove("wasm_checksum"); // optional in the API
        assertThat(ok(call("POST", "/jobs/complete", done.toString(), TOKEN))
                        .path("status")
                        .asText())
                .isEqualTo("completed");

        movedToTheExecuteQueue(task);
        JsonNode jobs =
                ok(call("POST", "/jobs/claim", claimBody(task, "ext-3"), TOKEN)).path("jobs");
        assertThat(jobs).as("the execute job, not nothing forever").hasSize(1);
        assertThat(jobs.get(0).path("job_type").asText()).isEqualTo("execute");
        assertThat(jobs.get(0).path("compile_time_ms").asLong())
                .as("the compile's time, charged in the resolution")
                .isEqualTo(7);
        assertThat(jobs.get(0).has("compile_error")).isFalse();
        ok(call("POST", "/jobs/complete", finish(jobs.get(0), "ext-3", true), TOKEN));
    }

    @Test
    void anExternalWorkerPollsClaimsAndCompletesInOutLayersShapes() throws Exception {
        assertThat(call("GET", "/tasks/poll?timeout=1", null, null).statusCode())
                .isEqualTo(401);
        assertThat(call("GET", "/tasks/poll?timeout=1", null, "wrong-token").statusCode())
                .isEqualTo(401);

        client.requestExecution(echo, "{\"external\":true}", 10);
        JsonNode task = ok(call("GET", "/tasks/poll?timeout=10", null, TOKEN));
        long requestId = task.path("request_id").asLong();
        assertThat(task.path("data_id").asText()).hasSize(64);
        assertThat(task.path("code_source").path("type").asText()).isEqualTo("WasmUrl");
        assertThat(task.path("code_source").path("hash").asText()).isEqualTo(echo);
        assertThat(task.path("input_data").asText()).isEqualTo("{\"external\":true}");
        assertThat(task.path("resource_limits").path("max_execution_seconds").asLong())
                .isEqualTo(10);
        assertThat(task.path("user_account_id").asText()).isEqualTo(client.user.signerId());
        // handed out once: nothing more to poll
        assertThat(call("GET", "/tasks/poll?timeout=0", null, TOKEN).statusCode())
                .isEqualTo(204);

        JsonNode compile = ok(call("POST", "/jobs/claim", claimBody(task, "ext-1"), TOKEN))
                .path("jobs")
                .get(0);
        assertThat(compile.path("job_type").asText()).isEqualTo("compile");
        assertThat(compile.path("allowed").asBoolean()).isTrue();
        assertThat(ok(call("POST", "/jobs/claim", claimBody(task, "ext-2"), TOKEN))
                        .path("jobs"))
                .as("the claim is exclusive")
                .isEmpty();
        assertThat(ok(call(
                                "POST",
                                "/jobs/heartbeat",
                                "{\"job_id\":" + compile.path("job_id") + ",\"worker_id\":\"ext-1\"}",
                                TOKEN))
                        .path("alive")
                        .asBoolean())
                .isTrue();
        assertThat(call("POST", "/jobs/complete", finish(compile, "ext-2", true), TOKEN)
                        .statusCode())
                .as("another worker cannot complete it")
                .isEqualTo(409);
        assertThat(ok(call("POST", "/jobs/complete", finish(compile, "ext-1", true), TOKEN))
                        .path("status")
                        .asText())
                .isEqualTo("completed");
        assertThat(call("POST", "/jobs/complete", finish(compile, "ext-1", true), TOKEN)
                        .statusCode())
                .as("nothing completes twice")
                .isEqualTo(409);

        JsonNode moved = movedToTheExecuteQueue(task);
        assertThat(moved.has("compile_result"))
                .as("the compiler left no result")
                .isFalse();
        JsonNode execute = ok(call("POST", "/jobs/claim", claimBody(task, "ext-1"), TOKEN))
                .path("jobs")
                .get(0);
        assertThat(execute.path("job_type").asText()).isEqualTo("execute");
        assertThat(ok(call("POST", "/jobs/complete", finish(execute, "ext-1", true), TOKEN))
                        .path("status")
                        .asText())
                .isEqualTo("completed");

        JsonNode view = client.get("/executions/" + requestId);
        assertThat(view.path("worker_id").asText()).isEqualTo("ext-1");
        assertThat(view.path("compile_cache").asText()).isEqualTo("miss");
        assertThat(view.path("status").asText()).isEqualTo("resolving");
        for (String phase : new String[] {"event_seen", "job_created", "claimed", "compile", "execute"}) {
            assertThat(view.path("phases_ms").has(phase))
                    .as("%s in %s", phase, view)
                    .isTrue();
        }
        assertThat(view.path("phases_ms").has("resolve_tx"))
                .as("not reached: absent")
                .isFalse();
        assertThat(client.system.executions().store().wasmCached(echo)).isTrue();
    }

    @Test
    void aWorkerPollsAtOutLayersPathNamingItsCapabilities() throws Exception {
        // OutLayer's worker polls GET /executions/poll?timeout=..&capabilities=.. (api_client.rs);
        // the path is not a request id of the phase API
        assertThat(call("GET", "/executions/poll?timeout=0&capabilities=compilation,execution", null, null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(call("GET", "/executions/poll?timeout=0", null, TOKEN).statusCode())
                .as("OutLayer's poll_task refuses a worker without capabilities")
                .isEqualTo(400);
        assertThat(call("GET", "/executions/poll?timeout=0&queue=other", null, TOKEN)
                        .statusCode())
                .isEqualTo(400);
        assertThat(call("GET", "/executions/poll?timeout=0&queue=execute", null, TOKEN)
                        .statusCode())
                .isEqualTo(204);

        client.requestExecution(echo, "{\"outlayer_path\":true}", 10);
        HttpResponse<String> polled =
                call("GET", "/executions/poll?timeout=10&capabilities=compilation,execution", null, TOKEN);
        JsonNode task = ok(polled);
        assertThat(task.path("input_data").asText()).isEqualTo("{\"outlayer_path\":true}");
        assertThat(ok(call("POST", "/jobs/claim", claimBody(task, "ext-4"), TOKEN))
                        .path("jobs"))
                .hasSize(1);
    }

    @Test
    void aClaimWithoutCapabilitiesIsRefusedAndChangesNothing() throws Exception {
        // OutLayer's ClaimJobRequest: #[serde(default)] capabilities: Vec<String>; claim_job answers none with 400
        client.requestExecution(echo, "{\"no_capabilities\":true}", 10);
        JsonNode task = ok(call("GET", "/executions/poll?timeout=10&capabilities=compilation,execution", null, TOKEN));
        long requestId = task.path("request_id").asLong();
        ObjectNode claim = (ObjectNode) JsonCodec.MAPPER.readTree(claimBody(task, "no-capabilities"));
        for (boolean leftOut : List.of(true, false)) {
            if (leftOut) {
                claim.remove("capabilities");
            } else {
                claim.putArray("capabilities");
            }
            HttpResponse<String> refused = call("POST", "/jobs/claim", claim.toString(), TOKEN);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(ErrorBodies.message(refused.body()))
                    .isEqualTo("capabilities must include 'compilation' or 'execution'");
            assertThat(client.system.executions().store().jobs(requestId))
                    .as("no job for a refused claim")
                    .isEmpty();
        }

        JsonNode jobs = ok(call("POST", "/jobs/claim", claimBody(task, "no-capabilities"), TOKEN))
                .path("jobs");
        assertThat(jobs).as("the task is still there to claim").hasSize(1);
        assertThat(jobs.get(0).path("job_type").asText()).isEqualTo("execute");
        ok(call("POST", "/jobs/complete", finish(jobs.get(0), "no-capabilities", true), TOKEN));
    }

    @Test
    void compilersAndExecutorsPollTheirOwnQueuesAndTheExecuteJobCarriesTheCompilesCost() throws Exception {
        String uncached = "e1".repeat(32); // no worker has compiled it
        client.requestExecution(uncached, "{\"queues\":1}", 10);
        assertThat(call("GET", "/executions/poll?timeout=1&capabilities=execution", null, TOKEN)
                        .statusCode())
                .as("an executor does not get a task whose wasm must be built")
                .isEqualTo(204);
        JsonNode task = ok(call("GET", "/executions/poll?timeout=10&capabilities=compilation", null, TOKEN));
        assertThat(task.path("code_source").path("hash").asText()).isEqualTo(uncached);
        JsonNode compile = ok(call("POST", "/jobs/claim", claimBody(task, "compiler-9", false, "compilation"), TOKEN))
                .path("jobs")
                .get(0);
        assertThat(compile.path("job_type").asText()).isEqualTo("compile");
        assertThat(compile.path("created_at").asLong()).as("unix seconds").isGreaterThan(1_700_000_000L);
        ObjectNode done = (ObjectNode) JsonCodec.MAPPER.readTree(outlayerComplete(compile, true, null, null));
        // OutLayer's worker: compile time x per_compile_ms_fee
        done.put("compile_cost_yocto", "1200000000000000000");
        ok(call("POST", "/jobs/complete", done.toString(), TOKEN));
        assertThat(call("GET", "/executions/poll?timeout=0&capabilities=compilation", null, TOKEN)
                        .statusCode())
                .as("a compiler has nothing more to do for it")
                .isEqualTo(204);

        JsonNode moved = ok(call("GET", "/executions/poll?timeout=10&capabilities=execution", null, TOKEN));
        assertThat(moved.path("request_id").asLong())
                .isEqualTo(task.path("request_id").asLong());
        JsonNode execute = ok(call("POST", "/jobs/claim", claimBody(moved, "executor-9", false, "execution"), TOKEN))
                .path("jobs")
                .get(0);
        assertThat(execute.path("job_type").asText()).isEqualTo("execute");
        assertThat(execute.path("compile_cost_yocto").asText()).isEqualTo("1200000000000000000");
        assertThat(execute.path("compile_time_ms").asLong()).isEqualTo(12);

        // a cached wasm goes straight to the execute queue
        client.requestExecution(uncached, "{\"queues\":2}", 10);
        assertThat(call("GET", "/executions/poll?timeout=1&capabilities=compilation", null, TOKEN)
                        .statusCode())
                .isEqualTo(204);
        JsonNode cached = ok(call("GET", "/executions/poll?timeout=10&queue=execute", null, TOKEN));
        assertThat(cached.path("input_data").asText()).isEqualTo("{\"queues\":2}");
    }

    @Test
    void aCompileOnlyRequestReachesAnExecutorOnlyWithTheResultItsCompilerLeft() throws Exception {
        String published = "e2".repeat(32);
        client.requestExecutionWith("{\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/p.wasm\",\"hash\":\""
                + published + "\",\"build_target\":\"wasm32-wasip1\"}},\"response_format\":\"Text\"}");
        JsonNode task = ok(call("GET", "/executions/poll?timeout=10&capabilities=compilation", null, TOKEN));
        assertThat(task.path("compile_only").asBoolean()).isTrue();
        ObjectNode claim = (ObjectNode) JsonCodec.MAPPER.readTree(claimBody(task, "compiler-10", false, "compilation"));
        claim.put("compile_only", true);
        JsonNode compile = ok(call("POST", "/jobs/claim", claim.toString(), TOKEN))
                .path("jobs")
                .get(0);
        ObjectNode done = (ObjectNode) JsonCodec.MAPPER.readTree(outlayerComplete(compile, true, null, null));
        String url = "https://operator.test.near.fastfs.io/fastfs.test.near/" + published + ".wasm";
        done.put("compile_result", url); // OutLayer's worker sends it when it published to FastFS
        ok(call("POST", "/jobs/complete", done.toString(), TOKEN));

        JsonNode moved = ok(call("GET", "/executions/poll?timeout=10&capabilities=execution", null, TOKEN));
        assertThat(moved.path("compile_only").asBoolean()).isTrue();
        assertThat(moved.path("compile_result").asText()).isEqualTo(url);
        ObjectNode executor =
                (ObjectNode) JsonCodec.MAPPER.readTree(claimBody(moved, "executor-10", false, "execution"));
        executor.put("compile_only", true);
        assertThat(ok(call("POST", "/jobs/claim", executor.toString(), TOKEN)).path("jobs"))
                .as("an executor without the compile result gets nothing")
                .isEmpty();
        executor.put("has_compile_result", true);
        JsonNode execute =
                ok(call("POST", "/jobs/claim", executor.toString(), TOKEN)).path("jobs");
        assertThat(execute).hasSize(1);
        assertThat(execute.get(0).path("job_type").asText()).isEqualTo("execute");

        // without a compile result (nothing published), nobody is given the request: its yield times out
        String unpublished = "e3".repeat(32);
        client.requestExecutionWith("{\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/q.wasm\",\"hash\":\""
                + unpublished + "\",\"build_target\":\"wasm32-wasip1\"}},\"response_format\":\"Text\"}");
        JsonNode second = ok(call("GET", "/executions/poll?timeout=10&capabilities=compilation", null, TOKEN));
        JsonNode secondCompile = ok(call(
                        "POST", "/jobs/claim", claimBody(second, "compiler-10", false, "compilation"), TOKEN))
                .path("jobs")
                .get(0);
        ok(call("POST", "/jobs/complete", outlayerComplete(secondCompile, true, null, null), TOKEN));
        assertThat(call("GET", "/executions/poll?timeout=1&capabilities=compilation,execution", null, TOKEN)
                        .statusCode())
                .isEqualTo(204);
        assertThat(client.system
                        .executions()
                        .store()
                        .queueOf(
                                second.path("request_id").asLong(),
                                second.path("data_id").asText()))
                .as("finished")
                .isEmpty();
    }

    @Test
    void aCompileCostThatIsNoYoctoAmountIsRefusedAndChangesNothing() throws Exception {
        client.requestExecution("e4".repeat(32), "{}", 10);
        JsonNode task = ok(call("GET", "/executions/poll?timeout=10&capabilities=compilation", null, TOKEN));
        JsonNode compile = ok(call("POST", "/jobs/claim", claimBody(task, "compiler-11", false, "compilation"), TOKEN))
                .path("jobs")
                .get(0);
        for (String bad : new String[] {"-1", "1.5", "12abc", "340282366920938463463374607431768211456"}) {
            ObjectNode done = (ObjectNode) JsonCodec.MAPPER.readTree(outlayerComplete(compile, true, null, null));
            done.put("compile_cost_yocto", bad);
            assertUnfit(call("POST", "/jobs/complete", done.toString(), TOKEN), "compile_cost_yocto");
        }
        assertThat(statusOf(compile)).isEqualTo(JobStatus.IN_PROGRESS);
        ObjectNode max = (ObjectNode) JsonCodec.MAPPER.readTree(outlayerComplete(compile, true, null, null));
        max.put("compile_cost_yocto", "340282366920938463463374607431768211455"); // u128::MAX
        ok(call("POST", "/jobs/complete", max.toString(), TOKEN));
        movedToTheExecuteQueue(task);
    }

    private static HttpResponse<String> uploadWasm(java.util.Map<String, String> fields, byte[] wasm, String token)
            throws Exception {
        return client.uploadWasm(fields, wasm, token);
    }

    private static java.util.Map<String, String> uploadFields(String checksum) {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("checksum", checksum);
        fields.put("repo_url", "https://github.com/alice/program");
        fields.put("commit_hash", "0123abcd");
        fields.put("build_target", "wasm32-wasip1");
        return fields;
    }

    @Test
    void aWorkerUploadsCompiledWasmAndAnotherDownloadsItByChecksum() throws Exception {
        String checksum = "f1".repeat(32);
        byte[] wasm = TestPrograms.wasm("echo_json");
        assertThat(ok(call("GET", "/wasm/exists/" + checksum, null, TOKEN)).toString())
                .isEqualTo("{\"exists\":false,\"created_at\":null}");
        assertThat(call("GET", "/wasm/" + checksum, null, TOKEN).statusCode()).isEqualTo(404);

        HttpResponse<String> uploaded = uploadWasm(uploadFields(checksum), wasm, TOKEN);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        assertThat(uploaded.body()).isEmpty();

        JsonNode exists = ok(call("GET", "/wasm/exists/" + checksum, null, TOKEN));
        assertThat(exists.path("exists").asBoolean()).isTrue();
        assertThat(exists.path("created_at").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?\\+00:00");
        assertThat(ok(call("GET", "/public/wasm/exists/" + checksum, null, null)))
                .as("OutLayer's public exists needs no token")
                .isEqualTo(exists);
        HttpResponse<byte[]> download = LifecycleClient.HTTP.send(
                HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + "/wasm/" + checksum))
                        .header("Authorization", "Bearer " + TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(wasm);
        assertThat(client.system.executions().store().wasmCached(checksum))
                .as("an uploaded wasm is in the compile cache: its requests go to the execute queue")
                .isTrue();
    }

    @Test
    void wasmRoutesNeedAWorkerTokenAndARefusedUploadStoresNothing() throws Exception {
        String checksum = "f2".repeat(32);
        byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0};
        assertThat(uploadWasm(uploadFields(checksum), wasm, null).statusCode()).isEqualTo(401);
        assertThat(uploadWasm(uploadFields(checksum), wasm, "wrong").statusCode())
                .isEqualTo(401);
        assertThat(call("GET", "/wasm/" + checksum, null, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/wasm/exists/" + checksum, null, null).statusCode())
                .isEqualTo(401);

        // OutLayer's upload_wasm: 400 without the file or any of checksum, repo_url, commit_hash
        assertThat(uploadWasm(uploadFields(checksum), null, TOKEN).statusCode()).isEqualTo(400);
        for (String required : new String[] {"checksum", "repo_url", "commit_hash"}) {
            java.util.Map<String, String> fields = uploadFields(checksum);
            fields.remove(required);
            HttpResponse<String> refused = uploadWasm(fields, wasm, TOKEN);
            assertThat(refused.statusCode()).as(required).isEqualTo(400);
            assertThat(JsonCodec.MAPPER.readTree(refused.body()).toString()).contains("required");
        }
        java.util.Map<String, String> traversal = uploadFields(checksum);
        traversal.put("checksum", "../../etc/passwd");
        assertThat(uploadWasm(traversal, wasm, TOKEN).statusCode()).isEqualTo(400);
        assertThat(call("POST", "/wasm/upload", "{\"checksum\":\"" + checksum + "\"}", TOKEN)
                        .statusCode())
                .as("not multipart")
                .isEqualTo(400);
        HttpResponse<String> truncated = LifecycleClient.HTTP.send(
                HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + "/wasm/upload"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "multipart/form-data; boundary=b")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "--b\r\nContent-Disposition: form-data; name=\"checksum\"\r\n\r\n" + checksum))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(truncated.statusCode()).isEqualTo(400);
        // OutLayer's worker routes take at most 10 MiB
        HttpResponse<String> tooLarge = uploadWasm(uploadFields(checksum), new byte[10 * 1024 * 1024 + 1], TOKEN);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(call("GET", "/wasm/not-a-checksum", null, TOKEN).statusCode())
                .isEqualTo(400);

        assertThat(ok(call("GET", "/wasm/exists/" + checksum, null, TOKEN))
                        .path("exists")
                        .asBoolean())
                .as("nothing stored by a refused upload")
                .isFalse();
        assertThat(client.system.executions().store().wasmCached(checksum)).isFalse();
        // and the service goes on serving
        assertThat(uploadWasm(uploadFields(checksum), wasm, TOKEN).statusCode()).isEqualTo(201);
    }

    private static JsonNode worker(String workerId) throws Exception {
        for (JsonNode worker : ok(call("GET", "/public/workers", null, null))) {
            if (worker.path("worker_id").asText().equals(workerId)) {
                return worker;
            }
        }
        return null;
    }

    @Test
    void aWorkersCountsAreItsFinishedJobsAsOutLayersListWorkersShows() throws Exception {
        String beat = "{\"worker_id\":\"counted\",\"worker_name\":\"counted worker\",\"status\":\"busy\","
                + "\"current_task_id\":41}";
        ok(call("POST", "/workers/heartbeat", beat, TOKEN));
        JsonNode busy = worker("counted");
        assertThat(busy.path("status").asText()).isEqualTo("busy");
        assertThat(busy.path("current_task_id").asLong()).isEqualTo(41);
        assertThat(busy.path("last_heartbeat_at").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        // OutLayer's worker (api_client.rs notify_task_completion): {worker_id, success}, 200 with no body
        HttpResponse<String> done =
                call("POST", "/workers/task-completion", "{\"worker_id\":\"counted\",\"success\":true}", TOKEN);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).isEmpty();
        ok(call("POST", "/workers/task-completion", "{\"worker_id\":\"counted\",\"success\":false}", TOKEN));
        JsonNode notified = worker("counted");
        assertThat(notified.path("status").asText()).isEqualTo("online");
        assertThat(notified.path("current_task_id").isNull()).isTrue();
        assertThat(notified.path("total_tasks_completed").asLong())
                .as("OutLayer's list_workers counts execution_history, not the notices")
                .isZero();
        assertThat(notified.path("total_tasks_failed").asLong()).isZero();

        // its jobs: a compile that succeeds, then the execute job, which fails
        String program = client.upload("env_json"); // compiled by no other test here
        client.requestExecution(program, "{}", 10);
        JsonNode task = ok(call("GET", "/tasks/poll?timeout=10", null, TOKEN));
        JsonNode compile = ok(call("POST", "/jobs/claim", claimBody(task, "counted"), TOKEN))
                .path("jobs")
                .get(0);
        assertThat(compile.path("job_type").asText()).isEqualTo("compile");
        assertThat(worker("counted").path("total_tasks_completed").asLong())
                .as("a job still running is no history")
                .isZero();
        ok(call("POST", "/jobs/complete", finish(compile, "counted", true), TOKEN));
        movedToTheExecuteQueue(task);
        JsonNode execute = ok(call("POST", "/jobs/claim", claimBody(task, "counted"), TOKEN))
                .path("jobs")
                .get(0);
        ok(call("POST", "/jobs/complete", finish(execute, "counted", false), TOKEN));
        JsonNode counted = worker("counted");
        assertThat(counted.path("total_tasks_completed").asLong()).isEqualTo(1);
        assertThat(counted.path("total_tasks_failed").asLong()).isEqualTo(1);

        assertThat(call("POST", "/workers/task-completion", "{\"worker_id\":\"never-seen\",\"success\":true}", TOKEN)
                        .statusCode())
                .as("OutLayer's UPDATE touches no row and answers 200")
                .isEqualTo(200);
        assertThat(worker("never-seen")).isNull();
        ok(call("POST", "/workers/heartbeat", beat, TOKEN)); // busy with task 41 again
        assertUnfit(
                call("POST", "/workers/task-completion", "{\"worker_id\":\"counted\"}", TOKEN), "success is required");
        assertUnfit(call("POST", "/workers/task-completion", "{\"success\":true}", TOKEN), "worker_id is required");
        assertThat(call("POST", "/workers/task-completion", "{\"worker_id\":\"counted\",\"success\":true}", null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(worker("counted").path("status").asText())
                .as("refused notifications changed nothing")
                .isEqualTo("busy");
        assertThat(worker("counted").path("current_task_id").asLong()).isEqualTo(41);
    }

    @Test
    void anEventMonitorsCreateOfAKnownTaskIsNoSecondTaskAndAForgedOneIsRefused() throws Exception {
        client.requestExecution(echo, "{\"create\":1}", 10);
        JsonNode task = ok(call("GET", "/executions/poll?timeout=10&capabilities=compilation,execution", null, TOKEN));
        // OutLayer's worker's CreateTaskRequest as its event monitor sends it
        ObjectNode create = task.deepCopy();
        create.remove("block_height");
        create.put("attached_usd", "0");
        HttpResponse<String> again = call("POST", "/executions/create", create.toString(), TOKEN);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JsonCodec.MAPPER.readTree(again.body()))
                .isEqualTo(JsonCodec.MAPPER.readTree(
                        "{\"request_id\":" + task.path("request_id").asLong() + ",\"created\":false}"));

        ObjectNode otherInput = create.deepCopy();
        otherInput.put("input_data", "{\"create\":2}");
        HttpResponse<String> forged = call("POST", "/executions/create", otherInput.toString(), TOKEN);
        assertThat(forged.statusCode()).isEqualTo(409);
        assertThat(forged.body()).contains("input_data");
        ObjectNode otherCode = create.deepCopy();
        ((ObjectNode) otherCode.path("code_source")).put("hash", "99".repeat(32));
        assertThat(call("POST", "/executions/create", otherCode.toString(), TOKEN)
                        .statusCode())
                .isEqualTo(409);
        ObjectNode otherPayment = create.deepCopy();
        otherPayment.put("attached_usd", "5000000");
        HttpResponse<String> paid = call("POST", "/executions/create", otherPayment.toString(), TOKEN);
        assertThat(paid.statusCode()).isEqualTo(409);
        assertThat(paid.body()).contains("attached_usd");
        ObjectNode otherProject = create.deepCopy();
        otherProject.put("project_id", "mallory.test.near/app");
        assertThat(call("POST", "/executions/create", otherProject.toString(), TOKEN)
                        .statusCode())
                .isEqualTo(409);
        ObjectNode notPending = create.deepCopy();
        notPending.put("request_id", 987654);
        assertThat(call("POST", "/executions/create", notPending.toString(), TOKEN)
                        .statusCode())
                .isEqualTo(409);
        ObjectNode noLimits = create.deepCopy();
        noLimits.remove("resource_limits");
        assertUnfit(call("POST", "/executions/create", noLimits.toString(), TOKEN), "resource_limits is required");
        // OutLayer's #[serde(default)] context: ExecutionContext may be left out, not sent as null
        ObjectNode nullContext = create.deepCopy();
        nullContext.putNull("context");
        assertUnfit(call("POST", "/executions/create", nullContext.toString(), TOKEN), "context must be an object");
        // and its #[serde(default)] response_format (a ResponseFormat, no Option): absent is Text, null refused
        ObjectNode nullFormat = create.deepCopy();
        nullFormat.putNull("response_format");
        assertUnfit(
                call("POST", "/executions/create", nullFormat.toString(), TOKEN),
                "'response_format' must be a string, not null");
        // ours: the dashboard sums the payment (OutLayer's CAST(near_payment_yocto AS NUMERIC))
        ObjectNode oddPayment = create.deepCopy();
        oddPayment.put("near_payment_yocto", "0.01 NEAR");
        assertUnfit(
                call("POST", "/executions/create", oddPayment.toString(), TOKEN),
                "near_payment_yocto must be a yoctoNEAR amount: a u128 in decimal digits");
        assertThat(call("POST", "/executions/create", create.toString(), null).statusCode())
                .isEqualTo(401);
        assertThat(call("GET", "/executions/poll?timeout=0&capabilities=compilation,execution", null, TOKEN)
                        .statusCode())
                .as("nothing was queued by them")
                .isEqualTo(204);
    }

    @Test
    void theSystemCallbackQueueIsPolledAsOutLayersAndHasNoTaskHere() throws Exception {
        // OutLayer's worker (api_client.rs poll_system_callback_task) beside its execution poll
        HttpResponse<String> now =
                call("GET", "/system-callbacks/poll?timeout=0&capabilities=compilation,execution", null, TOKEN);
        assertThat(now.statusCode()).isEqualTo(200);
        assertThat(now.body()).isEqualTo("null");
        long start = System.nanoTime();
        HttpResponse<String> waited =
                call("GET", "/system-callbacks/poll?timeout=1&capabilities=execution", null, TOKEN);
        assertThat(waited.body()).isEqualTo("null");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("a long poll waits its timeout")
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(call("GET", "/system-callbacks/poll?timeout=0&capabilities=compilation", null, TOKEN)
                        .statusCode())
                .as("OutLayer: system callbacks need the execution capability")
                .isEqualTo(403);
        assertThat(call("GET", "/system-callbacks/poll?timeout=0", null, null).statusCode())
                .isEqualTo(401);
        assertThat(call("GET", "/system-callbacks/poll?timeout=soon", null, TOKEN)
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void theClaimCarriesTheContractsPricingAsOutLayersClaimJobResponse() throws Exception {
        // OutLayer's worker reads ClaimJobResponse {jobs, pricing}: without pricing it cannot parse the answer
        client.requestExecution("ef".repeat(32), "{}", 10);
        JsonNode task = ok(call("GET", "/executions/poll?timeout=10&capabilities=compilation,execution", null, TOKEN));
        JsonNode answer = ok(call("POST", "/jobs/claim", claimBody(task, "ext-5"), TOKEN));
        JsonNode pricing = answer.path("pricing");
        // the bundled contract's get_pricing and get_max_limits
        assertThat(pricing.path("base_fee").asText()).isEqualTo("1000000000000000000000");
        assertThat(pricing.path("per_instruction_fee").asText()).isEqualTo("100000000000000");
        assertThat(pricing.path("per_ms_fee").asText()).isEqualTo("100000000000000000");
        assertThat(pricing.path("per_compile_ms_fee").asText()).isEqualTo("100000000000000000");
        assertThat(pricing.path("max_compilation_seconds").asLong()).isEqualTo(300);
        assertThat(pricing.path("max_instructions").asLong()).isEqualTo(500_000_000_000L);
        assertThat(pricing.path("max_execution_seconds").asLong()).isEqualTo(180);
        assertThat(ok(call("POST", "/jobs/claim", claimBody(task, "ext-6"), TOKEN))
                        .path("pricing"))
                .as("an empty claim has it too")
                .isEqualTo(pricing);
        assertThat(ok(call("GET", "/public/pricing", null, null)))
                .as("OutLayer's GET /public/pricing, without a token: the same PricingConfig")
                .isEqualTo(pricing);
    }

    @Test
    void anExecuteJobClaimedAfterAFailedCompileCarriesTheCompileError() throws Exception {
        // OutLayer's claim_job sends compile_error with the execute job: its executor resolves with it
        client.requestExecution("cd".repeat(32), "{}", 10); // a wasm nobody has
        JsonNode task = ok(call("GET", "/executions/poll?timeout=10&capabilities=compilation,execution", null, TOKEN));
        JsonNode compile = ok(call("POST", "/jobs/claim", claimBody(task, "ext-7"), TOKEN))
                .path("jobs")
                .get(0);
        assertThat(compile.path("job_type").asText()).isEqualTo("compile");
        assertThat(compile.has("compile_error")).isFalse();
        ObjectNode failed = (ObjectNode) JsonCodec.MAPPER.readTree(finish(compile, "ext-7", false));
        failed.put("error", "Compilation failed: the wasm could not be downloaded");
        failed.put("error_category", "compilation_failed");
        ok(call("POST", "/jobs/complete", failed.toString(), TOKEN));

        // an executor claims it (OutLayer's coordinator queues the task for executors after a failed compile)
        movedToTheExecuteQueue(task);
        ObjectNode executor = (ObjectNode) JsonCodec.MAPPER.readTree(claimBody(task, "ext-8"));
        executor.putArray("capabilities").add("execution");
        JsonNode execute = ok(call("POST", "/jobs/claim", executor.toString(), TOKEN))
                .path("jobs")
                .get(0);
        assertThat(execute.path("job_type").asText()).isEqualTo("execute");
        assertThat(execute.path("compile_error").asText())
                .isEqualTo("Compilation failed: the wasm could not be downloaded");
        assertThat(execute.has("compile_time_ms")).isFalse();
    }

    private static String claimBody(JsonNode task, String workerId, boolean forceRebuild, String... capabilities)
            throws Exception {
        ObjectNode claim = (ObjectNode) JsonCodec.MAPPER.readTree(claimBody(task, workerId));
        ArrayNode named = claim.putArray("capabilities");
        for (String capability : capabilities) {
            named.add(capability);
        }
        claim.put("force_rebuild", forceRebuild);
        return claim.toString();
    }

    @Test
    void withForceRebuildAnExecutorWaitsOnlyWhileTheRequestsCompileRuns() throws Exception {
        // OutLayer's claim_job: an executor uses the cached wasm unless a fresh compile of the request is running
        String fresh = client.upload("printenv");
        client.system.executions().store().cacheWasm(fresh);
        client.requestExecution(fresh, "{}", 10);
        JsonNode first = ok(call("GET", "/executions/poll?timeout=10&queue=execute", null, TOKEN));
        JsonNode runsCached = ok(call("POST", "/jobs/claim", claimBody(first, "exec-1", true, "execution"), TOKEN))
                .path("jobs");
        assertThat(runsCached)
                .as("no compile of this request started: the cached wasm runs")
                .hasSize(1);
        assertThat(runsCached.get(0).path("job_type").asText()).isEqualTo("execute");

        client.requestExecution(fresh, "{\"n\":2}", 10);
        JsonNode second = ok(call("GET", "/executions/poll?timeout=10&queue=execute", null, TOKEN));
        JsonNode compile = ok(call("POST", "/jobs/claim", claimBody(second, "compiler-1", true, "compilation"), TOKEN))
                .path("jobs")
                .get(0);
        assertThat(compile.path("job_type").asText())
                .as("force_rebuild compiles a cached wasm")
                .isEqualTo("compile");
        assertThat(ok(call("POST", "/jobs/claim", claimBody(second, "exec-1", true, "execution"), TOKEN))
                        .path("jobs"))
                .as("the fresh build is running")
                .isEmpty();
        ok(call("POST", "/jobs/complete", finish(compile, "compiler-1", true), TOKEN));
        movedToTheExecuteQueue(second);
        JsonNode execute = ok(call("POST", "/jobs/claim", claimBody(second, "exec-1", true, "execution"), TOKEN))
                .path("jobs");
        assertThat(execute).as("the fresh build is ready").hasSize(1);
        assertThat(execute.get(0).path("compile_time_ms").asLong()).isEqualTo(7);
    }

    /** OutLayer's worker's CompleteJobRequest (api_client.rs complete_job): no worker_id, no attempt. */
    private static String outlayerComplete(JsonNode job, boolean success, String error, String category) {
        ObjectNode body = JsonCodec.object();
        body.put("job_id", job.path("job_id").asLong());
        body.put("success", success);
        body.putNull("output");
        body.put("error", error);
        body.put("time_ms", 12);
        body.put("instructions", 3456);
        body.put("wasm_checksum", success ? job.path("wasm_checksum").asText() : null);
        body.putNull("actual_cost_yocto");
        body.putNull("compile_cost_yocto");
        if (category != null) {
            body.put("error_category", category);
        }
        body.putNull("compile_result");
        return body.toString();
    }

    /**
     * A member of another JSON type is a 422 naming it, as serde refuses it in OutLayer's CompleteJobRequest,
     * and the job stays claimed: Jackson alone read success -7 as true, time_ms 1.9 as 1, an empty or
     * control-character instructions as not given and an error 5 as "5", and completed the job.
     */
    @Test
    void aCompleteWithAMemberOfAnotherJsonTypeIsRefusedAndChangesNothing() throws Exception {
        client.requestExecution("e7".repeat(32), "{}", 10);
        JsonNode task = ok(call("GET", "/executions/poll?timeout=10&capabilities=compilation", null, TOKEN));
        JsonNode compile = ok(call("POST", "/jobs/claim", claimBody(task, "compiler-12", false, "compilation"), TOKEN))
                .path("jobs")
                .get(0);
        String[][] cases = {
            {"success", "-7", "'success' must be true or false"},
            {"success", "1", "'success' must be true or false"},
            {"success", "\"true\"", "'success' must be true or false"},
            {"time_ms", "1.9", "'time_ms' must be an integer"},
            {"instructions", "\"\"", "'instructions' must be an integer"},
            {"instructions", "\"\\u0001\\u001f\"", "'instructions' must be an integer"},
            {"job_id", "\"" + compile.path("job_id").asLong() + "\"", "'job_id' must be an integer"},
            {"error", "5", "'error' must be a string"},
            // serde_json reads no number past f64 (a syntax error, before any type is looked at): see below
        };
        for (String[] c : cases) {
            ObjectNode done = (ObjectNode) JsonCodec.MAPPER.readTree(outlayerComplete(compile, true, null, null));
            // Spliced in as text: a tree would hold 1e400 as Infinity and write it as a string.
            String body = done.put(c[0], "@value@").toString().replace("\"@value@\"", c[1]);
            HttpResponse<String> refused = call("POST", "/jobs/complete", body, TOKEN);
            assertThat(refused.statusCode()).as(c[0] + ": " + c[1]).isEqualTo(422);
            assertThat(ErrorBodies.message(refused.body()))
                    .as(c[0] + ": " + c[1])
                    .isEqualTo("Failed to deserialize the JSON body into the target type: " + c[2]);
        }
        ObjectNode huge = (ObjectNode) JsonCodec.MAPPER.readTree(outlayerComplete(compile, true, null, null));
        // Spliced in as text: a tree would hold 1e400 as Infinity and write it as a string.
        String hugeBody = huge.put("wasm_checksum", "@value@").toString().replace("\"@value@\"", "1e400");
        HttpResponse<String> outOfRange = call("POST", "/jobs/complete", hugeBody, TOKEN);
        assertThat(outOfRange.statusCode()).as(outOfRange.body()).isEqualTo(400);
        assertThat(ErrorBodies.message(outOfRange.body()))
                .startsWith("Failed to parse the request body as JSON: number out of range at line 1 column ");
        assertThat(statusOf(compile)).as("no refused complete changed the job").isEqualTo(JobStatus.IN_PROGRESS);
        ok(call("POST", "/jobs/complete", outlayerComplete(compile, true, null, null), TOKEN));
        movedToTheExecuteQueue(task);
    }

    /**
     * OutLayer's ClaimJobRequest and CompleteJobRequest as serde reads them: a u64 or bool that is no Option is
     * refused when null or missing ({@code time_ms}, every {@code resource_limits} member), a {@code
     * #[serde(default)]} one only when null ({@code instructions}, {@code force_rebuild}); nothing is claimed or
     * completed by a refused body. Jackson alone read each of them as 0 or false and went on.
     */
    @Test
    void aClaimOrCompleteWithANullOrMissingRequiredNumberIsRefusedAndChangesNothing() throws Exception {
        client.requestExecution("f3".repeat(32), "{}", 10);
        JsonNode task = ok(call("GET", "/executions/poll?timeout=10&capabilities=compilation", null, TOKEN));
        String[][] claims = {
            {"force_rebuild", "null", "'force_rebuild' must be true or false, not null"},
            {"resource_limits", null, "resource_limits is required"},
            {
                "resource_limits",
                "{\"max_instructions\":1,\"max_execution_seconds\":1}",
                "'resource_limits.max_memory_mb' is required: an integer"
            },
            {
                "resource_limits",
                "{\"max_instructions\":null,\"max_memory_mb\":1,\"max_execution_seconds\":1}",
                "'resource_limits.max_instructions' must be an integer, not null"
            },
        };
        for (String[] c : claims) {
            assertRefused("/jobs/claim", claimBody(task, "compiler-13", false, "compilation"), c);
        }
        JsonNode compile = ok(call("POST", "/jobs/claim", claimBody(task, "compiler-13", false, "compilation"), TOKEN))
                .path("jobs")
                .get(0);
        assertThat(compile).as("no refused claim took the job").isNotNull();
        String[][] completes = {
            {"time_ms", "null", "'time_ms' must be an integer, not null"},
            {"time_ms", null, "'time_ms' is required: an integer"},
            {"instructions", "null", "'instructions' must be an integer, not null"},
            {"success", "null", "success is required (true or false)"},
        };
        for (String[] c : completes) {
            assertRefused("/jobs/complete", outlayerComplete(compile, true, null, null), c);
        }
        long jobId = compile.path("job_id").asLong();
        assertThat(client.system.executions().store().job(jobId).orElseThrow().status())
                .as("no refused complete changed the job")
                .isEqualTo(JobStatus.IN_PROGRESS);
        // instructions is #[serde(default)]: a complete without it is OutLayer's worker's, read as 0
        ObjectNode done = (ObjectNode) JsonCodec.MAPPER.readTree(outlayerComplete(compile, true, null, null));
        ok(call("POST", "/jobs/complete", done.without("instructions").toString(), TOKEN));
        assertThat(client.system.executions().store().job(jobId).orElseThrow().timeMs())
                .isEqualTo(12L);
        movedToTheExecuteQueue(task);
    }

    /**
     * {@code body} with member {@code c[0]} set to the JSON text {@code c[1]} (spliced in as text), or left out when
     * that is null, is axum's 422 whose reason is {@code c[2]}.
     */
    private static void assertRefused(String path, String body, String[] c) throws Exception {
        ObjectNode base = (ObjectNode) JsonCodec.MAPPER.readTree(body);
        String sent = c[1] == null
                ? base.without(c[0]).toString()
                : base.put(c[0], "@value@").toString().replace("\"@value@\"", c[1]);
        HttpResponse<String> refused = call("POST", path, sent, TOKEN);
        assertThat(refused.statusCode()).as(sent).isEqualTo(422);
        assertThat(ErrorBodies.message(refused.body()))
                .as(sent)
                .isEqualTo("Failed to deserialize the JSON body into the target type: " + c[2]);
    }

    @Test
    void outLayersWorkerCompletesByJobIdAloneAndSeesTheFailuresCategory() throws Exception {
        client.requestExecution("ab".repeat(32), "{}", 10);
        JsonNode task = ok(call("GET", "/executions/poll?timeout=10&capabilities=compilation,execution", null, TOKEN));
        JsonNode compile = ok(call("POST", "/jobs/claim", claimBody(task, "outlayer-worker"), TOKEN))
                .path("jobs")
                .get(0);
        // OutLayer's JobStatus has no such category
        assertUnfit(
                call("POST", "/jobs/complete", outlayerComplete(compile, false, "x", "no_such_category"), TOKEN),
                "error_category must be one of");
        assertThat(statusOf(compile)).as("the refused complete changed nothing").isEqualTo(JobStatus.IN_PROGRESS);
        JsonNode failed = ok(call(
                "POST",
                "/jobs/complete",
                outlayerComplete(compile, false, "Compilation failed: no such wasm", "compilation_failed"),
                TOKEN));
        assertThat(failed.path("status").asText()).isEqualTo("compilation_failed");
        movedToTheExecuteQueue(task);
        assertThat(call("POST", "/jobs/complete", outlayerComplete(compile, true, null, null), TOKEN)
                        .statusCode())
                .as("nothing completes twice")
                .isEqualTo(409);
    }

    @Test
    void aCompleteByJobIdAloneIsRefusedOnceTheJobWasTakenOver() throws Exception {
        TargetOptions options = LifecycleClient.options(0);
        options.workerToken = TOKEN;
        options.outlayerStaleClaimMillis = 200;
        try (LifecycleClient shortClaims = new LifecycleClient(options)) {
            shortClaims.requestExecution("ab".repeat(32), "{}", 10);
            HttpRequest poll = HttpRequest.newBuilder(URI.create(shortClaims.system.coordinatorUrl()
                            + "/executions/poll?timeout=10&capabilities=compilation"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .build();
            JsonNode task = JsonCodec.MAPPER.readTree(LifecycleClient.HTTP
                    .send(poll, HttpResponse.BodyHandlers.ofString())
                    .body());
            HttpRequest.Builder claim = HttpRequest.newBuilder(
                            URI.create(shortClaims.system.coordinatorUrl() + "/jobs/claim"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + TOKEN);
            JsonNode first = JsonCodec.MAPPER
                    .readTree(LifecycleClient.HTTP
                            .send(
                                    claim.POST(HttpRequest.BodyPublishers.ofString(claimBody(task, "slow")))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .path("jobs")
                    .get(0);
            Thread.sleep(400); // the first claim goes stale
            JsonNode second = JsonCodec.MAPPER
                    .readTree(LifecycleClient.HTTP
                            .send(
                                    claim.POST(HttpRequest.BodyPublishers.ofString(claimBody(task, "fast")))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .path("jobs")
                    .get(0);
            assertThat(second.path("attempt").asInt()).isEqualTo(2);
            HttpResponse<String> late = LifecycleClient.HTTP.send(
                    HttpRequest.newBuilder(URI.create(shortClaims.system.coordinatorUrl() + "/jobs/complete"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + TOKEN)
                            .POST(HttpRequest.BodyPublishers.ofString(outlayerComplete(first, true, null, null)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(late.statusCode())
                    .as("whose claim it is cannot be told without worker_id: %s", late.body())
                    .isEqualTo(409);
            assertThat(shortClaims
                            .system
                            .executions()
                            .store()
                            .job(second.path("job_id").asLong())
                            .orElseThrow())
                    .satisfies(job -> {
                        assertThat(job.status()).isEqualTo(JobStatus.IN_PROGRESS);
                        assertThat(job.workerId()).isEqualTo("fast");
                    });
        }
    }

    @Test
    void outLayersWorkerHeartbeatKeepsItsLongCompileFromBeingTakenOver() throws Exception {
        TargetOptions options = LifecycleClient.options(0);
        options.workerToken = TOKEN;
        options.outlayerStaleClaimMillis = 400;
        try (LifecycleClient shortClaims = new LifecycleClient(options)) {
            String base = shortClaims.system.coordinatorUrl();
            java.util.function.BiFunction<String, String, HttpResponse<String>> post = (path, body) -> {
                try {
                    return LifecycleClient.HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + path))
                                    .header("Content-Type", "application/json")
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            shortClaims.requestExecution("ab".repeat(32), "{}", 10);
            JsonNode task = JsonCodec.MAPPER.readTree(LifecycleClient.HTTP
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create(base + "/executions/poll?timeout=10&capabilities=compilation"))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            JsonNode compile = JsonCodec.MAPPER
                    .readTree(post.apply("/jobs/claim", claimBody(task, "outlayer-w"))
                            .body())
                    .path("jobs")
                    .get(0);
            // OutLayer's worker's HeartbeatRequest (api_client.rs send_heartbeat)
            String beat = "{\"worker_id\":\"outlayer-w\",\"worker_name\":\"outlayer-w\",\"status\":\"busy\","
                    + "\"current_task_id\":null,\"event_monitor_block_height\":null,\"last_poll_at\":null}";
            for (int i = 0; i < 6; i++) {
                Thread.sleep(200);
                HttpResponse<String> alive = post.apply("/workers/heartbeat", beat);
                assertThat(alive.statusCode()).as(alive.body()).isEqualTo(200);
                assertThat(JsonCodec.MAPPER
                                .readTree(alive.body())
                                .path("jobs_alive")
                                .asInt())
                        .isEqualTo(1);
                assertThat(JsonCodec.MAPPER
                                .readTree(post.apply("/jobs/claim", claimBody(task, "other"))
                                        .body())
                                .path("jobs"))
                        .as("a compile whose worker says it is alive is not taken over")
                        .isEmpty();
            }
            assertUnfit(post.apply("/workers/heartbeat", beat.replace("busy", "sleepy")), "status must be one of");
            HttpResponse<String> done = post.apply("/jobs/complete", outlayerComplete(compile, true, null, null));
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        }
    }

    @Test
    void badWorkerRequestsAreRefusedInAxumsWordsAndChangeNothing() throws Exception {
        var jobsBefore = client.system.executions().store().jobs(1); // another test may have run request 1
        assertUnfit(call("POST", "/jobs/claim", "{\"request_id\":1,\"data_id\":\"ab\"}", TOKEN), "worker_id");
        // OutLayer's #[serde(default)] capabilities: Vec<String> may be left out, not sent as null
        String nullCapabilities = "{\"request_id\":1,\"data_id\":\"ab\",\"worker_id\":\"nulls\",\"code_source\":"
                + "{\"type\":\"WasmUrl\",\"url\":\"program://x\",\"hash\":\"" + echo
                + "\",\"build_target\":\"wasm32-wasip1\"},"
                + "\"resource_limits\":{\"max_instructions\":1,\"max_memory_mb\":1,\"max_execution_seconds\":1},"
                + "\"capabilities\":null}";
        assertUnfit(call("POST", "/jobs/claim", nullCapabilities, TOKEN), "'capabilities' must be an array, not null");
        HttpResponse<String> notJson = call("POST", "/jobs/complete", "not json", TOKEN);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(notJson.body())).startsWith("Failed to parse the request body as JSON: ");
        assertThat(call(
                                "POST",
                                "/jobs/complete",
                                "{\"job_id\":999999,\"worker_id\":\"x\",\"success\":true,\"time_ms\":1}",
                                TOKEN)
                        .statusCode())
                .isEqualTo(404);
        assertThat(call("GET", "/tasks/poll?timeout=abc", null, TOKEN).statusCode())
                .isEqualTo(400);
        assertThat(client.system.executions().store().jobs(1)).isEqualTo(jobsBefore);
    }
}

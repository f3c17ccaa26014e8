package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.executions.Job;
import dev.outlayer.bench.targetsystem.executions.JobType;
import dev.outlayer.bench.targetsystem.executions.ManualClock;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.ErrorBodies;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OutLayer's distributed locks ({@code POST /locks/acquire}, {@code DELETE /locks/release/{lock_key}}, worker token)
 * and hidden system logs ({@code POST /internal/system-logs}, {@code GET /admin/compile-logs/{job_id}} with the
 * admin token) through a running coordinator, as OutLayer's worker and an operator call them. The locks' clock is
 * the test's: a lock expires when the test moves it, not after a sleep.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocksAndSystemLogsApiTest {
    static final String TOKEN = "locks-api-worker-token-0123456789";
    static final String ADMIN = "locks-api-admin-token-0123456789";
    private static final String DATA = "Failed to deserialize the JSON body into the target type: ";
    private static final String NOT_JSON = "Expected request with `Content-Type: application/json`";
    private static final AtomicInteger KEYS = new AtomicInteger();
    private static final AtomicInteger JOBS = new AtomicInteger(1_000);

    protected ManualClock clock;
    protected LifecycleClient client;

    /** The options of the system under test: locks and logs in memory here, a subclass's stores otherwise. */
    protected TargetOptions options() {
        TargetOptions options = LifecycleClient.fastBlocks(1);
        options.workerToken = TOKEN;
        options.adminToken = ADMIN;
        options.admin = true;
        return options;
    }

    /** Lets {@code time} pass for the coordinator's locks. */
    protected void pass(Duration time) {
        clock.advance(time);
    }

    @BeforeAll
    void start() {
        clock = new ManualClock(Instant.parse("2026-03-01T12:00:00.120Z"));
        client = new LifecycleClient(options(), clock);
    }

    @AfterAll
    void stop() {
        client.close();
    }

    /** A lock key of the test's own: the tests share the coordinator. */
    private static String key() {
        return "compile:https://github.com/alice/app:" + KEYS.incrementAndGet();
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body, String auth)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.system.coordinatorUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> acquire(String body, String token) throws Exception {
        return send("POST", "/locks/acquire", "application/json", body, token == null ? null : "Bearer " + token);
    }

    private boolean acquire(String key, String worker, long ttl) throws Exception {
        HttpResponse<String> answer = acquire(
                "{\"lock_key\":" + JsonCodec.MAPPER.writeValueAsString(key) + ",\"worker_id\":\"" + worker
                        + "\",\"ttl_seconds\":" + ttl + "}",
                TOKEN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode acquired = JsonCodec.MAPPER.readTree(answer.body());
        assertThat(acquired.size()).as(answer.body()).isEqualTo(1);
        return acquired.path("acquired").asBoolean();
    }

    /** OutLayer's worker: the key percent-encoded (urlencoding::encode), every byte but A-Z a-z 0-9 - . _ ~. */
    static String encoded(String key) {
        StringBuilder path = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                path.append(c);
            } else {
                path.append(String.format("%%%02X", b & 0xff));
            }
        }
        return path.toString();
    }

    private HttpResponse<String> release(String rawKey, String query) throws Exception {
        return send("DELETE", "/locks/release/" + rawKey + query, null, null, "Bearer " + TOKEN);
    }

    private void released(String key) throws Exception {
        HttpResponse<String> answer = release(encoded(key), "");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).as("axum's StatusCode::OK has no body").isEmpty();
    }

    @Test
    void aSecondAcquirerIsRefusedUntilTheLockIsReleased() throws Exception {
        String key = key();
        assertThat(acquire(key, "worker-1", 60)).isTrue();
        assertThat(acquire(key, "worker-2", 60)).isFalse();
        assertThat(acquire(key, "worker-1", 60)).as("SET NX: its holder too").isFalse();
        released(key);
        assertThat(acquire(key, "worker-2", 60)).isTrue();
        released(key);
        released(key); // nothing held: OutLayer's DEL answers 200 all the same
    }

    @Test
    void aLockWhoseTimePassedIsTakenByAnotherWorker() throws Exception {
        String key = key();
        assertThat(acquire(key, "worker-1", 30)).isTrue();
        pass(Duration.ofSeconds(20));
        assertThat(acquire(key, "worker-2", 30)).as("20 s into its 30").isFalse();
        pass(Duration.ofSeconds(11));
        assertThat(acquire(key, "worker-2", 30))
                .as("its 30 s passed, nobody released it")
                .isTrue();
        assertThat(acquire(key, "worker-1", 30)).isFalse();
    }

    @Test
    void anyWorkerReleasesALockAsOutLayersAndWorkerIdLimitsTheReleaseToItsHolder() throws Exception {
        String key = key();
        assertThat(acquire(key, "worker-1", 60)).isTrue();
        HttpResponse<String> notTheHolder = release(encoded(key), "?worker_id=worker-2");
        assertThat(notTheHolder.statusCode()).as(notTheHolder.body()).isEqualTo(409);
        assertThat(ErrorBodies.message(notTheHolder.body())).isEqualTo("lock '" + key + "' is held by another worker");
        assertThat(acquire(key, "worker-2", 60)).as("still worker-1's").isFalse();

        HttpResponse<String> theHolder = release(encoded(key), "?worker_id=worker-1");
        assertThat(theHolder.statusCode()).as(theHolder.body()).isEqualTo(200);
        assertThat(acquire(key, "worker-2", 60)).isTrue();
        assertThat(release(encoded(key), "?worker_id=worker-9&other=1").statusCode())
                .isEqualTo(409);

        released(key); // OutLayer's release names no holder: worker-2's lock goes
        assertThat(acquire(key, "worker-3", 60)).isTrue();
        released(key);
        assertThat(release(encoded(key), "?worker_id=worker-1").statusCode())
                .as("a free key: nothing to release")
                .isEqualTo(200);
    }

    @Test
    void theKeyInThePathIsPercentDecodedAsAxumsPath() throws Exception {
        String key = key() + ":caf\u00e9 /?#%";
        assertThat(acquire(key, "worker-1", 60)).isTrue();
        released(key); // slashes and all, encoded as OutLayer's worker encodes them
        assertThat(acquire(key, "worker-2", 60)).isTrue();

        String plus = "a+b-" + KEYS.incrementAndGet();
        String space = plus.replace('+', ' ');
        assertThat(acquire(plus, "worker-1", 60)).isTrue();
        assertThat(acquire(space, "worker-1", 60)).isTrue();
        assertThat(release(plus, "").statusCode()).isEqualTo(200);
        assertThat(acquire(plus, "worker-2", 60)).as("'+' is itself in a path").isTrue();
        assertThat(acquire(space, "worker-2", 60)).as("not a space").isFalse();

        HttpResponse<String> notUtf8 = release("%FF%FE", "");
        assertThat(notUtf8.statusCode()).as(notUtf8.body()).isEqualTo(400);
        assertThat(ErrorBodies.message(notUtf8.body())).isEqualTo("Invalid URL: Invalid UTF-8 in `lock_key`");
    }

    @Test
    void theLockRoutesNeedAWorkerTokenBeforeAnythingElse() throws Exception {
        String body = "{\"lock_key\":\"k\",\"worker_id\":\"w\",\"ttl_seconds\":60}";
        for (String auth : new String[] {null, "Bearer wrong-token", "Basic " + TOKEN}) {
            HttpResponse<String> acquire = send("POST", "/locks/acquire", null, "not json", auth);
            assertThat(acquire.statusCode()).as(acquire.body()).isEqualTo(401);
            assertThat(ErrorBodies.message(acquire.body())).contains("worker token");
            assertThat(send("POST", "/locks/acquire", "application/json", body, auth)
                            .statusCode())
                    .isEqualTo(401);
            assertThat(send("DELETE", "/locks/release/k", null, null, auth).statusCode())
                    .isEqualTo(401);
            assertThat(send("DELETE", "/locks/release/%FF", null, null, auth).statusCode())
                    .isEqualTo(401);
        }
        assertThat(acquire("k", "w", 60)).as("no refused call took the lock").isTrue();
        released("k");
    }

    @Test
    void aBadAcquireBodyIsRefusedAsAxumsJsonAndTakesNothing() throws Exception {
        String key = key();
        String json = JsonCodec.MAPPER.writeValueAsString(key);
        HttpResponse<String> noType =
                send("POST", "/locks/acquire", "text/plain", "{\"lock_key\":" + json + "}", "Bearer " + TOKEN);
        assertThat(noType.statusCode()).isEqualTo(415);
        assertThat(ErrorBodies.message(noType.body())).isEqualTo(NOT_JSON);
        HttpResponse<String> syntax = acquire("{\"lock_key\":", TOKEN);
        assertThat(syntax.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(syntax.body()))
                .isEqualTo("Failed to parse the request body as JSON: EOF while parsing a value at line 1 column 12");

        for (String refused : List.of(
                "{\"lock_key\":" + json + ",\"worker_id\":\"w\"}",
                "{\"lock_key\":" + json + ",\"ttl_seconds\":60}",
                "{\"worker_id\":\"w\",\"ttl_seconds\":60}",
                "{\"lock_key\":" + json + ",\"worker_id\":\"w\",\"ttl_seconds\":-1}",
                "{\"lock_key\":" + json + ",\"worker_id\":\"w\",\"ttl_seconds\":18446744073709551616}",
                "{\"lock_key\":" + json + ",\"worker_id\":\"w\",\"ttl_seconds\":\"60\"}",
                "{\"lock_key\":" + json + ",\"worker_id\":\"w\",\"ttl_seconds\":1.5}",
                "{\"lock_key\":" + json + ",\"worker_id\":null,\"ttl_seconds\":60}",
                "{\"lock_key\":7,\"worker_id\":\"w\",\"ttl_seconds\":60}",
                "[]")) {
            HttpResponse<String> answer = acquire(refused, TOKEN);
            assertThat(answer.statusCode()).as(refused + ": " + answer.body()).isEqualTo(422);
            assertThat(ErrorBodies.message(answer.body())).startsWith(DATA);
        }
        assertThat(ErrorBodies.message(acquire("{\"lock_key\":" + json + ",\"worker_id\":\"w\"}", TOKEN)
                        .body()))
                .isEqualTo(DATA + "missing field `ttl_seconds`");
        assertThat(ErrorBodies.message(
                        acquire("{\"lock_key\":" + json + ",\"worker_id\":\"w\",\"ttl_seconds\":-1}", TOKEN)
                                .body()))
                .isEqualTo(DATA + "invalid value: integer `-1`, expected u64");
        assertThat(acquire(key, "worker-1", 60))
                .as("no refused body took the lock")
                .isTrue();
    }

    @Test
    void aTimeToLiveRedisRefusesIsNotAcquired() throws Exception {
        String key = key();
        assertThat(acquire(key, "worker-1", 0)).isFalse();
        assertThat(acquire(key, "worker-1", Long.MAX_VALUE)).isFalse();
        HttpResponse<String> u64 = acquire(
                "{\"lock_key\":\"" + key + "\",\"worker_id\":\"w\",\"ttl_seconds\":18446744073709551615}", TOKEN);
        assertThat(u64.body()).as("a u64 OutLayer reads and Redis refuses").isEqualTo("{\"acquired\":false}");
        assertThat(acquire(key, "worker-2", 1)).as("the key stayed free").isTrue();
    }

    // ---- system logs ----

    private HttpResponse<String> storeLog(String body) throws Exception {
        return send("POST", "/internal/system-logs", "application/json", body, null);
    }

    private HttpResponse<String> compileLogs(String jobId, String auth) throws Exception {
        return send("GET", "/admin/compile-logs/" + jobId, null, null, auth);
    }

    @Test
    void aWorkersLogsAreStoredWithoutATokenAndReadBackByTheAdminNewestFirst() throws Exception {
        int job = JOBS.incrementAndGet();
        HttpResponse<String> first = storeLog("{\"request_id\":42,\"job_id\":" + job
                + ",\"log_type\":\"compilation\",\"stderr\":\"error[E0425]: cannot find value `x`\","
                + "\"stdout\":\"   Compiling app v0.1.0\",\"exit_code\":101,\"execution_error\":null}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
        long firstId = JsonCodec.MAPPER.readTree(first.body()).path("id").asLong();
        assertThat(first.body()).isEqualTo("{\"id\":" + firstId + "}");
        pass(Duration.ofMillis(1500));
        HttpResponse<String> second =
                storeLog("{\"request_id\":42,\"job_id\":" + job + ",\"log_type\":\"execution\",\"unknown\":1}");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        long secondId = JsonCodec.MAPPER.readTree(second.body()).path("id").asLong();
        assertThat(secondId).isGreaterThan(firstId);

        HttpResponse<String> read = compileLogs(String.valueOf(job), "Bearer " + ADMIN);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(read.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode logs = JsonCodec.MAPPER.readTree(read.body());
        assertThat(logs.size()).isEqualTo(2);
        assertThat(logs.get(0).toString())
                .isEqualTo("{\"id\":" + secondId + ",\"request_id\":42,\"job_id\":" + job
                        + ",\"log_type\":\"execution\",\"stderr\":null,\"stdout\":null,\"exit_code\":null,"
                        + "\"execution_error\":null,\"created_at\":\"" + createdAt(logs.get(0)) + "\"}");
        assertThat(logs.get(1).toString())
                .isEqualTo("{\"id\":" + firstId + ",\"request_id\":42,\"job_id\":" + job
                        + ",\"log_type\":\"compilation\",\"stderr\":\"error[E0425]: cannot find value `x`\","
                        + "\"stdout\":\"   Compiling app v0.1.0\",\"exit_code\":101,\"execution_error\":null,"
                        + "\"created_at\":\"" + createdAt(logs.get(1)) + "\"}");
        // PostgreSQL's text of a TIMESTAMP (created_at::TEXT): the clock 1.5 s apart
        Instant firstAt = Instant.parse(createdAt(logs.get(1)).replace(' ', 'T') + "Z");
        Instant secondAt = Instant.parse(createdAt(logs.get(0)).replace(' ', 'T') + "Z");
        assertThat(Duration.between(firstAt, secondAt)).isEqualTo(Duration.ofMillis(1500));
        assertThat(createdAt(logs.get(1))).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d*[1-9])?");
    }

    private static String createdAt(JsonNode log) {
        return log.path("created_at").asText();
    }

    @Test
    void theAdminReadNeedsTheAdminBearerTokenBeforeItReadsThePath() throws Exception {
        int job = JOBS.incrementAndGet();
        assertThat(storeLog("{\"request_id\":1,\"job_id\":" + job + ",\"log_type\":\"compilation\"}")
                        .statusCode())
                .isEqualTo(201);
        for (String missing : new String[] {null, "bearer " + ADMIN, "Basic " + ADMIN, ADMIN, "Bearer"}) {
            HttpResponse<String> answer = compileLogs(String.valueOf(job), missing);
            assertThat(answer.statusCode()).as(missing + ": " + answer.body()).isEqualTo(401);
            assertThat(ErrorBodies.message(answer.body())).contains("admin token");
            assertThat(compileLogs("abc", missing).statusCode()).isEqualTo(401);
        }
        for (String wrong : new String[] {"Bearer " + TOKEN, "Bearer " + ADMIN + "x", "Bearer x" + ADMIN}) {
            HttpResponse<String> answer = compileLogs(String.valueOf(job), wrong);
            assertThat(answer.statusCode()).as(wrong + ": " + answer.body()).isEqualTo(403);
            assertThat(ErrorBodies.message(answer.body())).isEqualTo("invalid admin token");
            assertThat(compileLogs("abc", wrong).statusCode()).isEqualTo(403);
        }
        HttpResponse<String> notANumber = compileLogs("12x", "Bearer " + ADMIN);
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(ErrorBodies.message(notANumber.body())).isEqualTo("Invalid URL: Cannot parse `12x` to a `i64`");
        assertThat(compileLogs("9223372036854775808", "Bearer " + ADMIN).statusCode())
                .isEqualTo(400);
        HttpResponse<String> none = compileLogs("-7", "Bearer " + ADMIN);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(404);
        assertThat(ErrorBodies.message(none.body())).isEqualTo("no system logs for job -7");
        assertThat(compileLogs("+" + job, "Bearer " + ADMIN).statusCode())
                .as("Rust's i64 parse takes a sign")
                .isEqualTo(200);
    }

    @Test
    void aBadLogBodyIsRefusedAsAxumsJsonAndStoresNothing() throws Exception {
        int job = JOBS.incrementAndGet();
        HttpResponse<String> noType = send(
                "POST",
                "/internal/system-logs",
                null,
                "{\"request_id\":1,\"job_id\":" + job + ",\"log_type\":\"compilation\"}",
                null);
        assertThat(noType.statusCode()).isEqualTo(415);
        assertThat(ErrorBodies.message(noType.body())).isEqualTo(NOT_JSON);
        assertThat(storeLog("{\"request_id\":").statusCode()).isEqualTo(400);
        String huge = "{\"request_id\":1,\"job_id\":" + job + ",\"log_type\":\"compilation\",\"stderr\":\""
                + "x".repeat(2 * 1024 * 1024) + "\"}";
        assertThat(storeLog(huge).statusCode()).as("past axum's 2 MiB default").isEqualTo(413);
        for (String refused : List.of(
                "{\"job_id\":" + job + ",\"log_type\":\"compilation\"}",
                "{\"request_id\":null,\"job_id\":" + job + ",\"log_type\":\"compilation\"}",
                "{\"request_id\":1,\"job_id\":" + job + "}",
                "{\"request_id\":1,\"job_id\":" + job + ",\"log_type\":null}",
                "{\"request_id\":\"1\",\"job_id\":" + job + ",\"log_type\":\"compilation\"}",
                "{\"request_id\":1,\"job_id\":\"" + job + "\",\"log_type\":\"compilation\"}",
                "{\"request_id\":1,\"job_id\":" + job + ",\"log_type\":\"compilation\",\"exit_code\":2147483648}",
                "{\"request_id\":1,\"job_id\":" + job + ",\"log_type\":\"compilation\",\"stderr\":7}",
                "{\"request_id\":1,\"job_id\":" + job + ",\"log_type\":\"compilation\",\"stderr\":\"a\\u0000b\"}",
                "{\"request_id\":9223372036854775808,\"job_id\":" + job + ",\"log_type\":\"compilation\"}")) {
            HttpResponse<String> answer = storeLog(refused);
            assertThat(answer.statusCode()).as(refused + ": " + answer.body()).isEqualTo(422);
            assertThat(ErrorBodies.message(answer.body())).startsWith(DATA);
        }
        assertThat(ErrorBodies.message(
                        storeLog("{\"request_id\":1,\"job_id\":" + job + "}").body()))
                .isEqualTo(DATA + "missing field `log_type`");
        assertThat(compileLogs(String.valueOf(job), "Bearer " + ADMIN).statusCode())
                .as("no refused body stored a log")
                .isEqualTo(404);
    }

    @Test
    void theInProcessWorkerStoresAFailedCompilesOutputForTheAdminRead() throws Exception {
        String tx = client.requestExecution("cd".repeat(32), "{}", 10); // a wasm nobody has
        long requestId = client.requestIdOf(client.finalOutcome(tx));
        Job compile = client.system.executions().store().jobs(requestId).stream()
                .filter(job -> job.jobType() == JobType.COMPILE)
                .findFirst()
                .orElseThrow();

        HttpResponse<String> read = compileLogs(String.valueOf(compile.jobId()), "Bearer " + ADMIN);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode log = JsonCodec.MAPPER.readTree(read.body()).get(0);
        assertThat(log.path("request_id").asLong()).isEqualTo(requestId);
        assertThat(log.path("job_id").asLong()).isEqualTo(compile.jobId());
        assertThat(log.path("log_type").asText()).isEqualTo("compilation");
        assertThat(log.path("stderr").asText()).startsWith("no program in the registry for ");
        assertThat(log.path("stdout").asText()).isEmpty();
        assertThat(log.path("exit_code").isNull()).isTrue();
    }

    @Test
    void theStandInsOwnAdminRoutesNeedNoAdminToken() throws Exception {
        HttpResponse<String> heap = send("GET", "/admin/heap", null, null, null);
        assertThat(heap.statusCode()).as(heap.body()).isEqualTo(200);
        assertThat(JsonCodec.MAPPER
                        .readTree(heap.body())
                        .path("heap_used_bytes")
                        .asLong())
                .isPositive();
    }
}

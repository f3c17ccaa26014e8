package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.executions.ExecutionCoordinator;
import dev.outlayer.bench.targetsystem.executions.ExecutionStatus;
import dev.outlayer.bench.targetsystem.executions.ExecutionWorker;
import dev.outlayer.bench.targetsystem.executions.PhaseClock;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.SignedTransaction;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13's "done when": with PostgreSQL, two coordinators (each its own event monitor, worker-API
 * decisions and connection pool, over the one chain, sharing the database) and four workers (two
 * each), 1,000 request_execution transactions resolve exactly once each while one worker is
 * killed mid-job. The killed worker's job goes stale, is taken over and finishes on another
 * worker. Exactly once is checked from both sides: the contract's (each request's transaction has
 * one execution_completed callback, with its own input echoed back) and the coordinators' (one
 * completed execute job per request in the jobs table, one accepted resolution each).
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class ExactlyOnceWithPostgresTest {
    private static final int REQUESTS = 1000;
    private static final int USERS = 12;
    private static final Duration STALE_CLAIM = Duration.ofSeconds(1);
    private static final String VICTIM = "coordinator2-worker-1";
    private static final BigInteger NEAR = new BigInteger("1000000000000000000000000");
    private static final BigInteger DEPOSIT = new BigInteger("10000000000000000000000"); // 0.01 NEAR
    private static final long GAS = 300_000_000_000_000L;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void thousandRequestsResolveExactlyOnceWhileAWorkerIsKilledMidJob() throws Exception {
        try (PostgresServer.Database database = PostgresServer.freshDatabase();
                TargetSystem system = TargetSystem.start(options(database.jdbcUrl()))) {
            long started = System.nanoTime();
            List<ExecutionCoordinator> coordinators = system.coordinators();
            assertThat(coordinators).hasSize(2);
            assertThat(coordinators.stream().flatMap(c -> c.workers().stream())).hasSize(4);
            String checksum = uploadEcho(system);
            List<TransactionSigner> users = seedUsers(system);

            // Closed model: each of USERS users sends a request and waits for its callback before
            // the next, while one watcher kills the victim once it is mid-execution, past a tenth of
            // the run. (A user per key keeps nonces in order; a bounded backlog keeps every request
            // within its yield's 200 blocks, which the simulator's receipts also advance.)
            ExecutorService senders = Executors.newFixedThreadPool(USERS + 1);
            Future<Long> killed = senders.submit(() -> killMidJob(coordinators.get(1), database));
            Map<Long, Integer> callbacksByRequest = new ConcurrentHashMap<>();
            List<Future<?>> sending = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                TransactionSigner user = users.get(u);
                int first = u;
                sending.add(senders.submit(() -> {
                    long nonce = 0;
                    for (int n = first; n < REQUESTS; n += USERS) {
                        String tx = requestExecution(system, user, ++nonce, checksum, n);
                        // Contract side: the transaction ends in its one callback, with its own input.
                        JsonNode outcome = finalOutcome(system, tx, user.signerId());
                        assertThat(outcome.path("status").has("SuccessValue"))
                                .as("request %d (%s): %s", n, tx, outcome.path("status"))
                                .isTrue();
                        String value = new String(
                                Base64.getDecoder()
                                        .decode(outcome.path("status")
                                                .path("SuccessValue")
                                                .asText()),
                                StandardCharsets.UTF_8);
                        assertThat(JsonCodec.MAPPER
                                        .readTree(value)
                                        .path("input")
                                        .path("n")
                                        .asInt())
                                .as("the output of %s", tx)
                                .isEqualTo(n);
                        callbacksByRequest.merge(requestIdOf(outcome), executionCompletedEvents(outcome), Integer::sum);
                    }
                    return null;
                }));
            }
            for (Future<?> future : sending) {
                future.get(300, TimeUnit.SECONDS);
            }
            long victimRequest = killed.get(10, TimeUnit.SECONDS);
            senders.shutdown();
            long resolvedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(callbacksByRequest).hasSize(REQUESTS);
            assertThat(callbacksByRequest.values()).containsOnly(1);

            // Coordinator side: one completed execute job and one accepted resolution per request.
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement()) {
                assertThat(longs(
                                statement,
                                "SELECT count(*) FILTER (WHERE job_type = 'execute' AND status = 'completed')"
                                        + " FROM jobs GROUP BY request_id"))
                        .hasSize(REQUESTS)
                        .containsOnly(1L);
                assertThat(longs(statement, "SELECT resolution_count FROM resolutions"))
                        .hasSize(REQUESTS)
                        .containsOnly(1L);
                assertThat(longs(statement, "SELECT count(*) FROM execution_requests WHERE queue_status = 'finished'"))
                        .containsExactly((long) REQUESTS);
                // The victim's job was taken over after the stale-claim timeout and finished elsewhere.
                try (PreparedStatement victimJob = connection.prepareStatement(
                        "SELECT worker_id, attempt, status FROM jobs WHERE request_id = ? AND job_type = 'execute'")) {
                    victimJob.setLong(1, victimRequest);
                    try (ResultSet rs = victimJob.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString("worker_id")).isNotEqualTo(VICTIM);
                        assertThat(rs.getInt("attempt")).isGreaterThanOrEqualTo(2);
                        assertThat(rs.getString("status")).isEqualTo("completed");
                    }
                }
                System.out.printf(
                        "1,000 requests, 2 coordinators, 4 workers, PostgreSQL, %s killed mid-job on request %d:"
                                + " all resolved exactly once in %d ms (load average %s)%n",
                        VICTIM, victimRequest, resolvedAfterMillis, loadAverage());
            }
            assertThat(coordinators.get(0).phases().executedTwiceCount()).isZero();
            assertThat(coordinators.get(1).phases().executedTwiceCount()).isZero();
        }
    }

    private static TargetOptions options(String jdbcUrl) {
        TargetOptions options = new TargetOptions();
        options.host = "127.0.0.1";
        options.coordinatorPort = 0;
        options.rpcPort = 0;
        options.components = EnumSet.of(TargetOptions.Component.coordinator, TargetOptions.Component.rpc);
        options.tiersFile = TestPrograms.root().resolve("feeders/tiers.csv");
        options.apiKeysFile = TestPrograms.root().resolve("feeders/api-keys.csv");
        options.contractsDir = TestPrograms.root().resolve("resources/contracts");
        options.linuxWorkers = 4;
        options.outlayerCoordinators = 2;
        options.outlayerWorkers = 2;
        options.outlayerStaleClaimMillis = STALE_CLAIM.toMillis();
        options.jobsDbUrl = jdbcUrl;
        options.shutdownGraceMillis = 1000;
        return options;
    }

    /**
     * Waits until the victim is executing a job (its execute claim in the table, the run begun and
     * not ended on its coordinator's phase clock), then kills it there: no heartbeat, no resolution,
     * no complete. Returns the request it held.
     */
    private static long killMidJob(ExecutionCoordinator coordinator, PostgresServer.Database database)
            throws Exception {
        ExecutionWorker victim = coordinator.workers().stream()
                .filter(w -> w.id().equals(VICTIM))
                .findFirst()
                .orElseThrow();
        PhaseClock phases = coordinator.phases();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Connection connection = database.connect();
                PreparedStatement resolved = connection.prepareStatement("SELECT count(*) FROM resolutions");
                PreparedStatement held = connection.prepareStatement("SELECT request_id FROM jobs"
                        + " WHERE worker_id = ? AND job_type = 'execute' AND status = 'in_progress'")) {
            held.setString(1, VICTIM);
            while (System.nanoTime() < deadline) {
                if (single(resolved) >= REQUESTS / 10) {
                    try (ResultSet rs = held.executeQuery()) {
                        while (rs.next()) {
                            long requestId = rs.getLong(1);
                            Optional<PhaseClock.ExecutionView> view = phases.view(requestId);
                            if (view.isPresent()
                                    && view.get().status() == ExecutionStatus.EXECUTING
                                    && VICTIM.equals(view.get().workerId())
                                    && !view.get().timestampsUs().containsKey("execute_done")) {
                                victim.kill();
                                return requestId;
                            }
                        }
                    }
                }
                Thread.sleep(1);
            }
        }
        throw new AssertionError(VICTIM + " was never seen mid-execution");
    }

    private static String uploadEcho(TargetSystem system) throws Exception {
        HttpResponse<String> put = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.coordinatorUrl() + "/programs/echo_json"))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(TestPrograms.wasm("echo_json")))
                        .header("Content-Type", "application/wasm")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return JsonCodec.MAPPER.readTree(put.body()).path("sha256").asText();
    }

    private static List<TransactionSigner> seedUsers(TargetSystem system) {
        List<TransactionSigner> users = new ArrayList<>();
        List<AccountsFeeder.Seed> seeds = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            byte[] seed = new byte[32];
            Arrays.fill(seed, (byte) (40 + u));
            TransactionSigner user = TransactionSigner.fromSeed("exactly-once-" + u + ".test.near", seed);
            users.add(user);
            seeds.add(
                    new AccountsFeeder.Seed(user.signerId(), user.publicKey(), NEAR.multiply(BigInteger.valueOf(100))));
        }
        AccountsFeeder.seed(seeds, new SimulatorTransactionChain(system.contracts()));
        return users;
    }

    /** Signs and sends request_execution for input {@code {"n": n}}; returns its transaction hash once included. */
    private static String requestExecution(
            TargetSystem system, TransactionSigner user, long nonce, String checksum, int n) throws Exception {
        byte[] blockHash = Base58.decode(rpc(system, "block", "{\"finality\":\"final\"}")
                .path("header")
                .path("hash")
                .asText());
        String args = "{\"source\":{\"WasmUrl\":{\"url\":\"https://example.org/echo_json.wasm\",\"hash\":\""
                + checksum
                + "\",\"build_target\":\"wasm32-wasip1\"}},"
                + "\"resource_limits\":{\"max_instructions\":1000000000,\"max_memory_mb\":64,\"max_execution_seconds\":10},"
                + "\"input_data\":\"{\\\"n\\\":" + n + "}\",\"response_format\":\"Json\"}";
        byte[] signed = user.sign(
                "outlayer.test.near",
                nonce,
                blockHash,
                List.of(new Action.FunctionCall(
                        "request_execution", args.getBytes(StandardCharsets.UTF_8), GAS, DEPOSIT)));
        rpc(
                system,
                "send_tx",
                "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                        + "\",\"wait_until\":\"INCLUDED\"}");
        return SignedTransaction.decode(signed).hashText();
    }

    /** The request's transaction once its whole tree, the yield's callback included, has run. */
    private static JsonNode finalOutcome(TargetSystem system, String txHash, String sender) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode outcome = null;
        while (System.nanoTime() < deadline) {
            outcome = rpc(
                    system,
                    "EXPERIMENTAL_tx_status",
                    "{\"tx_hash\":\"" + txHash + "\",\"sender_account_id\":\"" + sender + "\","
                            + "\"wait_until\":\"EXECUTED_OPTIMISTIC\"}");
            if (outcome.path("status").has("SuccessValue")
                    || outcome.path("status").has("Failure")) {
                return outcome;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the request " + txHash + " did not finish: " + outcome);
    }

    private static JsonNode rpc(TargetSystem system, String method, String params) throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(system.rpcUrl()))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JsonCodec.MAPPER.readTree(response.body());
        assertThat(answer.has("error")).as(response.body()).isFalse();
        return answer.path("result");
    }

    private static long requestIdOf(JsonNode outcome) throws Exception {
        for (JsonNode event : events(outcome, "execution_requested")) {
            return JsonCodec.MAPPER
                    .readTree(event.path("data").get(0).path("request_data").asText())
                    .path("request_id")
                    .asLong();
        }
        throw new AssertionError("no execution_requested event in " + outcome);
    }

    private static int executionCompletedEvents(JsonNode outcome) throws Exception {
        return events(outcome, "execution_completed").size();
    }

    private static List<JsonNode> events(JsonNode outcome, String name) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode receipt : outcome.path("receipts_outcome")) {
            for (JsonNode log : receipt.path("outcome").path("logs")) {
                String text = log.asText();
                if (text.startsWith("EVENT_JSON:")) {
                    JsonNode event = JsonCodec.MAPPER.readTree(text.substring("EVENT_JSON:".length()));
                    if (name.equals(event.path("event").asText())) {
                        events.add(event);
                    }
                }
            }
        }
        return events;
    }

    private static List<Long> longs(Statement statement, String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        return values;
    }

    private static long single(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}

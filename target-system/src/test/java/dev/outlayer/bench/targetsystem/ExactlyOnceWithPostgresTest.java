package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.executions.ExecutionCoordinator;
import dev.outlayer.bench.targetsystem.executions.ExecutionStatus;
import dev.outlayer.bench.targetsystem.executions.ExecutionWorker;
import dev.outlayer.bench.targetsystem.executions.PhaseClock;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
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
    private static final int USERS = 8;
    /**
     * Short, because the simulator's chain advances its height with the receipts too (a block more
     * per request since a transaction's receipt runs in the block after it: 500 ms let the victim's
     * request time out now and then): the yield's 200 blocks are a few seconds of wall time, within
     * which the victim's request must be taken over and resolved.
     */
    private static final Duration STALE_CLAIM = Duration.ofMillis(250);

    private static final String VICTIM = "coordinator2-worker-1";

    @Test
    void thousandRequestsResolveExactlyOnceWhileAWorkerIsKilledMidJob() throws Exception {
        try (PostgresServer.Database database = PostgresServer.freshDatabase();
                LifecycleClient client = new LifecycleClient(options(database.jdbcUrl()))) {
            TargetSystem system = client.system;
            long started = System.nanoTime();
            long firstHeight = height(client);
            List<ExecutionCoordinator> coordinators = system.coordinators();
            assertThat(coordinators).hasSize(2);
            assertThat(coordinators.stream().flatMap(c -> c.workers().stream())).hasSize(4);
            String checksum = client.upload("echo_json");
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
                        String tx = client.requestExecution(user, ++nonce, checksum, "{\"n\":" + n + "}", 10);
                        // Contract side: the transaction ends in its one callback, with its own input.
                        JsonNode outcome = finalOutcome(client, tx, user.signerId());
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
                                .as("the output of %s: %s", tx, outcome)
                                .isEqualTo(n);
                        callbacksByRequest.merge(
                                client.requestIdOf(outcome), executionCompletedEvents(outcome), Integer::sum);
                    }
                    return null;
                }));
            }
            long victimRequest;
            try {
                for (Future<?> future : sending) {
                    future.get(300, TimeUnit.SECONDS);
                }
                victimRequest = killed.get(10, TimeUnit.SECONDS);
            } finally {
                // a failed sender leaves the others (non-daemon threads) sending: they end now, not with the JVM
                senders.shutdownNow();
            }
            long resolvedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            long heights = height(client) - firstHeight;
            assertThat(callbacksByRequest).hasSize(REQUESTS);
            assertThat(callbacksByRequest.values()).containsOnly(1);

            // Coordinator side: one completed execute job and one accepted resolution per request.
            try (Connection connection = database.connect();
                    Statement statement = connection.createStatement()) {
                // A worker records its resolution, and with it its job, after the contract accepted it
                // (as OutLayer's completes its job): the last callbacks can be seen before their jobs are
                // written. Under load a worker may even be taken over while it resolves; the new owner's
                // resolution is refused, and its failure lasts until the accepted one is recorded (by its
                // worker, or by the event monitor from the callback should that worker die first).
                long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!(longs(statement, "SELECT count(*) FROM execution_requests WHERE queue_status = 'finished'")
                                        .equals(List.of((long) REQUESTS))
                                && longs(statement, "SELECT count(*) FROM resolutions")
                                        .equals(List.of((long) REQUESTS)))
                        && System.nanoTime() < settle) {
                    Thread.sleep(50);
                }
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
                                + " all resolved exactly once in %d ms, %d block heights (load average %s)%n",
                        VICTIM, victimRequest, resolvedAfterMillis, heights, loadAverage());
            }
            assertThat(coordinators.get(0).phases().executedTwiceCount()).isZero();
            assertThat(coordinators.get(1).phases().executedTwiceCount()).isZero();
        }
    }

    private static TargetOptions options(String jdbcUrl) {
        TargetOptions options = LifecycleClient.options(2);
        options.outlayerCoordinators = 2;
        options.outlayerStaleClaimMillis = STALE_CLAIM.toMillis();
        options.jobsDbUrl = jdbcUrl;
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
            // The first tenth takes seconds: a look every 25 ms (not every ms) leaves the cores to the
            // coordinators. The count only grows, so past it the victim is looked for each ms.
            while (System.nanoTime() < deadline && single(resolved) < REQUESTS / 10) {
                Thread.sleep(25);
            }
            while (System.nanoTime() < deadline) {
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
                Thread.sleep(1);
            }
        }
        throw new AssertionError(VICTIM + " was never seen mid-execution");
    }

    private static List<TransactionSigner> seedUsers(TargetSystem system) {
        List<TransactionSigner> users = new ArrayList<>();
        List<AccountsFeeder.Seed> seeds = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            byte[] seed = new byte[32];
            Arrays.fill(seed, (byte) (40 + u));
            TransactionSigner user = TransactionSigner.fromSeed("exactly-once-" + u + ".test.near", seed);
            users.add(user);
            seeds.add(new AccountsFeeder.Seed(
                    user.signerId(), user.publicKey(), LifecycleClient.NEAR.multiply(BigInteger.valueOf(100))));
        }
        AccountsFeeder.seed(seeds, new SimulatorTransactionChain(system.contracts()));
        return users;
    }

    /** The request's transaction once its whole tree, the yield's callback included, has run. */
    private static JsonNode finalOutcome(LifecycleClient client, String txHash, String sender) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode outcome = null;
        while (System.nanoTime() < deadline) {
            outcome = client.rpc(
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

    private static long height(LifecycleClient client) throws Exception {
        return client.rpc("block", "{\"finality\":\"optimistic\"}")
                .path("header")
                .path("height")
                .asLong();
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

package dev.outlayer.bench.targetsystem.executions;

import static dev.outlayer.bench.targetsystem.executions.HttpsCallFixture.KEY;
import static dev.outlayer.bench.targetsystem.executions.HttpsCallFixture.KEY_ID;
import static dev.outlayer.bench.targetsystem.executions.HttpsCallFixture.OWNER;
import static dev.outlayer.bench.targetsystem.executions.HttpsCallFixture.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.payments.Page;
import dev.outlayer.bench.targetsystem.payments.PaymentKeyUsage;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.payments.ProjectEarnings;
import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import dev.outlayer.bench.targetsystem.testing.AtOnce;
import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTPS API's state in PostgreSQL, as OutLayer's coordinator keeps it: a coordinator started
 * again on the same database still has a key's balance, a completed call's result, a queued system
 * callback and the owners' earnings; a call in flight at the restart ends with its worker's report,
 * or with its timeout when none comes; coordinators sharing the database never overspend a key and
 * answer each other's callers; a call refused or never queued changes no balance. Each coordinator
 * here is its own pools and stores on the one database, as another process would be (no workers:
 * the test plays the worker).
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresHttpsCallsTest {
    private static final String DATA_ID = "ef".repeat(32);
    private static final String PAYMENT_KEY = OWNER + ":1:" + KEY;

    private final ContractViews views = HttpsCallFixture.views(new AtomicBoolean(true));

    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    private PostgresServer.Database database;

    @BeforeEach
    void freshDatabase() {
        database = databases.fresh();
    }

    /**
     * A coordinator process's HTTPS API on the database: its own pools, stores and timers; stopped
     * after the test if the test did not stop it.
     */
    private final class Coordinator implements AutoCloseable {
        final PostgresDatabase db = databases.pool(database, "payments-test");
        final PostgresJobStore jobs =
                PostgresJobStore.open(database.jdbcUrl(), Duration.ofSeconds(30), Clock.systemUTC(), 8);
        final ExecutionCoordinator coordinator = new ExecutionCoordinator(
                new ExecutionCoordinator.Settings("test", "outlayer.test.near", 0, Duration.ZERO, 100),
                jobs,
                null,
                null,
                null,
                views,
                new SimpleMeterRegistry());
        final HttpsCalls calls;
        private boolean closed;

        Coordinator(HttpsCalls.Settings settings) {
            this(settings, store -> store);
        }

        /** @param storeSeen the call store as this coordinator sees it (a test may put a failing one between) */
        Coordinator(HttpsCalls.Settings settings, UnaryOperator<HttpsCallStore> storeSeen) {
            HttpsCalls.Stores stores = TargetSystem.postgresStores(db);
            calls = new HttpsCalls(
                    settings,
                    new HttpsCalls.Stores(
                            stores.keys(),
                            storeSeen.apply(stores.calls()),
                            stores.systemCallbacks(),
                            stores.earnings(),
                            stores.usage(),
                            stores.rateLimit()),
                    views);
            databases.closedAfter(this);
        }

        PaymentKeys keys() {
            return calls.keys();
        }

        CompletableFuture<HttpsCalls.Answer> call(String computeLimit, String deposit, boolean async) {
            return HttpsCallFixture.call(
                    calls, coordinator, "bob.near", "echo", PAYMENT_KEY, computeLimit, deposit, async, null);
        }

        /** Stopped as a crash stops it: its timers and connections gone, nothing finished on the way out. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                calls.close();
                jobs.close();
                db.close();
            }
        }
    }

    @Test
    void aTimeoutTheDatabaseRefusedToRecordIsRecordedByTheNextExpiryPass() throws Exception {
        AtomicInteger refusals = new AtomicInteger(1);
        HttpsCalls.Settings oneCallAtATime = new HttpsCalls.Settings(
                BigInteger.valueOf(10_000), BigInteger.valueOf(1_000), Duration.ofMillis(300), 1, 1_000);
        try (Coordinator coordinator =
                new Coordinator(oneCallAtATime, store -> new FinalizeRefusedAtFirst(store, refusals))) {
            HttpsCallFixture.fund(coordinator.keys(), 100_000, List.of(), null);
            CompletableFuture<HttpsCalls.Answer> answer = coordinator.call(null, null, false);
            assertThatThrownBy(() -> answer.get(HangGuard.BOUND.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the caller is answered although the timeout itself could not record the call")
                    .cause()
                    .isInstanceOf(ApiException.class)
                    .hasMessage("Timeout waiting for result");
            assertThat(refusals)
                    .as("the timeout's own finalization was refused")
                    .hasValue(0);
            PaymentKeys.Statement statement = coordinator.keys().statement(KEY_ID);
            assertThat(statement.reserved()).isZero();
            assertThat(statement.spent()).isZero();
            assertThat(coordinator.call(null, null, true).get().status())
                    .as("the key's one concurrency slot is free again")
                    .isEqualTo("pending");
        }
    }

    /** The store, but its first {@code refusals} finalizations fail as an unreachable database fails. */
    private static final class FinalizeRefusedAtFirst extends StoreBetween {
        private final AtomicInteger refusals;

        FinalizeRefusedAtFirst(HttpsCallStore store, AtomicInteger refusals) {
            super(store);
            this.refusals = refusals;
        }

        @Override
        public boolean finalize(StoredCall call, Finalization finalization) {
            if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("the database is unreachable");
            }
            return super.finalize(call, finalization);
        }
    }

    /** The store, but its watch never sees a call finalized (as when it has not run yet). */
    private static final class WatchSeesNothing extends StoreBetween {
        WatchSeesNothing(HttpsCallStore store) {
            super(store);
        }

        @Override
        public Map<UUID, HttpsCalls.Answer> finalized(Collection<UUID> ids) {
            return Map.of();
        }
    }

    /** A store a test puts between a coordinator and the real one: each call passed on. */
    private abstract static class StoreBetween implements HttpsCallStore {
        private final HttpsCallStore store;

        StoreBetween(HttpsCallStore store) {
            this.store = store;
        }

        @Override
        public boolean finalize(StoredCall call, Finalization finalization) {
            return store.finalize(call, finalization);
        }

        @Override
        public long open(NewCall call) {
            return store.open(call);
        }

        @Override
        public Optional<StoredCall> find(UUID id) {
            return store.find(id);
        }

        @Override
        public List<StoredCall> pendingSince(Instant before, int limit) {
            return store.pendingSince(before, limit);
        }

        @Override
        public Map<UUID, HttpsCalls.Answer> finalized(Collection<UUID> ids) {
            return store.finalized(ids);
        }

        @Override
        public boolean shared() {
            return store.shared();
        }
    }

    private static HttpsCallCompletion.Report report(String callId, long refundUsd) {
        return new HttpsCallCompletion.Report(
                callId, true, read("{\"ok\":true}"), null, 3_500_000, 2_400, refundUsd, 9L);
    }

    @Test
    void aRestartKeepsAKeysBalanceACompletedCallsResultAQueuedSystemCallbackAndEarnings() throws Exception {
        String callId;
        long taskId;
        try (Coordinator before = new Coordinator(HttpsCalls.Settings.DEFAULT)) {
            HttpsCallFixture.fund(before.keys(), 100_000, List.of(), null);
            callId = before.call("5000", "200", true).get().callId();
            ExecutionTask task = before.jobs.poll(Duration.ofSeconds(1)).orElseThrow();
            assertThat(task.callId()).isEqualTo(callId);
            assertThat(task.requestId()).isGreaterThanOrEqualTo(HttpsCalls.FIRST_REQUEST_ID);
            assertThat(before.calls.complete(report(callId, 50))).isTrue();
            taskId = before.calls
                    .systemCallbacks()
                    .orElseThrow()
                    .createDelete(DATA_ID, OWNER, 1)
                    .taskId();
        }

        try (Coordinator after = new Coordinator(HttpsCalls.Settings.DEFAULT)) {
            PaymentKeys.Statement statement = after.keys().statement(KEY_ID);
            assertThat(statement.initialBalance()).isEqualTo(100_000);
            // 3.5 M instructions and 2.4 s cost 1005; the deposit less its refund is spent too
            assertThat(statement.spent()).isEqualTo(1005 + 150);
            assertThat(statement.reserved()).isZero();
            assertThat(statement.lastUsedAt()).isNotNull();

            HttpsCalls.Answer done = after.calls.poll(callId, PAYMENT_KEY);
            assertThat(done.status()).isEqualTo("completed");
            assertThat(done.output().text()).isEqualTo("{\"ok\":true}");
            assertThat(done.computeCost()).isEqualTo("1005");
            assertThat(done.instructions()).isEqualTo(3_500_000);
            assertThat(done.timeMs()).isEqualTo(2_400);
            assertThat(after.calls.complete(report(callId, 0)))
                    .as("finalized once, across the restart")
                    .isFalse();
            assertThat(after.keys().statement(KEY_ID).spent()).isEqualTo(1155);
            assertThat(usageRows(callId)).isEqualTo(1);

            ProjectEarnings.Earnings earned =
                    after.calls.earnings().of("bob.near").orElseThrow();
            assertThat(earned.balance()).isEqualTo(150);
            assertThat(earned.totalEarned()).isEqualTo(150);
            Page<ProjectEarnings.Earning> history =
                    after.calls.earnings().history("bob.near", null, new Page.Request(50, 0));
            assertThat(history.total()).isEqualTo(1);
            ProjectEarnings.Earning earning = history.items().get(0);
            assertThat(earning.callId()).isEqualTo(callId);
            assertThat(earning.projectId()).isEqualTo("bob.near/echo");
            assertThat(earning.attachedUsd()).isEqualTo(200);
            assertThat(earning.refundUsd()).isEqualTo(50);
            assertThat(earning.amount()).isEqualTo(150);
            assertThat(earning.paymentKeyOwner()).isEqualTo(OWNER);
            assertThat(earning.paymentKeyNonce()).isEqualTo(1);
            Page<PaymentKeyUsage.Usage> usage = after.calls.usage().of(KEY_ID, new Page.Request(20, 0));
            assertThat(usage.total()).isEqualTo(1);
            assertThat(usage.items().get(0).callId()).isEqualTo(callId);
            assertThat(usage.items().get(0).computeCost()).isEqualTo(1005);
            assertThat(usage.items().get(0).attachedDeposit()).isEqualTo(200);
            assertThat(usage.items().get(0).status()).isEqualTo("completed");
            assertThat(usage.items().get(0).jobId()).isEqualTo(9);

            SystemCallbacks queue = after.calls.systemCallbacks().orElseThrow();
            assertThat(queue.createDelete(DATA_ID, OWNER, 1))
                    .as("the event's task is known after the restart")
                    .isEqualTo(new SystemCallbacks.Created(taskId, false));
            assertThat(queue.queued()).isEqualTo(1);
            SystemCallbacks.Task task = queue.poll(Duration.ofSeconds(1)).orElseThrow();
            assertThat(task.taskId()).isEqualTo(taskId);
            assertThat(task.taskType()).isEqualTo(SystemCallbacks.Task.DELETE_PAYMENT_KEY);
            assertThat(task.dataId()).isEqualTo(DATA_ID);
            assertThat(task.owner()).isEqualTo(OWNER);
            assertThat(queue.poll()).as("a task is handed out once").isEmpty();
        }
    }

    @Test
    void aCallInFlightAtARestartEndsWithItsWorkersReportAfterIt() throws Exception {
        String callId;
        try (Coordinator before = new Coordinator(HttpsCalls.Settings.DEFAULT)) {
            HttpsCallFixture.fund(before.keys(), 100_000, List.of(), null);
            callId = before.call("5000", "0", true).get().callId();
        }
        try (Coordinator after = new Coordinator(HttpsCalls.Settings.DEFAULT)) {
            assertThat(after.calls.poll(callId, PAYMENT_KEY).status()).isEqualTo("pending");
            assertThat(after.keys().statement(KEY_ID).reserved()).isEqualTo(5000);
            ExecutionTask task = after.jobs.poll(Duration.ofSeconds(1)).orElseThrow();
            assertThat(task.callId()).isEqualTo(callId);
            assertThat(after.calls.knows(callId)).isTrue();

            assertThat(after.calls.complete(report(task.callId(), 0))).isTrue();
            assertThat(after.calls.poll(callId, PAYMENT_KEY).status()).isEqualTo("completed");
            PaymentKeys.Statement statement = after.keys().statement(KEY_ID);
            assertThat(statement.spent()).isEqualTo(1005);
            assertThat(statement.reserved()).isZero();
        }
    }

    @Test
    void aFailedRunWhoseErrorTextHoldsANulCharacterIsFinalizedAndCharged() throws Exception {
        // A refused report would leave the call pending until its timeout, its caller told "Timeout".
        try (Coordinator coordinator = new Coordinator(HttpsCalls.Settings.DEFAULT)) {
            HttpsCallFixture.fund(coordinator.keys(), 100_000, List.of(), null);
            String callId = coordinator.call("5000", "0", true).get().callId();
            var failed = new HttpsCallCompletion.Report(callId, false, null, "panicked\u0000", 3_500_000, 2_400, 0, 9L);
            assertThat(coordinator.calls.complete(failed)).isTrue();
            HttpsCalls.Answer answer = coordinator.calls.poll(callId, PAYMENT_KEY);
            assertThat(answer.status()).isEqualTo("failed");
            assertThat(answer.error()).isEqualTo("panicked\uFFFD");
            assertThat(coordinator.keys().statement(KEY_ID).spent()).isEqualTo(1005);
        }
    }

    @Test
    void aCallWhoseCoordinatorIsGoneTimesOutAndReleasesItsReservation() throws Exception {
        HttpsCalls.Settings quick = new HttpsCalls.Settings(
                BigInteger.valueOf(10_000), BigInteger.valueOf(1_000), Duration.ofSeconds(1), 10, 1_000);
        String callId;
        try (Coordinator before = new Coordinator(quick)) {
            HttpsCallFixture.fund(before.keys(), 100_000, List.of(), null);
            callId = before.call("5000", "0", true).get().callId();
        }
        try (Coordinator after = new Coordinator(quick)) {
            HangGuard.until(
                    () -> !after.calls.poll(callId, PAYMENT_KEY).status().equals("pending"));
            HttpsCalls.Answer answer = after.calls.poll(callId, PAYMENT_KEY);
            assertThat(answer.status()).isEqualTo("failed");
            assertThat(answer.error()).isEqualTo("Timeout");
            assertThat(answer.computeCost()).isNull();
            PaymentKeys.Statement statement = after.keys().statement(KEY_ID);
            assertThat(statement.reserved()).isZero();
            assertThat(statement.spent()).isZero();
            assertThat(statement.available()).isEqualTo(100_000);

            assertThat(after.calls.complete(report(callId, 0)))
                    .as("a report after the timeout changes nothing")
                    .isFalse();
            assertThat(after.keys().statement(KEY_ID).spent()).isZero();
            assertThat(usageRows(callId)).isZero();
        }
    }

    @Test
    void aSyncCallIsAnsweredWhenItsResultIsReportedToAnotherCoordinator() throws Exception {
        Coordinator first = new Coordinator(HttpsCalls.Settings.DEFAULT);
        Coordinator second = new Coordinator(HttpsCalls.Settings.DEFAULT);
        HttpsCallFixture.fund(first.keys(), 100_000, List.of(), null);
        CompletableFuture<HttpsCalls.Answer> waiting = first.call("5000", "0", false);
        ExecutionTask task = second.jobs.poll(Duration.ofSeconds(1)).orElseThrow();
        assertThat(second.calls.complete(report(task.callId(), 0))).isTrue();

        HttpsCalls.Answer answer = waiting.get(10, TimeUnit.SECONDS);
        assertThat(answer.callId()).isEqualTo(task.callId());
        assertThat(answer.status()).isEqualTo("completed");
        assertThat(answer.output().text()).isEqualTo("{\"ok\":true}");
        assertThat(answer.computeCost()).isEqualTo("1005");
        assertThat(first.calls.complete(report(task.callId(), 0))).isFalse();
        assertThat(first.keys().statement(KEY_ID).spent()).isEqualTo(1005);
        assertThat(first.keys().statement(KEY_ID).reserved()).isZero();
    }

    @Test
    void twoCoordinatorsOnOneDatabaseNeverOverspendAKeyUnderConcurrentCalls() throws Exception {
        // a compute limit of 10 and no per-key concurrency cap in the way: 200 calls on a 500 balance
        HttpsCalls.Settings settings =
                new HttpsCalls.Settings(BigInteger.TEN, BigInteger.TEN, Duration.ofSeconds(300), 1_000, 1_000);
        Coordinator first = new Coordinator(settings);
        Coordinator second = new Coordinator(settings);
        HttpsCallFixture.fund(first.keys(), 500, List.of(), null);
        long accepted = AtOnce.run(200, 16, i -> () -> {
                    try {
                        return (i % 2 == 0 ? first : second)
                                .call("10", "0", true)
                                .get()
                                .status()
                                .equals("pending");
                    } catch (ApiException e) {
                        assertThat(e.kind()).isEqualTo(ApiException.Kind.PAYMENT_REQUIRED);
                        return false;
                    }
                })
                .stream()
                .filter(pending -> pending)
                .count();
        assertThat(accepted).isEqualTo(50);
        assertThat(count("SELECT count(*) FROM https_calls WHERE status = 'pending'"))
                .isEqualTo(50);
        PaymentKeys.Statement statement = second.keys().statement(KEY_ID);
        assertThat(statement.reserved()).isEqualTo(500);
        assertThat(statement.available()).isZero();
    }

    @Test
    void twoCoordinatorsCountAKeysCallsInOneRateWindow() throws Exception {
        HttpsCalls.Settings settings =
                new HttpsCalls.Settings(BigInteger.TEN, BigInteger.TEN, Duration.ofSeconds(300), 1_000, 4);
        Coordinator first = new Coordinator(settings);
        Coordinator second = new Coordinator(settings);
        HttpsCallFixture.fund(first.keys(), 10_000, List.of(), null);
        first.call("10", "0", true).get();
        second.call("10", "0", true).get();
        first.call("10", "0", true).get();
        second.call("10", "0", true).get();
        // the first coordinator made 2 calls of its own: a per-process window would admit this one
        ApiException limited = refusal(() -> first.call("10", "0", true));
        assertThat(limited.kind()).isEqualTo(ApiException.Kind.TOO_MANY_REQUESTS);
        assertThat(limited.getMessage()).isEqualTo("Rate limit exceeded");
        assertThat(count("SELECT count(*) FROM https_calls")).isEqualTo(4);
    }

    @Test
    void twoCoordinatorsNeverRunMoreCallsOfAKeyAtOnceThanItsConcurrencyLimit() throws Exception {
        HttpsCalls.Settings settings =
                new HttpsCalls.Settings(BigInteger.TEN, BigInteger.TEN, Duration.ofSeconds(300), 5, 1_000);
        Coordinator first = new Coordinator(settings);
        Coordinator second = new Coordinator(settings);
        HttpsCallFixture.fund(first.keys(), 10_000, List.of(), null);
        List<String> accepted = AtOnce.run(40, 16, i -> () -> {
                    try {
                        return (i % 2 == 0 ? first : second)
                                .call("10", "0", true)
                                .get()
                                .callId();
                    } catch (ApiException e) {
                        assertThat(e.kind()).isEqualTo(ApiException.Kind.TOO_MANY_REQUESTS);
                        assertThat(e.getMessage()).isEqualTo("Too many concurrent calls");
                        return null;
                    }
                })
                .stream()
                .filter(java.util.Objects::nonNull)
                .toList();
        assertThat(accepted).hasSize(5);
        assertThat(count("SELECT count(*) FROM https_calls WHERE status = 'pending'"))
                .isEqualTo(5);
        assertThat(first.keys().statement(KEY_ID).reserved())
                .as("refused calls reserved nothing")
                .isEqualTo(50);

        // a call finalized by either coordinator frees a slot for both
        assertThat(second.calls.complete(report(accepted.get(0), 0))).isTrue();
        assertThat(first.call("10", "0", true).get().status()).isEqualTo("pending");
        assertThat(refusal(() -> second.call("10", "0", true)).getMessage()).isEqualTo("Too many concurrent calls");
    }

    @Test
    void aSlotFreedByAnotherCoordinatorIsFreeAtOnceWhereTheCallWasMade() throws Exception {
        HttpsCalls.Settings settings =
                new HttpsCalls.Settings(BigInteger.TEN, BigInteger.TEN, Duration.ofSeconds(300), 2, 1_000);
        Coordinator first = new Coordinator(settings, WatchSeesNothing::new);
        Coordinator second = new Coordinator(settings);
        HttpsCallFixture.fund(first.keys(), 10_000, List.of(), null);
        String made = first.call("10", "0", true).get().callId();
        first.call("10", "0", true).get();

        assertThat(second.calls.complete(report(made, 0))).isTrue();
        // this process's watch has not seen the call finalized: the database's count is the limit
        assertThat(first.call("10", "0", true).get().status()).isEqualTo("pending");
        assertThat(refusal(() -> first.call("10", "0", true)).getMessage()).isEqualTo("Too many concurrent calls");
    }

    @Test
    void aCallRefusedOrNeverQueuedChangesNoBalance() throws Exception {
        Coordinator coordinator = new Coordinator(HttpsCalls.Settings.DEFAULT);
        HttpsCallFixture.fund(coordinator.keys(), 3_000, List.of(), null);
        PaymentKeys.Statement before = coordinator.keys().statement(KEY_ID);

        ApiException refused = refusal(() -> coordinator.call("5000", "0", true));
        assertThat(refused.kind()).isEqualTo(ApiException.Kind.PAYMENT_REQUIRED);
        assertThat(refused.getMessage()).isEqualTo("Insufficient balance: available=3000, required=5000");
        assertThat(count("SELECT count(*) FROM https_calls")).isZero();
        assertThat(coordinator.keys().statement(KEY_ID)).isEqualTo(before);

        coordinator.jobs.close(); // the task cannot be queued: OutLayer's "Failed to create execution task"
        ApiException unqueued = refusal(() -> coordinator.call("1000", "0", true));
        assertThat(unqueued.kind()).isEqualTo(ApiException.Kind.UNAVAILABLE);
        PaymentKeys.Statement after = coordinator.keys().statement(KEY_ID);
        assertThat(after.spent()).isZero();
        assertThat(after.reserved()).isZero();
        assertThat(after.available()).isEqualTo(3_000);
        assertThat(count("SELECT count(*) FROM https_calls WHERE status = 'failed'"
                        + " AND error_message = 'Failed to create execution task'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM payment_key_usage")).isZero();
    }

    private static ApiException refusal(Runnable action) {
        try {
            action.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    private long usageRows(String callId) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT count(*) FROM payment_key_usage WHERE call_id = ?")) {
            statement.setObject(1, UUID.fromString(callId));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = database.connect();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

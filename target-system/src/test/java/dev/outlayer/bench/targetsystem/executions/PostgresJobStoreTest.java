package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.testing.CoordinatorDatabases;
import dev.outlayer.bench.targetsystem.testing.PostgresServer;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What only a shared database gives: several coordinators (store instances) on one database keep
 * the rules between them, in-flight work survives a coordinator restart, and the schema is
 * OutLayer's (the table itself refuses a second job of a type for a request).
 */
@Tag(RequiredTools.POSTGRES)
@ExtendWith(RequiredTools.class)
class PostgresJobStoreTest {
    private static final Duration STALE = Duration.ofSeconds(30);
    private static final String CHECKSUM = "ab".repeat(32);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T05:00:00Z"));

    @RegisterExtension
    final CoordinatorDatabases databases = new CoordinatorDatabases();

    private PostgresServer.Database database;

    @BeforeEach
    void freshDatabase() {
        database = databases.fresh();
    }

    private PostgresJobStore coordinator() {
        return databases.closedAfter(PostgresJobStore.open(database.jdbcUrl(), STALE, clock, 4));
    }

    private static ExecutionTask task(long requestId) {
        return JobStoreContractTest.task(requestId);
    }

    private static ClaimRequest claimOf(long requestId, JobType type, String worker) {
        return new ClaimRequest(requestId, "data-" + requestId, type, worker, CHECKSUM);
    }

    @Test
    void aNameHoldingANulCharacterOrAnUnpairedSurrogateIsRefusedAsTheCallersInputAndChangesNothing() throws Exception {
        // PostgreSQL's text cannot hold U+0000: the caller learns why, and the store keeps serving.
        PostgresJobStore store = coordinator();
        store.enqueue(task(1));
        assertThatThrownBy(() -> store.claim(claimOf(1, JobType.EXECUTE, "w\u00001")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.INVALID))
                .hasMessage(
                        "a text value holds a NUL character (U+0000), which the coordinator's database cannot store");
        // the JDBC driver would write a lone surrogate as '?': two different names would be one
        assertThatThrownBy(() -> store.claim(claimOf(1, JobType.EXECUTE, "w\uD800")))
                .isInstanceOf(ApiException.class)
                .hasMessage("a text value holds an unpaired surrogate (U+D800), which the coordinator's database"
                        + " cannot store");
        assertThat(store.jobs(1)).as("the refused claims made no job").isEmpty();
        assertThat(store.claim(claimOf(1, JobType.EXECUTE, "w1"))).isPresent();
    }

    @Test
    void twoCoordinatorsSeeingTheSameEventsQueueEachTaskOnceAndHandItOutOnce() throws Exception {
        PostgresJobStore first = coordinator();
        PostgresJobStore second = coordinator();
        int created = 0;
        for (long id = 1; id <= 50; id++) {
            created += first.enqueue(task(id)) ? 1 : 0;
            created += second.enqueue(task(id)) ? 1 : 0;
        }
        assertThat(created).isEqualTo(50);

        // Pollers of both coordinators drain the one queue between them, no task twice.
        Map<Long, String> takenBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService pollers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                PostgresJobStore store = p % 2 == 0 ? first : second;
                String name = "poller-" + p;
                running.add(pollers.submit(() -> {
                    Optional<ExecutionTask> next;
                    while ((next = store.poll(Duration.ZERO)).isPresent()) {
                        if (takenBy.putIfAbsent(next.get().requestId(), name) != null) {
                            duplicates.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pollers.shutdownNow();
        }
        assertThat(duplicates).hasValue(0);
        assertThat(takenBy).hasSize(50);
    }

    @Test
    void workersOfTwoCoordinatorsCompleteEveryExecuteJobExactlyOnce() throws Exception {
        PostgresJobStore first = coordinator();
        PostgresJobStore second = coordinator();
        int tasks = 200;
        for (long id = 1; id <= tasks; id++) {
            (id % 2 == 0 ? first : second).enqueue(task(id));
        }
        Map<Long, Integer> completions = new ConcurrentHashMap<>();
        ExecutorService workers = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                PostgresJobStore store = w % 2 == 0 ? first : second;
                String worker = "worker-" + w;
                running.add(workers.submit(() -> {
                    Optional<ExecutionTask> next;
                    while ((next = store.poll(Duration.ZERO)).isPresent()) {
                        long id = next.get().requestId();
                        // Every worker also tries a job it was not handed: the claim still arbitrates.
                        store.claim(claimOf(id % tasks + 1, JobType.EXECUTE, worker))
                                .ifPresent(claim -> complete(store, claim, completions));
                        store.claim(claimOf(id, JobType.EXECUTE, worker))
                                .ifPresent(claim -> complete(store, claim, completions));
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            workers.shutdownNow();
        }
        assertThat(completions).hasSize(tasks);
        assertThat(completions.values()).containsOnly(1);
        assertThat(executeJobsByStatus()).containsExactly(Map.entry("completed", tasks));
    }

    private static void complete(JobStore store, JobClaim claim, Map<Long, Integer> completions) {
        if (store.complete(claim, JobOutcome.succeeded(1, 1, CHECKSUM))) {
            completions.merge(claim.requestId(), 1, Integer::sum);
        }
    }

    @Test
    void inFlightWorkSurvivesACoordinatorRestart() throws Exception {
        PostgresJobStore before = coordinator();
        for (long id = 1; id <= 3; id++) {
            before.enqueue(task(id));
        }
        before.cacheWasm(CHECKSUM);
        // Task 1 is done, task 2 is mid-execution, task 3 was never handed out.
        assertThat(before.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(1L);
        JobClaim done = before.claim(claimOf(1, JobType.EXECUTE, "w1")).orElseThrow();
        assertThat(before.recordResolution(
                        AcceptedResolution.reported(done, "tx-1", JobOutcome.succeeded(3, 10, CHECKSUM))))
                .isEqualTo(new AcceptedResolution.Recorded(1, true));
        assertThat(before.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(2L);
        JobClaim inFlight = before.claim(claimOf(2, JobType.EXECUTE, "w1")).orElseThrow();
        before.close();

        PostgresJobStore after = coordinator();
        // The queue resumes where it was, the finished work stays finished.
        assertThat(after.poll(Duration.ZERO)).contains(task(3));
        assertThat(after.poll(Duration.ZERO)).isEmpty();
        JobClaim third = after.claim(claimOf(3, JobType.EXECUTE, "w3")).orElseThrow();
        assertThat(after.complete(third, JobOutcome.succeeded(2, 5, CHECKSUM))).isTrue();
        assertThat(after.wasmCached(CHECKSUM)).isTrue();
        assertThat(after.resolutions(1)).isEqualTo(1);
        assertThat(after.jobs(1)).singleElement().extracting(Job::status).isEqualTo(JobStatus.COMPLETED);
        // The worker that had task 2 keeps its claim across the restart while it heartbeats ...
        clock.advance(STALE.dividedBy(2));
        assertThat(after.heartbeat(inFlight)).isTrue();
        clock.advance(STALE.dividedBy(2));
        assertThat(after.poll(Duration.ZERO)).isEmpty();
        // ... and when it died with the coordinator, its task comes back and is finished elsewhere.
        clock.advance(STALE.plusSeconds(1));
        assertThat(after.poll(Duration.ZERO)).contains(task(2));
        JobClaim takeover = after.claim(claimOf(2, JobType.EXECUTE, "w2")).orElseThrow();
        assertThat(takeover.attempt()).isEqualTo(inFlight.attempt() + 1);
        assertThat(after.complete(inFlight, JobOutcome.succeeded(1, 1, CHECKSUM)))
                .isFalse();
        assertThat(after.complete(takeover, JobOutcome.succeeded(1, 1, CHECKSUM)))
                .isTrue();
        assertThat(executeJobsByStatus()).containsExactly(Map.entry("completed", 3));
    }

    @Test
    void aTaskWhoseWorkerWentSilentComesBackBeforeTheTasksQueuedAfterIt() throws Exception {
        PostgresJobStore store = coordinator();
        for (long id = 1; id <= 4; id++) {
            store.enqueue(task(id));
        }
        assertThat(store.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(1L);
        store.claim(claimOf(1, JobType.EXECUTE, "dead")).orElseThrow();
        clock.advance(STALE.plusSeconds(1));
        // Under a steady queue the silent worker's task would otherwise wait for the queue to drain.
        assertThat(store.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(1L);
        assertThat(store.poll(Duration.ZERO).map(ExecutionTask::requestId)).contains(2L);
    }

    @Test
    void theSchemaIsOutLayersJobsTableAndMigratingAgainChangesNothing() throws Exception {
        PostgresJobStore store = coordinator();
        PGSimpleDataSource direct = new PGSimpleDataSource();
        direct.setURL(database.jdbcUrl());
        PostgresJobStore.migrate(direct);
        store.claim(claimOf(7, JobType.COMPILE, "w1")).orElseThrow();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement()) {
            assertThat(count(statement, "SELECT count(*) FROM flyway_schema_history WHERE success"))
                    .isEqualTo(15);
            // OutLayer's UNIQUE (request_id, data_id, job_type) is in the table, not only in the code.
            assertThatThrownBy(
                            () -> statement.execute(
                                    "INSERT INTO jobs (request_id, data_id, job_type, status) VALUES (7, 'data-7', 'compile', 'pending')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("jobs_request_id_data_id_job_type_key");
            assertThatThrownBy(
                            () -> statement.execute(
                                    "INSERT INTO jobs (request_id, data_id, job_type, status) VALUES (8, 'data-8', 'compile', 'lost')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("jobs_status_check");
        }
    }

    @Test
    void aFailureCategoryOfOutLayersIsTheStatusAndAnyOtherIsFailed() throws Exception {
        PostgresJobStore store = coordinator();
        JobClaim compile = store.claim(claimOf(9, JobType.COMPILE, "w1")).orElseThrow();
        JobClaim execute = store.claim(claimOf(10, JobType.EXECUTE, "w1")).orElseThrow();
        assertThat(store.complete(compile, JobOutcome.failed("compilation_failed", "no such repo", 40)))
                .isTrue();
        assertThat(store.complete(execute, JobOutcome.failed("disk_on_fire", "?", 1)))
                .isTrue();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT request_id, status, error_category, compile_error FROM jobs ORDER BY request_id")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("status")).isEqualTo("compilation_failed");
            assertThat(rs.getString("compile_error")).isEqualTo("no such repo");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("status")).isEqualTo("failed");
            assertThat(rs.getString("error_category")).isEqualTo("disk_on_fire");
        }
        assertThat(store.job(execute.jobId()).orElseThrow().errorCategory()).isEqualTo("disk_on_fire");
    }

    @Test
    void aDatabaseThatIsNotPostgresIsRefusedUpFront() {
        assertThatThrownBy(() -> PostgresJobStore.open("jdbc:mysql://localhost/jobs", STALE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql:");
    }

    private Map<String, Integer> executeJobsByStatus() throws SQLException {
        Map<String, Integer> byStatus = new HashMap<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT status, count(*) FROM jobs WHERE job_type = 'execute' GROUP BY status")) {
            while (rs.next()) {
                byStatus.put(rs.getString(1), rs.getInt(2));
            }
        }
        return byStatus;
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

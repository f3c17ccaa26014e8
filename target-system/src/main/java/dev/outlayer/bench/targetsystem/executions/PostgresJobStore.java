package dev.outlayer.bench.targetsystem.executions;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.execute;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.instant;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.prepare;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.timestamp;

import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The jobs in PostgreSQL, as OutLayer's coordinator keeps them, for several coordinators sharing
 * one database: every rule of {@link JobStore} holds across processes because the database
 * arbitrates it.
 *
 * <ul>
 *   <li>A claim is OutLayer's INSERT into {@code jobs}, arbitrated by its {@code UNIQUE(request_id,
 *       data_id, job_type)}; on conflict the existing row is taken over only when it is pending or
 *       its claim went stale ({@code ON CONFLICT DO UPDATE ... WHERE}, which locks the row, so two
 *       takers cannot both win).
 *   <li>Heartbeat and complete update the row only where {@code worker_id} and {@code attempt}
 *       still name the caller's claim and it is in progress: a lost claim changes nothing.
 *   <li>The task queue is {@code execution_requests}: one row per {@code (request_id, data_id)}
 *       (the primary key makes a second enqueue a no-op), handed out with {@code FOR UPDATE SKIP
 *       LOCKED} so that pollers of every coordinator take different tasks.
 * </ul>
 *
 * Times come from the store's clock, written as UTC {@code TIMESTAMP}s (OutLayer's column type);
 * coordinators sharing a database are expected to share a clock source (one host, or NTP). The
 * schema is migrated by Flyway ({@code db/jobs}) when the store opens; Flyway's lock makes
 * coordinators starting together migrate once.
 */
public final class PostgresJobStore implements JobStore {
    /** How long an idle poll waits before looking again (another coordinator's enqueue wakes nobody here). */
    private static final long POLL_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** A new job takes its origin ({@link JobOrigin}) from its task; a job taken over keeps it. */
    private static final String CLAIM = """
            INSERT INTO jobs AS j (request_id, data_id, job_type, worker_id, status, wasm_checksum,
                                   created_at, updated_at, heartbeat_at, attempt, user_account_id,
                                   near_payment_yocto, github_repo, github_commit, transaction_hash, project_id)
            VALUES (?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (request_id, data_id, job_type) DO UPDATE SET
                worker_id = EXCLUDED.worker_id,
                status = 'in_progress',
                wasm_checksum = COALESCE(EXCLUDED.wasm_checksum, j.wasm_checksum),
                updated_at = EXCLUDED.updated_at,
                heartbeat_at = EXCLUDED.heartbeat_at,
                attempt = j.attempt + 1,
                completed_at = NULL,
                error_category = NULL,
                error_details = NULL,
                time_ms = NULL,
                instructions_used = NULL
            WHERE j.status = 'pending' OR (j.status = 'in_progress' AND j.heartbeat_at < ?)
            RETURNING job_id, attempt""";

    private static final String HEARTBEAT = """
            UPDATE jobs SET heartbeat_at = ?, updated_at = ?
            WHERE job_id = ? AND status = 'in_progress' AND attempt = ? AND worker_id = ?""";

    private static final String HEARTBEAT_WORKER = """
            UPDATE jobs SET heartbeat_at = ?, updated_at = ?
            WHERE worker_id = ? AND status = 'in_progress'
            RETURNING request_id, data_id""";

    private static final String COMPLETE = """
            UPDATE jobs SET status = ?, wasm_checksum = COALESCE(?, wasm_checksum), error_category = ?,
                            error_details = ?, time_ms = ?, instructions_used = ?, compile_time_ms = ?,
                            compile_error = ?, compile_cost_yocto = ?, completed_at = ?, updated_at = ?
            WHERE job_id = ? AND status = 'in_progress' AND attempt = ? AND worker_id = ?
            RETURNING wasm_checksum""";

    private static final String CACHE_WASM = """
            INSERT INTO wasm_cache (checksum, created_at, last_accessed_at) VALUES (?, ?, ?)
            ON CONFLICT (checksum) DO NOTHING""";

    /** The task whose compile ended, locked while it moves to the execute queue. */
    private static final String TASK_OF = """
            SELECT task FROM execution_requests
            WHERE request_id = ? AND data_id = ? AND queue_status <> 'finished' FOR UPDATE""";

    private static final String TO_EXECUTE_QUEUE = """
            UPDATE execution_requests SET queue = 'execute', queue_status = 'queued', task = ?,
                   queued_seq = nextval(pg_get_serial_sequence('execution_requests', 'queued_seq')),
                   last_seen_at = NULL
            WHERE request_id = ? AND data_id = ?""";

    private static final String TOUCH_TASK = """
            UPDATE execution_requests SET last_seen_at = ?
            WHERE request_id = ? AND data_id = ? AND queue_status = 'handed_out'""";

    private static final String FINISH_TASK =
            "UPDATE execution_requests SET queue_status = 'finished', last_seen_at = ? WHERE request_id = ? AND data_id = ?";

    private static final String ENQUEUE = """
            INSERT INTO execution_requests (request_id, data_id, task, created_at, queue, queue_status)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (request_id, data_id) DO NOTHING""";

    private static final String HAND_OUT_QUEUED = """
            UPDATE execution_requests SET queue_status = 'handed_out', last_seen_at = ?
            WHERE (request_id, data_id) IN (
                SELECT request_id, data_id FROM execution_requests
                WHERE queue_status = 'queued' AND queue = ?
                ORDER BY queued_seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING task""";

    /** {@code %s}: the polled queues, from {@link TaskQueue#wire()} (constants, never client text). */
    private static final String HAND_OUT_STALE = """
            UPDATE execution_requests SET last_seen_at = ?
            WHERE (request_id, data_id) IN (
                SELECT request_id, data_id FROM execution_requests
                WHERE queue_status = 'handed_out' AND last_seen_at < ? AND queue IN (%s)
                ORDER BY queued_seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING task""";

    /** An upload replaces the bytes; the entry's first cache time and origin stay (OutLayer's ON CONFLICT). */
    private static final String STORE_WASM = """
            INSERT INTO wasm_cache AS c (checksum, repo_url, commit_hash, build_target, file_size, wasm, created_at,
                                        last_accessed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (checksum) DO UPDATE SET
                wasm = EXCLUDED.wasm, file_size = EXCLUDED.file_size,
                repo_url = COALESCE(c.repo_url, EXCLUDED.repo_url),
                commit_hash = COALESCE(c.commit_hash, EXCLUDED.commit_hash),
                build_target = COALESCE(c.build_target, EXCLUDED.build_target),
                last_accessed_at = EXCLUDED.last_accessed_at""";

    private static final String DOWNLOAD_WASM = """
            UPDATE wasm_cache SET last_accessed_at = ?, access_count = access_count + 1
            WHERE checksum = ? AND wasm IS NOT NULL
            RETURNING wasm""";

    /** Evictions of every coordinator on the database one at a time: each sees what the previous one left. */
    private static final String EVICTION_LOCK =
            "SELECT pg_advisory_xact_lock(hashtext('outlayer-wasm-cache-eviction'))";

    /**
     * OutLayer's check_and_evict in one statement: the stored wasm least recently accessed first (ties
     * by checksum), each evicted while what the ones before it freed is short of the excess (its loop's
     * {@code if bytes_freed >= bytes_to_free break}); nothing while the total is within {@code ?}.
     */
    private static final String EVICT_WASM = """
            WITH stored AS (
                SELECT checksum, file_size,
                       SUM(file_size) OVER (ORDER BY last_accessed_at, checksum COLLATE "C"
                                            ROWS UNBOUNDED PRECEDING) - file_size AS freed_before,
                       SUM(file_size) OVER () AS total
                FROM wasm_cache WHERE wasm IS NOT NULL)
            DELETE FROM wasm_cache c USING stored s
            WHERE c.checksum = s.checksum AND s.freed_before < s.total - ?
            RETURNING c.checksum, s.file_size, s.freed_before""";

    private static final String WORKER_HEARTBEAT = """
            INSERT INTO worker_status (worker_id, worker_name, status, current_task_id, last_heartbeat_at, created_at,
                                       updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (worker_id) DO UPDATE SET
                worker_name = EXCLUDED.worker_name, status = EXCLUDED.status,
                current_task_id = EXCLUDED.current_task_id, last_heartbeat_at = EXCLUDED.last_heartbeat_at,
                updated_at = EXCLUDED.updated_at""";

    private static final String TASK_COMPLETED = """
            UPDATE worker_status SET total_tasks_completed = total_tasks_completed + 1, last_task_completed_at = ?,
                   status = 'online', current_task_id = NULL, updated_at = ?
            WHERE worker_id = ?""";

    private static final String TASK_FAILED = """
            UPDATE worker_status SET total_tasks_failed = total_tasks_failed + 1,
                   status = 'online', current_task_id = NULL, updated_at = ?
            WHERE worker_id = ?""";

    /**
     * OutLayer's list_workers: each row with its finished jobs in the history (by the worker that finished
     * each), not the counters {@link #TASK_COMPLETED} keeps.
     */
    private static final String LIST_WORKERS = """
            SELECT ws.worker_id, ws.worker_name, ws.status, ws.current_task_id, ws.last_heartbeat_at,
                   ws.last_task_completed_at, COUNT(j.job_id) FILTER (WHERE j.status = 'completed'),
                   COUNT(j.job_id) FILTER (WHERE j.status <> 'completed'), ws.created_at
            FROM worker_status ws
            LEFT JOIN jobs j ON j.worker_id = ws.worker_id AND j.completed_at IS NOT NULL
            GROUP BY ws.worker_id
            ORDER BY ws.last_heartbeat_at DESC, ws.worker_id""";

    /** The resolution's transaction, unless it was recorded before (then it returns nothing). */
    private static final String RECORD_RESOLUTION_TX = """
            INSERT INTO resolution_txs (tx_hash, request_id, worker_id, from_chain, recorded_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (tx_hash) DO NOTHING
            RETURNING tx_hash""";

    /** Counts a new transaction; the row's lock orders the request's resolutions, so one ends its job. */
    private static final String RECORD_RESOLUTION = """
            INSERT INTO resolutions (request_id, resolution_count, first_at, last_at) VALUES (?, 1, ?, ?)
            ON CONFLICT (request_id) DO UPDATE SET
                resolution_count = resolutions.resolution_count + 1, last_at = EXCLUDED.last_at
            RETURNING resolution_count, job_tx_hash""";

    private static final String JOB_RESOLVED_BY =
            "UPDATE resolutions SET job_tx_hash = ?, job_from_chain = ? WHERE request_id = ?";

    /** Its worker's report of the resolution whose chain details ended the job: the job takes the worker's. */
    private static final String JOB_REPORTED_BY = """
            UPDATE resolutions SET job_from_chain = FALSE
            WHERE request_id = ? AND job_tx_hash = ? AND job_from_chain
            RETURNING request_id""";

    /**
     * The request's execute job ended by the worker whose resolution the contract accepted, whatever
     * claim holds it now (no {@code attempt} or status condition, unlike {@link #COMPLETE}).
     */
    private static final String RESOLVE_JOB = """
            UPDATE jobs SET worker_id = ?, status = ?, wasm_checksum = COALESCE(?, wasm_checksum), error_category = ?,
                            error_details = ?, time_ms = ?, instructions_used = ?, completed_at = ?, updated_at = ?
            WHERE request_id = ? AND data_id = ? AND job_type = 'execute'""";

    /** The same details, its end kept: {@link #JOB_REPORTED_BY}. */
    private static final String REPORT_JOB = """
            UPDATE jobs SET worker_id = ?, status = ?, wasm_checksum = COALESCE(?, wasm_checksum), error_category = ?,
                            error_details = ?, time_ms = ?, instructions_used = ?, completed_at = COALESCE(completed_at, ?),
                            updated_at = ?
            WHERE request_id = ? AND data_id = ? AND job_type = 'execute'""";

    private static final String JOB_COLUMNS = "job_id, request_id, data_id, job_type, worker_id, status, wasm_checksum,"
            + " created_at, updated_at, completed_at, heartbeat_at, attempt, error_category, error_details, time_ms,"
            + " instructions_used, compile_cost_yocto";

    /** {@link JobOrigin}'s columns. */
    private static final String ORIGIN_COLUMNS =
            "user_account_id, near_payment_yocto, github_repo, github_commit, transaction_hash, project_id";

    /** The history's rows: the finished jobs (a finished job has ended: completed_at is set). */
    private static final String FINISHED = " FROM jobs WHERE completed_at IS NOT NULL";

    /** {@link JobStats.Outcomes}'s counts, by the jobs' statuses. */
    private static final String OUTCOMES = """
            COUNT(*), COUNT(*) FILTER (WHERE status = 'completed'), COUNT(*) FILTER (WHERE status = 'failed'),
            COUNT(*) FILTER (WHERE status = 'access_denied'), COUNT(*) FILTER (WHERE status = 'compilation_failed'),
            COUNT(*) FILTER (WHERE status = 'execution_failed'),
            COUNT(*) FILTER (WHERE status = 'insufficient_payment'), COUNT(*) FILTER (WHERE status = 'custom')""";

    /** OutLayer's get_stats and get_user_earnings over execution_history (its columns derived from a job's). */
    private static final String STATS = "SELECT " + OUTCOMES + """
            , COALESCE(SUM(instructions_used), 0)::BIGINT,
            COALESCE(AVG(time_ms) FILTER (WHERE job_type = 'execute'), 0)::BIGINT,
            COALESCE(SUM(CAST(near_payment_yocto AS NUMERIC)), 0)::TEXT, COUNT(DISTINCT user_account_id)""" + FINISHED;

    /** OutLayer's get_popular_repos; ties by name ("C": code point order, as the in-memory store sorts). */
    private static final String POPULAR_REPOS = "SELECT github_repo, " + OUTCOMES + """
            , (ARRAY_AGG(github_commit ORDER BY completed_at DESC, job_id DESC))[1]""" + FINISHED + """
             AND github_repo IS NOT NULL
            GROUP BY github_repo ORDER BY COUNT(*) DESC, github_repo COLLATE "C" LIMIT ?""";

    /** OutLayer's get_wasm_info: the wasm_cache row of an upload from this origin (in-process entries have none). */
    private static final String WASM_INFO = """
            SELECT checksum, file_size, created_at FROM wasm_cache
            WHERE repo_url = ? AND commit_hash = ? AND build_target = ? AND wasm IS NOT NULL
            ORDER BY created_at, checksum LIMIT 1""";

    private final PostgresDatabase db;
    private final Duration staleClaimTimeout;
    private final Clock clock;
    /** Wakes this process's idle pollers when this process enqueues. */
    private final Object enqueued = new Object();

    private PostgresJobStore(PostgresDatabase db, Duration staleClaimTimeout, Clock clock) {
        if (staleClaimTimeout.isNegative() || staleClaimTimeout.isZero()) {
            throw new IllegalArgumentException("the stale-claim timeout must be positive");
        }
        this.db = db;
        this.staleClaimTimeout = staleClaimTimeout;
        this.clock = clock;
    }

    /**
     * Opens a pool on the database (a {@code jdbc:postgresql:} URL, credentials in it or in
     * {@code PGUSER}-style URL parameters) and migrates its schema.
     */
    public static PostgresJobStore open(String jdbcUrl, Duration staleClaimTimeout, Clock clock, int poolSize) {
        PostgresDatabase db = PostgresDatabase.open(jdbcUrl, "jobs-db", poolSize);
        try {
            return new PostgresJobStore(db, staleClaimTimeout, clock);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public static PostgresJobStore open(String jdbcUrl, Duration staleClaimTimeout) {
        return open(jdbcUrl, staleClaimTimeout, Clock.systemUTC(), 10);
    }

    /** Brings the schema to the latest migration (idempotent; safe when several coordinators start at once). */
    public static void migrate(DataSource dataSource) {
        PostgresDatabase.migrate(dataSource);
    }

    @Override
    public boolean enqueue(ExecutionTask task) {
        String json = json(task);
        boolean cached = wasmCached(task.codeSource().wasmChecksum());
        TaskQueue queue = cached && !task.forceRebuild() ? TaskQueue.EXECUTE : TaskQueue.COMPILE;
        // a compile-only task of a cached wasm is finished at once: no executor takes it without a result
        String status = task.compileOnly() && cached && !task.forceRebuild() ? "finished" : "queued";
        int inserted = update(
                "enqueue", ENQUEUE, task.requestId(), task.dataId(), json, timestamp(now()), queue.wire(), status);
        if (inserted == 1) {
            synchronized (enqueued) {
                enqueued.notifyAll();
            }
        }
        return inserted == 1;
    }

    @Override
    public Optional<ExecutionTask> poll(Set<TaskQueue> queues, Duration timeout) throws InterruptedException {
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("a poll names at least one queue");
        }
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            Optional<ExecutionTask> task = handOut(queues);
            long left = deadline - System.nanoTime();
            if (task.isPresent() || left <= 0) {
                return task;
            }
            synchronized (enqueued) {
                TimeUnit.NANOSECONDS.timedWait(enqueued, Math.min(left, POLL_RECHECK_NANOS));
            }
        }
    }

    /**
     * A stale task first: tasks are handed out in arrival order, so one whose worker went silent
     * is older than every task still queued, and under a steady queue it would otherwise wait
     * until the queue drains (past its yield's timeout).
     */
    private Optional<ExecutionTask> handOut(Set<TaskQueue> queues) {
        Instant now = now();
        String polled = queues.stream().sorted().map(q -> "'" + q.wire() + "'").collect(Collectors.joining(", "));
        Optional<String> json = queryOptional(
                "poll",
                HAND_OUT_STALE.formatted(polled),
                rs -> rs.getString(1),
                timestamp(now),
                timestamp(staleBefore(now)));
        for (TaskQueue queue : TaskQueue.values()) { // compile first, as OutLayer's BRPOP over both
            if (json.isEmpty() && queues.contains(queue)) {
                json = queryOptional("poll", HAND_OUT_QUEUED, rs -> rs.getString(1), timestamp(now), queue.wire());
            }
        }
        return json.map(PostgresJobStore::task);
    }

    @Override
    public Optional<TaskQueue> queueOf(long requestId, String dataId) {
        return queryOptional(
                "queue of",
                "SELECT queue FROM execution_requests WHERE request_id = ? AND data_id = ? AND queue_status <> 'finished'",
                rs -> TaskQueue.ofWire(rs.getString(1)),
                requestId,
                dataId);
    }

    private static String json(ExecutionTask task) {
        return PostgresDatabase.json(task);
    }

    private static ExecutionTask task(String json) {
        return PostgresDatabase.fromJson(json, ExecutionTask.class);
    }

    @Override
    public Optional<JobClaim> claim(ClaimRequest request) {
        Instant now = now();
        return inTransaction("claim", connection -> {
            JobOrigin origin = JobOrigin.of(PostgresDatabase.one(
                            connection,
                            "SELECT task FROM execution_requests WHERE request_id = ? AND data_id = ?",
                            rs -> task(rs.getString(1)),
                            request.requestId(),
                            request.dataId())
                    .orElse(null));
            Optional<JobClaim> claim;
            try (PreparedStatement statement = prepare(
                            connection,
                            CLAIM,
                            request.requestId(),
                            request.dataId(),
                            request.jobType().wire(),
                            request.workerId(),
                            request.wasmChecksum(),
                            timestamp(now),
                            timestamp(now),
                            timestamp(now),
                            origin.userAccountId(),
                            origin.nearPaymentYocto(),
                            origin.githubRepo(),
                            origin.githubCommit(),
                            origin.transactionHash(),
                            origin.projectId(),
                            timestamp(staleBefore(now)));
                    ResultSet rs = statement.executeQuery()) {
                claim = rs.next()
                        ? Optional.of(new JobClaim(
                                rs.getLong("job_id"),
                                request.requestId(),
                                request.dataId(),
                                request.jobType(),
                                request.workerId(),
                                rs.getInt("attempt")))
                        : Optional.empty();
            }
            if (claim.isPresent()) {
                touchTask(connection, request.requestId(), request.dataId(), now);
            }
            return claim;
        });
    }

    @Override
    public boolean heartbeat(JobClaim claim) {
        Instant now = now();
        return inTransaction("heartbeat", connection -> {
            int updated = execute(
                    connection,
                    HEARTBEAT,
                    timestamp(now),
                    timestamp(now),
                    claim.jobId(),
                    claim.attempt(),
                    claim.workerId());
            if (updated == 1) {
                touchTask(connection, claim.requestId(), claim.dataId(), now);
            }
            return updated == 1;
        });
    }

    @Override
    public int heartbeatWorker(String workerId) {
        Instant now = now();
        return inTransaction("worker heartbeat", connection -> {
            List<ExecutionTask.TaskKey> kept = new ArrayList<>();
            try (PreparedStatement statement =
                            prepare(connection, HEARTBEAT_WORKER, timestamp(now), timestamp(now), workerId);
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    kept.add(new ExecutionTask.TaskKey(rs.getLong(1), rs.getString(2)));
                }
            }
            for (ExecutionTask.TaskKey task : kept) {
                touchTask(connection, task.requestId(), task.dataId(), now);
            }
            return kept.size();
        });
    }

    @Override
    public boolean complete(JobClaim claim, JobOutcome outcome) {
        Instant now = now();
        boolean compile = claim.jobType() == JobType.COMPILE;
        String status = outcome.success() ? "completed" : failureStatus(outcome.errorCategory());
        return inTransaction("complete", connection -> {
            Optional<String> checksum;
            try (PreparedStatement statement = prepare(
                            connection,
                            COMPLETE,
                            status,
                            outcome.wasmChecksum(),
                            outcome.success() ? null : outcome.errorCategory(),
                            outcome.success() ? null : outcome.error(),
                            outcome.timeMs(),
                            compile ? null : outcome.instructions(),
                            compile && outcome.success() ? outcome.timeMs() : null,
                            compile && !outcome.success() ? outcome.error() : null,
                            compile ? outcome.compileCostYocto() : null,
                            timestamp(now),
                            timestamp(now),
                            claim.jobId(),
                            claim.attempt(),
                            claim.workerId());
                    ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                checksum = Optional.ofNullable(rs.getString(1));
            }
            if (!compile) {
                execute(connection, FINISH_TASK, timestamp(now), claim.requestId(), claim.dataId());
                return true;
            }
            if (outcome.success() && checksum.isPresent()) {
                // cached before the task reaches the execute queue, in the same transaction
                execute(connection, CACHE_WASM, checksum.get(), timestamp(now), timestamp(now));
            }
            Optional<ExecutionTask> task;
            try (PreparedStatement statement = prepare(connection, TASK_OF, claim.requestId(), claim.dataId());
                    ResultSet rs = statement.executeQuery()) {
                task = rs.next() ? Optional.of(task(rs.getString(1))) : Optional.empty();
            }
            if (task.isPresent()) {
                ExecutionTask moved = task.get();
                if (outcome.success() && moved.compileOnly() && outcome.compileResult() == null) {
                    execute(connection, FINISH_TASK, timestamp(now), claim.requestId(), claim.dataId());
                } else {
                    ExecutionTask next = outcome.success()
                            ? moved.afterCompile(outcome.compileResult())
                            : moved.toReportCompileFailure();
                    execute(connection, TO_EXECUTE_QUEUE, json(next), claim.requestId(), claim.dataId());
                }
            }
            return true;
        });
    }

    private static String failureStatus(String category) {
        return JobHistoryEntry.failureStatus(category);
    }

    private void touchTask(Connection connection, long requestId, String dataId, Instant now) throws SQLException {
        execute(connection, TOUCH_TASK, timestamp(now), requestId, dataId);
    }

    @Override
    public Optional<Job> job(long jobId) {
        return queryOptional(
                "job", "SELECT " + JOB_COLUMNS + " FROM jobs WHERE job_id = ?", PostgresJobStore::job, jobId);
    }

    @Override
    public List<Job> jobs(long requestId) {
        return inTransaction("jobs", connection -> {
            List<Job> jobs = new ArrayList<>();
            try (PreparedStatement statement = prepare(
                            connection,
                            "SELECT " + JOB_COLUMNS + " FROM jobs WHERE request_id = ? ORDER BY job_id",
                            requestId);
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    jobs.add(job(rs));
                }
            }
            return jobs;
        });
    }

    private static Job job(ResultSet rs) throws SQLException {
        return new Job(
                rs.getLong("job_id"),
                rs.getLong("request_id"),
                rs.getString("data_id"),
                JobType.ofWire(rs.getString("job_type")),
                rs.getString("worker_id"),
                status(rs.getString("status")),
                rs.getString("wasm_checksum"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")),
                instant(rs.getTimestamp("completed_at")),
                instant(rs.getTimestamp("heartbeat_at")),
                rs.getInt("attempt"),
                rs.getString("error_category"),
                rs.getString("error_details"),
                rs.getObject("time_ms", Long.class),
                rs.getObject("instructions_used", Long.class),
                rs.getString("compile_cost_yocto"));
    }

    private static JobHistoryEntry historyEntry(ResultSet rs) throws SQLException {
        return new JobHistoryEntry(
                job(rs),
                new JobOrigin(
                        rs.getString("user_account_id"),
                        rs.getString("near_payment_yocto"),
                        rs.getString("github_repo"),
                        rs.getString("github_commit"),
                        rs.getString("transaction_hash"),
                        rs.getString("project_id")));
    }

    /** The counts of {@link #OUTCOMES}, from the row's column {@code first} on. */
    private static JobStats.Outcomes outcomes(ResultSet rs, int first) throws SQLException {
        return new JobStats.Outcomes(
                rs.getLong(first),
                rs.getLong(first + 1),
                rs.getLong(first + 2),
                rs.getLong(first + 3),
                rs.getLong(first + 4),
                rs.getLong(first + 5),
                rs.getLong(first + 6),
                rs.getLong(first + 7));
    }

    @Override
    public List<JobHistoryEntry> history(String userAccountId, long limit, long offset) {
        String select = "SELECT " + JOB_COLUMNS + ", " + ORIGIN_COLUMNS + FINISHED;
        String page = " ORDER BY completed_at DESC, job_id DESC LIMIT ? OFFSET ?";
        return userAccountId == null
                ? db.queryList("history", select + page, PostgresJobStore::historyEntry, limit, offset)
                : db.queryList(
                        "history",
                        select + " AND user_account_id = ?" + page,
                        PostgresJobStore::historyEntry,
                        userAccountId,
                        limit,
                        offset);
    }

    @Override
    public JobStats stats(String userAccountId) {
        PostgresDatabase.RowReader<JobStats> reader = rs -> new JobStats(
                outcomes(rs, 1),
                rs.getLong(9),
                rs.getLong(10),
                new java.math.BigInteger(rs.getString(11)),
                rs.getLong(12));
        return (userAccountId == null
                        ? queryOptional("stats", STATS, reader)
                        : queryOptional("stats", STATS + " AND user_account_id = ?", reader, userAccountId))
                .orElseThrow();
    }

    @Override
    public List<RepoStats> popularRepos(int limit) {
        return db.queryList(
                "popular repos",
                POPULAR_REPOS,
                rs -> new RepoStats(rs.getString(1), outcomes(rs, 2), rs.getString(10)),
                limit);
    }

    @Override
    public Optional<WasmInfo> wasmInfo(String repoUrl, String commitHash, String buildTarget) {
        return queryOptional(
                "wasm info",
                WASM_INFO,
                rs -> new WasmInfo(rs.getString(1), rs.getLong(2), instant(rs.getTimestamp(3))),
                repoUrl,
                commitHash,
                buildTarget);
    }

    @Override
    public boolean database() {
        return true;
    }

    @Override
    public void ping() {
        queryOptional("ping", "SELECT 1", rs -> rs.getInt(1));
    }

    private static JobStatus status(String stored) {
        return switch (stored) {
            case "pending" -> JobStatus.PENDING;
            case "in_progress" -> JobStatus.IN_PROGRESS;
            case "completed" -> JobStatus.COMPLETED;
            default -> JobStatus.FAILED;
        };
    }

    @Override
    public boolean wasmCached(String checksum) {
        // asked each time: an eviction (of any coordinator on the database) may have removed the entry
        return queryOptional("wasm cache", "SELECT 1 FROM wasm_cache WHERE checksum = ?", rs -> true, checksum)
                .isPresent();
    }

    @Override
    public void cacheWasm(String checksum) {
        Instant now = now();
        update("wasm cache", CACHE_WASM, checksum, timestamp(now), timestamp(now));
    }

    @Override
    public Optional<Instant> wasmCachedAt(String checksum) {
        return queryOptional(
                "wasm cache",
                "SELECT created_at FROM wasm_cache WHERE checksum = ?",
                rs -> instant(rs.getTimestamp(1)),
                checksum);
    }

    @Override
    public void storeWasm(WasmFile file) {
        Instant now = now();
        byte[] wasm = file.wasm();
        update(
                "wasm upload",
                STORE_WASM,
                file.checksum(),
                file.repoUrl(),
                file.commitHash(),
                file.buildTarget(),
                (long) wasm.length,
                wasm,
                timestamp(now),
                timestamp(now));
    }

    @Override
    public Optional<byte[]> wasmBytes(String checksum) {
        return queryOptional("wasm download", DOWNLOAD_WASM, rs -> rs.getBytes(1), timestamp(now()), checksum);
    }

    @Override
    public long wasmCacheBytes() {
        return queryOptional(
                        "wasm cache size",
                        "SELECT COALESCE(SUM(file_size), 0) FROM wasm_cache WHERE wasm IS NOT NULL",
                        rs -> rs.getLong(1))
                .orElse(0L);
    }

    @Override
    public List<WasmCacheEviction.Evicted> evictWasm(long maxBytes) {
        return inTransaction("wasm eviction", connection -> {
            PostgresDatabase.one(connection, EVICTION_LOCK, rs -> true);
            // RETURNING keeps no order: least recently accessed first, as they were chosen
            return PostgresDatabase.all(
                            connection,
                            EVICT_WASM,
                            rs -> new EvictedRow(
                                    rs.getLong(3), new WasmCacheEviction.Evicted(rs.getString(1), rs.getLong(2))),
                            maxBytes)
                    .stream()
                    .sorted(java.util.Comparator.comparingLong(EvictedRow::freedBefore))
                    .map(EvictedRow::evicted)
                    .toList();
        });
    }

    /** An evicted wasm and what the ones evicted before it freed (its place in the order). */
    private record EvictedRow(long freedBefore, WasmCacheEviction.Evicted evicted) {}

    @Override
    public Optional<Instant> wasmStoredAt(String checksum) {
        return queryOptional(
                "wasm exists",
                "SELECT created_at FROM wasm_cache WHERE checksum = ? AND wasm IS NOT NULL",
                rs -> instant(rs.getTimestamp(1)),
                checksum);
    }

    @Override
    public void recordWorkerHeartbeat(String workerId, String workerName, String status, Long currentTaskId) {
        Instant now = now();
        update(
                "worker heartbeat",
                WORKER_HEARTBEAT,
                workerId,
                workerName,
                status,
                currentTaskId,
                timestamp(now),
                timestamp(now),
                timestamp(now));
    }

    @Override
    public boolean recordTaskCompletion(String workerId, boolean success) {
        Instant now = now();
        int updated = success
                ? update("task completion", TASK_COMPLETED, timestamp(now), timestamp(now), workerId)
                : update("task completion", TASK_FAILED, timestamp(now), workerId);
        return updated == 1;
    }

    @Override
    public boolean deleteWorker(String workerId) {
        return update("delete worker", "DELETE FROM worker_status WHERE worker_id = ?", workerId) == 1;
    }

    @Override
    public List<WorkerStatus> workers() {
        return inTransaction("workers", connection -> {
            List<WorkerStatus> workers = new ArrayList<>();
            try (PreparedStatement statement = prepare(connection, LIST_WORKERS);
                    ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    workers.add(new WorkerStatus(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getObject(4, Long.class),
                            instant(rs.getTimestamp(5)),
                            instant(rs.getTimestamp(6)),
                            rs.getLong(7),
                            rs.getLong(8),
                            instant(rs.getTimestamp(9))));
                }
            }
            return workers;
        });
    }

    @Override
    public AcceptedResolution.Recorded recordResolution(AcceptedResolution resolution) {
        Instant now = now();
        long requestId = resolution.requestId();
        return inTransaction("resolution", connection -> {
            boolean counted;
            try (PreparedStatement statement = prepare(
                            connection,
                            RECORD_RESOLUTION_TX,
                            resolution.txHash(),
                            requestId,
                            resolution.workerId(),
                            resolution.fromChain(),
                            timestamp(now));
                    ResultSet rs = statement.executeQuery()) {
                counted = rs.next();
            }
            if (!counted) {
                if (!resolution.fromChain() && resolution.outcome() != null) {
                    boolean chainDetails;
                    try (PreparedStatement statement =
                                    prepare(connection, JOB_REPORTED_BY, requestId, resolution.txHash());
                            ResultSet rs = statement.executeQuery()) {
                        chainDetails = rs.next();
                    }
                    if (chainDetails) {
                        endJob(connection, REPORT_JOB, resolution, now);
                    }
                }
                return new AcceptedResolution.Recorded(resolutionCount(connection, requestId), false);
            }
            int count;
            String jobTx;
            try (PreparedStatement statement =
                            prepare(connection, RECORD_RESOLUTION, requestId, timestamp(now), timestamp(now));
                    ResultSet rs = statement.executeQuery()) {
                rs.next();
                count = rs.getInt(1);
                jobTx = rs.getString(2);
            }
            if (resolution.outcome() != null && jobTx == null) {
                execute(connection, JOB_RESOLVED_BY, resolution.txHash(), resolution.fromChain(), requestId);
                endJob(connection, RESOLVE_JOB, resolution, now);
                execute(connection, FINISH_TASK, timestamp(now), requestId, resolution.dataId());
            }
            return new AcceptedResolution.Recorded(count, true);
        });
    }

    /** The request's execute job as the resolution says, by {@link #RESOLVE_JOB} or {@link #REPORT_JOB}. */
    private static void endJob(Connection connection, String sql, AcceptedResolution resolution, Instant now)
            throws SQLException {
        JobOutcome outcome = resolution.outcome();
        execute(
                connection,
                sql,
                resolution.workerId(),
                outcome.success() ? "completed" : failureStatus(outcome.errorCategory()),
                outcome.wasmChecksum(),
                outcome.success() ? null : outcome.errorCategory(),
                outcome.success() ? null : outcome.error(),
                outcome.timeMs(),
                outcome.instructions(),
                timestamp(now),
                timestamp(now),
                resolution.requestId(),
                resolution.dataId());
    }

    private static int resolutionCount(Connection connection, long requestId) throws SQLException {
        try (PreparedStatement statement = prepare(
                        connection, "SELECT resolution_count FROM resolutions WHERE request_id = ?", requestId);
                ResultSet rs = statement.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    @Override
    public int resolutions(long requestId) {
        return queryOptional(
                        "resolution",
                        "SELECT resolution_count FROM resolutions WHERE request_id = ?",
                        rs -> rs.getInt(1),
                        requestId)
                .orElse(0);
    }

    @Override
    public Duration staleClaimTimeout() {
        return staleClaimTimeout;
    }

    @Override
    public void close() {
        db.close();
    }

    // --- JDBC plumbing ---------------------------------------------------------------------

    private Instant now() {
        return clock.instant();
    }

    private Instant staleBefore(Instant now) {
        return now.minus(staleClaimTimeout);
    }

    private <T> T inTransaction(String what, PostgresDatabase.SqlWork<T> work) {
        return db.inTransaction(what, work);
    }

    private int update(String what, String sql, Object... parameters) {
        return db.update(what, sql, parameters);
    }

    private <T> Optional<T> queryOptional(
            String what, String sql, PostgresDatabase.RowReader<T> reader, Object... parameters) {
        return db.queryOptional(what, sql, reader, parameters);
    }
}

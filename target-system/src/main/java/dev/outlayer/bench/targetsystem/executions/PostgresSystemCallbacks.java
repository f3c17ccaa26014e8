package dev.outlayer.bench.targetsystem.executions;

import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.execute;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.fromJson;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.json;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.one;
import static dev.outlayer.bench.targetsystem.persistence.PostgresDatabase.timestamp;

import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The system-callbacks queue in PostgreSQL ({@code system_callback_tasks}, migration V8): a task per
 * event identity (the UNIQUE identity makes monitors of every coordinator create it once), handed
 * out once ({@code FOR UPDATE SKIP LOCKED}: pollers of every coordinator take different tasks).
 * Queued tasks survive a coordinator restart; a taken task is gone from the queue, as a popped entry
 * of OutLayer's Redis list is.
 */
public final class PostgresSystemCallbacks implements SystemCallbacks {
    /** How long an idle poll waits before looking again (another coordinator's task wakes nobody here). */
    private static final long POLL_RECHECK_MILLIS = 50;

    private static final String INSERT = """
            INSERT INTO system_callback_tasks (task_id, identity, task, created_at)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (identity) DO NOTHING""";

    private static final String TAKE = """
            UPDATE system_callback_tasks SET taken_at = ?
            WHERE task_id = (SELECT task_id FROM system_callback_tasks WHERE taken_at IS NULL
                             ORDER BY task_id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING task""";

    private final PostgresDatabase db;
    private final Clock clock;
    private final Object created = new Object();

    public PostgresSystemCallbacks(PostgresDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Created create(String identity, LongFunction<Task> task) {
        Created result = db.inTransaction("system callback", connection -> {
            long id = one(connection, "SELECT nextval('system_callback_tasks_task_id_seq')", rs -> rs.getLong(1))
                    .orElseThrow();
            if (execute(connection, INSERT, id, identity, json(task.apply(id)), timestamp(clock.instant())) == 1) {
                return new Created(id, true);
            }
            long known = one(
                            connection,
                            "SELECT task_id FROM system_callback_tasks WHERE identity = ?",
                            rs -> rs.getLong(1),
                            identity)
                    .orElseThrow();
            return new Created(known, false);
        });
        if (result.created()) {
            synchronized (created) {
                created.notifyAll();
            }
        }
        return result;
    }

    @Override
    public Optional<Task> poll() {
        return db.queryOptional("system callback poll", TAKE, rs -> rs.getString(1), timestamp(clock.instant()))
                .map(json -> fromJson(json, Task.class));
    }

    @Override
    public Optional<Task> poll(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, wait.toNanos());
        while (true) {
            Optional<Task> task = poll();
            long left = deadline - System.nanoTime();
            if (task.isPresent() || left <= 0) {
                return task;
            }
            synchronized (created) {
                TimeUnit.NANOSECONDS.timedWait(
                        created, Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_RECHECK_MILLIS)));
            }
        }
    }

    @Override
    public int queued() {
        return db.queryOptional(
                        "system callbacks queued",
                        "SELECT count(*) FROM system_callback_tasks WHERE taken_at IS NULL",
                        rs -> rs.getInt(1))
                .orElse(0);
    }
}

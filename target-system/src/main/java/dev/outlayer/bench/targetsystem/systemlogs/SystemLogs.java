package dev.outlayer.bench.targetsystem.systemlogs;

import java.time.Instant;
import java.util.List;

/**
 * OutLayer's hidden system logs (coordinator table {@code system_hidden_logs}, handlers/internal.rs): the raw
 * stderr and stdout of a failed compile (or run) that workers store for operators to debug with, and that no
 * public route shows (a program's build can print any file of the machine it runs on). In memory ({@link
 * InMemorySystemLogs}) or in PostgreSQL ({@link PostgresSystemLogs}).
 */
public interface SystemLogs {
    /** OutLayer's {@code log_type} for a compile's output, the only one its worker stores. */
    String COMPILATION = "compilation";

    /** What a worker stores (OutLayer's {@code StoreSystemLogRequest}); everything but the request and type optional. */
    record Entry(
            long requestId,
            Long jobId,
            String logType,
            String stderr,
            String stdout,
            Integer exitCode,
            String executionError) {}

    /** A stored log: its id (in storing order) and when it was stored (microseconds, as PostgreSQL keeps it). */
    record Stored(long id, Entry entry, Instant createdAt) {}

    /** Stores the log; its id. */
    long store(Entry entry);

    /** Every log of the job, newest first (OutLayer's {@code ORDER BY created_at DESC}); empty when it has none. */
    List<Stored> forJob(long jobId);
}

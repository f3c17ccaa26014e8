package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A job's state, as OutLayer's {@code jobs.status} (migration 20251017000004). OutLayer later
 * splits {@code failed} into categories (compilation_failed, execution_failed, ...): here the
 * category travels in {@link JobOutcome#errorCategory()} and the status stays {@code failed}.
 */
public enum JobStatus {
    PENDING,
    IN_PROGRESS,
    COMPLETED,
    FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean finished() {
        return this == COMPLETED || this == FAILED;
    }
}

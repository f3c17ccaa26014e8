package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a request is, as {@code GET /executions/{request_id}} reports it. */
public enum ExecutionStatus {
    QUEUED,
    CLAIMED,
    COMPILING,
    EXECUTING,
    RESOLVING,
    RESOLVED,
    FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean finished() {
        return this == RESOLVED || this == FAILED;
    }
}

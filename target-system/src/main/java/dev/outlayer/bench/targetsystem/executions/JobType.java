package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonValue;

/** The two kinds of work a request spawns, as OutLayer's {@code jobs.job_type} names them. */
public enum JobType {
    COMPILE,
    EXECUTE;

    /** The name on the wire and in the jobs table: {@code compile} / {@code execute}. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static JobType ofWire(String name) {
        for (JobType type : values()) {
            if (type.wire().equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("job_type must be compile or execute");
    }
}

package dev.outlayer.bench.targetsystem.linux;

/** Thrown inside a process that hit one of its limits; the worker turns it into a 422. */
final class ProcessKilled extends RuntimeException {

    /** Each limit, named as the API names it. */
    enum Reason {
        INSTRUCTIONS("max_instructions"),
        MEMORY("max_memory_mb"),
        WALL_TIME("max_seconds");

        final String limitName;

        Reason(String limitName) {
            this.limitName = limitName;
        }
    }

    final Reason reason;

    ProcessKilled(Reason reason) {
        super(reason.limitName, null, false, false);
        this.reason = reason;
    }
}

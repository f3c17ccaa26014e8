package dev.outlayer.bench.targetsystem.executions;

/**
 * The moments of a request's life, in order. Each but the first ends a phase named {@link
 * #phaseName()}: the time from the previous moment reached to this one.
 */
public enum Phase {
    TX_INCLUDED("tx_included", null),
    EVENT_SEEN("event_seen", "event_seen"),
    JOB_CREATED("job_created", "job_created"),
    CLAIMED("claimed", "claimed"),
    COMPILE_DONE("compile_done", "compile"),
    EXECUTE_DONE("execute_done", "execute"),
    RESOLVE_TX_INCLUDED("resolve_tx_included", "resolve_tx"),
    CALLBACK_DONE("callback_done", "callback_done");

    private final String timestampName;
    private final String phaseName;

    Phase(String timestampName, String phaseName) {
        this.timestampName = timestampName;
        this.phaseName = phaseName;
    }

    /** The key in {@code timestamps_us}. */
    public String timestampName() {
        return timestampName;
    }

    /** The key in {@code phases_ms} and the {@code phase} tag of the metric; null for the first moment. */
    public String phaseName() {
        return phaseName;
    }
}

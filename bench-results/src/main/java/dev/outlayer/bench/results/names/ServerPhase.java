package dev.outlayer.bench.results.names;

/**
 * The phases the target reports in {@code Server-Timing} (docs/target-system-api.md) that the
 * simulations print and the reports read, plus {@link #SUM}, which the recorder adds.
 */
public final class ServerPhase {
    public static final String THROTTLE = "throttle";
    public static final String UPSTREAM = "upstream";
    public static final String QUEUE = "queue";
    public static final String INSTANTIATE = "instantiate";
    public static final String EXEC = "exec";
    /** The rest of a contract call's receipt tree (callbacks, refunds) after its own receipt. */
    public static final String RECEIPTS = "receipts";

    public static final String WORKER = "worker";
    public static final String BOOT = "boot";
    public static final String DECRYPT = "decrypt";
    public static final String INJECT = "inject";
    /** A response's phases added up (the recorder's, unless the server sends its own). */
    public static final String SUM = "sum";

    private ServerPhase() {}
}

package dev.outlayer.bench.targetsystem.rpc;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * nearcore's {@code TxExecutionStatus} ({@code wait_until} and {@code final_execution_status}), in
 * the order a transaction reaches them.
 */
public enum TxExecutionStatus {
    /** Not even known to be included: send_tx returns at once. */
    NONE,
    INCLUDED,
    /** The default of send_tx and tx: executed, the including block not yet final. */
    EXECUTED_OPTIMISTIC,
    INCLUDED_FINAL,
    EXECUTED,
    /** Executed and every block involved final. */
    FINAL;

    /** Whether answering needs the including block to be final. */
    public boolean needsFinality() {
        return compareTo(INCLUDED_FINAL) >= 0;
    }

    static TxExecutionStatus parse(String text) {
        for (TxExecutionStatus status : values()) {
            if (status.name().equals(text)) {
                return status;
            }
        }
        throw RpcException.badParams("unknown variant `" + text + "`, expected one of "
                + Arrays.stream(values()).map(v -> "`" + v.name() + "`").collect(Collectors.joining(", ")));
    }
}

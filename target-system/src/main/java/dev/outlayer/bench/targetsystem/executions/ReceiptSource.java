package dev.outlayer.bench.targetsystem.executions;

import java.util.List;

/**
 * The chain's receipt outcomes in execution order, as an indexer serves them (OutLayer's event
 * monitor reads neardata.xyz). The root wires it to the contract simulator's feed; each reader
 * keeps its own cursor.
 */
public interface ReceiptSource {

    /**
     * One receipt's outcome.
     *
     * @param cursor its position: pass it to {@link #after} to read what follows
     * @param executedAtMicros when it ran (epoch microseconds)
     */
    record ReceiptOutcome(
            long cursor,
            String txHash,
            String receiptId,
            String receiverId,
            String predecessorId,
            String signerPublicKey,
            long blockHeight,
            long gasBurnt,
            List<String> logs,
            boolean success,
            long executedAtMicros) {}

    /** Outcomes after a cursor, and how many were lost because the reader fell too far behind. */
    record Batch(List<ReceiptOutcome> outcomes, long missed) {}

    /** Up to {@code max} outcomes after {@code cursor}, waiting up to {@code waitMillis} when none are there yet. */
    Batch after(long cursor, int max, long waitMillis) throws InterruptedException;
}

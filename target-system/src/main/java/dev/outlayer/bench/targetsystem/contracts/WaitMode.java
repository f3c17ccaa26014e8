package dev.outlayer.bench.targetsystem.contracts;

/** What a submit waits for before it answers. */
public enum WaitMode {
    /** Every receipt of the tree has run (a yield still waiting leaves the final status "Started"). */
    ALL_RECEIPTS,
    /**
     * Only the transaction's first receipt (and its refunds) ran; the rest of the tree runs after
     * the answer, in the background. For load tests that measure one call.
     */
    FIRST_RECEIPT
}

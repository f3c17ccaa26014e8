package dev.outlayer.bench.targetsystem.executions;

/**
 * A resolution the chain accepted (its transaction succeeded: the contract resumed the request's
 * yield), as the {@link JobStore} records it. It is known by its transaction, so it is recorded
 * once however many report it: the worker that sent it, and the event monitor that read it on the
 * chain (the callback's {@code execution_completed} event) because the worker had not recorded it
 * when the callback ran, which it never will if it died in between.
 *
 * @param txHash the resolution transaction
 * @param workerId the worker that signed and sent it
 * @param outcome the run as the resolution reported it; null for one the chain accepted after
 *     another (nearcore took a second resume of the yield, whose data never reached the
 *     callback): it is counted and ends no job
 * @param fromChain read from the chain, not reported by its worker: the chain keeps no failure
 *     category and cuts long errors, so the worker's own report of the same transaction, should it
 *     come later, replaces the job's details (nothing counted)
 */
public record AcceptedResolution(
        long requestId, String dataId, String txHash, String workerId, JobOutcome outcome, boolean fromChain) {

    public AcceptedResolution {
        if (txHash == null || txHash.isEmpty()) {
            throw new IllegalArgumentException("an accepted resolution is known by its transaction");
        }
    }

    /** What the worker holding {@code claim} reports of the resolution it sent. */
    public static AcceptedResolution reported(JobClaim claim, String txHash, JobOutcome outcome) {
        return new AcceptedResolution(claim.requestId(), claim.dataId(), txHash, claim.workerId(), outcome, false);
    }

    /** What the chain shows of a resolution whose worker has not recorded it. */
    public static AcceptedResolution readFromChain(
            long requestId, String dataId, String txHash, String workerId, JobOutcome outcome) {
        return new AcceptedResolution(requestId, dataId, txHash, workerId, outcome, true);
    }

    /**
     * What recording one did.
     *
     * @param resolutions the request's accepted resolutions (transactions) recorded so far
     * @param counted whether this record was its transaction's first (a later one counts nothing)
     */
    public record Recorded(int resolutions, boolean counted) {
        /** This record is of a request's second accepted resolution: it was executed twice (must never happen). */
        public boolean executedTwice() {
            return counted && resolutions > 1;
        }
    }
}

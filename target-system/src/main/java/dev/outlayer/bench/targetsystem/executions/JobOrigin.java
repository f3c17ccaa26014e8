package dev.outlayer.bench.targetsystem.executions;

/**
 * What a job takes from its task when it is first claimed, as OutLayer's {@code claim_job} writes
 * them into its {@code jobs} row (and {@code complete_job} into {@code execution_history}): the
 * requester, the payment the request carried, the GitHub source, the transaction that made the
 * request (none for an HTTPS call), and the project (OutLayer joins {@code execution_requests} and
 * {@code https_calls} for it). All null for a job whose task the store does not know.
 *
 * @param nearPaymentYocto the request's NEAR payment (its {@code payment}, yoctoNEAR in decimal)
 */
public record JobOrigin(
        String userAccountId,
        String nearPaymentYocto,
        String githubRepo,
        String githubCommit,
        String transactionHash,
        String projectId) {

    public static final JobOrigin NONE = new JobOrigin(null, null, null, null, null, null);

    /** The origin of a job of {@code task} (null: an unknown task, {@link #NONE}). */
    public static JobOrigin of(ExecutionTask task) {
        if (task == null) {
            return NONE;
        }
        CodeSource source = task.codeSource();
        return new JobOrigin(
                task.userAccountId(),
                task.nearPaymentYocto(),
                source.repo(),
                source.repo() != null ? source.commit() : null,
                task.transactionHash(),
                task.projectId());
    }
}

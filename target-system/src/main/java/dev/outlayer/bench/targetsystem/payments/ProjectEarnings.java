package dev.outlayer.bench.targetsystem.payments;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What project owners earned from HTTPS calls, as OutLayer's coordinator keeps it in {@code
 * project_owner_earnings} and {@code earnings_history} (handlers/call.rs {@code finalize_call}):
 * every finalized call credits its project's owner (the project id's part before '/') with the
 * call's {@code X-Attached-Deposit} minus the {@code refund_usd} its program gave back, in
 * stablecoin minimal units; {@code balance} (what can be withdrawn) and {@code total_earned} (ever),
 * and a history row per call that earned something. Withdrawals ({@code project_owner_withdrawals})
 * take from the balance, never more than it holds. In memory ({@link InMemoryProjectEarnings}) or in
 * PostgreSQL ({@link PostgresProjectEarnings}).
 */
public interface ProjectEarnings {
    /** The history's source of an HTTPS call's earning (OutLayer's other source is "blockchain"). */
    String HTTPS = "https";

    /** One owner's row. */
    record Earnings(BigInteger balance, BigInteger totalEarned, Instant updatedAt) {}

    /** What a finalized call credits: its deposit less the refund, to the project's owner. */
    record Credit(
            String projectId,
            BigInteger attachedUsd,
            BigInteger refundUsd,
            UUID callId,
            PaymentKeys.Id payer,
            Instant at) {
        public String projectOwner() {
            return ownerOf(projectId);
        }

        /** attached - refund, never below 0 (OutLayer's saturating_sub). */
        public BigInteger amount() {
            return attachedUsd.subtract(refundUsd).max(BigInteger.ZERO);
        }
    }

    /** One {@code earnings_history} row of an HTTPS call. */
    record Earning(
            long id,
            String projectId,
            BigInteger attachedUsd,
            BigInteger refundUsd,
            BigInteger amount,
            String source,
            String callId,
            String paymentKeyOwner,
            Long paymentKeyNonce,
            Instant createdAt) {}

    /** One {@code project_owner_withdrawals} row. */
    record Withdrawal(
            long id,
            String projectOwner,
            BigInteger amount,
            String status,
            String txHash,
            Instant createdAt,
            Instant completedAt) {}

    /** A withdrawal's completion: the row as it is now, and whether this report finalized it. */
    record Completion(Withdrawal withdrawal, boolean finalized) {}

    /**
     * Credits the call's {@link Credit#amount()} and records its history row; nothing for 0, as
     * OutLayer writes no row then.
     */
    void credit(Credit credit);

    /** The owner's row, if it ever earned. */
    Optional<Earnings> of(String projectOwner);

    /** The owner's history, newest first; {@code source} "https", "blockchain" or null for both. */
    Page<Earning> history(String projectOwner, String source, Page.Request page);

    /**
     * Takes {@code amount} (above 0) from the owner's balance and records a {@code pending}
     * withdrawal, in one atomic step, in one process or many: never more than the balance holds,
     * else 402 {@code Insufficient balance: available=A, required=R} and nothing changes.
     */
    Withdrawal withdraw(String projectOwner, BigInteger amount, Instant at);

    /**
     * Completes a pending withdrawal once: {@code completed} with the payout's transaction hash, or
     * {@code failed}, which gives the amount back to the balance. Empty for an unknown id; a
     * withdrawal already completed or failed is returned unchanged ({@code finalized} false).
     */
    Optional<Completion> complete(long withdrawalId, boolean success, String txHash, Instant at);

    /** The owner's withdrawals, newest first. */
    Page<Withdrawal> withdrawals(String projectOwner, Page.Request page);

    /** The project owner of a project id {@code owner/name}. */
    static String ownerOf(String projectId) {
        int slash = projectId.indexOf('/');
        return slash < 0 ? projectId : projectId.substring(0, slash);
    }
}

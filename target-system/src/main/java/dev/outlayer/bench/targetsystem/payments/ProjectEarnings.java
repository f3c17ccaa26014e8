package dev.outlayer.bench.targetsystem.payments;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * What project owners earned from HTTPS calls, as OutLayer's coordinator keeps it in {@code
 * project_owner_earnings} (handlers/call.rs {@code finalize_call}): every finalized call credits its
 * project's owner (the project id's part before '/') with the call's {@code X-Attached-Deposit}
 * minus the {@code refund_usd} its program gave back, in stablecoin minimal units; {@code balance}
 * (what can be withdrawn) and {@code total_earned} (ever). In memory ({@link
 * InMemoryProjectEarnings}) or in PostgreSQL ({@link PostgresProjectEarnings}).
 */
public interface ProjectEarnings {
    /** One owner's row. */
    record Earnings(BigInteger balance, BigInteger totalEarned, Instant updatedAt) {}

    /** Credits {@code amount} (nothing for 0, as OutLayer writes no row then). */
    void credit(String projectOwner, BigInteger amount);

    /** The owner's row, if it ever earned. */
    Optional<Earnings> of(String projectOwner);

    /** The project owner of a project id {@code owner/name}. */
    static String ownerOf(String projectId) {
        int slash = projectId.indexOf('/');
        return slash < 0 ? projectId : projectId.substring(0, slash);
    }
}

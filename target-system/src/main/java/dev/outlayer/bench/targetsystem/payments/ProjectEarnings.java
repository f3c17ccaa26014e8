package dev.outlayer.bench.targetsystem.payments;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What project owners earned from HTTPS calls, as OutLayer's coordinator keeps it in {@code
 * project_owner_earnings} (handlers/call.rs {@code finalize_call}): every finalized call credits its
 * project's owner (the project id's part before '/') with the call's {@code X-Attached-Deposit}
 * minus the {@code refund_usd} its program gave back, in stablecoin minimal units; {@code balance}
 * (what can be withdrawn) and {@code total_earned} (ever). In memory, as the stand-in's keys are.
 */
public final class ProjectEarnings {
    /** One owner's row. */
    public record Earnings(BigInteger balance, BigInteger totalEarned, Instant updatedAt) {}

    private final ConcurrentHashMap<String, Earnings> owners = new ConcurrentHashMap<>();

    /** Credits {@code amount} (nothing for 0, as OutLayer writes no row then). */
    public void credit(String projectOwner, BigInteger amount) {
        if (amount.signum() <= 0) {
            return;
        }
        Instant now = Instant.now();
        owners.merge(
                projectOwner,
                new Earnings(amount, amount, now),
                (old, added) -> new Earnings(
                        old.balance().add(amount), old.totalEarned().add(amount), now));
    }

    /** The owner's row, if it ever earned. */
    public Optional<Earnings> of(String projectOwner) {
        return Optional.ofNullable(owners.get(projectOwner));
    }

    /** The project owner of a project id {@code owner/name}. */
    public static String ownerOf(String projectId) {
        int slash = projectId.indexOf('/');
        return slash < 0 ? projectId : projectId.substring(0, slash);
    }
}

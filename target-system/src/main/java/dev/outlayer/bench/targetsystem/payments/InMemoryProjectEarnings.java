package dev.outlayer.bench.targetsystem.payments;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Project owners' earnings in this process's memory, as the in-memory keys are: the balances, the
 * newest {@link #HISTORY_KEPT} history rows of each owner (the total counts them all) and the
 * withdrawals. A credit is a {@code merge} of the owner's entry and a lock-free append; a withdrawal
 * a {@code compute} of the same entry, so it never takes more than the balance holds.
 */
public final class InMemoryProjectEarnings implements ProjectEarnings {
    /** History rows kept per owner. */
    static final int HISTORY_KEPT = 1_000;

    /** Finished (completed or failed) withdrawals kept in all; pending ones are always kept. */
    static final int FINISHED_WITHDRAWALS_KEPT = 10_000;

    private final ConcurrentHashMap<String, Earnings> owners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, BoundedLog<Earning>> histories = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Withdrawal> withdrawals = new ConcurrentHashMap<>();
    private final AtomicLong nextEarningId = new AtomicLong(1);
    private final AtomicLong nextWithdrawalId = new AtomicLong(1);

    @Override
    public void credit(Credit credit) {
        BigInteger amount = credit.amount();
        if (amount.signum() <= 0) {
            return;
        }
        owners.merge(
                credit.projectOwner(),
                new Earnings(amount, amount, credit.at()),
                (old, added) -> new Earnings(
                        old.balance().add(amount), old.totalEarned().add(amount), credit.at()));
        histories
                .computeIfAbsent(credit.projectOwner(), o -> new BoundedLog<>(HISTORY_KEPT))
                .add(new Earning(
                        nextEarningId.getAndIncrement(),
                        credit.projectId(),
                        credit.attachedUsd(),
                        credit.refundUsd(),
                        amount,
                        HTTPS,
                        credit.callId().toString(),
                        credit.payer().owner(),
                        credit.payer().nonce(),
                        credit.at()));
    }

    @Override
    public Optional<Earnings> of(String projectOwner) {
        return Optional.ofNullable(owners.get(projectOwner));
    }

    @Override
    public Page<Earning> history(String projectOwner, String source, Page.Request page) {
        BoundedLog<Earning> log = histories.get(projectOwner);
        if (log == null || (source != null && !source.equals(HTTPS))) {
            return new Page<>(List.of(), 0);
        }
        return log.page(page);
    }

    @Override
    public Withdrawal withdraw(String projectOwner, BigInteger amount, Instant at) {
        PaymentKeys.checkAmount(amount, "amount");
        if (amount.signum() <= 0) {
            throw dev.outlayer.bench.targetsystem.errors.ApiException.invalid("Amount must be greater than 0");
        }
        BigInteger[] shortOf = {null};
        owners.compute(projectOwner, (k, old) -> {
            BigInteger balance = old == null ? BigInteger.ZERO : old.balance();
            if (balance.compareTo(amount) < 0) {
                shortOf[0] = balance;
                return old;
            }
            return new Earnings(balance.subtract(amount), old.totalEarned(), at);
        });
        if (shortOf[0] != null) {
            throw PaymentKeys.insufficient(shortOf[0], amount);
        }
        Withdrawal withdrawal =
                new Withdrawal(nextWithdrawalId.getAndIncrement(), projectOwner, amount, "pending", null, at, null);
        withdrawals.put(withdrawal.id(), withdrawal);
        return withdrawal;
    }

    @Override
    public Optional<Completion> complete(long withdrawalId, boolean success, String txHash, Instant at) {
        boolean[] finalized = {false};
        Withdrawal now = withdrawals.computeIfPresent(withdrawalId, (id, old) -> {
            if (!old.status().equals("pending")) {
                return old;
            }
            finalized[0] = true;
            return new Withdrawal(
                    id,
                    old.projectOwner(),
                    old.amount(),
                    success ? "completed" : "failed",
                    txHash,
                    old.createdAt(),
                    at);
        });
        if (now == null) {
            return Optional.empty();
        }
        if (finalized[0]) {
            if (!success) {
                // the payout did not happen: the amount is the owner's again
                owners.compute(
                        now.projectOwner(),
                        (k, old) -> new Earnings(old.balance().add(now.amount()), old.totalEarned(), at));
            }
            dropOldFinished();
        }
        return Optional.of(new Completion(now, finalized[0]));
    }

    @Override
    public Page<Withdrawal> withdrawals(String projectOwner, Page.Request page) {
        List<Withdrawal> mine = withdrawals.values().stream()
                .filter(w -> w.projectOwner().equals(projectOwner))
                .sorted(Comparator.comparingLong(Withdrawal::id).reversed())
                .toList();
        return new Page<>(mine.stream().skip(page.offset()).limit(page.limit()).toList(), mine.size());
    }

    private void dropOldFinished() {
        long finished = withdrawals.values().stream()
                .filter(w -> !w.status().equals("pending"))
                .count();
        if (finished > FINISHED_WITHDRAWALS_KEPT) {
            withdrawals.values().stream()
                    .filter(w -> !w.status().equals("pending"))
                    .map(Withdrawal::id)
                    .sorted()
                    .limit(finished - FINISHED_WITHDRAWALS_KEPT)
                    .forEach(withdrawals::remove);
        }
    }
}

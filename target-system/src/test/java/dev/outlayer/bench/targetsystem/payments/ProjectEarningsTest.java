package dev.outlayer.bench.targetsystem.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.testing.AtOnce;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Project owners' HTTPS earnings as OutLayer's finalize_call keeps them ({@code
 * project_owner_earnings}, {@code earnings_history}) and their withdrawal ({@code
 * project_owner_withdrawals}): history rows newest first in OutLayer's paging, and withdrawals that
 * never take more than the balance, even from many threads at once. On the in-memory store here and
 * on PostgreSQL in {@link PostgresProjectEarningsTest}.
 */
class ProjectEarningsTest {
    protected static final PaymentKeys.Id PAYER = new PaymentKeys.Id("alice.near", 3);
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    /** A fresh, empty store (in memory here; subclasses keep it elsewhere). */
    protected ProjectEarnings newEarnings() {
        return new InMemoryProjectEarnings();
    }

    protected static ProjectEarnings.Credit credit(String projectId, long attached, long refund, int second) {
        return new ProjectEarnings.Credit(
                projectId,
                BigInteger.valueOf(attached),
                BigInteger.valueOf(refund),
                UUID.randomUUID(),
                PAYER,
                T0.plusSeconds(second));
    }

    private static ApiException refusal(Runnable action) {
        try {
            action.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aCreditThatEarnedSomethingIsAHistoryRowNewestFirst() {
        ProjectEarnings earnings = newEarnings();
        ProjectEarnings.Credit first = credit("bob.near/echo", 200, 50, 1);
        earnings.credit(first);
        earnings.credit(credit("bob.near/echo", 100, 100, 2)); // all refunded: no row, nothing credited
        earnings.credit(credit("bob.near/other", 300, 0, 3));
        earnings.credit(credit("carol.near/echo", 70, 0, 4));

        ProjectEarnings.Earnings bob = earnings.of("bob.near").orElseThrow();
        assertThat(bob.balance()).isEqualTo(450);
        assertThat(bob.totalEarned()).isEqualTo(450);
        assertThat(bob.updatedAt()).isEqualTo(T0.plusSeconds(3));

        Page<ProjectEarnings.Earning> history = earnings.history("bob.near", null, new Page.Request(50, 0));
        assertThat(history.total()).isEqualTo(2);
        assertThat(history.items())
                .extracting(ProjectEarnings.Earning::projectId)
                .containsExactly("bob.near/other", "bob.near/echo");
        ProjectEarnings.Earning oldest = history.items().get(1);
        assertThat(oldest.attachedUsd()).isEqualTo(200);
        assertThat(oldest.refundUsd()).isEqualTo(50);
        assertThat(oldest.amount()).isEqualTo(150);
        assertThat(oldest.source()).isEqualTo("https");
        assertThat(oldest.callId()).isEqualTo(first.callId().toString());
        assertThat(oldest.paymentKeyOwner()).isEqualTo("alice.near");
        assertThat(oldest.paymentKeyNonce()).isEqualTo(3);
        assertThat(oldest.createdAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(history.items().get(0).id()).isGreaterThan(oldest.id());

        assertThat(earnings.history("bob.near", null, new Page.Request(1, 1)).items())
                .extracting(ProjectEarnings.Earning::projectId)
                .containsExactly("bob.near/echo");
        assertThat(earnings.history("bob.near", "https", new Page.Request(50, 0))
                        .total())
                .isEqualTo(2);
        Page<ProjectEarnings.Earning> blockchain = earnings.history("bob.near", "blockchain", new Page.Request(50, 0));
        assertThat(blockchain.items()).isEmpty();
        assertThat(blockchain.total()).isZero();
        assertThat(earnings.history("nobody.near", null, new Page.Request(50, 0))
                        .total())
                .isZero();
    }

    @Test
    void aWithdrawalTakesFromTheBalanceNeverMoreAndAFailedPayoutGivesItBack() {
        ProjectEarnings earnings = newEarnings();
        earnings.credit(credit("bob.near/echo", 1_000, 0, 1));

        ApiException over = refusal(() -> earnings.withdraw("bob.near", BigInteger.valueOf(1_001), T0));
        assertThat(over.kind()).isEqualTo(ApiException.Kind.PAYMENT_REQUIRED);
        assertThat(over.getMessage()).isEqualTo("Insufficient balance: available=1000, required=1001");
        assertThat(refusal(() -> earnings.withdraw("nobody.near", BigInteger.ONE, T0))
                        .getMessage())
                .isEqualTo("Insufficient balance: available=0, required=1");
        assertThat(refusal(() -> earnings.withdraw("bob.near", BigInteger.ZERO, T0))
                        .kind())
                .isEqualTo(ApiException.Kind.INVALID);
        assertThat(earnings.of("bob.near").orElseThrow().balance()).isEqualTo(1_000);

        ProjectEarnings.Withdrawal paid = earnings.withdraw("bob.near", BigInteger.valueOf(600), T0);
        assertThat(paid.status()).isEqualTo("pending");
        assertThat(paid.amount()).isEqualTo(600);
        assertThat(earnings.of("bob.near").orElseThrow().balance()).isEqualTo(400);
        assertThat(earnings.of("bob.near").orElseThrow().totalEarned())
                .as("what was earned stays earned")
                .isEqualTo(1_000);

        ProjectEarnings.Completion done =
                earnings.complete(paid.id(), true, "TxHash1", T0.plusSeconds(5)).orElseThrow();
        assertThat(done.finalized()).isTrue();
        assertThat(done.withdrawal().status()).isEqualTo("completed");
        assertThat(done.withdrawal().txHash()).isEqualTo("TxHash1");
        assertThat(done.withdrawal().completedAt()).isEqualTo(T0.plusSeconds(5));
        ProjectEarnings.Completion again =
                earnings.complete(paid.id(), false, null, T0.plusSeconds(6)).orElseThrow();
        assertThat(again.finalized()).as("a withdrawal completes once").isFalse();
        assertThat(again.withdrawal().status()).isEqualTo("completed");
        assertThat(earnings.of("bob.near").orElseThrow().balance()).isEqualTo(400);

        ProjectEarnings.Withdrawal failing = earnings.withdraw("bob.near", BigInteger.valueOf(400), T0);
        assertThat(earnings.of("bob.near").orElseThrow().balance()).isZero();
        assertThat(earnings.complete(failing.id(), false, null, T0)
                        .orElseThrow()
                        .withdrawal()
                        .status())
                .isEqualTo("failed");
        assertThat(earnings.of("bob.near").orElseThrow().balance()).isEqualTo(400);
        assertThat(earnings.complete(failing.id(), false, null, T0)
                        .orElseThrow()
                        .finalized())
                .isFalse();
        assertThat(earnings.of("bob.near").orElseThrow().balance())
                .as("given back once")
                .isEqualTo(400);
        assertThat(earnings.complete(987_654, true, "x", T0)).isEmpty();

        Page<ProjectEarnings.Withdrawal> listed = earnings.withdrawals("bob.near", new Page.Request(50, 0));
        assertThat(listed.total()).isEqualTo(2);
        assertThat(listed.items())
                .extracting(ProjectEarnings.Withdrawal::status)
                .containsExactly("failed", "completed");
    }

    @Test
    void manyWithdrawalsAtOnceNeverTakeMoreThanTheBalance() throws Exception {
        ProjectEarnings earnings = newEarnings();
        earnings.credit(credit("bob.near/echo", 500, 0, 1));
        assertThat(withdrawTensAtOnce(List.of(earnings), 200)).isEqualTo(50);
        assertThat(earnings.of("bob.near").orElseThrow().balance()).isZero();
        assertThat(earnings.withdrawals("bob.near", new Page.Request(100, 0)).total())
                .isEqualTo(50);
    }

    @Test
    void creditsAndWithdrawalsAtOnceKeepTheBalanceExact() throws Exception {
        ProjectEarnings earnings = newEarnings();
        List<Long> withdrawals = AtOnce.run(400, 16, i -> () -> {
            if (i % 2 == 0) {
                earnings.credit(credit("bob.near/echo", 10, 0, i));
                return 0L;
            }
            try {
                earnings.withdraw("bob.near", BigInteger.valueOf(7), T0);
                return 7L;
            } catch (ApiException e) {
                assertThat(e.kind()).isEqualTo(ApiException.Kind.PAYMENT_REQUIRED);
                return 0L;
            }
        });
        long withdrawn = withdrawals.stream().mapToLong(Long::longValue).sum();
        ProjectEarnings.Earnings bob = earnings.of("bob.near").orElseThrow();
        assertThat(bob.totalEarned()).isEqualTo(2_000);
        assertThat(bob.balance()).isEqualTo(2_000 - withdrawn).isNotNegative();
        assertThat(earnings.history("bob.near", null, new Page.Request(1, 0)).total())
                .isEqualTo(200);
    }

    /** {@code attempts} withdrawals of 10 from bob.near, spread over the stores, all let go at once: how many were paid. */
    protected static long withdrawTensAtOnce(List<ProjectEarnings> stores, int attempts) throws Exception {
        return AtOnce.accepted(
                attempts,
                16,
                ApiException.Kind.PAYMENT_REQUIRED,
                i -> () -> stores.get(i % stores.size()).withdraw("bob.near", BigInteger.TEN, T0));
    }

    @Test
    void anAmountMustBeAU128() {
        ProjectEarnings earnings = newEarnings();
        assertThatThrownBy(() -> earnings.withdraw("bob.near", BigInteger.ONE.shiftLeft(128), T0))
                .isInstanceOf(ApiException.class)
                .hasMessage("amount must be a u128 in decimal (0 to 2^128 - 1)");
    }
}

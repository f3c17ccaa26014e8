package dev.outlayer.bench.targetsystem.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.executions.ManualClock;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OutLayer's payment-key cleanup job (coordinator background_jobs.rs): a reservation never settled nor
 * released (its worker died mid-call) is cleared once nothing was reserved or released on its key for
 * 10 minutes, and the key's balance comes back; a key with a fresh reservation keeps all of it. The
 * clock is moved by hand. In memory here, on PostgreSQL in {@link PostgresPaymentKeyCleanupTest}.
 */
class PaymentKeyCleanupTest {
    private static final String KEY = "0123456789abcdef".repeat(4);
    private static final PaymentKeys.Id ALICE_1 = new PaymentKeys.Id("alice.near", 1);
    private static final PaymentKeys.Id BOB_2 = new PaymentKeys.Id("bob.near", 2);
    private static final BigInteger BALANCE = BigInteger.valueOf(1000);

    protected final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T05:00:00Z"));

    /** A fresh, empty set of keys whose reservations are made at {@code clock}'s time. */
    protected PaymentKeys newKeys(Clock clock) {
        return new PaymentKeys(new InMemoryPaymentKeyStore(clock));
    }

    /** Keys with alice.near/1 and bob.near/2, each funded with 1,000. */
    private PaymentKeys funded() {
        PaymentKeys keys = newKeys(clock);
        for (PaymentKeys.Id id : List.of(ALICE_1, BOB_2)) {
            keys.init(id, PaymentKeys.keyHash(KEY), List.of(), null);
            keys.completeTopUp(id, PaymentKeys.keyHash(KEY), BALANCE, BALANCE, List.of(), null);
        }
        return keys;
    }

    private PaymentKeyCleanup cleanup(PaymentKeys keys) {
        return new PaymentKeyCleanup(keys, PaymentKeyCleanup.DEFAULT_STALE_THRESHOLD, clock);
    }

    private static void reserve(PaymentKeys keys, PaymentKeys.Id id, long amount) {
        keys.reserve(id, BALANCE, BigInteger.valueOf(amount));
    }

    @Test
    void outLayersDefaultsAreEveryFiveMinutesForReservationsTenMinutesOld() {
        assertThat(PaymentKeyCleanup.DEFAULT_INTERVAL).isEqualTo(Duration.ofMinutes(5));
        assertThat(PaymentKeyCleanup.DEFAULT_STALE_THRESHOLD).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> new PaymentKeyCleanup(funded(), Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReservationNeverSettledIsClearedOnceOlderThanTheThresholdAndTheBalanceComesBack() {
        PaymentKeys keys = funded();
        PaymentKeyCleanup cleanup = cleanup(keys);
        Instant reservedAt = clock.instant();
        reserve(keys, ALICE_1, 300); // its worker dies: no settlement, no release
        assertThat(keys.store().balance(ALICE_1).lastReservedAt()).isEqualTo(reservedAt);
        assertThat(keys.statement(ALICE_1).available()).isEqualTo(700);

        clock.advance(Duration.ofMinutes(10));
        assertThat(cleanup.run())
                .as("exactly 10 minutes old is not older than 10 minutes")
                .isZero();
        assertThat(keys.statement(ALICE_1).reserved()).isEqualTo(300);

        clock.advance(Duration.ofSeconds(1));
        assertThat(cleanup.run()).isEqualTo(1);
        PaymentKeys.Statement after = keys.statement(ALICE_1);
        assertThat(after.reserved()).isZero();
        assertThat(after.spent()).isZero();
        assertThat(after.available()).as("the balance is back").isEqualTo(1000);
        assertThat(keys.store().balance(ALICE_1).lastReservedAt()).isNull();
        assertThat(cleanup.run()).as("nothing left to clear").isZero();
        // the key reserves again as any key does
        reserve(keys, ALICE_1, 1000);
        assertThat(keys.statement(ALICE_1).available()).isZero();
    }

    @Test
    void aKeyWithAFreshReservationKeepsAllOfItAndOnlyTheStaleKeyIsCleared() {
        PaymentKeys keys = funded();
        PaymentKeyCleanup cleanup = cleanup(keys);
        reserve(keys, ALICE_1, 300);
        reserve(keys, BOB_2, 300);
        clock.advance(Duration.ofMinutes(9));
        reserve(keys, BOB_2, 200); // a fresh call on bob's key
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));

        assertThat(cleanup.run()).isEqualTo(1);
        assertThat(keys.statement(ALICE_1).reserved()).isZero();
        assertThat(keys.statement(BOB_2).reserved())
                .as("OutLayer's rule is per key: its last reservation is fresh, so the older one stays too")
                .isEqualTo(500);

        clock.advance(Duration.ofMinutes(9));
        assertThat(cleanup.run()).isEqualTo(1);
        assertThat(keys.statement(BOB_2).reserved()).isZero();
        assertThat(keys.statement(BOB_2).available()).isEqualTo(1000);
    }

    @Test
    void aReleaseCountsAsActivityOnTheKeyASettlementDoesNot() {
        PaymentKeys keys = funded();
        PaymentKeyCleanup cleanup = cleanup(keys);
        reserve(keys, ALICE_1, 100);
        reserve(keys, ALICE_1, 200);
        reserve(keys, BOB_2, 100);
        reserve(keys, BOB_2, 200);
        clock.advance(Duration.ofMinutes(5));
        keys.release(ALICE_1, BigInteger.valueOf(100)); // OutLayer's release_balance sets last_reserved_at
        keys.settle(BOB_2, BigInteger.valueOf(100), BigInteger.valueOf(40), clock.instant()); // finalize_call does not

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(cleanup.run()).isEqualTo(1);
        PaymentKeys.Statement bob = keys.statement(BOB_2);
        assertThat(bob.reserved()).isZero();
        assertThat(bob.spent()).as("what was spent stays spent").isEqualTo(40);
        assertThat(bob.available()).isEqualTo(960);
        assertThat(keys.statement(ALICE_1).reserved())
                .as("released 5 minutes ago")
                .isEqualTo(200);

        clock.advance(Duration.ofMinutes(5));
        assertThat(cleanup.run()).isEqualTo(1);
        assertThat(keys.statement(ALICE_1).available()).isEqualTo(1000);
    }

    @Test
    void aKeyThatHoldsNoReservationIsNotTouchedHoweverOld() {
        PaymentKeys keys = funded();
        PaymentKeyCleanup cleanup = cleanup(keys);
        reserve(keys, ALICE_1, 300);
        keys.settle(ALICE_1, BigInteger.valueOf(300), BigInteger.valueOf(120), clock.instant());
        Instant reservedAt = keys.store().balance(ALICE_1).lastReservedAt();
        clock.advance(Duration.ofDays(1));

        assertThat(cleanup.run()).isZero();
        PaymentKeys.Balance balance = keys.store().balance(ALICE_1);
        assertThat(balance.spent()).isEqualTo(120);
        assertThat(balance.lastReservedAt())
                .as("only a cleared reservation forgets its time")
                .isEqualTo(reservedAt);
        assertThat(keys.statement(BOB_2).available())
                .as("a key that never reserved")
                .isEqualTo(1000);
    }
}

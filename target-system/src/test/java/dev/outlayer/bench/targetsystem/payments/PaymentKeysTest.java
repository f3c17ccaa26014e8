package dev.outlayer.bench.targetsystem.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.executions.ManualClock;
import dev.outlayer.bench.targetsystem.testing.AtOnce;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Payment keys as OutLayer's coordinator keeps them (handlers/call.rs, topup.rs, grant_keys.rs):
 * the header's format, the key checked by its sha256, balance = initial (top-ups) - spent -
 * reserved with reservations that are atomic under concurrency, releases and settlement. Every rule
 * runs on the in-memory store here and on PostgreSQL in {@link PostgresPaymentKeysTest}.
 */
class PaymentKeysTest {
    private static final String KEY = "0123456789abcdef".repeat(4);
    private static final PaymentKeys.Id ALICE_1 = new PaymentKeys.Id("alice.near", 1);

    /** A fresh, empty set of keys (in memory here; subclasses keep them elsewhere). */
    protected PaymentKeys newKeys() {
        return new PaymentKeys();
    }

    /** {@link #newKeys()} recording new keys at {@code clock}'s time. */
    protected PaymentKeys newKeys(Clock clock) {
        return new PaymentKeys(new InMemoryPaymentKeyStore(clock));
    }

    private PaymentKeys funded(long amount) {
        PaymentKeys keys = newKeys();
        assertThat(keys.init(ALICE_1, PaymentKeys.keyHash(KEY), List.of(), null))
                .isTrue();
        keys.completeTopUp(
                ALICE_1,
                PaymentKeys.keyHash(KEY),
                BigInteger.valueOf(amount),
                BigInteger.valueOf(amount),
                List.of(),
                null);
        return keys;
    }

    private static ApiException.Kind kindOf(Runnable action) {
        try {
            action.run();
        } catch (ApiException e) {
            return e.kind();
        }
        throw new AssertionError("no ApiException");
    }

    @Test
    void theHeaderIsOwnerNonceAndSixtyFourHexDigitsInLowerCase() {
        PaymentKeyHeader header = PaymentKeyHeader.parse("alice.near:7:" + KEY.toUpperCase());
        assertThat(header).isEqualTo(new PaymentKeyHeader("alice.near", 7, KEY));
        assertThatThrownBy(() -> PaymentKeyHeader.parse(null))
                .isInstanceOf(ApiException.class)
                .hasMessage("Missing X-Payment-Key header")
                .extracting(e -> ((ApiException) e).kind())
                .isEqualTo(ApiException.Kind.UNAUTHENTICATED);
        assertThatThrownBy(() -> PaymentKeyHeader.parse("alice.near:" + KEY))
                .hasMessage("Invalid X-Payment-Key format: Expected format: owner:nonce:key");
        assertThatThrownBy(() -> PaymentKeyHeader.parse("alice.near:x:" + KEY))
                .hasMessage("Invalid X-Payment-Key format: Invalid nonce");
        assertThatThrownBy(() -> PaymentKeyHeader.parse("alice.near:4294967296:" + KEY))
                .hasMessage("Invalid X-Payment-Key format: Invalid nonce");
        assertThatThrownBy(() -> PaymentKeyHeader.parse(":1:" + KEY))
                .hasMessage("Invalid X-Payment-Key format: Invalid owner");
        assertThatThrownBy(() -> PaymentKeyHeader.parse("alice.near:1:abc"))
                .hasMessage("Invalid X-Payment-Key format: Key must be exactly 64 hex characters (got 3 chars)");
        assertThatThrownBy(() -> PaymentKeyHeader.parse("alice.near:1:" + "g".repeat(64)))
                .hasMessage("Invalid X-Payment-Key format: Key must contain only hex characters (0-9, a-f, A-F)");
    }

    @Test
    void aKeyIsValidOnlyWithTheKeyWhoseSha256IsStoredAndWhileNotDeleted() {
        PaymentKeys keys = funded(1000);
        assertThat(keys.validate(PaymentKeyHeader.parse("alice.near:1:" + KEY)).initialBalance())
                .isEqualTo(1000);
        String other = "f".repeat(64);
        assertThat(kindOf(() -> keys.validate(PaymentKeyHeader.parse("alice.near:1:" + other))))
                .isEqualTo(ApiException.Kind.UNAUTHENTICATED);
        assertThat(kindOf(() -> keys.validate(PaymentKeyHeader.parse("alice.near:2:" + KEY))))
                .isEqualTo(ApiException.Kind.UNAUTHENTICATED);
        assertThat(keys.delete(ALICE_1)).isTrue();
        assertThat(keys.delete(ALICE_1)).isFalse();
        assertThat(kindOf(() -> keys.validate(PaymentKeyHeader.parse("alice.near:1:" + KEY))))
                .isEqualTo(ApiException.Kind.UNAUTHENTICATED);
    }

    @Test
    void topUpsAddToTheBalanceAndInitNeverOverwritesAKnownKey() {
        PaymentKeys keys = funded(1000);
        assertThat(keys.init(ALICE_1, PaymentKeys.keyHash(KEY), List.of("x/y"), "5"))
                .isFalse();
        keys.completeTopUp(
                ALICE_1,
                PaymentKeys.keyHash(KEY),
                BigInteger.valueOf(999_999),
                BigInteger.valueOf(500),
                List.of(),
                null);
        assertThat(keys.statement(ALICE_1).initialBalance()).isEqualTo(1500);
        assertThat(keys.metadata(ALICE_1).orElseThrow().projectIds()).isEmpty();
        assertThat(kindOf(() -> keys.completeTopUp(ALICE_1, "nothex", BigInteger.ONE, BigInteger.ONE, List.of(), null)))
                .isEqualTo(ApiException.Kind.INVALID);
        assertThat(kindOf(() -> keys.completeTopUp(
                        ALICE_1,
                        PaymentKeys.keyHash(KEY),
                        BigInteger.ONE,
                        BigInteger.ONE.shiftLeft(128),
                        List.of(),
                        null)))
                .isEqualTo(ApiException.Kind.INVALID);
        assertThat(keys.statement(ALICE_1).initialBalance())
                .as("refused top-ups change nothing")
                .isEqualTo(1500);
    }

    @Test
    void reservationsNeverExceedTheBalanceUnderConcurrency() throws Exception {
        PaymentKeys keys = funded(500);
        assertThat(reserveTensAtOnce(List.of(keys), 200)).isEqualTo(50);
        PaymentKeys.Statement statement = keys.statement(ALICE_1);
        assertThat(statement.reserved()).isEqualTo(500);
        assertThat(statement.available()).isZero();
    }

    /**
     * {@code attempts} reservations of 10 on alice.near/1 (balance 500), spread over the stores, all
     * let go at once: how many were granted. A refusal must be for want of balance.
     */
    protected static long reserveTensAtOnce(List<PaymentKeys> stores, int attempts) throws Exception {
        return AtOnce.accepted(
                attempts,
                16,
                ApiException.Kind.PAYMENT_REQUIRED,
                i -> () -> stores.get(i % stores.size()).reserve(ALICE_1, BigInteger.valueOf(500), BigInteger.TEN));
    }

    @Test
    void aRefusedReservationSaysWhatIsAvailableAndChangesNothing() {
        PaymentKeys keys = funded(100);
        keys.reserve(ALICE_1, BigInteger.valueOf(100), BigInteger.valueOf(60));
        assertThatThrownBy(() -> keys.reserve(ALICE_1, BigInteger.valueOf(100), BigInteger.valueOf(41)))
                .hasMessage("Insufficient balance: available=40, required=41");
        assertThat(keys.statement(ALICE_1).reserved()).isEqualTo(60);
    }

    @Test
    void settlingReleasesTheReservationAndSpendsTheCostReleasingSpendsNothing() {
        PaymentKeys keys = funded(100);
        keys.reserve(ALICE_1, BigInteger.valueOf(100), BigInteger.valueOf(60));
        keys.settle(ALICE_1, BigInteger.valueOf(60), BigInteger.valueOf(25), Instant.EPOCH);
        keys.reserve(ALICE_1, BigInteger.valueOf(100), BigInteger.valueOf(30));
        keys.release(ALICE_1, BigInteger.valueOf(30));
        PaymentKeys.Statement statement = keys.statement(ALICE_1);
        assertThat(statement.spent()).isEqualTo(25);
        assertThat(statement.reserved()).isZero();
        assertThat(statement.available()).isEqualTo(75);
        assertThat(statement.lastUsedAt()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void grantsFundOnlyUnfundedOrGrantKeys() {
        PaymentKeys keys = newKeys();
        keys.init(ALICE_1, PaymentKeys.keyHash(KEY), List.of(), null);
        assertThat(keys.grant(ALICE_1, BigInteger.valueOf(300))).isEqualTo(300);
        assertThat(keys.grant(ALICE_1, BigInteger.valueOf(200))).isEqualTo(500);
        assertThat(keys.metadata(ALICE_1).orElseThrow().grant()).isTrue();
        PaymentKeys funded = funded(10);
        assertThat(kindOf(() -> funded.grant(ALICE_1, BigInteger.ONE))).isEqualTo(ApiException.Kind.CONFLICT);
        assertThat(kindOf(() -> keys.grant(new PaymentKeys.Id("bob.near", 1), BigInteger.ONE)))
                .isEqualTo(ApiException.Kind.NOT_FOUND);
        assertThat(kindOf(() -> keys.grant(ALICE_1, BigInteger.ZERO))).isEqualTo(ApiException.Kind.INVALID);
    }

    @Test
    void maxPerCallZeroOrEmptyIsUnlimited() {
        PaymentKeys keys = newKeys();
        keys.init(ALICE_1, PaymentKeys.keyHash(KEY), List.of(), "0");
        assertThat(keys.metadata(ALICE_1).orElseThrow().maxPerCallLimit()).isEmpty();
        PaymentKeys.Id bob = new PaymentKeys.Id("bob.near", 3);
        keys.init(bob, PaymentKeys.keyHash(KEY), List.of(), "2500");
        assertThat(keys.metadata(bob).orElseThrow().maxPerCallLimit()).contains(BigInteger.valueOf(2500));
        assertThat(kindOf(() -> keys.init(new PaymentKeys.Id("c.near", 1), PaymentKeys.keyHash(KEY), List.of(), "-1")))
                .isEqualTo(ApiException.Kind.INVALID);
    }

    @Test
    void grantKeysAreListedNewestFirstWithTheirBalancesUntilDeleted() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-21T10:30:00Z"));
        PaymentKeys keys = newKeys(clock);
        PaymentKeys.Id bob = new PaymentKeys.Id("bob.near", 4);
        keys.init(ALICE_1, PaymentKeys.keyHash(KEY), List.of("carol.near/app"), "2500");
        clock.advance(Duration.ofSeconds(1));
        keys.init(bob, PaymentKeys.keyHash(KEY), List.of(), null);
        PaymentKeys.Id userFunded = new PaymentKeys.Id("dave.near", 1);
        keys.init(userFunded, PaymentKeys.keyHash(KEY), List.of(), null);
        keys.completeTopUp(userFunded, PaymentKeys.keyHash(KEY), BigInteger.TEN, BigInteger.TEN, List.of(), null);
        assertThat(keys.grantKeys()).as("no grant yet").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(keys.grant(ALICE_1, "+300")).isEqualTo(300);
        keys.grant(bob, "1000");
        keys.reserve(bob, BigInteger.valueOf(1000), BigInteger.valueOf(100));
        keys.settle(bob, BigInteger.valueOf(100), BigInteger.valueOf(40), Instant.EPOCH);
        keys.reserve(bob, BigInteger.valueOf(1000), BigInteger.valueOf(200));

        List<PaymentKeys.GrantKey> listed = keys.grantKeys();
        assertThat(listed).extracting(PaymentKeys.GrantKey::id).containsExactly(bob, ALICE_1);
        assertThat(listed.get(0)).satisfies(k -> {
            assertThat(k.initialBalance()).isEqualTo(1000);
            assertThat(k.spent()).isEqualTo(40);
            assertThat(k.reserved()).isEqualTo(200);
            assertThat(k.available()).isEqualTo(760);
            assertThat(k.projectIds()).isEmpty();
            assertThat(k.maxPerCall()).isNull();
            assertThat(k.createdAt())
                    .as("when the key was recorded, not granted")
                    .isEqualTo(Instant.parse("2026-01-21T10:30:01Z"));
        });
        assertThat(listed.get(1)).satisfies(k -> {
            assertThat(k.spent()).isZero();
            assertThat(k.available()).isEqualTo(300);
            assertThat(k.projectIds()).containsExactly("carol.near/app");
            assertThat(k.maxPerCall()).isEqualTo("2500");
        });

        assertThat(keys.deleteGrant(userFunded)).as("not a grant").isFalse();
        assertThat(keys.deleteGrant(new PaymentKeys.Id("nobody.near", 1))).isFalse();
        assertThat(keys.metadata(userFunded).orElseThrow().deleted()).isFalse();
        assertThat(keys.deleteGrant(bob)).isTrue();
        assertThat(keys.deleteGrant(bob)).as("already deleted").isFalse();
        assertThat(keys.grantKeys()).extracting(PaymentKeys.GrantKey::id).containsExactly(ALICE_1);
        assertThat(kindOf(() -> keys.validate(new PaymentKeyHeader("bob.near", 4, KEY))))
                .isEqualTo(ApiException.Kind.UNAUTHENTICATED);
        assertThat(kindOf(() -> keys.grant(bob, "1"))).as("a deleted key").isEqualTo(ApiException.Kind.NOT_FOUND);
    }

    @Test
    void aGrantsAmountIsReadAsRustReadsAU128() {
        PaymentKeys keys = newKeys();
        keys.init(ALICE_1, PaymentKeys.keyHash(KEY), List.of(), null);
        for (String bad :
                new String[] {"", "abc", "-1", " 1", "1.5", "1e3", "+", "340282366920938463463374607431768211456"}) {
            assertThatThrownBy(() -> keys.grant(ALICE_1, bad))
                    .as(bad)
                    .isInstanceOf(ApiException.class)
                    .hasMessage("Invalid amount format");
        }
        assertThatThrownBy(() -> keys.grant(ALICE_1, "000"))
                .isInstanceOf(ApiException.class)
                .hasMessage("Amount must be greater than 0");
        assertThat(keys.metadata(ALICE_1).orElseThrow().grant())
                .as("nothing changed")
                .isFalse();
        assertThat(keys.grant(ALICE_1, "0000000000000000000000000000000000000000007"))
                .isEqualTo(7);
    }
}

package dev.outlayer.bench.targetsystem.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.AtOnce;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The in-memory usage rows: newest first in OutLayer's paging, bounded per key while the total
 * counts every call, and recorded from many threads without losing or repeating one.
 */
class InMemoryPaymentKeyUsageTest {
    private static final PaymentKeys.Id KEY = new PaymentKeys.Id("alice.near", 1);
    private final InMemoryPaymentKeyUsage usage = new InMemoryPaymentKeyUsage();

    private static PaymentKeyUsage.Usage row(String callId, long cost) {
        return new PaymentKeyUsage.Usage(
                0, callId, 7L, "bob.near/echo", BigInteger.valueOf(cost), BigInteger.TEN, "completed", Instant.EPOCH);
    }

    @Test
    void rowsAreListedNewestFirstPerKey() {
        usage.record(KEY, row("a", 1));
        usage.record(KEY, row("b", 2));
        usage.record(new PaymentKeys.Id("alice.near", 2), row("c", 3));
        Page<PaymentKeyUsage.Usage> page = usage.of(KEY, new Page.Request(20, 0));
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.items()).extracting(PaymentKeyUsage.Usage::callId).containsExactly("b", "a");
        assertThat(page.items().get(0).id()).isGreaterThan(page.items().get(1).id());
        assertThat(page.items().get(1).computeCost()).isEqualTo(1);
        assertThat(usage.of(KEY, new Page.Request(1, 1)).items())
                .extracting(PaymentKeyUsage.Usage::callId)
                .containsExactly("a");
        assertThat(usage.of(new PaymentKeys.Id("bob.near", 1), new Page.Request(20, 0))
                        .total())
                .isZero();
    }

    @Test
    void aKeyKeepsItsNewestRowsFromManyThreadsAndCountsThemAll() throws Exception {
        for (int i = 0; i < InMemoryPaymentKeyUsage.KEPT; i++) {
            usage.record(KEY, row("old-" + i, 1));
        }
        int calls = InMemoryPaymentKeyUsage.KEPT * 2;
        AtOnce.run(calls, 16, i -> () -> {
            usage.record(KEY, row(UUID.randomUUID().toString(), 1));
            return null;
        });
        assertThat(usage.of(KEY, new Page.Request(1, 0)).total()).isEqualTo(InMemoryPaymentKeyUsage.KEPT + calls);
        Set<String> kept = new HashSet<>();
        for (long offset = 0; offset < InMemoryPaymentKeyUsage.KEPT + calls; offset += 100) {
            usage.of(KEY, new Page.Request(100, offset)).items().forEach(u -> kept.add(u.callId()));
        }
        assertThat(kept).as("as many rows as kept, each once").hasSize(InMemoryPaymentKeyUsage.KEPT);
        assertThat(kept).as("the oldest rows are the ones dropped").noneMatch(id -> id.startsWith("old-"));
    }

    @Test
    void pagingFollowsOutLayer() {
        assertThat(Page.Request.of(null, null, 20)).isEqualTo(new Page.Request(20, 0));
        assertThat(Page.Request.of(500, -3L, 20)).isEqualTo(new Page.Request(100, 0));
        assertThat(Page.Request.of(0, 5L, 50)).isEqualTo(new Page.Request(1, 5));
    }
}

package dev.outlayer.bench.targetsystem.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-process rate windows: 60 s from a window's first call, and expired ones dropped once there are many. */
class InMemoryPaymentKeyRateLimitTest {
    private final AtomicLong now = new AtomicLong();
    private final InMemoryPaymentKeyRateLimit windows = new InMemoryPaymentKeyRateLimit(now::get);

    @Test
    void aWindowCountsItsCallsFor60SecondsFromItsFirst() {
        PaymentKeys.Id key = new PaymentKeys.Id("alice.near", 1);
        assertThat(windows.count(key)).isEqualTo(1);
        now.addAndGet(PaymentKeyRateLimit.WINDOW_NANOS - 1);
        assertThat(windows.count(key)).isEqualTo(2);
        assertThat(windows.count(new PaymentKeys.Id("alice.near", 2))).isEqualTo(1);
        now.addAndGet(1);
        assertThat(windows.count(key)).as("a new window").isEqualTo(1);
    }

    @Test
    void windowsOfAnyOwnerAndNonceExpireOnceThereAreMany() {
        for (int i = 0; i < InMemoryPaymentKeyRateLimit.MAX_WINDOWS; i++) {
            windows.count(new PaymentKeys.Id("nobody" + i + ".near", 1));
        }
        assertThat(windows.windows()).isEqualTo(InMemoryPaymentKeyRateLimit.MAX_WINDOWS);
        now.addAndGet(PaymentKeyRateLimit.WINDOW_NANOS);
        windows.count(new PaymentKeys.Id("late.near", 1));
        assertThat(windows.windows()).as("the expired windows are gone").isEqualTo(1);
    }
}

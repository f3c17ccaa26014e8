package dev.outlayer.bench.targetsystem.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.HangGuard;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThrottleTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void admitsExactlyTheBurstAtOnceThenRejectsWithAComputedWait() {
        try (Throttle throttle = new ThrottleFixture(dir).throttle(0)) {
            int admitted = 0;
            Decision rejected = null;
            for (int i = 0; i < 11; i++) {
                Decision d = throttle.decide("key-wide", LOOPBACK);
                if (d.admitted()) {
                    admitted++;
                    d.release();
                } else {
                    rejected = d;
                }
            }
            assertThat(admitted).isEqualTo(10);
            assertThat(rejected).isNotNull();
            assertThat(rejected.outcome()).isEqualTo(Decision.Outcome.REJECTED_RATE);
            assertThat(rejected.reason()).isEqualTo("rate");
            // 100 rps: the next token is at most 10 ms away, and Retry-After never says 0.
            assertThat(rejected.waitMillis()).isBetween(1L, 10L);
            assertThat(rejected.retryAfterSeconds()).isEqualTo(1);
            assertThat(rejected.remaining()).isZero();
        }
    }

    @Test
    void aStoreThatFailsUnexpectedlyFailsClosedWithoutTellingTheClientItsInternals() {
        // A store's own failures arrive as StoreUnavailableException, worded for clients; anything else is
        // a bug, whose class and message belong in the log only.
        RateLimitStore broken = new RateLimitStore() {
            @Override
            public ConsumptionProbe tryConsume(ClientState client) {
                throw new IllegalStateException("bucket row 17 corrupt at /var/lib/store");
            }

            @Override
            public long available(ClientState client) {
                return 0;
            }

            @Override
            public Object health() {
                return "broken";
            }
        };
        ThrottleFixture fixture = new ThrottleFixture(dir);
        try (Throttle throttle =
                new Throttle(fixture.tiers, fixture.keys, new SimpleMeterRegistry(), broken, 100_000, 0)) {
            Decision sync = throttle.decide("key-a", LOOPBACK);
            Decision async = throttle.decideAsync("key-a", LOOPBACK).join();
            for (Decision decision : List.of(sync, async)) {
                assertThat(decision.outcome()).isEqualTo(Decision.Outcome.STORE_UNAVAILABLE);
                assertThat(decision.detail())
                        .isEqualTo("rate-limit store failed; the coordinator's log says why")
                        .doesNotContain("IllegalStateException", "corrupt");
            }
        }
    }

    @Test
    void retryAfterFollowsTheBucketNotAConstant() throws Exception {
        String slowTier = "tier,rate_per_second,burst,max_in_flight\nanonymous,5,10,4\nslow,1,1,10\n";
        ThrottleFixture fixture = new ThrottleFixture(dir, slowTier, "api_key,tier,owner\nk,slow,o\n");
        // On the clock the test moves, so the wait is exact however long the machine takes between calls.
        FakeClock clock = new FakeClock();
        try (Throttle throttle = fixture.throttle(0, clock)) {
            throttle.decide("k", LOOPBACK).release();
            Decision rejected = throttle.decide("k", LOOPBACK);
            assertThat(rejected.admitted()).isFalse();
            assertThat(rejected.waitMillis()).isEqualTo(1000L);
            assertThat(rejected.retryAfterSeconds()).isEqualTo(1);
            clock.advance(250_000_000L);
            Decision later = throttle.decide("k", LOOPBACK);
            assertThat(later.admitted()).isFalse();
            assertThat(later.waitMillis()).isEqualTo(750L);
            assertThat(later.retryAfterSeconds()).isEqualTo(1);
        }
    }

    @Test
    void keysAndAddressesHaveTheirOwnBuckets() throws Exception {
        try (Throttle throttle = new ThrottleFixture(dir).throttle(0)) {
            for (int i = 0; i < 40; i++) {
                throttle.decide("key-a", LOOPBACK).release();
            }
            assertThat(throttle.decide("key-a", LOOPBACK).admitted()).isFalse();
            assertThat(throttle.decide("key-b", LOOPBACK).admitted()).isTrue();
            assertThat(throttle.decide(null, LOOPBACK).admitted()).isTrue();
            InetAddress other = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
            for (int i = 0; i < 9; i++) {
                throttle.decide(null, LOOPBACK).release();
            }
            assertThat(throttle.decide(null, LOOPBACK).admitted()).isFalse();
            assertThat(throttle.decide(null, other).admitted()).isTrue();
        }
    }

    @Test
    void unknownKeysAreRefusedWithoutHoldingState() {
        try (Throttle throttle = new ThrottleFixture(dir).throttle(0)) {
            for (int i = 0; i < 10_000; i++) {
                assertThat(throttle.decide("bogus-" + i, LOOPBACK).outcome()).isEqualTo(Decision.Outcome.UNKNOWN_KEY);
            }
            assertThat(throttle.clientCount()).isZero();
        }
    }

    @Test
    void idleClientsExpireSoAFloodOfAddressesCannotGrowMemory() throws Exception {
        String fastRefill = "tier,rate_per_second,burst,max_in_flight\nanonymous,1000,1,4\n";
        ThrottleFixture fixture = new ThrottleFixture(dir, fastRefill, "api_key,tier,owner\n");
        try (Throttle throttle = fixture.throttle(0)) {
            for (int i = 0; i < 5_000; i++) {
                throttle.decide(
                                null,
                                InetAddress.getByAddress(ByteBuffer.allocate(4)
                                        .putInt(0x0A000000 + i)
                                        .array()))
                        .release();
            }
            assertThat(throttle.clientCount()).isGreaterThan(0);
            // A full bucket refills in 1 ms here; well after that every idle entry is gone.
            HangGuard.until(() -> throttle.clientCount() == 0);
            assertThat(throttle.clientCount()).isZero();
        }
    }

    @Test
    void capsRequestsInFlightPerClientWithoutSpendingTokens() {
        try (Throttle throttle = new ThrottleFixture(dir).throttle(0)) {
            List<Decision> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Decision d = throttle.decide(null, LOOPBACK);
                assertThat(d.admitted()).isTrue();
                held.add(d);
            }
            Decision fifth = throttle.decide(null, LOOPBACK);
            assertThat(fifth.outcome()).isEqualTo(Decision.Outcome.REJECTED_CONCURRENCY);
            assertThat(fifth.reason()).isEqualTo("concurrency");
            assertThat(fifth.remaining()).isEqualTo(6);
            assertThat(throttle.tierMetrics().get("anonymous"))
                    .extracting("in_flight")
                    .isEqualTo(4);
            held.forEach(Decision::release);
            assertThat(throttle.decide(null, LOOPBACK).admitted()).isTrue();
            assertThat(throttle.tierMetrics().get("anonymous"))
                    .extracting("rejected_concurrency")
                    .isEqualTo(1L);
        }
    }

    @Test
    void reloadsTiersAndKeysWithoutRestart() throws Exception {
        ThrottleFixture fixture = new ThrottleFixture(dir);
        try (Throttle throttle = fixture.throttle(0)) {
            assertThat(throttle.decide("key-new", LOOPBACK).outcome()).isEqualTo(Decision.Outcome.UNKNOWN_KEY);
            for (int i = 0; i < 40; i++) {
                throttle.decide("key-a", LOOPBACK).release();
            }
            assertThat(throttle.decide("key-a", LOOPBACK).admitted()).isFalse();

            ThrottleFixture.write(
                    fixture.tiers,
                    ThrottleFixture.TIERS.replace("standard,20,40,8", "standard,20,40,8\npremium,1000,500,50"));
            ThrottleFixture.write(
                    fixture.keys,
                    ThrottleFixture.KEYS.replace("key-a,standard", "key-a,premium")
                            + "key-new,standard,dave.test.near\n");
            bumpModifiedTime(fixture.tiers);
            bumpModifiedTime(fixture.keys);
            assertThat(throttle.reloadIfChanged()).isTrue();

            assertThat(throttle.decide("key-new", LOOPBACK).admitted()).isTrue();
            Decision upgraded = throttle.decide("key-a", LOOPBACK);
            assertThat(upgraded.tier().name()).isEqualTo("premium");
            assertThat(throttle.ownerOf("key-new")).isEqualTo("dave.test.near");

            // A broken file keeps the last good configuration serving.
            ThrottleFixture.write(
                    fixture.tiers, "tier,rate_per_second,burst,max_in_flight\nanonymous,notanumber,1,1\n");
            bumpModifiedTime(fixture.tiers);
            assertThat(throttle.reloadIfChanged()).isFalse();
            assertThat(throttle.config().tiers()).containsKey("premium");
        }
    }

    @Test
    void aReloadWithoutTheKeyedTierOfOutlayerKeyingIsRefusedAndKeyedCallsGoOn() throws Exception {
        ThrottleFixture fixture = new ThrottleFixture(dir);
        try (Throttle throttle = new Throttle(
                fixture.tiers,
                fixture.keys,
                new SimpleMeterRegistry(),
                new LocalRateLimitStore(),
                100_000,
                0,
                ThrottleKeying.OUTLAYER,
                "standard")) {
            ThrottleFixture.write(fixture.tiers, ThrottleFixture.TIERS.replace("standard,", "pro,"));
            ThrottleFixture.write(fixture.keys, ThrottleFixture.KEYS.replace(",standard,", ",pro,"));
            bumpModifiedTime(fixture.tiers);
            bumpModifiedTime(fixture.keys);
            assertThat(throttle.reloadIfChanged()).as("refused as at start").isFalse();
            assertThat(throttle.config().tiers()).containsKey("standard");
            Decision keyed = throttle.decideShared("/near-rpc", true);
            assertThat(keyed.tier().name()).isEqualTo("standard");
            keyed.release();
        }
    }

    /**
     * The bucket4j-style check: many threads on one key never get more than the bucket allows.
     * The bound uses the time actually elapsed up to the last decision, so a descheduled thread
     * on a busy machine cannot make the test flaky in either direction.
     */
    @Test
    void eightThreadsOnOneKeyNeverOverAdmit() throws Exception {
        try (Throttle throttle = new ThrottleFixture(dir).throttle(0)) {
            AtomicLong admitted = new AtomicLong();
            AtomicLong lastDecision = new AtomicLong();
            long runNanos = 3_000_000_000L;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            long[] window = new long[2];
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    while (System.nanoTime() < window[1]) {
                        Decision d = throttle.decide("key-a", LOOPBACK);
                        lastDecision.accumulateAndGet(System.nanoTime(), Math::max);
                        if (d.admitted()) {
                            admitted.incrementAndGet();
                            d.release();
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            window[0] = System.nanoTime();
            window[1] = window[0] + runNanos;
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            // burst 40, 20 rps: the bucket is created at the first decision, after window[0].
            double seconds = (lastDecision.get() - window[0]) / 1e9;
            long allowed = (long) Math.floor(40 + 20 * seconds) + 1;
            long expectedAtLeast = (long) (0.9 * (40 + 20 * (runNanos / 1e9) + 1));
            assertThat(admitted.get()).isLessThanOrEqualTo(allowed).isGreaterThanOrEqualTo(expectedAtLeast);
        }
    }

    /**
     * Buckets refill by the monotonic clock and nothing else. On bucket4j's default, the wall
     * clock, a step of the system time (this VM's clock is resynced after a pause, e.g. a snapshot)
     * refilled rate x the step for time that never passed: BurstCapacitySimulation measured 37.3 s
     * for 200 anonymous calls that cannot take less than (200 - 10) / 5 = 38 s. Here the throttle's
     * clock stands still while eight threads hammer one client for real time, so exactly the burst
     * is admitted, then exactly what each advance of the clock refills; on the wall clock the real
     * time spent would have refilled about one more token per 200 ms.
     */
    @Test
    void bucketsRefillByTheMonotonicClockOnly() throws Exception {
        assertThat(ClientState.CLOCK.isWallClockBased()).isFalse();
        FakeClock clock = new FakeClock();
        try (Throttle throttle = new ThrottleFixture(dir).throttle(0, clock)) {
            // anonymous: 5 rps, burst 10, 4 in flight
            assertThat(hammerAnonymous(throttle)).isEqualTo(10);
            clock.advance(1_000_000_000L);
            assertThat(hammerAnonymous(throttle)).isEqualTo(5);
            clock.advance(60_000_000_000L);
            assertThat(hammerAnonymous(throttle)).isEqualTo(10);
        }
    }

    /**
     * Eight threads deciding anonymous calls for at least 300 ms of real time and until the bucket
     * refused 50 for the rate; returns how many were admitted.
     */
    private static long hammerAnonymous(Throttle throttle) throws InterruptedException {
        AtomicLong admitted = new AtomicLong();
        AtomicLong refusedForRate = new AtomicLong();
        long deadline = System.nanoTime() + 300_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < deadline || refusedForRate.get() < 50) {
                    Decision d = throttle.decide(null, LOOPBACK);
                    if (d.admitted()) {
                        admitted.incrementAndGet();
                        d.release();
                    } else if (d.outcome() == Decision.Outcome.REJECTED_RATE) {
                        refusedForRate.incrementAndGet();
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return admitted.get();
    }

    private static void bumpModifiedTime(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5 + (long) (Math.random() * 100))));
    }
}

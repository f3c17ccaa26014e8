package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CallSchedulerTest {
    @Test
    void aFullQueueRefusesWithAClearMessageAndRecovers() throws Exception {
        try (CallScheduler scheduler = new CallScheduler(1, 2, 10_000)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(2);
            Runnable blocked = () -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            };
            scheduler.submit("a.test.near", blocked);
            scheduler.submit("b.test.near", blocked);
            assertThatThrownBy(() -> scheduler.submit("c.test.near", () -> {}))
                    .isInstanceOf(CallScheduler.OverloadedException.class)
                    .hasMessageContaining("queue is full");
            release.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            CountDownLatch after = new CountDownLatch(1);
            for (int i = 0; i < 50 && after.getCount() > 0; i++) {
                try {
                    scheduler.submit("c.test.near", after::countDown);
                } catch (CallScheduler.OverloadedException stillDraining) {
                    Thread.sleep(20);
                }
            }
            assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void oneAccountRunsInOrderWhileOthersRunBesideIt() throws Exception {
        try (CallScheduler scheduler = new CallScheduler(2, 100, 10_000)) {
            List<Integer> order = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(20);
            for (int i = 0; i < 20; i++) {
                int n = i;
                scheduler.submit("hot.test.near", () -> {
                    order.add(n);
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(order).isSorted().hasSize(20);
        }
    }
}

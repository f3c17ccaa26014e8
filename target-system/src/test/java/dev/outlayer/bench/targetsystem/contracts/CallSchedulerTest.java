package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.testing.LeakGuard;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class CallSchedulerTest {
    @Test
    void closeReturnsOnceItsWorkersAndWatchdogHaveEnded() throws Exception {
        LeakGuard.Snapshot before = LeakGuard.Snapshot.take();
        CallScheduler scheduler = new CallScheduler(2, 10, 10_000);
        CountDownLatch started = new CountDownLatch(2);
        List<Thread> workers = new CopyOnWriteArrayList<>();
        for (String account : List.of("a.test.near", "b.test.near")) {
            scheduler.submit(account, () -> {
                workers.add(Thread.currentThread());
                started.countDown();
                // A call that notices the interrupt at its next check and takes a while to unwind.
                while (!Thread.interrupted()) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            });
        }
        assertThat(started.await(HangGuard.BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        scheduler.close();

        assertThat(workers).as("the running calls' workers").noneMatch(Thread::isAlive);
        assertThat(before.runningNow())
                .as("threads of the scheduler still alive when close() returned")
                .noneMatch(name -> name.startsWith("contract-worker-") || name.equals("contract-watchdog"));
    }

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

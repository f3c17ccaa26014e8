package dev.outlayer.bench.targetsystem.threads;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.HangGuard;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** A component's close returns once its threads have ended, not once they were asked to. */
class OwnedThreadsTest {
    /** How long a task still runs after its interrupt: a call noticing the flag at its next check, then unwinding. */
    private static final long UNWIND_MILLIS = 100;

    /** Runs until interrupted, then takes {@link #UNWIND_MILLIS} more; records its thread. */
    private static Runnable endingAfterItsInterrupt(AtomicReference<Thread> ranOn, CountDownLatch started) {
        return () -> {
            ranOn.set(Thread.currentThread());
            started.countDown();
            while (!Thread.interrupted()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            try {
                Thread.sleep(UNWIND_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void stopNowReturnsOnceTheRunningTaskHasEndedAfterItsInterrupt() throws Exception {
        OwnedThreads threads = OwnedThreads.numbered("owned-test");
        ExecutorService executor = Executors.newFixedThreadPool(2, threads);
        AtomicReference<Thread> first = new AtomicReference<>();
        AtomicReference<Thread> second = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(2);
        executor.execute(endingAfterItsInterrupt(first, started));
        executor.execute(endingAfterItsInterrupt(second, started));
        assertThat(started.await(HangGuard.BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        assertThat(threads.stopNow(executor)).isTrue();

        assertThat(first.get().isAlive()).as("ended before stopNow returned").isFalse();
        assertThat(second.get().isAlive()).as("ended before stopNow returned").isFalse();
        assertThat(List.of(first.get().getName(), second.get().getName()))
                .containsExactlyInAnyOrder("owned-test-1", "owned-test-2");
        assertThat(first.get().isDaemon()).isTrue();
    }

    @Test
    void finishThenStopLetsTheQueuedTasksRunFirst() {
        OwnedThreads threads = OwnedThreads.named("owned-test-writer");
        ExecutorService executor = Executors.newSingleThreadExecutor(threads);
        List<String> ran = new CopyOnWriteArrayList<>();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        executor.execute(() -> {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(UNWIND_MILLIS));
            ran.add("first");
        });
        executor.execute(() -> {
            ranOn.set(Thread.currentThread());
            ran.add("second");
        });

        assertThat(threads.finishThenStop(executor, HangGuard.BOUND)).isTrue();

        assertThat(ran).containsExactly("first", "second");
        assertThat(ranOn.get().getName()).isEqualTo("owned-test-writer");
        assertThat(ranOn.get().isAlive()).isFalse();
    }

    @Test
    void theCallersInterruptDoesNotCutTheWaitShortAndIsKept() throws Exception {
        OwnedThreads threads = OwnedThreads.named("owned-test-interrupted");
        ExecutorService executor = Executors.newSingleThreadExecutor(threads);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        executor.execute(endingAfterItsInterrupt(ranOn, started));
        assertThat(started.await(HangGuard.BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();

        Thread.currentThread().interrupt();
        boolean ended = threads.stopNow(executor);

        assertThat(Thread.interrupted()).as("the flag is set again").isTrue();
        assertThat(ended).isTrue();
        assertThat(ranOn.get().isAlive()).isFalse();
    }

    @Test
    void aThreadAnInterruptDoesNotReachIsLeftBehindAfterTheBound() throws Exception {
        OwnedThreads threads = OwnedThreads.named("owned-test-stuck");
        ExecutorService executor = Executors.newSingleThreadExecutor(threads);
        AtomicBoolean release = new AtomicBoolean();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        executor.execute(() -> {
            ranOn.set(Thread.currentThread());
            started.countDown();
            while (!release.get()) { // as a call blocked in I/O an interrupt does not end
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        });
        assertThat(started.await(HangGuard.BOUND_SECONDS, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(threads.stopNow(executor, Duration.ofMillis(50)))
                    .as("returns rather than hang")
                    .isFalse();
            assertThat(ranOn.get().isAlive()).isTrue();
        } finally {
            release.set(true);
        }
        ranOn.get().join(HangGuard.BOUND.toMillis());
        assertThat(ranOn.get().isAlive()).isFalse();
    }
}

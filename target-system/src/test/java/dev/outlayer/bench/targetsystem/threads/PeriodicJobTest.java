package dev.outlayer.bench.targetsystem.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's background jobs run as OutLayer's loops do: pass after pass on their own thread, a
 * failing pass logged and the next one run anyway; an interval of 0 is off; close ends the thread.
 */
class PeriodicJobTest {
    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void passesRunOneAfterAnotherOnTheJobsThreadAFailingPassStopsNothingAndCloseEndsTheThread() throws Exception {
        CountDownLatch threePasses = new CountDownLatch(3);
        AtomicInteger passes = new AtomicInteger();
        List<String> threads = new CopyOnWriteArrayList<>();
        PeriodicJob job = PeriodicJob.every("periodic-job-test", Duration.ofMillis(5), () -> {
            threads.add(Thread.currentThread().getName());
            threePasses.countDown();
            if (passes.incrementAndGet() == 1) {
                throw new IllegalStateException("the database is down for a while");
            }
        });
        try {
            assertThat(job.running()).isTrue();
            assertThat(threePasses.await(30, TimeUnit.SECONDS))
                    .as("the passes after a failed one still run")
                    .isTrue();
        } finally {
            job.close();
        }
        assertThat(threads).containsOnly("periodic-job-test");
        assertThat(job.running()).isFalse();
        assertThat(threadNamed("periodic-job-test"))
                .as("close returns once the thread ended")
                .isFalse();
        job.close(); // a second close is harmless
    }

    @Test
    void anIntervalOfZeroIsOffAndANegativeOneIsRefused() {
        AtomicInteger passes = new AtomicInteger();
        try (PeriodicJob off = PeriodicJob.every("periodic-job-off", Duration.ZERO, passes::incrementAndGet)) {
            assertThat(off.running()).isFalse();
            assertThat(threadNamed("periodic-job-off"))
                    .as("no thread is started")
                    .isFalse();
        }
        assertThat(passes).hasValue(0);
        assertThatThrownBy(() -> PeriodicJob.every("periodic-job-negative", Duration.ofSeconds(-1), () -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
    }
}

package dev.outlayer.bench.targetsystem.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs many tasks on many threads, all let go at the same moment, for the tests of what must hold
 * under concurrency (a balance never overspent, a limit never passed, a row never lost).
 */
public final class AtOnce {
    private AtOnce() {}

    /** {@code count} tasks ({@code task} of their index) on {@code threads} threads: their results, in index order. */
    public static <T> List<T> run(int count, int threads, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<T> work = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** One attempt at something that may be refused. */
    @FunctionalInterface
    public interface Attempt {
        void run() throws Exception;
    }

    /**
     * {@code count} attempts ({@code attempt} of their index) on {@code threads} threads, all let go
     * at once: how many went through. Every other one must have been refused as {@code refusal}.
     */
    public static long accepted(int count, int threads, ApiException.Kind refusal, IntFunction<Attempt> attempt)
            throws Exception {
        return run(count, threads, i -> {
                    Attempt work = attempt.apply(i);
                    return () -> {
                        try {
                            work.run();
                            return true;
                        } catch (ApiException e) {
                            assertThat(e.kind()).isEqualTo(refusal);
                            return false;
                        }
                    };
                })
                .stream()
                .filter(through -> through)
                .count();
    }
}

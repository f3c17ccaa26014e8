package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds the heap held by contracts between the start of their deploy and the arrival of their
 * compiled code. Until then a contract keeps its parsed, instrumented module (Chicory's objects:
 * about 64 bytes of heap per byte of code, 13 MiB for 213 KiB) for the interpreter, and a deploy
 * builds two such modules on the way. Deploys of new code faster than the compiler keeps up
 * (a compile takes several deploys' time) would otherwise fill the heap; here a deploy waits
 * until contracts ahead of it are compiled, as a deploy in nearcore takes its compile's time; a
 * deploy over HTTP waits a bounded time, then gets 503 with a Retry-After.
 */
final class CompileBudget {
    /** Heap a deploy may hold per byte of code, parse to compiled code (measured: 64 kept, more on the way). */
    static final long HEAP_PER_CODE_BYTE = 128;

    /** The budget's unit: permits of a fair semaphore (first come, first served). */
    private static final long UNIT = 64 * 1024;

    private final int capacity;
    private final Semaphore permits;

    CompileBudget(long bytes) {
        this.capacity = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / UNIT));
        this.permits = new Semaphore(capacity, true);
    }

    /** Half the JVM's heap. */
    static CompileBudget ofHeap() {
        return new CompileBudget(Runtime.getRuntime().maxMemory() / 2);
    }

    /** What one deploy holds; {@link #release} is idempotent. */
    final class Reservation {
        private final int units;
        private final AtomicBoolean released = new AtomicBoolean();

        private Reservation(int units) {
            this.units = units;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                permits.release(units);
            }
        }
    }

    /**
     * Reserves the heap a deploy of {@code codeBytes} holds, waiting (in arrival order) while other
     * deploys and compilations hold the rest; a contract larger than the whole budget waits until
     * it is alone.
     */
    Reservation reserve(int codeBytes) {
        return reserve(codeBytes, Long.MAX_VALUE);
    }

    /** As {@link #reserve(int)}, waiting at most {@code maxWaitMillis}; then 503 with a Retry-After. */
    Reservation reserve(int codeBytes, long maxWaitMillis) {
        int units = (int) Math.min(capacity, Math.max(1, codeBytes * HEAP_PER_CODE_BYTE / UNIT));
        try {
            if (!permits.tryAcquire(units, maxWaitMillis, TimeUnit.MILLISECONDS)) {
                throw new ApiException(
                        ApiException.Kind.UNAVAILABLE,
                        "the contract compiler is busy with earlier deploys of new code; retry the deploy later",
                        Math.max(1, TimeUnit.MILLISECONDS.toSeconds(maxWaitMillis)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.Kind.UNAVAILABLE, "interrupted while waiting to compile", 1);
        }
        return new Reservation(units);
    }

    /** Bytes reserved now (for tests), in whole units of 64 KiB. */
    long reserved() {
        return (capacity - permits.availablePermits()) * UNIT;
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the heap held by contracts between the start of their deploy and the arrival of their
 * compiled code in the background. Until then a contract keeps its parsed, instrumented module
 * (Chicory's objects: about 64 bytes of heap per byte of code, 13 MiB for 213 KiB) for the
 * interpreter, and a deploy builds two such modules on the way. Deploys of new code faster than the
 * background compiler (a compile takes several deploys' time) would otherwise pile those up until
 * the heap runs out; a deploy that finds no share left compiles its own code instead
 * ({@code ContractCompiler}), so it never waits for others and holds nothing once it returns.
 */
final class CompileBudget {
    /** Heap a deploy may hold per byte of code, parse to compiled code (measured: 64 kept, more on the way). */
    static final long HEAP_PER_CODE_BYTE = 128;

    private final long capacity;
    private final AtomicLong reserved = new AtomicLong();

    CompileBudget(long capacity) {
        this.capacity = capacity;
    }

    /** A quarter of the JVM's heap (deploys compiling their own code need room besides). */
    static CompileBudget ofHeap() {
        return new CompileBudget(Runtime.getRuntime().maxMemory() / 4);
    }

    /** What one deploy holds; {@link #release} is idempotent. */
    final class Reservation {
        private final long bytes;
        private final AtomicBoolean released = new AtomicBoolean();

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                reserved.addAndGet(-bytes);
            }
        }
    }

    /** The heap a deploy of {@code codeBytes} holds until its compiled code arrives, or null if it does not fit now. */
    Reservation tryReserve(int codeBytes) {
        long bytes = codeBytes * HEAP_PER_CODE_BYTE;
        while (true) {
            long now = reserved.get();
            if (now + bytes > capacity) {
                return null;
            }
            if (reserved.compareAndSet(now, now + bytes)) {
                return new Reservation(bytes);
            }
        }
    }

    /** Bytes reserved now (for tests). */
    long reserved() {
        return reserved.get();
    }
}

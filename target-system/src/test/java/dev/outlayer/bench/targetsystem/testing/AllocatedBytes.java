package dev.outlayer.bench.targetsystem.testing;

import java.lang.management.ManagementFactory;

/**
 * Bytes the JVM's threads have allocated so far, for tests that bound what a call allocates.
 * Java 17's API: {@code getTotalThreadAllocatedBytes} came with Java 21 (Debian's 17 has it as a
 * backport, which a compiler of another JDK with {@code --release 17} refuses). The sum is over the
 * threads alive when it is read: a thread that ends between two readings takes its bytes with it,
 * so the threads measured must outlive the call (the emulator's process and worker threads do).
 */
public final class AllocatedBytes {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocatedBytes() {}

    /** What the live threads have allocated in total; a thread the JVM cannot measure counts 0. */
    public static long byLiveThreads() {
        long total = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            total += Math.max(bytes, 0);
        }
        return total;
    }
}

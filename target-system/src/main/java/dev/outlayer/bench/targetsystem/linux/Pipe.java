package dev.outlayer.bench.targetsystem.linux;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded byte pipe between two processes, with Linux semantics: a writer blocks while the
 * buffer is full (back-pressure), a reader blocks while it is empty, EOF once every writer
 * closed, EPIPE for a writer once the reader closed. Capacity defaults to Linux's 64 KiB.
 */
final class Pipe {
    static final int DEFAULT_CAPACITY = 64 * 1024;

    private final byte[] buffer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private int head;
    private int size;
    private boolean writerClosed;
    private boolean readerClosed;

    Pipe(int capacity) {
        this.buffer = new byte[capacity];
    }

    /** Blocks until at least one byte is written; returns how many. */
    int write(byte[] from, int offset, int count) {
        if (count == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (size == buffer.length && !readerClosed) {
                awaitInterruptibly(notFull);
            }
            if (readerClosed) {
                throw new SyscallError(Errno.PIPE);
            }
            int n = Math.min(count, buffer.length - size);
            int tail = (head + size) % buffer.length;
            int first = Math.min(n, buffer.length - tail);
            System.arraycopy(from, offset, buffer, tail, first);
            System.arraycopy(from, offset + first, buffer, 0, n - first);
            size += n;
            notEmpty.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until data or EOF; returns 0 at EOF. */
    int read(byte[] into, int offset, int count) {
        if (count == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (size == 0 && !writerClosed) {
                awaitInterruptibly(notEmpty);
            }
            int n = Math.min(count, size);
            int first = Math.min(n, buffer.length - head);
            System.arraycopy(buffer, head, into, offset, first);
            System.arraycopy(buffer, 0, into, offset + first, n - first);
            head = (head + n) % buffer.length;
            size -= n;
            notFull.signalAll();
            return n;
        } finally {
            lock.unlock();
        }
    }

    int available() {
        lock.lock();
        try {
            return size > 0 || writerClosed ? Math.max(size, 1) : 0;
        } finally {
            lock.unlock();
        }
    }

    void closeWriter() {
        lock.lock();
        try {
            writerClosed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void closeReader() {
        lock.lock();
        try {
            readerClosed = true;
            size = 0;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A process killed for its wall-time limit is interrupted; it must not stay parked here. */
    private static void awaitInterruptibly(Condition condition) {
        try {
            condition.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessKilled(ProcessKilled.Reason.WALL_TIME);
        }
    }

    Descriptor readEnd() {
        return new Descriptor() {
            @Override
            int fileType() {
                return FileType.UNKNOWN;
            }

            @Override
            boolean readsStream() {
                return true;
            }

            @Override
            int read(byte[] into, int offset, int count) {
                return Pipe.this.read(into, offset, count);
            }

            @Override
            long readableBytes() {
                return available();
            }

            @Override
            void close() {
                closeReader();
            }
        };
    }

    Descriptor writeEnd() {
        return new Descriptor() {
            @Override
            int fileType() {
                return FileType.UNKNOWN;
            }

            @Override
            int write(byte[] from, int offset, int count) {
                return Pipe.this.write(from, offset, count);
            }

            @Override
            void close() {
                closeWriter();
            }
        };
    }
}

package dev.outlayer.bench.targetsystem.linux;

/**
 * An open file description in a process's fd table: a stream (stdin, captured output, pipe end),
 * a regular file or a directory. Operations a kind does not support fail with the errno Linux
 * would give.
 */
abstract class Descriptor {
    /** WASI fdflags: append 1, dsync 2, nonblock 4, rsync 8, sync 16. */
    int fdFlags;

    abstract int fileType();

    /** Reads up to {@code count} bytes; 0 means end of file. Pipes block until data or EOF. */
    int read(byte[] into, int offset, int count) {
        throw new SyscallError(Errno.BADF);
    }

    int write(byte[] from, int offset, int count) {
        throw new SyscallError(Errno.BADF);
    }

    int pread(byte[] into, int offset, int count, long position) {
        throw new SyscallError(Errno.SPIPE);
    }

    int pwrite(byte[] from, int offset, int count, long position) {
        throw new SyscallError(Errno.SPIPE);
    }

    long seek(long offset, int whence) {
        throw new SyscallError(Errno.SPIPE);
    }

    /** Of a stream: whether it is read (stdin, a pipe's read end) rather than written. */
    boolean readsStream() {
        return false;
    }

    /** The node behind this descriptor for fstat, or null for streams. */
    FsNode node() {
        return null;
    }

    /** Bytes a reader could take without blocking (poll_oneoff); streams with data or EOF say > 0. */
    long readableBytes() {
        return 1;
    }

    void close() {}
}

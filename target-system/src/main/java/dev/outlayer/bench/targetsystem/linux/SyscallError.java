package dev.outlayer.bench.targetsystem.linux;

/** A syscall failed with a WASI errno; the syscall table turns it into the return value. */
final class SyscallError extends RuntimeException {
    final int errno;

    SyscallError(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }
}

package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.errors.ApiException;

/** An uploaded module the kernel cannot run; the message says why. */
public final class InvalidProgram extends ApiException {
    public InvalidProgram(String message) {
        super(Kind.INVALID, message);
    }
}

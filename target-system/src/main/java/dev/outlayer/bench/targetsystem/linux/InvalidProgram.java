package dev.outlayer.bench.targetsystem.linux;

/** An uploaded module the kernel cannot run; the message says why (the API answers 400). */
public final class InvalidProgram extends RuntimeException {
    public InvalidProgram(String message) {
        super(message);
    }
}

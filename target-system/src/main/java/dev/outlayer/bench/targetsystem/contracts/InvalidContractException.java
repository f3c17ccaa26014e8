package dev.outlayer.bench.targetsystem.contracts;

/** A deploy refused: the bytes are not a contract this simulator (or NEAR) would run. */
public final class InvalidContractException extends RuntimeException {
    public InvalidContractException(String message) {
        super(message);
    }

    public InvalidContractException(String message, Throwable cause) {
        super(message, cause);
    }
}

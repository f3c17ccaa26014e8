package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.errors.ApiException;

/** A deploy refused: the bytes are not a contract this simulator (or NEAR) would run. The message says why. */
public final class InvalidContractException extends ApiException {
    public InvalidContractException(String message) {
        super(Kind.INVALID, message);
    }
}

package dev.outlayer.bench.targetsystem.keystore;

/** A request that ends with this status and JSON error message; messages never carry secret values. */
final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}

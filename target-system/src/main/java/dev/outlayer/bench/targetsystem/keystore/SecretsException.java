package dev.outlayer.bench.targetsystem.keystore;

/**
 * Secrets could not be obtained for an execution; {@code status} is what the coordinator answers
 * (the keystore's 400/403/404 pass through; its refusal of our token or its absence is a 502/504).
 */
public final class SecretsException extends Exception {
    private final int status;

    public SecretsException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

package dev.outlayer.bench.targetsystem.keystore;

import dev.outlayer.bench.targetsystem.errors.ApiException;

/**
 * Secrets could not be obtained from the keystore for an execution. Its kind is what the
 * coordinator's client gets: the keystore's own refusals pass through (INVALID, FORBIDDEN,
 * NOT_FOUND); the keystore refusing our token or being away is BAD_GATEWAY, being slow
 * GATEWAY_TIMEOUT.
 */
public final class SecretsException extends ApiException {
    public SecretsException(Kind kind, String message) {
        super(kind, message);
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.Map;

/**
 * nearcore's InvalidTxError: the transaction was refused before it became a receipt, and
 * nothing changed. {@code variant} is nearcore's name (InvalidNonce, NotEnoughBalance,
 * InvalidAccessKeyError, SignerDoesNotExist, CostOverflow, ...), {@code details} its fields.
 */
public final class InvalidTxException extends ApiException {
    private final String variant;
    private final Map<String, Object> details;

    public InvalidTxException(String variant, Map<String, Object> details, String message) {
        super(Kind.INVALID, message);
        this.variant = variant;
        // nearcore's Option fields are null when None (InvalidNonceIndex's tx_nonce_index)
        this.details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    public String variant() {
        return variant;
    }

    public Map<String, Object> details() {
        return details;
    }
}

package dev.outlayer.bench.targetsystem.payments;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.Locale;

/**
 * An HTTPS call's {@code X-Payment-Key: owner:nonce:key}, read as OutLayer's coordinator reads it
 * (handlers/call.rs {@code parse_payment_key_header}): the owner 1-64 characters, the nonce a u32,
 * the key exactly 64 hex digits, taken in lower case.
 */
public record PaymentKeyHeader(String owner, long nonce, String key) {
    public static final String NAME = "X-Payment-Key";

    private static final long MAX_U32 = 0xFFFF_FFFFL;

    /** The header's value; a missing header is 401, a malformed one 400, with OutLayer's messages. */
    public static PaymentKeyHeader parse(String value) {
        if (value == null) {
            throw new ApiException(ApiException.Kind.UNAUTHENTICATED, "Missing X-Payment-Key header");
        }
        String[] parts = value.split(":", 3);
        if (parts.length != 3) {
            throw invalid("Expected format: owner:nonce:key");
        }
        String owner = parts[0];
        long nonce;
        try {
            nonce = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            throw invalid("Invalid nonce");
        }
        // Rust's u32 parse: digits only (a leading '+' is accepted, '-' is not), at most 2^32 - 1
        if (nonce < 0 || nonce > MAX_U32 || parts[1].startsWith("-")) {
            throw invalid("Invalid nonce");
        }
        if (owner.isEmpty() || owner.length() > 64) {
            throw invalid("Invalid owner");
        }
        String key = parts[2];
        if (key.isEmpty()) {
            throw invalid("Empty key");
        }
        if (key.length() != 64) {
            throw invalid("Key must be exactly 64 hex characters (got " + key.length() + " chars)");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.digit(key.charAt(i), 16) < 0 || key.charAt(i) > 'f') {
                throw invalid("Key must contain only hex characters (0-9, a-f, A-F)");
            }
        }
        return new PaymentKeyHeader(owner, nonce, key.toLowerCase(Locale.ROOT));
    }

    private static ApiException invalid(String why) {
        return ApiException.invalid("Invalid X-Payment-Key format: " + why);
    }
}

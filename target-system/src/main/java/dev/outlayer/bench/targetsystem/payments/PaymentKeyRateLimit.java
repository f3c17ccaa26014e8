package dev.outlayer.bench.targetsystem.payments;

/**
 * OutLayer's per-key rate window (call.rs {@code check_payment_key_rate_limit}: a Redis counter
 * {@code pk_rate:{owner}:{nonce}} that expires 60 s after the window's first call): counts a call
 * of the key and answers how many the window has counted with it. In this process ({@link
 * InMemoryPaymentKeyRateLimit}) or in PostgreSQL ({@link PostgresPaymentKeyRateLimit}), where every
 * coordinator sharing the database counts in the same window, as OutLayer's share Redis.
 */
public interface PaymentKeyRateLimit {
    /** A window lasts 60 s from its first call. */
    long WINDOW_NANOS = 60_000_000_000L;

    /** Counts one call of {@code key}: the window's count with it. */
    int count(PaymentKeys.Id key);
}

package dev.outlayer.bench.targetsystem.payments;

import java.math.BigInteger;
import java.time.Instant;

/**
 * What each payment key paid, call by call: OutLayer's {@code payment_key_usage}, a row per
 * finalized call that ran (finalize_call's step 2), listed by {@code GET
 * /public/payment-keys/{owner}/{nonce}/usage}. In memory ({@link InMemoryPaymentKeyUsage}, the
 * newest rows of each key) or in PostgreSQL ({@link PostgresPaymentKeyUsage}, where the call's
 * finalizing transaction writes the row).
 */
public interface PaymentKeyUsage {
    /** One row (its id given by the store). */
    record Usage(
            long id,
            String callId,
            Long jobId,
            String projectId,
            BigInteger computeCost,
            BigInteger attachedDeposit,
            String status,
            Instant createdAt) {}

    /** Records a finalized call's row. */
    void record(PaymentKeys.Id key, Usage usage);

    /** The key's rows, newest first. */
    Page<Usage> of(PaymentKeys.Id key, Page.Request page);
}

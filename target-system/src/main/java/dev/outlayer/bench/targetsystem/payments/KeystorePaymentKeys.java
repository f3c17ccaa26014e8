package dev.outlayer.bench.targetsystem.payments;

import dev.outlayer.bench.targetsystem.keystore.PaymentKeySecret;

/**
 * The step OutLayer's worker takes between the chain and the coordinator, for a keystore in this
 * process: a payment key's secret stored becomes a key the coordinator knows with balance 0 ({@code
 * init_payment_key}: its hash, project_ids and max_per_call, the secret's own initial_balance
 * ignored as OutLayer's init ignores it); a deleted secret deletes the key ({@code
 * delete_payment_key}). Balance comes from top-ups ({@code /topup/complete}).
 */
public final class KeystorePaymentKeys implements PaymentKeySecret.Listener {
    private final PaymentKeys keys;

    public KeystorePaymentKeys(PaymentKeys keys) {
        this.keys = keys;
    }

    @Override
    public void stored(String owner, long nonce, PaymentKeySecret secret) {
        keys.init(new PaymentKeys.Id(owner, nonce), secret.keyHash(), secret.projectIds(), secret.maxPerCall());
    }

    @Override
    public void deleted(String owner, long nonce) {
        keys.delete(new PaymentKeys.Id(owner, nonce));
    }
}

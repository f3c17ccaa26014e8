package dev.outlayer.bench.targetsystem.rpc;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The emulated chain's single block producer: an ed25519 key derived from the chain id, so block
 * and chunk signatures are real signatures over the block hash, checkable against the public
 * key that {@code status} reports.
 */
final class ValidatorKey {
    private final String accountId;
    private final Ed25519PrivateKeyParameters privateKey;
    private final String publicKey;

    ValidatorKey(String accountId, String chainId) {
        this.accountId = accountId;
        this.privateKey = new Ed25519PrivateKeyParameters(BlockClock.sha256("outlayer-bench/validator/" + chainId), 0);
        this.publicKey =
                "ed25519:" + Base58.encode(privateKey.generatePublicKey().getEncoded());
    }

    String accountId() {
        return accountId;
    }

    /** NEAR's text form, {@code ed25519:<base58>}. */
    String publicKey() {
        return publicKey;
    }

    /** NEAR's text form of a signature over {@code message}, {@code ed25519:<base58>}. */
    String sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return "ed25519:" + Base58.encode(signer.generateSignature());
    }
}

package dev.outlayer.bench.targetsystem.tee;

import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** A worker's TEE key as OutLayer's worker holds it: Ed25519, named {@code ed25519:<base58>}, signing in hex. */
public final class TeeTestKeys {
    private TeeTestKeys() {}

    public static Ed25519PrivateKeyParameters newKey() {
        return new Ed25519PrivateKeyParameters(new SecureRandom());
    }

    public static byte[] publicKey(Ed25519PrivateKeyParameters key) {
        return key.generatePublicKey().getEncoded();
    }

    /** NEAR's form of the key, as OutLayer's worker sends {@code public_key}. */
    public static String nearKey(Ed25519PrivateKeyParameters key) {
        return "ed25519:" + Base58.encode(publicKey(key));
    }

    /** The key's signature of the challenge's bytes (the challenge is hex), in hex: OutLayer's worker's. */
    public static String sign(Ed25519PrivateKeyParameters key, String challenge) {
        byte[] message = HexFormat.of().parseHex(challenge);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return HexFormat.of().formatHex(signer.generateSignature());
    }
}

package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.contracts.Secp256k1;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** near-crypto's Signature: the curve tag (0 ed25519, 1 secp256k1) and 64 or 65 bytes. */
public record Signature(int curve, byte[] data) {
    public Signature {
        data = data.clone();
    }

    static Signature read(BorshReader in) {
        int curve = in.u8();
        return switch (curve) {
            case PublicKey.ED25519 -> new Signature(curve, in.fixed(64));
            case PublicKey.SECP256K1 -> new Signature(curve, in.fixed(65));
            default -> throw new BorshReader.BorshException("invalid signature key type " + curve);
        };
    }

    byte[] rawData() {
        return data;
    }

    /**
     * Whether this is {@code key}'s signature of {@code message}, as near-crypto verifies it:
     * ed25519 by Bouncy Castle (RFC 8032 verification), secp256k1 by {@link Secp256k1#verify}; a
     * signature of the other curve than the key's is invalid.
     */
    boolean verifies(PublicKey key, byte[] message) {
        if (key.curve() != curve) {
            return false;
        }
        if (key.curve() == PublicKey.SECP256K1) {
            return Secp256k1.verify(key.data(), message, data);
        }
        Ed25519PublicKeyParameters point;
        try {
            point = new Ed25519PublicKeyParameters(key.data(), 0);
        } catch (IllegalArgumentException notAPoint) {
            return false; // near-crypto: a key that is no curve point verifies nothing
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, point);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Signature signature && signature.curve == curve && Arrays.equals(signature.data, data);
    }

    @Override
    public int hashCode() {
        return curve * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return (curve == PublicKey.ED25519 ? "ed25519:" : "secp256k1:") + Base58.encode(data);
    }
}

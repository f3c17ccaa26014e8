package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.util.Arrays;

/**
 * A NEAR public key: curve (0 = ed25519, 32 bytes; 1 = secp256k1, 64 bytes) and key bytes.
 * Contracts pass it Borsh-encoded (curve byte + key); RPC shows it as {@code ed25519:<base58>}.
 */
public final class PublicKey {
    public static final int ED25519 = 0;
    public static final int SECP256K1 = 1;

    private final int curve;
    private final byte[] data;

    public PublicKey(int curve, byte[] data) {
        int expected = curve == ED25519 ? 32 : curve == SECP256K1 ? 64 : -1;
        if (expected < 0 || data == null || data.length != expected) {
            throw new IllegalArgumentException("invalid public key");
        }
        this.curve = curve;
        this.data = data.clone();
    }

    public static PublicKey ed25519(byte[] key) {
        return new PublicKey(ED25519, key);
    }

    /** Borsh form as contracts pass it; null when malformed. */
    public static PublicKey fromBorsh(byte[] borsh) {
        if (borsh == null || borsh.length < 1) {
            return null;
        }
        try {
            return new PublicKey(borsh[0], Arrays.copyOfRange(borsh, 1, borsh.length));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code ed25519:<base58>} or {@code secp256k1:<base58>}; null when malformed. */
    public static PublicKey parse(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.indexOf(':');
        String curveName = colon < 0 ? "ed25519" : text.substring(0, colon);
        int curve = curveName.equals("ed25519") ? ED25519 : curveName.equals("secp256k1") ? SECP256K1 : -1;
        try {
            return new PublicKey(curve, Base58.decode(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public int curve() {
        return curve;
    }

    public byte[] data() {
        return data.clone();
    }

    public byte[] toBorsh() {
        byte[] out = new byte[data.length + 1];
        out[0] = (byte) curve;
        System.arraycopy(data, 0, out, 1, data.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey other && other.curve == curve && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * curve + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return (curve == ED25519 ? "ed25519:" : "secp256k1:") + Base58.encode(data);
    }
}

package dev.outlayer.bench.targetsystem.keystore;

import java.security.InvalidKeyException;
import java.security.SecureRandom;

/**
 * X25519 (RFC 7748) on raw 32-byte little-endian keys, the form every other implementation
 * (x25519-dalek, node:crypto) exchanges. Bouncy Castle's rfc7748 code rather than the JDK's XDH
 * provider: the same function, about three times faster here (EciesBench), and a decrypt's cost is
 * mostly this one scalar multiplication.
 */
final class X25519 {
    static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private X25519() {}

    /** A fresh private scalar (clamping happens inside every multiplication, as RFC 7748 says). */
    static byte[] generatePrivateKey() {
        byte[] key = new byte[KEY_BYTES];
        org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(RANDOM, key);
        return key;
    }

    /** X25519(scalar, 9): the public key of a private scalar. */
    static byte[] publicKeyOf(byte[] privateKey) {
        requireLength(privateKey, "private key");
        byte[] publicKey = new byte[KEY_BYTES];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(privateKey, 0, publicKey, 0);
        return publicKey;
    }

    /** X25519(private, public); refuses a low-order public key (an all-zero result), as RFC 7748 advises. */
    static byte[] sharedSecret(byte[] privateKey, byte[] publicKey) throws InvalidKeyException {
        requireLength(privateKey, "private key");
        requireLength(publicKey, "public key");
        byte[] shared = new byte[KEY_BYTES];
        if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, shared, 0)) {
            throw new InvalidKeyException("X25519 public key is a low-order point");
        }
        return shared;
    }

    private static void requireLength(byte[] key, String what) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "X25519 " + what + " must be " + KEY_BYTES + " bytes, got " + (key == null ? 0 : key.length));
        }
    }
}

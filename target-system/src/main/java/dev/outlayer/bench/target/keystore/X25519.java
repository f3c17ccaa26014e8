package dev.outlayer.bench.target.keystore;

import javax.crypto.KeyAgreement;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;

/**
 * X25519 (RFC 7748) on the JDK's XDH provider, with keys as the raw 32-byte little-endian
 * strings every other implementation (x25519-dalek, node:crypto) exchanges.
 */
final class X25519 {
    static final int KEY_BYTES = 32;
    private static final BigInteger BASE_POINT_U = BigInteger.valueOf(9);

    private X25519() {
    }

    /** A private key from a raw 32-byte scalar; clamping is done by the provider, as RFC 7748 says. */
    static PrivateKey privateKey(byte[] scalar) {
        requireLength(scalar, "private key");
        try {
            return KeyFactory.getInstance("X25519")
                    .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar.clone()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK X25519 unavailable", e);
        }
    }

    /** A public key from its raw 32-byte little-endian u-coordinate. */
    static PublicKey publicKey(byte[] raw) {
        requireLength(raw, "public key");
        byte[] bigEndian = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) {
            bigEndian[i] = raw[KEY_BYTES - 1 - i];
        }
        bigEndian[0] &= 0x7f; // RFC 7748 section 5: the top bit of the last byte is ignored
        try {
            return KeyFactory.getInstance("X25519")
                    .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK X25519 unavailable", e);
        }
    }

    /** The raw 32-byte little-endian encoding of a JDK public key. */
    static byte[] raw(PublicKey key) {
        byte[] bigEndian = ((XECPublicKey) key).getU().toByteArray();
        byte[] raw = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES && i < bigEndian.length; i++) {
            raw[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return raw;
    }

    /** The public key of a private key: X25519(scalar, 9). The JDK has no direct call for it. */
    static byte[] publicKeyOf(PrivateKey privateKey) throws GeneralSecurityException {
        return sharedSecret(privateKey, publicKeyFromU(BASE_POINT_U));
    }

    /** X25519(private, public); fails on a low-order public key (all-zero result), as it should. */
    static byte[] sharedSecret(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(privateKey);
        agreement.doPhase(publicKey, true);
        return agreement.generateSecret();
    }

    static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK X25519 unavailable", e);
        }
    }

    private static PublicKey publicKeyFromU(BigInteger u) throws GeneralSecurityException {
        return KeyFactory.getInstance("X25519").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
    }

    private static void requireLength(byte[] key, String what) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 " + what + " must be " + KEY_BYTES + " bytes, got "
                    + (key == null ? 0 : key.length));
        }
    }
}

package dev.outlayer.bench.targetsystem.keystore;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * OutLayer's keystore ciphertext ("ECIES v1"):
 * {@code 0x01 | ephemeral X25519 public key (32) | nonce (12) | ChaCha20-Poly1305 ciphertext+tag},
 * with the AEAD key = HKDF-SHA256(X25519 shared secret, empty salt, info "outlayer-keystore-v1")
 * and no associated data. A blob made by OutLayer's dashboard, CLI or any client of that
 * keystore opens here, and the reverse.
 */
public final class Ecies {
    public static final byte VERSION = 0x01;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    public static final int HEADER_BYTES = 1 + X25519.KEY_BYTES + NONCE_BYTES;
    static final byte[] HKDF_INFO = "outlayer-keystore-v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ecies() {}

    /** Encrypts for a scope's public key (raw 32 bytes) with a fresh ephemeral key and nonce. */
    public static byte[] encrypt(byte[] recipientPublicKey, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return encrypt(recipientPublicKey, plaintext, X25519.generatePrivateKey(), nonce);
    }

    /** Deterministic form for known-answer tests: the caller supplies the ephemeral key and nonce. */
    static byte[] encrypt(byte[] recipientPublicKey, byte[] plaintext, byte[] ephemeralPrivateKey, byte[] nonce) {
        try {
            byte[] shared = X25519.sharedSecret(ephemeralPrivateKey, recipientPublicKey);
            byte[] sealed = chacha(Cipher.ENCRYPT_MODE, aeadKey(shared), nonce, plaintext, 0, plaintext.length);
            byte[] blob = new byte[HEADER_BYTES + sealed.length];
            blob[0] = VERSION;
            System.arraycopy(X25519.publicKeyOf(ephemeralPrivateKey), 0, blob, 1, X25519.KEY_BYTES);
            System.arraycopy(nonce, 0, blob, 1 + X25519.KEY_BYTES, NONCE_BYTES);
            System.arraycopy(sealed, 0, blob, HEADER_BYTES, sealed.length);
            return blob;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot encrypt for this public key: " + e.getMessage(), e);
        }
    }

    /** Opens a blob with the scope's private key; any tampering or a wrong scope fails the tag check. */
    public static byte[] decrypt(byte[] recipientPrivateKey, byte[] blob) throws BadCiphertextException {
        if (blob.length < HEADER_BYTES + TAG_BYTES) {
            throw new BadCiphertextException("ciphertext is " + blob.length + " bytes; the format needs at least "
                    + (HEADER_BYTES + TAG_BYTES) + " (version, ephemeral key, nonce, tag)");
        }
        if (blob[0] != VERSION) {
            throw new BadCiphertextException(
                    String.format("unsupported ciphertext version byte 0x%02x; expected 0x01", blob[0]));
        }
        byte[] ephemeral = Arrays.copyOfRange(blob, 1, 1 + X25519.KEY_BYTES);
        byte[] nonce = Arrays.copyOfRange(blob, 1 + X25519.KEY_BYTES, HEADER_BYTES);
        byte[] shared;
        try {
            shared = X25519.sharedSecret(recipientPrivateKey, ephemeral);
        } catch (GeneralSecurityException e) {
            throw new BadCiphertextException("ephemeral public key is invalid (low-order point)");
        }
        try {
            return chacha(Cipher.DECRYPT_MODE, aeadKey(shared), nonce, blob, HEADER_BYTES, blob.length - HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw new BadCiphertextException(
                    "ciphertext failed authentication: it was altered, or encrypted for another scope");
        } catch (GeneralSecurityException e) {
            throw new BadCiphertextException(
                    "ciphertext cannot be decrypted: " + e.getClass().getSimpleName());
        }
    }

    /** The shortest blob OutLayer's keystore tries at all: a legacy nonce and tag. */
    public static final int MIN_LEGACY_BYTES = NONCE_BYTES + TAG_BYTES;

    /**
     * Opens a stored blob as OutLayer's keystore does (crypto.rs {@code decrypt}): ECIES v1 when it
     * starts with 0x01 and is long enough, and otherwise, or when that fails (a legacy blob may
     * start with 0x01 by chance), its deprecated legacy format {@code nonce (12) | ciphertext+tag}
     * under {@code legacyKey}, which is asked for only then.
     */
    public static byte[] open(byte[] recipientPrivateKey, Supplier<byte[]> legacyKey, byte[] blob)
            throws BadCiphertextException {
        if (blob.length < MIN_LEGACY_BYTES) {
            throw new BadCiphertextException("ciphertext is " + blob.length + " bytes; the format needs at least "
                    + (HEADER_BYTES + TAG_BYTES) + " (version, ephemeral key, nonce, tag)");
        }
        BadCiphertextException eciesFailure = null;
        if (blob[0] == VERSION && blob.length >= HEADER_BYTES + TAG_BYTES) {
            try {
                return decrypt(recipientPrivateKey, blob);
            } catch (BadCiphertextException e) {
                eciesFailure = e;
            }
        }
        try {
            return chacha(
                    Cipher.DECRYPT_MODE,
                    legacyKey.get(),
                    Arrays.copyOfRange(blob, 0, NONCE_BYTES),
                    blob,
                    NONCE_BYTES,
                    blob.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            if (eciesFailure != null) {
                throw eciesFailure;
            }
            throw new BadCiphertextException(
                    blob[0] == VERSION
                            ? "ciphertext failed authentication: it was altered, or encrypted for another scope"
                            : String.format(
                                    "ciphertext is neither ECIES v1 (version byte 0x%02x, expected 0x01) nor the legacy"
                                            + " format of this scope (it failed authentication)",
                                    blob[0]));
        }
    }

    /** HKDF-SHA256 with an empty salt (RFC 5869: a zero-filled salt), 32 bytes out. */
    static byte[] aeadKey(byte[] sharedSecret) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(sharedSecret, null, HKDF_INFO));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }

    private static byte[] chacha(int mode, byte[] key, byte[] nonce, byte[] input, int offset, int length)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        return cipher.doFinal(input, offset, length);
    }
}

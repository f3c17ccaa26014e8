package dev.outlayer.bench.targetsystem.keystore;

import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * NEP-413 signed messages, verified as OutLayer's keystore verifies them ({@code api.rs}
 * {@code verify_near_signature}): the Ed25519 signature is over SHA-256 of the tag 2^31 + 413
 * (u32, little-endian) followed by the Borsh payload {@code {message: String, nonce: [u8; 32],
 * recipient: String, callback_url: None}}. The public key is {@code ed25519:<base58>} (32 bytes),
 * the signature and the 32-byte nonce are base64.
 */
public final class Nep413 {
    /** 2^31 + 413, NEP-413's prefix: no transaction's Borsh form starts with it. */
    static final int TAG = (1 << 31) + 413;

    private Nep413() {}

    /** Why a signed message does not verify; the message is OutLayer's, after "Invalid signature: ". */
    public static final class InvalidSignatureException extends Exception {
        InvalidSignatureException(String message) {
            super(message, null, false, false);
        }
    }

    /** Checks the signature; throws saying which part is wrong. */
    public static void verify(
            String message, String signatureBase64, String publicKey, String nonceBase64, String recipient)
            throws InvalidSignatureException {
        String[] parts = publicKey.split(":", -1);
        if (parts.length != 2 || !parts[0].equals("ed25519")) {
            throw new InvalidSignatureException("Invalid public key format, expected 'ed25519:base58...'");
        }
        byte[] key;
        try {
            key = Base58.decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("Failed to decode public key");
        }
        if (key.length != 32) {
            throw new InvalidSignatureException("Invalid public key length: " + key.length);
        }
        byte[] signature = base64(signatureBase64, "signature");
        if (signature.length != 64) {
            throw new InvalidSignatureException("Invalid signature length: " + signature.length);
        }
        byte[] nonce = base64(nonceBase64, "nonce");
        if (nonce.length != 32) {
            throw new InvalidSignatureException("Invalid nonce length: " + nonce.length + " (expected 32)");
        }
        Ed25519PublicKeyParameters point;
        try {
            point = new Ed25519PublicKeyParameters(key, 0);
        } catch (IllegalArgumentException notAPoint) {
            throw new InvalidSignatureException("Invalid public key");
        }
        byte[] hash = signedHash(message, nonce, recipient);
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, point);
        verifier.update(hash, 0, hash.length);
        if (!verifier.verifySignature(signature)) {
            throw new InvalidSignatureException("Signature verification failed");
        }
    }

    /** SHA-256(tag || Borsh(payload)): what a wallet signs for NEP-413 {@code signMessage}. */
    public static byte[] signedHash(String message, byte[] nonce, String recipient) {
        ByteArrayOutputStream borsh = new ByteArrayOutputStream();
        writeU32(borsh, TAG);
        writeString(borsh, message);
        borsh.writeBytes(nonce);
        writeString(borsh, recipient);
        borsh.write(0); // callback_url: None
        try {
            return MessageDigest.getInstance("SHA-256").digest(borsh.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static void writeString(ByteArrayOutputStream out, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        writeU32(out, utf8.length);
        out.writeBytes(utf8);
    }

    private static void writeU32(ByteArrayOutputStream out, int value) {
        out.writeBytes(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(value)
                .array());
    }

    private static byte[] base64(String text, String field) throws InvalidSignatureException {
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("Failed to decode " + field);
        }
    }
}

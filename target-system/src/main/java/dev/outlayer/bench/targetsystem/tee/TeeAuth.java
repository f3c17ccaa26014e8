package dev.outlayer.bench.targetsystem.tee;

import dev.outlayer.bench.targetsystem.json.RustDebug;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * OutLayer's {@code tee_auth} crate, the part the coordinator uses to open a TEE session: an Ed25519 signature
 * over a hex challenge's bytes, by a key given as {@code ed25519:<base58>} or 64 hex digits, the signature in
 * hex. Its refusals are worded as the crate's {@code TeeAuthError}, with the {@code bs58} and {@code hex}
 * crates' messages inside.
 */
final class TeeAuth {
    private TeeAuth() {}

    /** A {@code TeeAuthError}; the message is its display. */
    static final class TeeAuthException extends Exception {
        TeeAuthException(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code verify_signature}: returns normally when {@code signature} is the key's signature of the challenge. */
    static void verifySignature(String publicKey, String challenge, String signature) throws TeeAuthException {
        byte[] key = publicKeyBytes(publicKey);
        Ed25519PublicKeyParameters point;
        try {
            point = new Ed25519PublicKeyParameters(key, 0);
        } catch (IllegalArgumentException notAPoint) {
            throw new TeeAuthException(
                    "invalid public key: ed25519 parse error: signature error: Cannot decompress Edwards point");
        }
        byte[] sig;
        try {
            sig = hex(signature);
        } catch (IllegalArgumentException e) {
            throw new TeeAuthException("invalid signature: hex decode error: " + e.getMessage());
        }
        if (sig.length != 64) {
            throw new TeeAuthException("invalid signature: expected 64 bytes, got " + sig.length);
        }
        byte[] message;
        try {
            message = hex(challenge);
        } catch (IllegalArgumentException e) {
            throw new TeeAuthException("invalid challenge: hex decode error: " + e.getMessage());
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, point);
        verifier.update(message, 0, message.length);
        if (!verifier.verifySignature(sig)) {
            throw new TeeAuthException("signature verification failed");
        }
    }

    /** {@code parse_public_key_bytes}: the key's 32 bytes. */
    static byte[] publicKeyBytes(String publicKey) throws TeeAuthException {
        byte[] raw;
        if (publicKey.startsWith("ed25519:")) {
            String text = publicKey.substring("ed25519:".length());
            String problem = base58Problem(text);
            if (problem != null) {
                throw new TeeAuthException("invalid public key: base58 decode: " + problem);
            }
            if (text.length() > MAX_BASE58) {
                // decoding costs the square of the length; so many digits are far more than 32 bytes
                throw new TeeAuthException("invalid public key: expected 32 bytes, got more than " + MAX_BASE58 / 2);
            }
            raw = Base58.decode(text);
        } else if (publicKey.getBytes(StandardCharsets.UTF_8).length == 64) {
            try {
                raw = hex(publicKey);
            } catch (IllegalArgumentException e) {
                throw new TeeAuthException("invalid public key: hex decode: " + e.getMessage());
            }
        } else {
            throw new TeeAuthException(
                    "invalid public key: unrecognized format (expected 'ed25519:...' or 64 hex chars): " + publicKey);
        }
        if (raw.length != 32) {
            throw new TeeAuthException("invalid public key: expected 32 bytes, got " + raw.length);
        }
        return raw;
    }

    /** The longest base58 key text decoded (a 32-byte key is 44 digits at most). */
    private static final int MAX_BASE58 = 10_000;

    private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /** The bs58 crate's refusal of {@code text}, or null when every byte is a base58 digit. */
    private static String base58Problem(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (b > 127) {
                return "provided string contained non-ascii character starting at byte " + i;
            }
            if (BASE58.indexOf(b) < 0) {
                return "provided string contained invalid character " + RustDebug.character(b) + " at byte " + i;
            }
        }
        return null;
    }

    /** The hex crate's {@code hex::decode}, its refusal as the exception's message. */
    static byte[] hex(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length % 2 != 0) {
            throw new IllegalArgumentException("Odd number of digits");
        }
        byte[] out = new byte[bytes.length / 2];
        for (int i = 0; i < bytes.length; i++) {
            int digit = Character.digit((char) (bytes[i] & 0xFF), 16);
            if (digit < 0 || (bytes[i] & 0xFF) > 127) {
                throw new IllegalArgumentException(
                        "Invalid character " + RustDebug.character(bytes[i] & 0xFF) + " at position " + i);
            }
            out[i / 2] = (byte) (out[i / 2] << 4 | digit);
        }
        return out;
    }
}

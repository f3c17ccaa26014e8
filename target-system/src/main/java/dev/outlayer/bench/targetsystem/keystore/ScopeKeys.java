package dev.outlayer.bench.targetsystem.keystore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Derives each scope's X25519 key pair from the master secret as OutLayer's keystore does:
 * private scalar = HMAC-SHA256(master, "ecies:" + seed). Derived pairs are cached because the
 * derivation costs two scalar multiplications and scopes repeat on every execution.
 */
public final class ScopeKeys {
    public static final int MASTER_SECRET_BYTES = 32;
    private static final byte[] ECIES_DOMAIN = "ecies:".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec master;
    private final Cache<String, KeyPair> cache =
            Caffeine.newBuilder().maximumSize(10_000).build();

    /** One scope's key pair; the public half is what {@code POST /pubkey} returns. */
    public record KeyPair(byte[] privateKey, byte[] publicKey) {
        public String publicKeyHex() {
            return HexFormat.of().formatHex(publicKey);
        }
    }

    public ScopeKeys(byte[] masterSecret) {
        if (masterSecret.length != MASTER_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "master secret must be " + MASTER_SECRET_BYTES + " bytes, got " + masterSecret.length);
        }
        this.master = new SecretKeySpec(masterSecret.clone(), "HmacSHA256");
    }

    public KeyPair forScope(Scope scope) {
        return forSeed(scope.seed());
    }

    public KeyPair forSeed(String seed) {
        return cache.get(seed, this::derive);
    }

    /** The raw private scalar of a seed, exposed for known-answer tests only. */
    byte[] privateScalar(String seed) {
        return hmac(ECIES_DOMAIN, seed);
    }

    /**
     * The key of OutLayer's legacy ciphertexts for a seed (crypto.rs {@code decrypt_legacy}): the
     * Ed25519 public key whose private seed is HMAC-SHA256(master, seed), used directly as the
     * ChaCha20-Poly1305 key. Its keystore still opens such blobs; derived only when one is met.
     */
    public byte[] legacySymmetricKey(String seed) {
        return signingKey(seed).generatePublicKey().getEncoded();
    }

    /**
     * A seed's Ed25519 signing key as OutLayer's keystore derives it (crypto.rs {@code derive_keypair}:
     * the private seed is HMAC-SHA256(master, seed), no domain prefix): its legacy ciphertext key and
     * its VRF key ({@code "vrf-key"}) come from it.
     */
    public Ed25519PrivateKeyParameters signingKey(String seed) {
        return new Ed25519PrivateKeyParameters(hmac(new byte[0], seed), 0);
    }

    /**
     * A key a job's manifest declares (OutLayer's crypto.rs {@code derive_signing_key_seed}): HMAC-SHA256(master,
     * input), the 32 bytes as they are, over a string only {@link DeclaredKeys} builds. Not cached: the keys leave
     * in one answer and no copy stays here.
     */
    byte[] declaredKey(String input) {
        return hmac(new byte[0], input);
    }

    private byte[] hmac(byte[] domain, String seed) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(master);
            hmac.update(domain);
            return hmac.doFinal(seed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private KeyPair derive(String seed) {
        byte[] scalar = privateScalar(seed);
        return new KeyPair(scalar, X25519.publicKeyOf(scalar));
    }
}

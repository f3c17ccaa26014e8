package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/** NEP-413 against a vector signed by near-api-js (KeyPairSigner.signNep413Message), not by this code. */
class Nep413Test {
    static final String MESSAGE =
            "Update Outlayer secrets for alice.test.near:default\nkeys:API_KEY\nprotected:PROTECTED_X";
    static final String RECIPIENT = "outlayer.test.near";
    // near-api-js 6, key from the seed 1..32, nonce 255..224.
    static final String PUBLIC_KEY = "ed25519:9C6hybhQ6Aycep9jaUnP6uL9ZYvDjUp1aSkFWPUFJtpj";
    static final String SIGNATURE =
            "ygrITDDJfmo0lcVcobuJrMAkiFVX/HDYRSJGQOVtYCV41H0KDDj2CjD+rxQiRmNPqfgcWLmL7g4QSbv93dyyCw==";
    static final String NONCE = "//79/Pv6+fj39vX08/Lx8O/u7ezr6uno5+bl5OPi4eA=";

    @Test
    void aWalletsSignatureVerifiesAndAnyChangeBreaksIt() {
        assertThatCode(() -> Nep413.verify(MESSAGE, SIGNATURE, PUBLIC_KEY, NONCE, RECIPIENT))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Nep413.verify(MESSAGE + ",X", SIGNATURE, PUBLIC_KEY, NONCE, RECIPIENT))
                .hasMessage("Signature verification failed");
        assertThatThrownBy(() -> Nep413.verify(MESSAGE, SIGNATURE, PUBLIC_KEY, NONCE, "other.near"))
                .hasMessage("Signature verification failed");
        byte[] otherNonce = Base64.getDecoder().decode(NONCE);
        otherNonce[0] ^= 1;
        assertThatThrownBy(() -> Nep413.verify(
                        MESSAGE, SIGNATURE, PUBLIC_KEY, Base64.getEncoder().encodeToString(otherNonce), RECIPIENT))
                .hasMessage("Signature verification failed");
        assertThatThrownBy(() -> Nep413.verify(MESSAGE, SIGNATURE, "secp256k1:abc", NONCE, RECIPIENT))
                .hasMessage("Invalid public key format, expected 'ed25519:base58...'");
        assertThatThrownBy(() -> Nep413.verify(MESSAGE, "AAAA", PUBLIC_KEY, NONCE, RECIPIENT))
                .hasMessage("Invalid signature length: 3");
        assertThatThrownBy(() -> Nep413.verify(MESSAGE, "***", PUBLIC_KEY, NONCE, RECIPIENT))
                .hasMessage("Failed to decode signature");
        assertThatThrownBy(() -> Nep413.verify(MESSAGE, SIGNATURE, "ed25519:0OIl", NONCE, RECIPIENT))
                .hasMessage("Failed to decode public key");
    }

    @Test
    void theHashSignedHereIsTheOneNearApiJsSigns() {
        byte[] seed = new byte[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (byte) (i + 1);
        }
        byte[] hash = Nep413.signedHash(MESSAGE, Base64.getDecoder().decode(NONCE), RECIPIENT);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
        signer.update(hash, 0, hash.length);
        // Ed25519 is deterministic: the same key over the same hash gives near-api-js's signature.
        assertThat(Base64.getEncoder().encodeToString(signer.generateSignature()))
                .isEqualTo(SIGNATURE);
    }
}

package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known answers for the scope derivation and the ciphertext format. The vectors come from RFC 7748
 * and from src/test/node-keystore/ecies.mjs (node:crypto only), which shares no code with this one.
 */
class EciesTest {
    static final HexFormat HEX = HexFormat.of();
    static final String MASTER = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String SEED = "github.com/alice/project:alice.near";
    /** node ecies.mjs pubkey MASTER SEED */
    static final String SCOPE_PUBKEY = "fb3234db8f36e87a8ec08c1b77799b55788f8855931c76eec948f33b76f9ff19";

    static final String RFC7748_ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    static final String RFC7748_ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    static final String RFC7748_BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    static final String RFC7748_SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    static final String PLAINTEXT = "{\"API_KEY\":\"sk-test-123\",\"REGION\":\"eu\"}";
    static final String NONCE = "000102030405060708090a0b";
    /** node ecies.mjs encrypt MASTER SEED PLAINTEXT RFC7748_ALICE_PRIVATE NONCE */
    static final String NODE_CIPHERTEXT =
            "AYUg8AmJMKdUdIt93LQ+91oNvzoNJjga9OukqY6qm05qAAECAwQFBgcICQoLHLw1lQJNo7YudUHkxW2GHf17"
                    + "nqa5nYZN5ijId/YFtTcC1L8ITdwV2g+WeuvqTdnDfI3DBUG+EQ==";

    final ScopeKeys keys = new ScopeKeys(HEX.parseHex(MASTER));

    @Test
    void x25519MatchesRfc7748() throws Exception {
        byte[] alice = HEX.parseHex(RFC7748_ALICE_PRIVATE);
        assertThat(HEX.formatHex(X25519.publicKeyOf(alice))).isEqualTo(RFC7748_ALICE_PUBLIC);
        byte[] shared = X25519.sharedSecret(alice, HEX.parseHex(RFC7748_BOB_PUBLIC));
        assertThat(HEX.formatHex(shared)).isEqualTo(RFC7748_SHARED);
    }

    @Test
    void theJdkX25519AgreesWithBouncyCastleOnRandomKeys() throws Exception {
        // Two independent implementations of the same function: a cross-check on top of the RFC vector.
        var kpg = java.security.KeyPairGenerator.getInstance("X25519");
        for (int i = 0; i < 20; i++) {
            var jdkPair = kpg.generateKeyPair();
            byte[] jdkPublic = rawJdkPublic(jdkPair.getPublic());
            byte[] ours = X25519.generatePrivateKey();
            var agreement = javax.crypto.KeyAgreement.getInstance("X25519");
            agreement.init(jdkPair.getPrivate());
            agreement.doPhase(
                    java.security.KeyFactory.getInstance("X25519")
                            .generatePublic(new java.security.spec.XECPublicKeySpec(
                                    java.security.spec.NamedParameterSpec.X25519,
                                    new java.math.BigInteger(1, reverse(X25519.publicKeyOf(ours))))),
                    true);
            assertThat(agreement.generateSecret()).isEqualTo(X25519.sharedSecret(ours, jdkPublic));
        }
    }

    private static byte[] rawJdkPublic(java.security.PublicKey key) {
        byte[] bigEndian = ((java.security.interfaces.XECPublicKey) key).getU().toByteArray();
        byte[] raw = new byte[32];
        for (int i = 0; i < 32 && i < bigEndian.length; i++) {
            raw[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return raw;
    }

    private static byte[] reverse(byte[] littleEndian) {
        byte[] out = new byte[littleEndian.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = littleEndian[littleEndian.length - 1 - i];
        }
        out[0] &= 0x7f;
        return out;
    }

    @Test
    void scopeKeyIsHmacOfMasterWithEciesDomainThenX25519() {
        assertThat(keys.forSeed(SEED).publicKeyHex()).isEqualTo(SCOPE_PUBKEY);
        assertThat(new Scope("https://github.com/alice/project.git", "alice.near", null).seed())
                .isEqualTo(SEED);
        assertThat(keys.forSeed(SEED + ":main").publicKeyHex()).isNotEqualTo(SCOPE_PUBKEY);
    }

    @Test
    void opensTheNodeProducedVector() throws Exception {
        byte[] plaintext = Ecies.decrypt(
                keys.forSeed(SEED).privateKey(), Base64.getDecoder().decode(NODE_CIPHERTEXT));
        assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
    }

    @Test
    void deterministicEncryptionReproducesTheNodeVectorByteForByte() throws Exception {
        byte[] blob = Ecies.encrypt(
                HEX.parseHex(SCOPE_PUBKEY),
                PLAINTEXT.getBytes(StandardCharsets.UTF_8),
                HEX.parseHex(RFC7748_ALICE_PRIVATE),
                HEX.parseHex(NONCE));
        assertThat(Base64.getEncoder().encodeToString(blob)).isEqualTo(NODE_CIPHERTEXT);
        assertThat(blob[0]).isEqualTo((byte) 0x01);
        assertThat(blob).hasSize(1 + 32 + 12 + PLAINTEXT.length() + 16);
    }

    @Test
    void everyTamperedByteFailsAuthentication() {
        byte[] original = Base64.getDecoder().decode(NODE_CIPHERTEXT);
        var key = keys.forSeed(SEED).privateKey();
        for (int position : new int[] {1, 20, 33, 40, 45, 60, original.length - 1}) {
            byte[] tampered = original.clone();
            tampered[position] ^= 0x01;
            assertThatThrownBy(() -> Ecies.decrypt(key, tampered))
                    .as("flipping byte %d", position)
                    .isInstanceOf(BadCiphertextException.class)
                    .hasMessageNotContaining("sk-test-123");
        }
    }

    @Test
    void malformedBlobsSayWhy() {
        var key = keys.forSeed(SEED).privateKey();
        byte[] original = Base64.getDecoder().decode(NODE_CIPHERTEXT);
        byte[] wrongVersion = original.clone();
        wrongVersion[0] = 0x02;
        assertThatThrownBy(() -> Ecies.decrypt(key, wrongVersion)).hasMessageContaining("version byte 0x02");
        assertThatThrownBy(() -> Ecies.decrypt(key, new byte[60])).hasMessageContaining("at least 61");
        byte[] lowOrder = original.clone();
        java.util.Arrays.fill(lowOrder, 1, 33, (byte) 0); // u = 0: a low-order point
        assertThatThrownBy(() -> Ecies.decrypt(key, lowOrder)).isInstanceOf(BadCiphertextException.class);
    }

    @Test
    void anotherScopeCannotOpenIt() {
        byte[] blob = Base64.getDecoder().decode(NODE_CIPHERTEXT);
        var otherScope = keys.forSeed("github.com/alice/project:mallory.near").privateKey();
        var otherMaster = new ScopeKeys(new byte[32]).forSeed(SEED).privateKey();
        assertThatThrownBy(() -> Ecies.decrypt(otherScope, blob)).hasMessageContaining("another scope");
        assertThatThrownBy(() -> Ecies.decrypt(otherMaster, blob)).hasMessageContaining("another scope");
    }

    @Test
    void roundTripsWithFreshEphemeralKeys() throws Exception {
        var scope = keys.forSeed(SEED);
        byte[] first = Ecies.encrypt(scope.publicKey(), PLAINTEXT.getBytes(StandardCharsets.UTF_8));
        byte[] second = Ecies.encrypt(scope.publicKey(), PLAINTEXT.getBytes(StandardCharsets.UTF_8));
        assertThat(first).isNotEqualTo(second);
        assertThat(new String(Ecies.decrypt(scope.privateKey(), first), StandardCharsets.UTF_8))
                .isEqualTo(PLAINTEXT);
        JsonNode parsed = JsonCodec.MAPPER.readTree(Ecies.decrypt(scope.privateKey(), second));
        assertThat(parsed.path("REGION").asText()).isEqualTo("eu");
    }
}

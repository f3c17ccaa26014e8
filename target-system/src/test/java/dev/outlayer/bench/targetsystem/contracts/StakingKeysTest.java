package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** near-crypto's is_valid_staking_key: ed25519 points that decompress and are torsion-free. */
class StakingKeysTest {
    private static PublicKey ed25519(String hex) {
        return PublicKey.ed25519(HexFormat.of().parseHex(hex));
    }

    @Test
    void primeOrderPointsAreValidStakingKeys() throws Exception {
        // The base point (y = 4/5) and a fresh key are in the prime-order subgroup; so is the
        // identity (y = 1), which curve25519-dalek's is_torsion_free accepts.
        assertThat(StakingKeys.valid(ed25519("58" + "66".repeat(31)))).isTrue();
        byte[] encoded = KeyPairGenerator.getInstance("Ed25519")
                .generateKeyPair()
                .getPublic()
                .getEncoded();
        assertThat(StakingKeys.valid(
                        PublicKey.ed25519(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length))))
                .isTrue();
        assertThat(StakingKeys.valid(ed25519("01" + "00".repeat(31)))).isTrue();
    }

    @Test
    void smallOrderPointsNonPointsAndSecp256k1AreNot() {
        // y = 0 is a point of order 4; y = 2 is no point (x^2 is not a square); a secp256k1 key never stakes.
        assertThat(StakingKeys.valid(ed25519("00".repeat(32)))).isFalse();
        assertThat(StakingKeys.valid(ed25519("02" + "00".repeat(31)))).isFalse();
        assertThat(StakingKeys.valid(new PublicKey(PublicKey.SECP256K1, new byte[64])))
                .isFalse();
    }
}

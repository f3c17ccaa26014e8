package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Binding;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Caller;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Declared;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.Family;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys.KeyType;
import org.junit.jupiter.api.Test;

/** The pieces of {@link DeclaredKeys} the routes cannot reach on their own (KeystoreDeclaredKeysTest has the rest). */
class DeclaredKeysTest {
    static final String UUID = "p0000000000000001";

    @Test
    void theStringsHaveOutLayersPinnedShapes() {
        // signing_keys.rs / encryption_keys.rs the_derivation_strings_have_the_pinned_shapes
        assertThat(DeclaredKeys.input(
                        Family.SIGNING,
                        new Declared("records", KeyType.ED25519, Binding.PROJECT, Caller.SIGNER, null),
                        "bob.near",
                        UUID))
                .isEqualTo("signing-key:v1:ed25519:project:p0000000000000001:signer:bob.near:records");
        assertThat(DeclaredKeys.input(
                        Family.ENCRYPTION,
                        new Declared("inbox", null, Binding.PROJECT, Caller.PREDECESSOR, null),
                        "dao.near",
                        UUID))
                .isEqualTo("encryption-key:v1:project:p0000000000000001:predecessor:dao.near:inbox");
    }

    @Test
    void theStringIsNeverMadeFromAFieldThatHoldsAColonOrNothing() {
        for (String bad : new String[] {"p00000000000000:1", ""}) {
            assertThatThrownBy(() -> DeclaredKeys.input(
                            Family.SIGNING,
                            new Declared("k", KeyType.ED25519, Binding.PROJECT, Caller.SIGNER, null),
                            "bob.near",
                            bad))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> DeclaredKeys.input(
                        Family.ENCRYPTION,
                        new Declared("k:x", null, Binding.WASM, Caller.SIGNER, null),
                        "bob.near",
                        "11".repeat(32)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aVaultBelongsToTheOwnerOnlyAsADirectSubAccount() {
        // near-account-id's is_sub_account_of, as signing_keys.rs vault_is_named_under uses it
        assertThat(DeclaredKeys.isDirectSubAccount("vault.alice.near", "alice.near"))
                .isTrue();
        assertThat(DeclaredKeys.isDirectSubAccount("vault.mallory.near", "alice.near"))
                .isFalse();
        assertThat(DeclaredKeys.isDirectSubAccount("x.vault.alice.near", "alice.near"))
                .isFalse();
        assertThat(DeclaredKeys.isDirectSubAccount("alice.near", "alice.near")).isFalse();
        assertThat(DeclaredKeys.isDirectSubAccount("malice.near", "alice.near")).isFalse();
    }
}

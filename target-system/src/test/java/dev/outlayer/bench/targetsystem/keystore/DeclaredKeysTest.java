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

    @Test
    void theTaskKeyStringIsTheRootTheUuidAndTheOwner() {
        // task_keys.rs the_string_is_the_root_the_uuid_and_the_owner
        assertThat(TaskKeys.input(UUID, "owner.near")).isEqualTo("task-key:v1:p0000000000000001:owner.near");
        assertThatThrownBy(() -> TaskKeys.input("p0:1", "owner.near")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TaskKeys.input(UUID, "")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTaskKeyRequestIsValidatedAsOutLayerValidatesIt() {
        String wasm = "aa".repeat(32);
        assertThat(TaskKeys.validate("alice.near/app", wasm, "alice.near/app", "owner.near"))
                .isEqualTo(new TaskKeys.Run("alice.near/app", wasm, "owner.near"));
        assertThatThrownBy(() -> TaskKeys.validate("alice.near/app", "AB", "alice.near/app", "owner.near"))
                .hasMessageContaining("64 lowercase hex");
        assertThatThrownBy(() -> TaskKeys.validate("alice.near/app", wasm, null, "owner.near"))
                .hasMessageContaining("names no row");
        assertThatThrownBy(() -> TaskKeys.validate("alice.near/app", wasm, "alice.near/app", "anonymous"))
                .hasMessageContaining("placeholder");
        assertThatThrownBy(() -> TaskKeys.validate("alice.near/app", wasm, "alice.near/app", "Not An Account"))
                .hasMessageContaining("not a valid NEAR account id");
        assertThat(TaskKeys.notRealCallers("agent.near", "dao.near")).isEmpty();
        assertThat(TaskKeys.notRealCallers("anonymous", null).orElseThrow())
                .startsWith("the caller \"anonymous\" is the worker's placeholder");
        assertThat(TaskKeys.notRealCallers("agent.near", "Not An Account").orElseThrow())
                .startsWith("the predecessor \"Not An Account\" is not a valid NEAR account id");
    }

    @Test
    void aRowAdmitsByNameOnlyThroughAWhitelistOnTheAdmittingPath() {
        long now = 1_760_000_000_000_000_000L;
        AccessCondition.RunFacts facts = AccessCondition.RunFacts.NONE;
        AccessCondition bob = new AccessCondition.Whitelist(java.util.Set.of("bob.near"));
        AccessCondition live = new AccessCondition.ValidUntil(now + 1);
        AccessCondition lapsed = new AccessCondition.ValidUntil(now);
        AccessCondition balance =
                new AccessCondition.NearBalance(AccessCondition.Comparison.Gte, java.math.BigInteger.ONE);
        java.util.function.Predicate<AccessCondition> byName =
                c -> TaskKeys.admitsByName(c, "bob.near", now, CompiledPatterns.of(c), facts);
        assertThat(byName.test(bob)).isTrue();
        assertThat(byName.test(new AccessCondition.AllowAll())).isFalse();
        assertThat(byName.test(new AccessCondition.AccountPattern("bob\\.near")))
                .isFalse();
        assertThat(byName.test(
                        new AccessCondition.Logic(AccessCondition.Operator.And, java.util.List.of(bob, balance))))
                .as("under an And that held, the name is enough")
                .isTrue();
        assertThat(byName.test(new AccessCondition.Logic(
                        AccessCondition.Operator.Or,
                        java.util.List.of(new AccessCondition.Logic(
                                AccessCondition.Operator.And, java.util.List.of(bob, live))))))
                .isTrue();
        assertThat(byName.test(new AccessCondition.Logic(
                        AccessCondition.Operator.Or,
                        java.util.List.of(
                                new AccessCondition.Logic(AccessCondition.Operator.And, java.util.List.of(bob, lapsed)),
                                new AccessCondition.AllowAll()))))
                .as("a lapsed grant did not admit him; the open branch did")
                .isFalse();
        assertThat(byName.test(new AccessCondition.Logic(
                        AccessCondition.Operator.Or,
                        java.util.List.of(new AccessCondition.Logic(
                                AccessCondition.Operator.And, java.util.List.of(bob, balance))))))
                .as("a branch the chain would have to judge does not count")
                .isFalse();
        assertThat(byName.test(new AccessCondition.Not(new AccessCondition.Whitelist(java.util.Set.of("eve.near")))))
                .isFalse();
        assertThat(byName.test(new AccessCondition.Predecessor(bob))).isFalse();
    }
}

package dev.outlayer.bench.targetsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * OutLayer's rule for a {@code secrets_ref} no row could match (shared_tee_helpers secrets_ref.rs, the
 * contract's {@code profile_shape_error}), with its cases and the sentence each refusal carries.
 */
class SecretsRefShapeTest {
    @Test
    void whatTheContractStoresPasses() {
        for (String ok : new String[] {"sec", "a-b_c9", "default", "x".repeat(64), "ж".repeat(32)}) {
            assertThat(SecretsRefShape.problem(ok, "alice.near")).as(ok).isEmpty();
        }
        for (String account :
                new String[] {"a".repeat(64), "ab", "a-b.c_d.near", "agt1-a366b0.zavodil.testnet", "a1.b2-c3_d4.near"
                }) {
            assertThat(SecretsRefShape.problem("p", account)).as(account).isEmpty();
        }
        assertThat(SecretsRefShape.problem("профиль", "alice.near"))
                .as("a non-ASCII character is the contract's to judge")
                .isEmpty();
    }

    @Test
    void aProfileOutsideTheLengthNamesItsBytes() {
        assertThat(SecretsRefShape.problem("", "alice.near"))
                .hasValue("secrets_ref.profile must be 1–64 bytes of letters, digits, '-' or '_' (got 0 bytes); the"
                        + " contract stores no such profile");
        assertThat(SecretsRefShape.problem("x".repeat(65), "alice.near").orElseThrow())
                .contains("(got 65 bytes)");
        assertThat(SecretsRefShape.problem("ж".repeat(64), "alice.near").orElseThrow())
                .as("bytes, not characters")
                .contains("(got 128 bytes)");
    }

    @Test
    void aProfileWithAStrayCharacterNamesItAsRustWritesIt() {
        assertThat(SecretsRefShape.problem("sec/../author", "alice.near").orElseThrow())
                .contains("(it contains '/')");
        assertThat(SecretsRefShape.problem("a b", "alice.near").orElseThrow()).contains("(it contains ' ')");
        assertThat(SecretsRefShape.problem("a:b", "alice.near").orElseThrow()).contains("(it contains ':')");
        assertThat(SecretsRefShape.problem("a'b", "alice.near").orElseThrow()).contains("(it contains '\\'')");
        assertThat(SecretsRefShape.problem("a\nb", "alice.near").orElseThrow()).contains("(it contains '\\n')");
    }

    @Test
    void aNonAccountIsRefusedNamingItAndTheProfileIsJudgedFirst() {
        for (String bad : new String[] {
            "",
            "a",
            "a".repeat(65),
            "A.near",
            "ünï.near",
            "alice.near:prod",
            " alice.near",
            ".alice",
            "alice.",
            "alice..near",
            "-alice.near",
            "a--b.near",
            "a_",
            "_a"
        }) {
            assertThat(SecretsRefShape.problem("sec", bad).orElseThrow())
                    .as(bad)
                    .contains("is not a NEAR account id");
        }
        assertThat(SecretsRefShape.problem("sec", "Not An Account"))
                .hasValue("secrets_ref.account_id \"Not An Account\" is not a NEAR account id (2–64 lowercase letters,"
                        + " digits, '_', '-', '.'); no secret can be stored under it");
        assertThat(SecretsRefShape.problem("sec", "a\"b").orElseThrow())
                .startsWith("secrets_ref.account_id \"a\\\"b\"");
        assertThat(SecretsRefShape.problem("", "").orElseThrow()).startsWith("secrets_ref.profile");
    }
}

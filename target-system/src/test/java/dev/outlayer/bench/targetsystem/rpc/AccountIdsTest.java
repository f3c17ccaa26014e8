package dev.outlayer.bench.targetsystem.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccountIdsTest {

    @Test
    void acceptsNearAccountIds() {
        for (String id : new String[] {
            "near",
            "alice.near",
            "counter.test.near",
            "a-b_c.d1",
            "0x",
            "aa",
            "98793cd91a3f870fb126f66285808c7e094afcfc4eda8a970f6648cdf0dbd6de",
            "sub.alice-1.testnet"
        }) {
            assertThat(AccountIds.problem(id)).as(id).isNull();
        }
    }

    @Test
    void rejectsWithNearAccountIdMessages() {
        assertThat(AccountIds.problem("a")).isEqualTo("the Account ID is too short");
        assertThat(AccountIds.problem("a".repeat(65))).isEqualTo("the Account ID is too long");
        assertThat(AccountIds.problem("Alice.near"))
                .isEqualTo("the Account ID contains an invalid character 'A' at index 0");
        assertThat(AccountIds.problem("alice..near"))
                .isEqualTo("the Account ID has a redundant separator '.' at index 6");
        assertThat(AccountIds.problem(".alice")).isEqualTo("the Account ID has a redundant separator '.' at index 0");
        assertThat(AccountIds.problem("alice.")).isEqualTo("the Account ID has a redundant separator '.' at index 5");
        assertThat(AccountIds.problem("a-_b")).isEqualTo("the Account ID has a redundant separator '_' at index 2");
        assertThat(AccountIds.problem("al ice"))
                .isEqualTo("the Account ID contains an invalid character ' ' at index 2");
    }

    @Test
    void aNearImplicitIdIsSixtyFourLowercaseHexCharacters() {
        assertThat(AccountIds.isNearImplicit("0123456789abcdef".repeat(4))).isTrue();
        for (String other : new String[] {
            "alice.near", "a".repeat(63), "a".repeat(65), "A".repeat(64), "g".repeat(64), "0x" + "a".repeat(62)
        }) {
            assertThat(AccountIds.isNearImplicit(other)).as(other).isFalse();
        }
        assertThat(AccountIds.isLowercaseHex("0xdeadbeef", 2)).isTrue();
        assertThat(AccountIds.isLowercaseHex("0xDEADBEEF", 2)).isFalse();
    }
}

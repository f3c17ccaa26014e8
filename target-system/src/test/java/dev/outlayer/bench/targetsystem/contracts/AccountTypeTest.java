package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.rpc.Base58;
import org.junit.jupiter.api.Test;

/** near-account-id's get_account_type: only lowercase hex of the exact lengths is implicit. */
class AccountTypeTest {
    @Test
    void idsAreImplicitOnlyAsLowercaseHexOfTheirExactLength() {
        assertThat(AccountType.of("0123456789abcdef".repeat(4))).isEqualTo(AccountType.NEAR_IMPLICIT);
        assertThat(AccountType.of("0x" + "0123456789".repeat(4))).isEqualTo(AccountType.ETH_IMPLICIT);
        assertThat(AccountType.of("0s" + "abcdef0123".repeat(4))).isEqualTo(AccountType.NEAR_DETERMINISTIC);
        for (String named : new String[] {
            "alice.test.near",
            "a".repeat(63),
            "A".repeat(64),
            "g".repeat(64),
            "0x" + "a".repeat(39),
            "0x" + "a".repeat(41),
            "0x" + "A".repeat(40),
            "0s" + "g".repeat(40),
            "0y" + "a".repeat(40),
            // 42 hex characters without a prefix: neither 64 long nor 0x / 0s
            "a".repeat(42)
        }) {
            assertThat(AccountType.of(named)).as(named).isEqualTo(AccountType.NAMED);
            assertThat(AccountType.of(named).isImplicit()).isFalse();
        }
    }

    @Test
    void aNearImplicitIdIsTheEd25519KeyItSpells() {
        String id = "8bca86065be487de45e795b2c3154fe834d53ffa07e0a44f29e76a2a5f075df8";
        PublicKey key = AccountType.nearImplicitKey(id);
        assertThat(key.curve()).isEqualTo(PublicKey.ED25519);
        assertThat(java.util.HexFormat.of().formatHex(key.data())).isEqualTo(id);
        assertThatThrownBy(() -> AccountType.nearImplicitKey("0x" + "a".repeat(40)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEthWalletIsNearWalletContractsLocalnetGlobalContractHash() {
        // near-wallet-contract LOCALNET_GLOBAL_CONTRACT_HASH, in base58 as its source comments it
        assertThat(Base58.encode(AccountType.ETH_WALLET_CONTRACT.codeHash()))
                .isEqualTo("FAq9tQRbwJPTV3PQLn2F7AUD3FW2Fw1V8ZeZuazfeu1v");
    }
}

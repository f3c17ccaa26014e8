package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.util.HexFormat;

/**
 * nearcore's {@code AccountType} (near-account-id {@code get_account_type}): what an account id's
 * spelling makes it. The three implicit kinds are the ids a lone Transfer creates when the account does
 * not exist (actions.rs {@code action_implicit_account_creation_transfer}; {@code account_is_implicit}
 * with {@code eth_implicit_accounts}, true at 86): a NEAR-implicit id is the hex of an ed25519 key, an
 * ETH-implicit id {@code 0x} and 20 bytes of hex (an Ethereum address), a deterministic id (NEP-616)
 * {@code 0s} and 20 bytes of hex. Only lowercase hex counts; anything else is a named account.
 */
public enum AccountType {
    NAMED,
    NEAR_IMPLICIT,
    ETH_IMPLICIT,
    NEAR_DETERMINISTIC;

    /**
     * The wallet contract an ETH-implicit account is created with (EthImplicitGlobalContract, protocol 83):
     * near-wallet-contract's {@code eth_wallet_global_contract_hash} for a chain that is neither mainnet nor
     * testnet, the sha256 of its localnet wallet wasm, FAq9tQRbwJPTV3PQLn2F7AUD3FW2Fw1V8ZeZuazfeu1v. The
     * account refers to it as a global contract by hash; its code is not bundled here.
     */
    public static final GlobalContractId ETH_WALLET_CONTRACT = GlobalContractId.byHash(
            HexFormat.of().parseHex("d2884a900d4fa370e48f1e3d4865d4dc0dbd093c89f0e7baef2eddc142c49e8d"));

    private static final int PREFIXED_LENGTH = 42;

    /** The kind of {@code accountId}, checked in nearcore's order (ETH, NEAR-implicit, deterministic). */
    public static AccountType of(String accountId) {
        if (accountId.length() == PREFIXED_LENGTH && AccountIds.isLowercaseHex(accountId, 2)) {
            if (accountId.startsWith("0x")) {
                return ETH_IMPLICIT;
            }
            if (accountId.startsWith("0s")) {
                return NEAR_DETERMINISTIC;
            }
        }
        if (AccountIds.isNearImplicit(accountId)) {
            return NEAR_IMPLICIT;
        }
        return NAMED;
    }

    public boolean isImplicit() {
        return this != NAMED;
    }

    /**
     * The ed25519 key a NEAR-implicit id spells (nearcore's {@code PublicKey::from_near_implicit_account}),
     * which the account's creation installs as its one full-access key.
     */
    public static PublicKey nearImplicitKey(String accountId) {
        if (of(accountId) != NEAR_IMPLICIT) {
            throw new IllegalArgumentException(accountId + " is not a NEAR-implicit account id");
        }
        return PublicKey.ed25519(HexFormat.of().parseHex(accountId));
    }
}

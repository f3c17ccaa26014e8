package dev.outlayer.bench.targetsystem.contracts;

/**
 * nearcore's {@code AccountContract} (core/primitives-core/src/account.rs), what a call's VMContext
 * says the current account runs: no code, its own code (by hash), or a global contract by code hash
 * or by its deployer's account id. {@link #kind()}'s ordinal is {@code current_contract_code}'s result.
 *
 * @param codeHash  the 32-byte hash for {@link Kind#LOCAL} and {@link Kind#GLOBAL}, else null
 * @param accountId the global contract's deployer for {@link Kind#GLOBAL_BY_ACCOUNT}, else null
 */
public record AccountContract(Kind kind, byte[] codeHash, String accountId) {
    /** In logic.rs's order: current_contract_code returns 0, 1, 2, 3. */
    public enum Kind {
        NONE,
        LOCAL,
        GLOBAL,
        GLOBAL_BY_ACCOUNT
    }

    public static final AccountContract NONE = new AccountContract(Kind.NONE, null, null);

    public AccountContract {
        codeHash = codeHash == null ? null : codeHash.clone();
    }

    /** What an account runs: the global contract it uses, else its own code, else nothing. */
    static AccountContract of(CompiledContract own, GlobalContractId global) {
        if (global != null) {
            return global.isHash()
                    ? new AccountContract(Kind.GLOBAL, global.codeHash(), null)
                    : new AccountContract(Kind.GLOBAL_BY_ACCOUNT, null, global.accountId());
        }
        return own == null ? NONE : new AccountContract(Kind.LOCAL, own.codeHashBytes(), null);
    }

    @Override
    public byte[] codeHash() {
        return codeHash == null ? null : codeHash.clone();
    }
}

package dev.outlayer.bench.targetsystem.rpc;

import java.util.List;
import java.util.Optional;

/** A chain with no accounts: every account query answers UNKNOWN_ACCOUNT, as a fresh node would. */
public final class EmptyChain implements ChainView {
    public static final EmptyChain INSTANCE = new EmptyChain();

    private EmptyChain() {}

    @Override
    public Optional<Account> account(String accountId) {
        return Optional.empty();
    }

    @Override
    public Optional<byte[]> code(String accountId) {
        return Optional.empty();
    }

    @Override
    public List<StateEntry> state(String accountId, byte[] prefix) {
        return List.of();
    }

    @Override
    public ViewOutcome view(String accountId, String method, byte[] args, BlockContext block) {
        // Unreachable through the emulator, which checks the account first; answer like nearcore would.
        return new ViewOutcome.Failure(
                "CompilationError(CodeDoesNotExist { account_id: AccountId(\"" + accountId + "\") })");
    }
}

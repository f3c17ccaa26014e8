package dev.outlayer.bench.targetsystem.http.contracts;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.contracts.AccountState;
import dev.outlayer.bench.targetsystem.contracts.CompiledContract;
import java.util.Set;

/** {@code GET /contracts/{account_id}}: NEAR's view_account fields plus what the simulator knows. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record AccountSummary(
        String accountId,
        String codeHash,
        int codeSize,
        String amount,
        String locked,
        long storageUsage,
        int stateEntries,
        long calls,
        boolean metered,
        Set<String> methods) {
    /** NEAR's code hash of an account without code (32 zero bytes in base58). */
    private static final String NO_CODE = "11111111111111111111111111111111";

    static AccountSummary of(String accountId, AccountState.Snapshot snapshot) {
        CompiledContract contract = snapshot.contract();
        return new AccountSummary(
                accountId,
                contract == null ? NO_CODE : contract.codeHash(),
                contract == null ? 0 : contract.codeSize(),
                snapshot.balance().toString(),
                "0",
                snapshot.storageUsage(),
                snapshot.data().size(),
                snapshot.calls(),
                contract != null && contract.metered(),
                contract == null ? Set.of() : contract.methods());
    }
}

package dev.outlayer.bench.targetsystem.http.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.contracts.AccountState;
import dev.outlayer.bench.targetsystem.contracts.CompiledContract;
import dev.outlayer.bench.targetsystem.contracts.GlobalContractId;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.util.Set;

/**
 * {@code GET /contracts/{account_id}}: NEAR's view_account fields plus what the simulator knows. For an
 * account using a global contract, {@code code_hash} is view_account's (none of its own),
 * {@code global_contract_hash} or {@code global_contract_account_id} names the global contract, and
 * {@code code_size}, {@code metered} and {@code methods} describe the code its calls run.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
record AccountSummary(
        String accountId,
        String codeHash,
        String globalContractHash,
        String globalContractAccountId,
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

    /** @param code the code the account's calls run (compiled or not), or null */
    static AccountSummary of(String accountId, AccountState.Snapshot snapshot, byte[] code) {
        CompiledContract contract = snapshot.contract();
        GlobalContractId global = snapshot.globalContract();
        return new AccountSummary(
                accountId,
                global != null || snapshot.codeHash() == null ? NO_CODE : Base58.encode(snapshot.codeHash()),
                global != null && global.isHash() ? global.value() : null,
                global != null && !global.isHash() ? global.accountId() : null,
                code == null ? 0 : code.length, // also code a DeployContract stored that does not compile
                snapshot.balance().toString(),
                "0",
                snapshot.storageUsage(),
                snapshot.data().size(),
                snapshot.calls(),
                contract != null && contract.metered(),
                contract == null ? Set.of() : contract.methods());
    }
}

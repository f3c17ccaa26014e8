package dev.outlayer.bench.targetsystem.http.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.AccountState;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.contracts.SignedActions;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /contracts/{account_id} describes code a DeployContract stored even when it does not compile. */
class AccountSummaryTest {
    @Test
    void codeThatDoesNotCompileShowsItsHashAndSize() {
        // A function type with two results: multi-value is off at protocol 86 (Deserialization).
        byte[] code = {0, 'a', 's', 'm', 1, 0, 0, 0, 0x01, 0x06, 0x01, 0x60, 0x00, 0x02, 0x7f, 0x7f};
        try (ContractSimulator sim = TestContracts.simulator(true)) {
            String id = "bad.test.near";
            PublicKey key = PublicKey.ed25519(new byte[32]);
            sim.putAccount(id, new BigInteger("10000000000000000000000000"));
            sim.putAccessKey(id, key, AccessKey.fullAccess(0));
            var tree = sim.submit(
                    new SignedActions(
                            id, key, 1, id, List.of(new Action.DeployContract(code)), Base58.encode(new byte[32])),
                    WaitMode.ALL_RECEIPTS);
            assertThat(tree.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
            AccountState account = sim.account(id).orElseThrow();
            AccountSummary summary = account.read(s -> AccountSummary.of(id, s, account.code()));
            assertThat(summary.codeHash()).isEqualTo(ContractCompiler.codeHash(code));
            assertThat(summary.codeSize()).isEqualTo(code.length);
            assertThat(summary.methods()).isEmpty();
        }
    }
}

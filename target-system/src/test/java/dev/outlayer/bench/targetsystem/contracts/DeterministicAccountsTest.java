package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NEP-616's host functions and action (nearcore logic.rs, runtime/runtime/src/deterministic_account_id.rs,
 * action_validation.rs) through deterministic.wat: what code an account runs, where a receipt's refunds
 * go, and deterministic state init.
 */
class DeterministicAccountsTest {
    private static final String ALICE = "alice.test.near";
    private static final String CONTRACT = "det.test.near";
    private static final BigInteger ONE_NEAR = new BigInteger("1000000000000000000000000");
    private static final BigInteger HUNDRED_NEAR = ONE_NEAR.multiply(BigInteger.valueOf(100));

    private final AtomicLong now = new AtomicLong(1_000_000L);
    private final PublicKey aliceKey = PublicKey.ed25519(new byte[32]);
    private ContractSimulator simulator;
    private long nonce;

    @BeforeEach
    void setUp() {
        simulator = new ContractSimulator(true, new BlockClock(0, 1000, now::get));
        simulator.putAccount(ALICE, HUNDRED_NEAR);
        simulator.putAccessKey(ALICE, aliceKey, AccessKey.fullAccess(0));
        simulator.deploy(CONTRACT, wasm("deterministic"));
    }

    /** Alice's signed transaction of {@code actions} to {@code receiver}, run to its last receipt. */
    private TxOutcome submit(String receiver, List<Action> actions) {
        nonce++;
        return simulator.submit(
                new SignedActions(ALICE, aliceKey, nonce, receiver, actions, Base58.encode(hash(nonce))),
                WaitMode.ALL_RECEIPTS);
    }

    private static byte[] hash(long n) {
        return ReceiptEngine.sha256().digest(utf8("tx " + n));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] out = new byte[first.length + second.length];
        System.arraycopy(first, 0, out, 0, first.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }

    private Outcome call(String account, String method, byte[] args) {
        Outcome outcome = simulator.execute(CallRequest.call(account, method, args));
        assertThat(outcome.success()).as(outcome.errorMessage()).isTrue();
        return outcome;
    }

    // ---- current_contract_code ----

    @Test
    void currentContractCodeNamesTheAccountsOwnCodeOrTheGlobalContractItUses() {
        byte[] code = wasm("deterministic");
        byte[] codeHash = ReceiptEngine.sha256().digest(code);

        Outcome local = call(CONTRACT, "code_kind", new byte[0]);
        assertThat(local.result()).as("1 and the code's sha256").isEqualTo(concat(new byte[] {1}, codeHash));
        assertThat(local.profile().gas(ExtCost.write_register_byte))
                .as("the 32-byte hash into the register (register_len and read_register write none)")
                .isEqualTo(32 * ExtCost.write_register_byte.gas);
        Outcome view = simulator.execute(CallRequest.view(CONTRACT, "code_kind", new byte[0]));
        assertThat(view.result()).as("allowed in views").isEqualTo(local.result());

        submit(
                ALICE,
                List.of(new Action.DeployGlobalContract(code, false), new Action.DeployGlobalContract(code, true)));
        String byHash = "h." + ALICE;
        String byAccount = "a." + ALICE;
        submit(
                byHash,
                List.of(
                        new Action.CreateAccount(),
                        new Action.Transfer(ONE_NEAR),
                        new Action.UseGlobalContract(GlobalContractId.byHash(codeHash))));
        submit(
                byAccount,
                List.of(
                        new Action.CreateAccount(),
                        new Action.Transfer(ONE_NEAR),
                        new Action.UseGlobalContract(GlobalContractId.byAccount(ALICE))));

        assertThat(call(byHash, "code_kind", new byte[0]).result())
                .as("2 and the global contract's hash")
                .isEqualTo(concat(new byte[] {2}, codeHash));
        Outcome global = call(byAccount, "code_kind", new byte[0]);
        assertThat(global.result())
                .as("3 and the deployer's account id")
                .isEqualTo(concat(new byte[] {3}, utf8(ALICE)));
        assertThat(global.profile().gas(ExtCost.write_register_byte)).isEqualTo(15 * ExtCost.write_register_byte.gas);
    }
}

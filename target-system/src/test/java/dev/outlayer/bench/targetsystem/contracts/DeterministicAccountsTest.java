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

    // ---- refund_to (ActionReceiptV2) ----

    private static final String BOB = "bob.test.near";

    private TxOutcome callFromAlice(String method, byte[] input) {
        return simulator.call(
                CallRequest.call(CONTRACT, method, input).withCaller(ALICE, ALICE),
                WaitMode.ALL_RECEIPTS,
                HostBinding.DIRECT);
    }

    private static String value(TxOutcome tree) {
        assertThat(tree.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        return TestContracts.text(((ExecutionStatus.SuccessValue) tree.finalStatus()).value());
    }

    /** call_with_refund_to's input: the refund_to account id's length, the id, the method. */
    private static byte[] refundInput(String refundTo, String method) {
        byte[] id = utf8(refundTo);
        return concat(concat(new byte[] {(byte) id.length}, id), utf8(method));
    }

    private static String hostError(Outcome outcome) {
        assertThat(outcome.success()).isFalse();
        assertThat(outcome.errorKind()).isEqualTo("HostError");
        return outcome.errorMessage().substring(0, outcome.errorMessage().indexOf(':'));
    }

    @Test
    void aReceiptsRefundToSeesItAndGetsTheDepositsOfItsFailure() {
        simulator.putAccount(BOB, ONE_NEAR);
        TxOutcome seen = callFromAlice("call_with_refund_to", refundInput(BOB, "who_refunds"));
        assertThat(value(seen))
                .as("refund_to_account_id in the receipt whose creator set refund_to")
                .isEqualTo(BOB);
        assertThat(value(callFromAlice("who_refunds", new byte[0])))
                .as("without refund_to: the predecessor")
                .isEqualTo(ALICE);
        assertThat(simulator.firstCall(seen).profile().gas(ExtCost.utf8_decoding_byte))
                .as("promise_set_refund_to reads the id as read_and_parse_account_id: %s and %s", CONTRACT, BOB)
                .isEqualTo((CONTRACT.length() + BOB.length()) * ExtCost.utf8_decoding_byte.gas);

        BigInteger bob = simulator.account(BOB).orElseThrow().balance();
        TxOutcome failed = callFromAlice("call_with_refund_to", refundInput(BOB, "fail"));
        TxOutcome.ExecutionOutcome callee = failed.receiptsOutcome().stream()
                .filter(o ->
                        o.executorId().equals(CONTRACT) && o.predecessorId().equals(CONTRACT))
                .findFirst()
                .orElseThrow();
        assertThat(callee.status()).isInstanceOf(ExecutionStatus.Failure.class);
        TxOutcome.ExecutionOutcome refund = failed.receiptsOutcome().stream()
                .filter(o -> o.executorId().equals(BOB))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no refund to " + BOB + ": " + failed.receiptsOutcome()));
        assertThat(refund.predecessorId()).isEqualTo(ReceiptEngine.SYSTEM);
        assertThat(callee.receiptIds()).contains(refund.id());
        assertThat(simulator.account(BOB).orElseThrow().balance())
                .as("the failed receipt's 1 milliNEAR goes to refund_to, not to the predecessor")
                .isEqualTo(bob.add(new BigInteger("1000000000000000000000")));
        assertThat(failed.receiptsOutcome())
                .as("the gas refund still goes to the signer")
                .anySatisfy(o -> {
                    assertThat(o.executorId()).isEqualTo(ALICE);
                    assertThat(o.predecessorId()).isEqualTo(ReceiptEngine.SYSTEM);
                });
    }

    @Test
    void promiseSetRefundToRefusesWhatNearcoreRefuses() {
        assertThat(hostError(call(CONTRACT, "refund_joint", new byte[0], false)))
                .isEqualTo("CannotSetRefundToOnJointPromise");
        assertThat(hostError(call(CONTRACT, "refund_no_promise", utf8(BOB), false)))
                .isEqualTo("InvalidPromiseIndex");
        assertThat(hostError(call(CONTRACT, "refund_no_promise", utf8("Not An Account"), false)))
                .as("the id is parsed before the promise is looked up")
                .isEqualTo("InvalidAccountId");
        assertThat(hostError(call(CONTRACT, "refund_out_of_bounds", new byte[0], false)))
                .isEqualTo("MemoryAccessViolation");
        assertThat(hostError(simulator.execute(CallRequest.view(CONTRACT, "who_refunds", new byte[0]))))
                .isEqualTo("ProhibitedInView");
    }

    private Outcome call(String account, String method, byte[] args, boolean mustSucceed) {
        Outcome outcome = simulator.execute(CallRequest.call(account, method, args));
        if (mustSucceed) {
            assertThat(outcome.success()).as(outcome.errorMessage()).isTrue();
        }
        return outcome;
    }

    @Test
    void aReceiptWithRefundToIsSizedAsNearcoresActionReceiptV2() {
        // function_call.rs builds ReceiptEnum::ActionV2 since 82: refund_to is an Option after signer_id,
        // 1 byte when unset, 1 + 4 + the id's bytes when set.
        PromiseLog log = new PromiseLog();
        long index = log.newReceipt(BOB, new int[0], null);
        log.actionTarget(index).actions().add(new Action.Transfer(BigInteger.ONE));
        PublicKey key = PublicKey.ed25519(new byte[32]);
        long unset = ReceiptValidation.receiptSize(CONTRACT, ALICE, key, log.receipt(0), 0, 0);
        assertThat(unset)
                .as("ReceiptV0 (4+13, 4+13, 32, tag) + ActionReceiptV2 (4+15, None, 33, 16, 4, 4, 4 + Transfer 1+16)")
                .isEqualTo(17 + 17 + 32 + 1 + 19 + 1 + 33 + 16 + 4 + 4 + 4 + 17)
                .isEqualTo(165);
        log.setRefundTo(index, ALICE);
        assertThat(ReceiptValidation.receiptSize(CONTRACT, ALICE, key, log.receipt(0), 0, 0))
                .isEqualTo(unset + 4 + ALICE.length());
    }
}

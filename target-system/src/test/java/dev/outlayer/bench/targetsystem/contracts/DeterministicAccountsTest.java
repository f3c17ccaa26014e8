package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
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

    @AutoClose
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
    void aRefundToAnAccountBelowItsStorageStakeFailsAndItsAmountIsBurnt() {
        // lib.rs apply_action_receipt (near/nearcore 004d76e) runs check_storage_stake after the actions of
        // every action receipt, a refund from system too; a refund that fails it is rolled back and, its
        // predecessor being system, not refunded: its amount is burnt (other_burnt_amount). Only an account
        // a patch (or genesis) left below its stake can get there: refunds add, never take.
        simulator.deploy(BOB, wasm("deterministic"));
        long usage = simulator.account(BOB).orElseThrow().read(AccountState.Snapshot::storageUsage);
        assertThat(usage).as("no zero-balance account").isGreaterThan(770);
        BigInteger stake = STORAGE_PRICE.multiply(BigInteger.valueOf(usage));
        BigInteger deposit = new BigInteger("1000000000000000000000"); // what call_with_refund_to attaches

        simulator.putAccount(BOB, stake);
        BigInteger before = balances();
        TxOutcome credited = submitRefundTo(BOB);
        assertThat(refundOn(credited, BOB).status())
                .as("at its stake, the refund succeeds as before")
                .isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(balance(BOB)).isEqualTo(stake.add(deposit));
        BigInteger spentCredited = before.subtract(balances());

        BigInteger short_ = stake.subtract(deposit).subtract(BigInteger.ONE);
        simulator.putAccount(BOB, short_);
        before = balances();
        TxOutcome burnt = submitRefundTo(BOB);
        TxOutcome.ExecutionOutcome refund = refundOn(burnt, BOB);
        assertThat(refund.status())
                .as("checked after the transfer: 1 yocto short with the deposit in")
                .isEqualTo(new ExecutionStatus.Failure(
                        null,
                        "LackBalanceForState",
                        null,
                        "account " + BOB + " needs 1 yoctoNEAR more to cover its storage",
                        java.util.Map.of("account_id", BOB, "amount", BigInteger.ONE)));
        assertThat(refund.receiptIds()).as("a failed refund is not refunded").isEmpty();
        assertThat(balance(BOB)).as("nothing credited").isEqualTo(short_);
        assertThat(before.subtract(balances()))
                .as("the same gas as the credited run, and the deposit is gone")
                .isEqualTo(spentCredited.add(deposit));
    }

    /** Alice's signed call_with_refund_to on the contract, failing, its 1 milliNEAR refunded to {@code to}. */
    private TxOutcome submitRefundTo(String to) {
        return submit(
                CONTRACT,
                List.of(new Action.FunctionCall(
                        "call_with_refund_to", refundInput(to, "fail"), 50_000_000_000_000L, BigInteger.ZERO)));
    }

    private static TxOutcome.ExecutionOutcome refundOn(TxOutcome tree, String account) {
        return tree.receiptsOutcome().stream()
                .filter(o -> o.executorId().equals(account) && o.predecessorId().equals(ReceiptEngine.SYSTEM))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no refund to " + account + ": " + tree.receiptsOutcome()));
    }

    private BigInteger balance(String account) {
        return simulator.account(account).orElseThrow().balance();
    }

    /** What Alice, the contract and Bob hold together. */
    private BigInteger balances() {
        return balance(ALICE).add(balance(CONTRACT)).add(balance(BOB));
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

    // ---- deterministic state init (NEP-616) ----

    private static final BigInteger STORAGE_PRICE = new BigInteger("10000000000000000000"); // 10^19 a byte

    /** Alice publishes counter.wasm as a global contract by its hash; the identifier. */
    private GlobalContractId counterByHash() {
        byte[] counter = wasm("counter");
        submit(ALICE, List.of(new Action.DeployGlobalContract(counter, false)));
        return GlobalContractId.byHash(ReceiptEngine.sha256().digest(counter));
    }

    private static java.util.SortedMap<Bytes, byte[]> data(Object... keysAndValues) {
        java.util.TreeMap<Bytes, byte[]> data = new java.util.TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object value = keysAndValues[i + 1];
            data.put(Bytes.wrap(utf8((String) keysAndValues[i])), value instanceof byte[] b ? b : utf8((String) value));
        }
        return data;
    }

    private static byte[] le64(long value) {
        return java.nio.ByteBuffer.allocate(8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(value)
                .array();
    }

    private TxOutcome.ExecutionOutcome executedOn(TxOutcome tree, String account) {
        return tree.receiptsOutcome().stream()
                .filter(o ->
                        o.executorId().equals(account) && !o.predecessorId().equals(ReceiptEngine.SYSTEM))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no receipt on " + account + ": " + tree.receiptsOutcome()));
    }

    @Test
    void aStateInitTransactionCreatesTheDerivedAccountRunningTheGlobalContractWithItsData() {
        GlobalContractId counter = counterByHash();
        Action.DeterministicStateInit init =
                new Action.DeterministicStateInit(counter, data("count", le64(41)), BigInteger.ZERO);
        String account = init.derivedAccountId();
        assertThat(account).matches("0s[0-9a-f]{40}");
        assertThat(new Action.DeterministicStateInit(counter, data("count", le64(42)), BigInteger.ZERO)
                        .derivedAccountId())
                .as("the id derives from the code and the data")
                .isNotEqualTo(account);
        assertThat(new Action.DeterministicStateInit(counter, data("count", le64(41)), ONE_NEAR).derivedAccountId())
                .as("not from the deposit")
                .isEqualTo(account);

        TxOutcome tree = submit(
                account,
                List.of(init, new Action.FunctionCall("get_num", new byte[0], 10_000_000_000_000L, BigInteger.ZERO)));

        assertThat(value(tree)).as("the call after the init sees its data").isEqualTo("41");
        AccountState created = simulator.account(account).orElseThrow();
        assertThat(created.globalContract()).isEqualTo(counter);
        assertThat(created.read(AccountState.Snapshot::storageUsage))
                .as("100 for the account, 32 for the code hash, 5 + 8 + 40 for the entry")
                .isEqualTo(185);
        assertThat(created.read(AccountState.Snapshot::balance))
                .as("185 bytes: a zero-balance account needs no stake; it has only the call's gas reward")
                .isEqualTo(Fee.GAS_PRICE.multiply(
                        BigInteger.valueOf(executedOn(tree, account).call().gasBurnt() * 3 / 10)));
        assertThat(created.accessKeys()).isEmpty();
        long callSend = Fee.functionCallSendFee(false, "get_num".length());
        assertThat(tree.transactionOutcome().gasBurnt())
                .as("receipt creation + 3,850,000,000,000 + 13 bytes x 72,000,000 + the call's send fee")
                .isEqualTo(Fee.action_receipt_creation.sendNotSir + 3_850_936_000_000L + callSend);
        TxOutcome.ExecutionOutcome receipt = executedOn(tree, account);
        assertThat(receipt.gasBurnt() - receipt.call().gasBurnt())
                .as("execution: receipt + 4,080,000,000,000 + 1 entry x 200,000,000,000 + 13 x 70,000,000 + the call's")
                .isEqualTo(Fee.action_receipt_creation.execution
                        + 4_280_910_000_000L
                        + Fee.functionCallExecFee("get_num".length()));
        // AccountCostIncrease (85): the receipt created the account, so lib.rs charges account_creation_charge
        // (7 x 10^21) less the create_account execution fee (7.2 Tgas at 10^8), but never more than the price
        // surplus it refunds (9 x 10^8 for each gas it burnt: bought at 10^9, burnt at 10^8). A state init
        // burns no create_account fee, so here the surplus is the smaller: all of it is burnt.
        BigInteger gasPrice = BigInteger.valueOf(100_000_000L);
        BigInteger wanted = new BigInteger("7000000000000000000000")
                .subtract(gasPrice.multiply(BigInteger.valueOf(7_200_000_000_000L)));
        BigInteger surplus = BigInteger.valueOf(900_000_000L).multiply(BigInteger.valueOf(receipt.gasBurnt()));
        assertThat(receipt.tokensBurnt())
                .isEqualTo(gasPrice.multiply(BigInteger.valueOf(receipt.gasBurnt()))
                        .add(wanted.min(surplus)));

        assertThat(simulator
                        .execute(CallRequest.call(account, "increment", new byte[0]))
                        .success())
                .isTrue();
        TxOutcome again = submit(
                account,
                List.of(init, new Action.FunctionCall("get_num", new byte[0], 10_000_000_000_000L, BigInteger.ZERO)));
        assertThat(value(again))
                .as("an account that has code is left alone: the receipt goes on")
                .isEqualTo("42");
        TxOutcome.ExecutionOutcome existing = executedOn(again, account);
        assertThat(existing.tokensBurnt())
                .as("an account that existed is not charged for")
                .isEqualTo(gasPrice.multiply(BigInteger.valueOf(existing.gasBurnt())));
    }

    @Test
    void theDepositPaysWhatTheStorageStakeLacksAndTheRestGoesBack() {
        GlobalContractId counter = counterByHash();
        byte[] big = new byte[1000];
        Action.DeterministicStateInit init = new Action.DeterministicStateInit(counter, data("blob", big), ONE_NEAR);
        String account = init.derivedAccountId();
        BigInteger before = simulator.account(ALICE).orElseThrow().balance();

        TxOutcome tree = submit(account, List.of(init));

        assertThat(executedOn(tree, account).status()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        long usage = 100 + 32 + 4 + 1000 + 40;
        BigInteger stake = STORAGE_PRICE.multiply(BigInteger.valueOf(usage));
        AccountState created = simulator.account(account).orElseThrow();
        assertThat(created.read(AccountState.Snapshot::storageUsage)).isEqualTo(usage);
        assertThat(created.read(AccountState.Snapshot::balance))
                .as("over 770 bytes: exactly the stake for 1,176 bytes is kept")
                .isEqualTo(stake);
        TxOutcome.ExecutionOutcome refund = tree.receiptsOutcome().stream()
                .filter(o -> o.executorId().equals(ALICE) && o.predecessorId().equals(ReceiptEngine.SYSTEM))
                .filter(o -> executedOn(tree, account).receiptIds().contains(o.id()))
                .findFirst()
                .orElseThrow();
        assertThat(refund.status()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        // What was burnt in tokens (a refund's outcome shows its gas but burns no tokens).
        BigInteger burnt = tree.receiptsOutcome().stream()
                .map(TxOutcome.ExecutionOutcome::tokensBurnt)
                .reduce(tree.transactionOutcome().tokensBurnt(), BigInteger::add);
        assertThat(before.subtract(simulator.account(ALICE).orElseThrow().balance()))
                .as("Alice pays the stake and the gas; the rest of her 1 NEAR comes back")
                .isEqualTo(stake.add(burnt));

        Action.DeterministicStateInit short_ = new Action.DeterministicStateInit(
                counter, data("blob", big, "x", "y"), new BigInteger("1000000000000000000000"));
        String poor = short_.derivedAccountId();
        TxOutcome failed = submit(poor, List.of(short_));
        assertThat(executedOn(failed, poor).status())
                .as("a deposit short of the stake goes to the account, and the receipt's storage check fails")
                .isInstanceOfSatisfying(
                        ExecutionStatus.Failure.class, f -> assertThat(f.kind()).isEqualTo("LackBalanceForState"));
        assertThat(simulator.account(poor)).as("nothing of it stays").isEmpty();
    }

    /** deterministic.wat's state_init input: receiver, deposit, code, then the entries (key, value, ...). */
    private static byte[] stateInitInput(String receiver, BigInteger deposit, GlobalContractId code, byte[]... kv) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] id = utf8(receiver);
        out.write(id.length);
        out.writeBytes(id);
        out.writeBytes(VmLogic.u128(deposit));
        byte[] identifier = code.isHash() ? code.codeHash() : utf8(code.accountId());
        out.write(code.isHash() ? 0 : 1);
        out.write(identifier.length);
        out.writeBytes(identifier);
        for (byte[] part : kv) {
            out.write(part.length);
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static long le64(byte[] value) {
        return java.nio.ByteBuffer.wrap(value)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong();
    }

    @Test
    void aContractInitsADeterministicAccountWithTheHostFunctions() {
        GlobalContractId counter = counterByHash();
        BigInteger milli = new BigInteger("1000000000000000000000");
        Action.DeterministicStateInit init = new Action.DeterministicStateInit(counter, data("count", le64(7)), milli);
        String account = init.derivedAccountId();

        TxOutcome tree = callFromAlice("state_init", stateInitInput(account, milli, counter, utf8("count"), le64(7)));

        assertThat(le64(simulator.firstCall(tree).result()))
                .as("promise_batch_action_state_init's action index")
                .isZero();
        TxOutcome.ExecutionOutcome receipt = executedOn(tree, account);
        assertThat(receipt.status()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(receipt.predecessorId()).isEqualTo(CONTRACT);
        assertThat(receipt.gasBurnt())
                .as("receipt + 4,080,000,000,000 + 200,000,000,000 + 13 bytes x 70,000,000")
                .isEqualTo(Fee.action_receipt_creation.execution + 4_280_910_000_000L);
        assertThat(TestContracts.text(call(account, "get_num", new byte[0]).result()))
                .isEqualTo("7");
        assertThat(tree.receiptsOutcome())
                .as("a zero-balance account: the whole milliNEAR back to the predecessor")
                .anySatisfy(o -> {
                    assertThat(o.executorId()).isEqualTo(CONTRACT);
                    assertThat(o.predecessorId()).isEqualTo(ReceiptEngine.SYSTEM);
                    assertThat(receipt.receiptIds()).contains(o.id());
                });

        TxOutcome again = callFromAlice(
                "state_init_after_transfer", stateInitInput(account, milli, counter, utf8("count"), le64(7)));
        assertThat(le64(simulator.firstCall(again).result()))
                .as("after a Transfer it is action 1")
                .isEqualTo(1);
        assertThat(executedOn(again, account).status())
                .as("on an existing account: the Transfer, and the init does nothing")
                .isInstanceOf(ExecutionStatus.SuccessValue.class);

        submit(ALICE, List.of(new Action.DeployGlobalContract(wasm("counter"), true)));
        GlobalContractId byAlice = GlobalContractId.byAccount(ALICE);
        String other = new Action.DeterministicStateInit(byAlice, data(), BigInteger.ZERO).derivedAccountId();
        TxOutcome byAccount = callFromAlice("state_init", stateInitInput(other, BigInteger.ZERO, byAlice));
        assertThat(executedOn(byAccount, other).status()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(simulator.account(other).orElseThrow().globalContract()).isEqualTo(byAlice);
        assertThat(TestContracts.text(call(other, "get_num", new byte[0]).result()))
                .isEqualTo("0");
    }

    @Test
    void aStateInitToAnAccountItDoesNotDeriveIsRefusedAsNearcoresValidateReceipt() {
        GlobalContractId counter = counterByHash();
        TxOutcome tree = callFromAlice("state_init", stateInitInput(BOB, BigInteger.ZERO, counter));
        assertThat(tree.firstReceipt().status()).isInstanceOfSatisfying(ExecutionStatus.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo("NewReceiptValidationError");
            assertThat(f.errorKind()).isEqualTo("InvalidDeterministicStateInitReceiver");
        });
        com.fasterxml.jackson.databind.JsonNode view = dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                .<com.fasterxml.jackson.databind.JsonNode>valueToTree(
                        dev.outlayer.bench.targetsystem.transactions.OutcomeViews.finalStatus(
                                tree.firstReceipt().status()))
                .at(
                        "/Failure/ActionError/kind/NewReceiptValidationError/ActionsValidation/InvalidDeterministicStateInitReceiver");
        assertThat(view.get("receiver_id").asText()).isEqualTo(BOB);
        assertThat(view.get("derived_id").asText())
                .isEqualTo(new Action.DeterministicStateInit(counter, data(), BigInteger.ZERO).derivedAccountId());

        String missing = new Action.DeterministicStateInit(
                        GlobalContractId.byHash(new byte[32]), data(), BigInteger.ZERO)
                .derivedAccountId();
        BigInteger milli = new BigInteger("1000000000000000000000");
        TxOutcome noCode =
                callFromAlice("state_init", stateInitInput(missing, milli, GlobalContractId.byHash(new byte[32])));
        TxOutcome.ExecutionOutcome receipt = executedOn(noCode, missing);
        assertThat(receipt.status()).isInstanceOfSatisfying(ExecutionStatus.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo("GlobalContractDoesNotExist");
            assertThat(f.index()).isZero();
        });
        assertThat(simulator.account(missing)).as("the account is not created").isEmpty();
        assertThat(noCode.receiptsOutcome())
                .as("the deposit goes back to the predecessor")
                .anySatisfy(o -> {
                    assertThat(o.executorId()).isEqualTo(CONTRACT);
                    assertThat(receipt.receiptIds()).contains(o.id());
                });
    }

    @Test
    void setStateInitDataEntryRefusesARepeatedKeyAndAnActionThatIsNoStateInit() {
        GlobalContractId counter = counterByHash();
        assertThat(hostError(call(
                        CONTRACT,
                        "state_init",
                        stateInitInput(
                                "x.test.near", BigInteger.ZERO, counter, utf8("k"), utf8("1"), utf8("k"), utf8("2")),
                        false)))
                .isEqualTo("DataEntryAlreadyExists");
        assertThat(hostError(call(CONTRACT, "entry_on_transfer", new byte[0], false)))
                .isEqualTo("InvalidActionIndex");
        assertThat(hostError(call(
                        CONTRACT,
                        "state_init",
                        stateInitInput("x.test.near", BigInteger.ZERO, GlobalContractId.byAccount("Not Valid")),
                        false)))
                .isEqualTo("InvalidAccountId");
    }

    @Test
    void validateActionsChecksTheStateInitsEntriesAndItsCode() {
        // action_validation.rs validate_deterministic_state_init: code account id, receiver, then each
        // key (max_length_storage_key 2,048) and value (max_length_storage_value 4 MiB)
        Action.DeterministicStateInit bigValue = new Action.DeterministicStateInit(
                GlobalContractId.byHash(new byte[32]), data("k", new byte[4_194_305]), BigInteger.ZERO);
        ActionValidation.Error value = ActionValidation.validate(List.of(bigValue), bigValue.derivedAccountId());
        assertThat(value.variant()).isEqualTo("DeterministicStateInitValueLengthExceeded");
        assertThat(value.fields()).containsEntry("length", 4_194_305L).containsEntry("limit", 4_194_304L);
        Action.DeterministicStateInit badCode =
                new Action.DeterministicStateInit(GlobalContractId.byAccount("Not Valid"), data(), BigInteger.ZERO);
        assertThat(ActionValidation.validate(List.of(badCode), badCode.derivedAccountId())
                        .variant())
                .isEqualTo("InvalidAccountId");
        Action.DeterministicStateInit fine = new Action.DeterministicStateInit(
                GlobalContractId.byHash(new byte[32]), data("k", new byte[2048]), BigInteger.ZERO);
        assertThat(ActionValidation.validate(List.of(fine), fine.derivedAccountId()))
                .isNull();
    }

    @Test
    void anAccountWithOverTenThousandBytesBesideItsContractIsNotDeleted() {
        // nearcore actions.rs action_delete_account: storage usage less the contract's (the global
        // identifier's 32 bytes here, FixDeleteAccountGlobalContractStorageUsage) over
        // MAX_ACCOUNT_DELETION_STORAGE_USAGE (10,000) is DeleteAccountWithLargeState.
        byte[] code = wasm("deterministic");
        submit(ALICE, List.of(new Action.DeployGlobalContract(code, false)));
        GlobalContractId id = GlobalContractId.byHash(ReceiptEngine.sha256().digest(code));
        // 100 + 32 + (1 + n + 40): n = 9,859 leaves exactly 10,000 beside the code, n = 9,860 one more
        Action.DeterministicStateInit atLimit =
                new Action.DeterministicStateInit(id, data("k", new byte[9_859]), ONE_NEAR);
        Action.DeterministicStateInit over =
                new Action.DeterministicStateInit(id, data("k", new byte[9_860]), ONE_NEAR);
        submit(atLimit.derivedAccountId(), List.of(atLimit));
        submit(over.derivedAccountId(), List.of(over));
        assertThat(simulator.account(over.derivedAccountId()).orElseThrow().read(AccountState.Snapshot::storageUsage))
                .isEqualTo(10_033);

        TxOutcome large = simulator.call(
                CallRequest.call(over.derivedAccountId(), "delete_self", utf8(ALICE))
                        .withCaller(ALICE, ALICE),
                WaitMode.ALL_RECEIPTS,
                HostBinding.DIRECT);
        TxOutcome.ExecutionOutcome deletion = large.receiptsOutcome().stream()
                .filter(o -> o.executorId().equals(over.derivedAccountId())
                        && o.predecessorId().equals(over.derivedAccountId()))
                .findFirst()
                .orElseThrow();
        assertThat(deletion.status()).isInstanceOfSatisfying(ExecutionStatus.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo("DeleteAccountWithLargeState");
            assertThat(f.index()).isZero();
        });
        assertThat(dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                        .<com.fasterxml.jackson.databind.JsonNode>valueToTree(
                                dev.outlayer.bench.targetsystem.transactions.OutcomeViews.finalStatus(
                                        deletion.status()))
                        .at("/Failure/ActionError/kind/DeleteAccountWithLargeState/account_id")
                        .asText())
                .isEqualTo(over.derivedAccountId());
        assertThat(simulator.account(over.derivedAccountId())).isPresent();

        TxOutcome deleted = simulator.call(
                CallRequest.call(atLimit.derivedAccountId(), "delete_self", utf8(ALICE))
                        .withCaller(ALICE, ALICE),
                WaitMode.ALL_RECEIPTS,
                HostBinding.DIRECT);
        assertThat(deleted.receiptsOutcome())
                .allSatisfy(o -> assertThat(o.status()).isNotInstanceOf(ExecutionStatus.Failure.class));
        assertThat(simulator.account(atLimit.derivedAccountId()))
                .as("exactly 10,000 bytes beside the contract may go")
                .isEmpty();
        TxOutcome.ExecutionOutcome removal = deleted.receiptsOutcome().stream()
                .filter(o -> o.executorId().equals(atLimit.derivedAccountId())
                        && o.predecessorId().equals(atLimit.derivedAccountId()))
                .findFirst()
                .orElseThrow();
        TxOutcome.ExecutionOutcome payout = deleted.receiptsOutcome().stream()
                .filter(o -> removal.receiptIds().contains(o.id()))
                .filter(o -> o.executorId().equals(ALICE))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no payout to " + ALICE + ": " + deleted.receiptsOutcome()));
        assertThat(payout.predecessorId())
                .as("nearcore's action_delete_account pays out in Receipt::new_balance_refund: from system")
                .isEqualTo(ReceiptEngine.SYSTEM);
        // apply_action_receipt: a receipt from system burns no tokens; its outcome still shows its
        // execution fees as gas_burnt.
        assertThat(payout.tokensBurnt()).as("a balance refund burns no tokens").isZero();
    }

    @Test
    void aRelayedDelegateActionInitsADeterministicAccountForItsSender() {
        // FixDelegatedDeterministicStateInit (85): the inner state init is checked against the delegate's
        // receiver; it runs in the receipt from the sender, the relayer paying its deposit.
        GlobalContractId counter = counterByHash();
        dev.outlayer.bench.targetsystem.transactions.TransactionSigner bob =
                dev.outlayer.bench.targetsystem.transactions.TransactionSigner.fromSeed(BOB, new byte[32]);
        simulator.putAccount(BOB, ONE_NEAR);
        simulator.putAccessKey(BOB, bob.publicKey(), AccessKey.fullAccess(0));
        BigInteger milli = new BigInteger("1000000000000000000000");
        Action.DeterministicStateInit init = new Action.DeterministicStateInit(counter, data("count", le64(3)), milli);
        String account = init.derivedAccountId();
        assertThat(ActionValidation.validate(List.of(bob.delegate(account, 1, Long.MAX_VALUE, List.of(init))), BOB))
                .as("validated against the delegate's receiver, not the transaction's")
                .isNull();
        BigInteger relayer = simulator.account(ALICE).orElseThrow().balance();

        TxOutcome tree = submit(BOB, List.of(bob.delegate(account, 1, Long.MAX_VALUE, List.of(init))));

        TxOutcome.ExecutionOutcome inner = executedOn(tree, account);
        assertThat(inner.predecessorId()).isEqualTo(BOB);
        assertThat(inner.status()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(TestContracts.text(call(account, "get_num", new byte[0]).result()))
                .isEqualTo("3");
        assertThat(tree.receiptsOutcome())
                .as("the unneeded deposit goes to the inner receipt's predecessor, the sender")
                .anySatisfy(o -> {
                    assertThat(o.executorId()).isEqualTo(BOB);
                    assertThat(o.predecessorId()).isEqualTo(ReceiptEngine.SYSTEM);
                    assertThat(inner.receiptIds()).contains(o.id());
                });
        assertThat(relayer.subtract(simulator.account(ALICE).orElseThrow().balance()))
                .as("the relayer paid the deposit")
                .isGreaterThan(milli);
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.text;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.testing.LeakGuard;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receipt engine on the edges of NEAR's receipt model, with the receipts.wat contract
 * deployed twice (router calls callee) and a signer account that pays and gets refunds.
 */
class ReceiptEngineTest {
    private static final String ROUTER = "router.test.near";
    private static final String CALLEE = "callee.test.near";
    private static final String ALICE = "alice.test.near";
    private static final BigInteger TEN_NEAR = new BigInteger("10000000000000000000000000");

    private final AtomicLong now = new AtomicLong(1_000_000L);
    private ContractSimulator simulator;

    @BeforeEach
    void setUp() {
        simulator = new ContractSimulator(true, new BlockClock(0, 1000, now::get));
        simulator.deploy(ROUTER, wasm("receipts"));
        simulator.deploy(CALLEE, wasm("receipts"));
        simulator.putAccount(ALICE, TEN_NEAR);
    }

    @AfterEach
    void closeSimulator() {
        simulator.close();
    }

    private TxOutcome call(String account, String method, String args) {
        return simulator.call(
                CallRequest.call(account, method, utf8(args)).withCaller(ALICE, ALICE),
                WaitMode.ALL_RECEIPTS,
                HostBinding.DIRECT);
    }

    private static String value(ExecutionStatus status) {
        assertThat(status).isInstanceOf(ExecutionStatus.SuccessValue.class);
        return text(((ExecutionStatus.SuccessValue) status).value());
    }

    private static TxOutcome.ExecutionOutcome executedBy(TxOutcome tree, String executor, String predecessor) {
        return tree.receiptsOutcome().stream()
                .filter(o ->
                        o.executorId().equals(executor) && o.predecessorId().equals(predecessor))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no receipt of " + predecessor + " on " + executor));
    }

    @Test
    void callbackSeesTheCalleesValueOneBlockAfterIt() {
        TxOutcome tree = call(ROUTER, "then_ok", CALLEE);

        assertThat(value(tree.finalStatus())).isEqualTo("Sok;");
        TxOutcome.ExecutionOutcome router = tree.firstReceipt();
        TxOutcome.ExecutionOutcome callee = executedBy(tree, CALLEE, ROUTER);
        TxOutcome.ExecutionOutcome callback = executedBy(tree, ROUTER, ROUTER);
        assertThat(callee.logs()).containsExactly("ok");
        assertThat(callback.logs()).containsExactly("Sok;");
        assertThat(router.status()).isInstanceOf(ExecutionStatus.SuccessReceiptId.class);
        assertThat(callee.blockHeight()).isEqualTo(router.blockHeight() + 1);
        assertThat(callback.blockHeight()).isEqualTo(router.blockHeight() + 2);
        assertThat(simulator.outcome(tree.txHash()))
                .as("HTTP calls are not kept for tx status")
                .isEmpty();
    }

    @Test
    void aReceiptWithoutActionsToAnAccountThatDoesNotExistChangesNothing() {
        TxOutcome tree = call(ROUTER, "empty_batch", "nobody.test.near");
        assertThat(tree.receiptsOutcome())
                .as("every receipt ran: %s", tree.receiptsOutcome())
                .allSatisfy(o -> assertThat(o.status()).isNotInstanceOf(ExecutionStatus.Failure.class));
        executedBy(tree, "nobody.test.near", ROUTER);
        assertThat(simulator.account("nobody.test.near")).isEmpty();
        assertThat(value(call(ROUTER, "ok", "").receiptsOutcome().get(0).status()))
                .as("and the engine goes on")
                .isEqualTo("ok");
    }

    @Test
    void failedCalleeGivesTheCallbackAFailedResult() {
        TxOutcome tree = call(ROUTER, "then_fail", CALLEE);

        TxOutcome.ExecutionOutcome callee = executedBy(tree, CALLEE, ROUTER);
        assertThat(callee.status()).isInstanceOfSatisfying(ExecutionStatus.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo("FunctionCallError");
            assertThat(f.errorKind()).isEqualTo("GuestPanic");
            assertThat(f.message()).isEqualTo("Smart contract panicked: boom");
            assertThat(f.index()).isZero();
        });
        assertThat(value(tree.finalStatus()))
                .as("the callback decides the result")
                .isEqualTo("F;");
    }

    @Test
    void promiseAndOfThreeJoinsTheirResultsInOrder() {
        TxOutcome tree = call(ROUTER, "and_three", CALLEE);

        assertThat(value(tree.finalStatus())).isEqualTo("Sok;F;Sok;");
        assertThat(tree.receiptsOutcome().stream().filter(o -> o.executorId().equals(CALLEE)))
                .hasSize(3);
    }

    @Test
    void failedReceiptRefundsItsDepositToThePredecessor() {
        BigInteger calleeBefore = simulator.account(CALLEE).orElseThrow().balance();

        TxOutcome tree = call(ROUTER, "deposit_fail", CALLEE);

        TxOutcome.ExecutionOutcome callee = executedBy(tree, CALLEE, ROUTER);
        assertThat(callee.status()).isInstanceOf(ExecutionStatus.Failure.class);
        TxOutcome.ExecutionOutcome refund = executedBy(tree, ROUTER, ReceiptEngine.SYSTEM);
        assertThat(refund.status()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        // nearcore's apply_action_receipt: a refund's outcome counts its execution fees as gas_burnt but
        // burns no tokens ("we consider it free without burnt gas").
        assertThat(refund.tokensBurnt()).as("refunds are free").isZero();
        assertThat(refund.gasBurnt()).isEqualTo(Fee.action_receipt_creation.execution + Fee.action_transfer.execution);
        assertThat(callee.receiptIds()).contains(refund.id());
        // The callee keeps only its share of the gas it burnt, never the 1000 yocto deposit.
        BigInteger reward =
                Fee.GAS_PRICE.multiply(BigInteger.valueOf(callee.call().gasBurnt() * 3 / 10));
        assertThat(simulator.account(CALLEE).orElseThrow().balance()).isEqualTo(calleeBefore.add(reward));
    }

    @Test
    void gasExhaustionMidTreeFailsOnlyThatReceiptAndRefundsTheSigner() {
        BigInteger before = simulator.account(ALICE).orElseThrow().balance();

        TxOutcome tree = call(ROUTER, "then_burn", CALLEE);

        TxOutcome.ExecutionOutcome callee = executedBy(tree, CALLEE, ROUTER);
        assertThat(callee.status())
                .isInstanceOfSatisfying(
                        ExecutionStatus.Failure.class,
                        f -> assertThat(f.errorKind()).isEqualTo("GasExceeded"));
        assertThat(callee.call().gasBurnt()).isEqualTo(5_000_000_000_000L);
        assertThat(value(tree.finalStatus())).isEqualTo("F;");
        // Alice paid for 300 Tgas and the fees, and got back all that was not burnt. The data receipt
        // the callee's failure travelled in was paid whole (send and execution) in the router's
        // gas_burnt, as nearcore's pay_gas_for_new_receipt burns it when promise_then creates it.
        // What a refund's outcome shows as gas_burnt costs nothing: the tokens burnt add up.
        BigInteger burnt = tree.receiptsOutcome().stream()
                .map(TxOutcome.ExecutionOutcome::tokensBurnt)
                .reduce(tree.transactionOutcome().tokensBurnt(), BigInteger::add);
        BigInteger after = simulator.account(ALICE).orElseThrow().balance();
        assertThat(before.subtract(after)).isEqualTo(burnt);
        assertThat(tree.receiptsOutcome().stream().filter(o -> o.executorId().equals(ALICE)))
                .as("gas refunds to the signer")
                .isNotEmpty();
    }

    @Test
    void onlyTheLastCallOfAReceiptPaysForTheDataItsValueTravelsIn() {
        // nearcore function_call.rs execute_function_call: output data receivers only when
        // is_last_action; so only the last call's value_return burns data_receipt_creation_per_byte.
        TxOutcome tree = call(ROUTER, "two_calls_then", CALLEE);

        assertThat(value(tree.finalStatus())).isEqualTo("Sok;");
        TxOutcome.ExecutionOutcome callee = executedBy(tree, CALLEE, ROUTER);
        long lastCall = callee.call().gasBurnt(); // the last call's outcome
        long dataFee =
                2 * (Fee.data_receipt_creation_per_byte.sendNotSir + Fee.data_receipt_creation_per_byte.execution);
        long callExec = Fee.action_function_call.execution + 2 * Fee.action_function_call_per_byte.execution;
        assertThat(callee.gasBurnt())
                .as("two identical calls of ok; the first one's \"ok\" goes nowhere")
                .isEqualTo(Fee.action_receipt_creation.execution + 2 * callExec + lastCall + (lastCall - dataFee));
    }

    @Test
    void unusedGasGoesToCallsByWeight() {
        TxOutcome tree = call(ROUTER, "weighted", CALLEE);

        TxOutcome.ExecutionOutcome callee = executedBy(tree, CALLEE, ROUTER);
        assertThat(value(callee.status())).as("it ran on gas it did not attach").isEqualTo("ok");
        assertThat(value(tree.finalStatus())).isEqualTo("ok");
    }

    @Test
    void yieldRunsItsCallbackWhenResumedWithThePayload() {
        TxOutcome yielded = call(ROUTER, "yield", "");
        assertThat(yielded.finalStatus()).isInstanceOf(ExecutionStatus.Unknown.class);
        assertThat(simulator.waitingYields()).isEqualTo(1);

        TxOutcome resume = call(ROUTER, "resume", "hello");

        assertThat(value(resume.finalStatus())).isEqualTo("1");
        assertThat(value(yielded.finalStatus())).isEqualTo("Shello;");
        assertThat(simulator.waitingYields()).isZero();
        assertThat(value(call(ROUTER, "resume", "again").finalStatus()))
                .as("a yield resumes once")
                .isEqualTo("0");
    }

    @Test
    void aYieldWaitsFromTheReceiptThatCreatedItSoAnImmediateResumeFindsIt() {
        // FIRST_RECEIPT answers after the creating receipt; the rest of the tree runs in the background.
        TxOutcome yielded = simulator.call(
                CallRequest.call(ROUTER, "yield", utf8("")).withCaller(ALICE, ALICE),
                WaitMode.FIRST_RECEIPT,
                HostBinding.DIRECT);
        assertThat(simulator.waitingYields()).isEqualTo(1);

        assertThat(value(call(ROUTER, "resume", "now").finalStatus())).isEqualTo("1");
        assertThat(value(yielded.finalStatus())).isEqualTo("Snow;");
    }

    @Test
    void closingTheSimulatorFinishesItsBackgroundReceiptsAndEndsTheirThread() {
        LeakGuard.Snapshot before = LeakGuard.Snapshot.take();
        TxOutcome tree;
        // closed again by the try if an assertion fails before the close under test (a second close does nothing)
        try (ContractSimulator own = new ContractSimulator(true, new BlockClock(0, 1000, now::get))) {
            own.deploy(ROUTER, wasm("receipts"));
            own.deploy(CALLEE, wasm("receipts"));
            own.putAccount(ALICE, TEN_NEAR);
            // FIRST_RECEIPT: the callee and the callback run on the simulator's background thread
            tree = own.call(
                    CallRequest.call(ROUTER, "then_ok", utf8(CALLEE)).withCaller(ALICE, ALICE),
                    WaitMode.FIRST_RECEIPT,
                    HostBinding.DIRECT);
            assertThat(before.leftAfter(0).threadNames()).contains("receipts");

            own.close();
        }

        assertThat(value(tree.finalStatus()))
                .as("the tree running at close finished first")
                .isEqualTo("Sok;");
        assertThat(before.leftAfter(HangGuard.BOUND.toMillis()).threadNames()).doesNotContain("receipts");
    }

    @Test
    void yieldTimesOutAfterTheProtocolsBlocks() {
        TxOutcome yielded = call(ROUTER, "yield", "");
        long created = yielded.firstReceipt().blockHeight();

        now.addAndGet((Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS - 2) * 1000);
        simulator.runDueYields();
        assertThat(yielded.finalStatus()).isInstanceOf(ExecutionStatus.Unknown.class);

        now.addAndGet(3 * 1000);
        simulator.runDueYields();
        assertThat(value(yielded.finalStatus())).isEqualTo("F;");
        TxOutcome.ExecutionOutcome callback = executedBy(yielded, ROUTER, ROUTER);
        assertThat(callback.blockHeight()).isGreaterThanOrEqualTo(created + Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS);
        assertThat(value(call(ROUTER, "resume", "late").finalStatus())).isEqualTo("0");
    }

    @Test
    void aYieldsResumeAndItsTimeoutAreKeptAsDataReceiptsOnTheDataIdItWaitsOn() {
        // nearcore: promise_yield_resume sends a PromiseResume DataReceipt to the account itself (runtime
        // function_call.rs, receipt_manager.data_receipts) and resolve_promise_yield_timeouts one without
        // data; both get receipt ids and are stored. The engine logged neither.
        List<ReceiptRecord> kept = new java.util.concurrent.CopyOnWriteArrayList<>();
        simulator.logReceipts(kept::add);
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(0));

        TxOutcome yielded = simulator.submit(
                new SignedActions(ALICE, key, 1, ROUTER, List.of(functionCall("yield", "")), hash(70)),
                WaitMode.ALL_RECEIPTS);
        String waitsOn = yieldWaitingOn(kept);
        TxOutcome resume = simulator.submit(
                new SignedActions(ALICE, key, 2, ROUTER, List.of(functionCall("resume", "hello")), hash(71)),
                WaitMode.ALL_RECEIPTS);
        assertThat(value(yielded.finalStatus())).isEqualTo("Shello;");
        ReceiptRecord resumed = kept.stream()
                .filter(r -> r.data() != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no data receipt kept: " + kept));
        assertThat(resumed.data().dataId()).isEqualTo(waitsOn);
        assertThat(resumed.data().promiseResume()).isTrue();
        assertThat(text(resumed.data().value())).isEqualTo("hello");
        assertThat(resumed.predecessorId()).isEqualTo(ROUTER);
        assertThat(resumed.receiverId()).isEqualTo(ROUTER);
        assertThat(resumed.createdAtHeight()).isEqualTo(resume.firstReceipt().blockHeight());
        assertThat(resume.receiptsOutcome().stream().flatMap(o -> o.receiptIds().stream()))
                .as("not an outcome's receipt_id")
                .doesNotContain(resumed.receiptId());

        kept.clear();
        TxOutcome timesOut = simulator.submit(
                new SignedActions(ALICE, key, 3, ROUTER, List.of(functionCall("yield", "")), hash(72)),
                WaitMode.ALL_RECEIPTS);
        String timeoutWaitsOn = yieldWaitingOn(kept);
        now.addAndGet((Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS + 3) * 1000);
        simulator.runDueYields();
        assertThat(value(timesOut.finalStatus())).isEqualTo("F;");
        ReceiptRecord timeout = kept.stream()
                .filter(r -> r.data() != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no timeout kept: " + kept));
        assertThat(timeout.data().dataId()).isEqualTo(timeoutWaitsOn);
        assertThat(timeout.data().value())
                .as("no data: the callback sees a failure")
                .isNull();
        assertThat(timeout.data().promiseResume()).isTrue();
        assertThat(timeout.receiverId()).isEqualTo(ROUTER);
        assertThat(timeout.receiptId()).isNotEqualTo(resumed.receiptId());
    }

    /** nearcore's create_hash_upgradable at 86, written out: sha256(base || height u64 LE || salt u64 LE). */
    private static String nearcoreId(String base, long height, long salt) throws Exception {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(48).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.put(dev.outlayer.bench.targetsystem.rpc.Base58.decode(base))
                .putLong(height)
                .putLong(salt);
        return dev.outlayer.bench.targetsystem.rpc.Base58.encode(
                java.security.MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }

    @Test
    void aYieldsDataIdItsResumeAndItsTimeoutGetNearcoresIds() throws Exception {
        // ext.rs create_promise_yield_receipt: the yield's data id is the call's generate_data_id
        // (create_receipt_id_from_action_hash(action hash, height, 0)); function_call.rs puts a resume's
        // PromiseResume receipt among the call's new receipts, before its refunds, and
        // resolve_promise_yield_timeouts makes a timeout's id from the data id and the block's count of
        // timeouts. The engine hashed the receipt id with a tag.
        List<ReceiptRecord> kept = new java.util.concurrent.CopyOnWriteArrayList<>();
        simulator.logReceipts(kept::add);
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(0));

        TxOutcome yielded = simulator.submit(
                new SignedActions(ALICE, key, 1, ROUTER, List.of(functionCall("yield", "")), hash(80)),
                WaitMode.ALL_RECEIPTS);
        TxOutcome.ExecutionOutcome creating = yielded.firstReceipt();
        long created = creating.blockHeight();
        String waitsOn = yieldWaitingOn(kept);
        assertThat(waitsOn).isEqualTo(nearcoreId(nearcoreId(creating.id(), created, -1L), created, 0));
        assertThat(creating.receiptIds().get(0))
                .as("the yield receipt, the call's first new receipt")
                .isEqualTo(nearcoreId(creating.id(), created, 0));

        kept.clear();
        TxOutcome resume = simulator.submit(
                new SignedActions(ALICE, key, 2, ROUTER, List.of(functionCall("resume", "hello")), hash(81)),
                WaitMode.ALL_RECEIPTS);
        TxOutcome.ExecutionOutcome resuming = resume.firstReceipt();
        ReceiptRecord resumed = kept.stream()
                .filter(r -> r.data() != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no data receipt kept: " + kept));
        assertThat(resumed.receiptId()).isEqualTo(nearcoreId(resuming.id(), resuming.blockHeight(), 0));
        assertThat(resuming.receiptIds())
                .as("its gas refund comes after the resume")
                .containsExactly(nearcoreId(resuming.id(), resuming.blockHeight(), 1));

        kept.clear();
        simulator.submit(
                new SignedActions(ALICE, key, 3, ROUTER, List.of(functionCall("yield", "")), hash(82)),
                WaitMode.ALL_RECEIPTS);
        String timeoutWaitsOn = yieldWaitingOn(kept);
        now.addAndGet((Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS + 3) * 1000);
        simulator.runDueYields();
        ReceiptRecord timeout = kept.stream()
                .filter(r -> r.data() != null)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no timeout kept: " + kept));
        assertThat(timeout.receiptId()).isEqualTo(nearcoreId(timeoutWaitsOn, timeout.createdAtHeight(), 0));
    }

    @Test
    void yieldsDueWhenTheTimerAndCallsLookAtOnceTimeOutOnceEachNumberedAcrossTheBlock() throws Exception {
        // The timer and every call run the due timeouts; two of them at once each queued the same yields.
        List<ReceiptRecord> kept = new java.util.concurrent.CopyOnWriteArrayList<>();
        simulator.logReceipts(kept::add);
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(0));
        long nonce = 0;
        for (int round = 0; round < 10; round++) {
            int yields = 40;
            for (int i = 0; i < yields; i++) {
                simulator.submit(
                        new SignedActions(
                                ALICE, key, ++nonce, ROUTER, List.of(functionCall("yield", "")), hash((int) nonce)),
                        WaitMode.ALL_RECEIPTS);
            }
            kept.clear();
            now.addAndGet((Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS + 3) * 1000);
            int threads = 4;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    runs.add(pool.submit(() -> {
                        start.await();
                        simulator.runDueYields();
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> run : runs) {
                    run.get();
                }
            } finally {
                pool.shutdownNow();
            }
            List<ReceiptRecord> timeouts =
                    kept.stream().filter(r -> r.data() != null).toList();
            assertThat(timeouts).as("round %d: one timeout a yield", round).hasSize(yields);
            // resolve_promise_yield_timeouts numbers a block's timeouts 0, 1, 2...: each (height, index) once.
            java.util.Set<String> numbered = new java.util.HashSet<>();
            for (ReceiptRecord timeout : timeouts) {
                int index = 0;
                while (index < yields
                        && !nearcoreId(timeout.data().dataId(), timeout.createdAtHeight(), index)
                                .equals(timeout.receiptId())) {
                    index++;
                }
                assertThat(index).as("a timeout's id is nearcore's").isLessThan(yields);
                assertThat(numbered.add(timeout.createdAtHeight() + "/" + index))
                        .as("round %d: index %d twice at height %d", round, index, timeout.createdAtHeight())
                        .isTrue();
            }
            assertThat(simulator.waitingYields()).isZero();
        }
    }

    private static Action functionCall(String method, String args) {
        return new Action.FunctionCall(method, utf8(args), CallRequest.DEFAULT_GAS, BigInteger.ZERO);
    }

    /** The data id the one yield among {@code kept} waits on. */
    private static String yieldWaitingOn(List<ReceiptRecord> kept) {
        ReceiptRecord yield = kept.stream()
                .filter(ReceiptRecord::promiseYield)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no yield kept: " + kept));
        assertThat(yield.inputDataIds()).hasSize(1);
        return yield.inputDataIds().get(0);
    }

    @Test
    void theReceiptsGasIsBoughtAtTheMinimumPurchasePriceAndItsSurplusComesBack() {
        // config.rs tx_cost (AccountCostIncrease, 85): the send fees are burnt at the gas price (10^8), the
        // execution fees and attached gas bought at max(10^8, min_gas_purchase_price 10^9).
        long attached = 10_000_000_000_000L;
        long send = Fee.action_receipt_creation.sendNotSir + Fee.functionCallSendFee(false, "ok".length());
        long prepaid = Fee.action_receipt_creation.execution + Fee.functionCallExecFee("ok".length()) + attached;
        BigInteger gasPrice = BigInteger.valueOf(100_000_000L);
        BigInteger cost = gasPrice.multiply(BigInteger.valueOf(send))
                .add(BigInteger.valueOf(1_000_000_000L).multiply(BigInteger.valueOf(prepaid)));
        String payer = "payer.test.near";
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccount(payer, cost.subtract(BigInteger.ONE));
        simulator.putAccessKey(payer, key, AccessKey.fullAccess(0));
        List<Action> ok = List.of(new Action.FunctionCall("ok", new byte[0], attached, BigInteger.ZERO));
        CallRequest http =
                CallRequest.call(ROUTER, "ok", new byte[0]).withGas(attached).withCaller(payer, payer);

        assertThatThrownBy(() -> simulator.call(http, WaitMode.ALL_RECEIPTS, HostBinding.DIRECT))
                .as("the HTTP API's call pays as a transaction does")
                .isInstanceOfSatisfying(InvalidTxException.class, e -> {
                    assertThat(e.variant()).isEqualTo("NotEnoughBalance");
                    assertThat(e.details()).containsEntry("cost", cost.toString());
                });
        assertThatThrownBy(() ->
                        simulator.submit(new SignedActions(payer, key, 1, ROUTER, ok, hash(30)), WaitMode.ALL_RECEIPTS))
                .isInstanceOfSatisfying(InvalidTxException.class, e -> {
                    assertThat(e.variant()).isEqualTo("NotEnoughBalance");
                    assertThat(e.details()).containsEntry("cost", cost.toString());
                });
        assertThat(balance(payer)).as("a refused call changes nothing").isEqualTo(cost.subtract(BigInteger.ONE));

        simulator.putAccount(payer, cost);
        TxOutcome viaHttp = simulator.call(http, WaitMode.ALL_RECEIPTS, HostBinding.DIRECT);
        TxOutcome.ExecutionOutcome run = executedBy(viaHttp, ROUTER, payer);
        // lib.rs: the receipt burns its gas at min(10^9, 10^8) and refunds the unused gas at 10^9 plus
        // 9 x 10^8 for every gas it burnt, so in the end the signer paid all its gas at the gas price.
        assertThat(run.tokensBurnt()).isEqualTo(gasPrice.multiply(BigInteger.valueOf(run.gasBurnt())));
        assertThat(cost.subtract(balance(payer)))
                .isEqualTo(gasPrice.multiply(BigInteger.valueOf(send + run.gasBurnt())));

        simulator.putAccount(payer, cost);
        TxOutcome signed =
                simulator.submit(new SignedActions(payer, key, 1, ROUTER, ok, hash(31)), WaitMode.ALL_RECEIPTS);
        TxOutcome.ExecutionOutcome signedRun = executedBy(signed, ROUTER, payer);
        assertThat(cost.subtract(balance(payer)))
                .as("the same costs as the HTTP API's call")
                .isEqualTo(gasPrice.multiply(BigInteger.valueOf(send + signedRun.gasBurnt())))
                .isEqualTo(gasPrice.multiply(BigInteger.valueOf(send + run.gasBurnt())));
    }

    @Test
    void aGasRefundRaisesTheSigningFunctionCallKeysAllowance() {
        // verifier.rs takes the whole cost (its gas at 10^9) from the allowance; actions.rs
        // try_refund_allowance gives each gas refund back to it, so the key spends what the balance does.
        String payer = "payer.test.near";
        PublicKey key = PublicKey.ed25519(new byte[32]);
        BigInteger allowance = new BigInteger("250000000000000000000000"); // 0.25 NEAR, near-api-js's default
        simulator.putAccount(payer, TEN_NEAR);
        simulator.putAccessKey(
                payer, key, new AccessKey(0, new AccessKey.FunctionCallPermission(allowance, ROUTER, List.of("ok"))));
        long attached = 30_000_000_000_000L;

        TxOutcome tree = simulator.submit(
                new SignedActions(
                        payer,
                        key,
                        1,
                        ROUTER,
                        List.of(new Action.FunctionCall("ok", new byte[0], attached, BigInteger.ZERO)),
                        hash(50)),
                WaitMode.ALL_RECEIPTS);

        assertThat(tree.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        TxOutcome.ExecutionOutcome run = executedBy(tree, ROUTER, payer);
        BigInteger paid = BigInteger.valueOf(100_000_000L)
                .multiply(BigInteger.valueOf(tree.transactionOutcome().gasBurnt() + run.gasBurnt()));
        assertThat(TEN_NEAR.subtract(balance(payer))).isEqualTo(paid);
        AccessKey.FunctionCallPermission left =
                simulator.accessKey(payer, key).orElseThrow().functionCall();
        assertThat(allowance.subtract(left.allowance()))
                .as("the allowance paid the gas at 10^9 and got the refund back")
                .isEqualTo(paid);
        assertThat(left.receiverId()).isEqualTo(ROUTER);
        assertThat(simulator.accessKey(payer, key).orElseThrow().nonce()).isEqualTo(1);
    }

    @Test
    void aReceiptThatFailsAfterCreatingItsAccountIsNotChargedForIt() {
        // nearcore's test_create_account_cost: [CreateAccount, ..., a failing action] does not pay
        // account_creation_charge (created_new_account needs the receipt to succeed).
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(0));
        BigInteger one = new BigInteger("1000000000000000000000000");
        String carol = "carol." + ALICE;
        BigInteger before = balance(ALICE);

        TxOutcome tree = simulator.submit(
                new SignedActions(
                        ALICE,
                        key,
                        1,
                        carol,
                        List.of(new Action.CreateAccount(), new Action.Transfer(one), new Action.DeleteKey(key)),
                        hash(40)),
                WaitMode.ALL_RECEIPTS);

        assertThat(tree.finalStatus())
                .isInstanceOfSatisfying(
                        ExecutionStatus.Failure.class, f -> assertThat(f.kind()).isEqualTo("DeleteKeyDoesNotExist"));
        assertThat(simulator.account(carol)).isEmpty();
        TxOutcome.ExecutionOutcome failed = executedBy(tree, carol, ALICE);
        BigInteger gasPrice = BigInteger.valueOf(100_000_000L);
        assertThat(failed.tokensBurnt()).isEqualTo(gasPrice.multiply(BigInteger.valueOf(failed.gasBurnt())));
        BigInteger cost = before.subtract(balance(ALICE));
        assertThat(cost)
                .as("the deposit comes back; the gas, at the gas price, is all it paid")
                .isEqualTo(gasPrice.multiply(
                        BigInteger.valueOf(tree.transactionOutcome().gasBurnt() + failed.gasBurnt())))
                .isLessThan(new BigInteger("7000000000000000000000"));
    }

    @Test
    void signedTransactionsPayMoveTokensAndCheckNonces() {
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(5));
        BigInteger one = new BigInteger("1000000000000000000000000");
        List<Action> create = List.of(
                new Action.CreateAccount(), new Action.Transfer(one), new Action.AddKey(key, AccessKey.fullAccess(0)));
        String bob = "bob." + ALICE;
        BigInteger before = simulator.account(ALICE).orElseThrow().balance();

        TxOutcome tree =
                simulator.submit(new SignedActions(ALICE, key, 6, bob, create, hash(1)), WaitMode.ALL_RECEIPTS);

        assertThat(tree.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(simulator.outcome(tree.txHash())).contains(tree);
        assertThat(simulator.account(bob).orElseThrow().balance()).isEqualTo(one);
        // nearcore's action_add_key: the new key's nonce is (height - 1) * 10^6, whatever the action says
        long addedAt = tree.receiptsOutcome().stream()
                .filter(o -> o.executorId().equals(bob))
                .findFirst()
                .orElseThrow()
                .blockHeight();
        assertThat(simulator.accessKey(bob, key).orElseThrow().nonce()).isEqualTo((addedAt - 1) * 1_000_000L);
        assertThat(simulator.accessKey(ALICE, key).orElseThrow().nonce()).isEqualTo(6);
        long burnt = tree.transactionOutcome().gasBurnt()
                + tree.receiptsOutcome().stream()
                        .filter(o -> !o.predecessorId().equals(ReceiptEngine.SYSTEM))
                        .mapToLong(TxOutcome.ExecutionOutcome::gasBurnt)
                        .sum();
        assertThat(burnt)
                .as("send + execution fees of the receipt and its three actions (the gas refund aside)")
                .isEqualTo(Fee.action_receipt_creation.sendNotSir
                        + Fee.action_receipt_creation.execution
                        + Fee.action_create_account.sendNotSir
                        + Fee.action_create_account.execution
                        + Fee.action_transfer.sendNotSir
                        + Fee.action_transfer.execution
                        + Fee.action_add_full_access_key.sendNotSir
                        + Fee.action_add_full_access_key.execution);
        // AccountCostIncrease (85): the receipt created bob, so creating it costs account_creation_charge
        // (0.007 NEAR) in all: lib.rs burns 7 x 10^21 less the create_account execution fee already burnt
        // at the burn price (7.2 Tgas x 10^8), out of the price surplus it refunds.
        BigInteger gasPrice = BigInteger.valueOf(100_000_000L);
        BigInteger creationCharge = new BigInteger("7000000000000000000000")
                .subtract(gasPrice.multiply(BigInteger.valueOf(7_200_000_000_000L)));
        assertThat(before.subtract(simulator.account(ALICE).orElseThrow().balance()))
                .isEqualTo(one.add(gasPrice.multiply(BigInteger.valueOf(burnt))).add(creationCharge));
        TxOutcome.ExecutionOutcome creating = executedBy(tree, bob, ALICE);
        assertThat(creating.tokensBurnt())
                .as("the gas at the burn price and the account creation charge")
                .isEqualTo(gasPrice.multiply(BigInteger.valueOf(creating.gasBurnt()))
                        .add(creationCharge));
        // Its gas was bought at min_gas_purchase_price (10^9) and burnt at 10^8: the surplus, less the
        // charge, comes back in a gas refund (the balance above nets it), though no gas was left unused.
        assertThat(executedBy(tree, ALICE, ReceiptEngine.SYSTEM).tokensBurnt()).isZero();

        assertThatThrownBy(() -> simulator.submit(
                        new SignedActions(ALICE, key, 6, bob, List.of(new Action.Transfer(one)), hash(2)),
                        WaitMode.ALL_RECEIPTS))
                .isInstanceOfSatisfying(
                        InvalidTxException.class, e -> assertThat(e.variant()).isEqualTo("InvalidNonce"));
        assertThatThrownBy(() -> simulator.submit(
                        new SignedActions(ALICE, key, 7, bob, List.of(new Action.Transfer(TEN_NEAR)), hash(3)),
                        WaitMode.ALL_RECEIPTS))
                .isInstanceOfSatisfying(
                        InvalidTxException.class, e -> assertThat(e.variant()).isEqualTo("NotEnoughBalance"));
        assertThat(simulator.accessKey(ALICE, key).orElseThrow().nonce())
                .as("a refused transaction changes nothing")
                .isEqualTo(6);

        TxOutcome again =
                simulator.submit(new SignedActions(ALICE, key, 8, bob, create, hash(4)), WaitMode.ALL_RECEIPTS);
        assertThat(again.finalStatus())
                .isInstanceOfSatisfying(
                        ExecutionStatus.Failure.class, f -> assertThat(f.kind()).isEqualTo("AccountAlreadyExists"));
        assertThat(simulator.account(bob).orElseThrow().balance())
                .as("the failed receipt's transfer is rolled back")
                .isEqualTo(one);

        String topLevel = "z".repeat(64);
        TxOutcome topLevelCreate = simulator.submit(
                new SignedActions(ALICE, key, 9, topLevel, List.of(new Action.CreateAccount()), hash(6)),
                WaitMode.ALL_RECEIPTS);
        assertThat(topLevelCreate.finalStatus())
                .as("protocol 86's min_allowed_top_level_account_length is 65: no 64-character name is open")
                .isInstanceOfSatisfying(
                        ExecutionStatus.Failure.class,
                        f -> assertThat(f.kind()).isEqualTo("CreateAccountOnlyByRegistrar"));
        assertThat(simulator.account(topLevel)).isEmpty();

        TxOutcome delete = simulator.submit(
                new SignedActions(
                        bob,
                        key,
                        (addedAt - 1) * 1_000_000L + 1,
                        bob,
                        List.of(new Action.DeleteAccount(ALICE)),
                        hash(5)),
                WaitMode.ALL_RECEIPTS);
        assertThat(delete.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(simulator.account(bob)).isEmpty();
    }

    @Test
    void deleteAccountPaysTheBeneficiaryWithABalanceRefundFromSystem() {
        // nearcore's action_delete_account (runtime/runtime/src/actions.rs) sends the account's whole
        // balance as receipt.rs new_balance_refund: predecessor system, gas price 0. apply_action_receipt
        // burns no tokens for a receipt from system and generates no refunds for it. The engine sent it
        // as an action receipt from the deleted account, burning gas no one had prepaid.
        PublicKey key = PublicKey.ed25519(new byte[32]);
        String carol = "carol.test.near";
        BigInteger carolHas = new BigInteger("3000000000000000000000000");
        simulator.putAccount(carol, carolHas);
        simulator.putAccessKey(carol, key, AccessKey.fullAccess(0));
        BigInteger aliceHad = balance(ALICE);

        TxOutcome delete = simulator.submit(
                new SignedActions(carol, key, 1, carol, List.of(new Action.DeleteAccount(ALICE)), hash(60)),
                WaitMode.ALL_RECEIPTS);

        assertThat(delete.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(simulator.account(carol)).isEmpty();
        TxOutcome.ExecutionOutcome deleting = delete.firstReceipt();
        TxOutcome.ExecutionOutcome payout = executedBy(delete, ALICE, ReceiptEngine.SYSTEM);
        assertThat(payout.blockHeight())
                .as("an outgoing receipt, applied in the next chunk")
                .isEqualTo(deleting.blockHeight() + 1);
        assertThat(payout.tokensBurnt()).as("a refund burns nothing").isZero();
        assertThat(payout.receiptIds()).as("and sends no refunds").isEmpty();
        // The price surplus refund goes to the deleted signer as nearcore sends it (lib.rs
        // refund_unspent_gas_and_deposits): it finds no account, fails, and its amount is burnt.
        TxOutcome.ExecutionOutcome lostRefund = executedBy(delete, carol, ReceiptEngine.SYSTEM);
        assertThat(deleting.receiptIds()).containsExactly(payout.id(), lostRefund.id());
        assertThat(lostRefund.status())
                .as("a refund creates no account")
                .isEqualTo(new ExecutionStatus.Failure(
                        0,
                        "AccountDoesNotExist",
                        null,
                        "account " + carol + " does not exist",
                        java.util.Map.of("account_id", carol)));
        assertThat(lostRefund.tokensBurnt()).isZero();
        assertThat(lostRefund.receiptIds())
                .as("a failed refund is not refunded")
                .isEmpty();
        assertThat(delete.receiptsOutcome()).hasSize(3);
        assertThat(simulator.account(carol)).isEmpty();
        // The signer paid the send fees (transaction outcome, at the gas price) and bought the execution
        // fees at min_gas_purchase_price (10^9, config.rs tx_cost); the delete burns them at 10^8 and
        // what it had left goes to the beneficiary whole; the surplus refund is burnt.
        long executed = Fee.action_receipt_creation.execution + Fee.action_delete_account.execution;
        assertThat(deleting.tokensBurnt())
                .isEqualTo(BigInteger.valueOf(100_000_000L).multiply(BigInteger.valueOf(executed)));
        BigInteger charged = delete.transactionOutcome()
                .tokensBurnt()
                .add(BigInteger.valueOf(1_000_000_000L).multiply(BigInteger.valueOf(executed)));
        assertThat(balance(ALICE)).isEqualTo(aliceHad.add(carolHas).subtract(charged));
    }

    @Test
    void aStakeLocksItsAmountAsViewAccountShowsIt() {
        // actions.rs action_stake: the increase moves from the balance to `locked`; view_account
        // reports both (views.rs AccountView). The RPC's view showed locked 0 whatever was staked.
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(0));
        BigInteger stake = new BigInteger("1000000000000000000000000");
        BigInteger before = balance(ALICE);

        TxOutcome staked = simulator.submit(
                new SignedActions(ALICE, key, 1, ALICE, List.of(new Action.Stake(stake, key)), hash(40)),
                WaitMode.ALL_RECEIPTS);

        assertThat(staked.firstReceipt().status()).isNotInstanceOf(ExecutionStatus.Failure.class);
        var viewed = new SimulatorChainView(simulator).account(ALICE).orElseThrow();
        assertThat(viewed.locked()).isEqualTo(stake);
        assertThat(viewed.amount()).isEqualTo(balance(ALICE));
        assertThat(before.subtract(viewed.amount())).as("the stake and the gas").isGreaterThan(stake);
    }

    @Test
    void onlyTheAccountItselfDeploysStakesOrChangesItsKeys() {
        // nearcore actions.rs check_actor_permissions: DeployContract, Stake, AddKey, DeleteKey and
        // DeleteAccount need actor_id (the predecessor, or the account once CreateAccount made it)
        // to be the receiver, else ActorNoPermission; after the account-existence check.
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(0));
        PublicKey other = PublicKey.ed25519(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32
        });
        int nonce = 0;
        for (Action action : List.of(
                new Action.AddKey(other, AccessKey.fullAccess(0)),
                new Action.DeleteKey(key),
                new Action.DeployContract(wasm("counter")),
                new Action.DeleteAccount(ALICE))) {
            nonce++;
            TxOutcome tree = simulator.submit(
                    new SignedActions(ALICE, key, nonce, CALLEE, List.of(action), hash(50 + nonce)),
                    WaitMode.ALL_RECEIPTS);
            assertThat(tree.firstReceipt().status())
                    .as("%s", action)
                    .isInstanceOfSatisfying(ExecutionStatus.Failure.class, f -> {
                        assertThat(f.kind()).isEqualTo("ActorNoPermission");
                        assertThat(f.index()).isZero();
                    });
        }
        assertThat(simulator.account(CALLEE).orElseThrow().contract().codeHash())
                .as("the callee keeps its code")
                .isEqualTo(ContractCompiler.codeHash(wasm("receipts")));
        assertThat(simulator.accessKey(CALLEE, other)).isEmpty();

        // A receipt that creates the account acts for it: CreateAccount, then AddKey, as before.
        String sub = "sub." + ALICE;
        TxOutcome created = simulator.submit(
                new SignedActions(
                        ALICE,
                        key,
                        nonce + 1,
                        sub,
                        List.of(
                                new Action.CreateAccount(),
                                new Action.Transfer(new BigInteger("1000000000000000000000000")),
                                new Action.AddKey(other, AccessKey.fullAccess(0))),
                        hash(60)),
                WaitMode.ALL_RECEIPTS);
        assertThat(created.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(simulator.accessKey(sub, other)).isPresent();
    }

    @Test
    void aReceiptsSecondCallWiresItsOwnCallbacks() {
        // Two function calls in one transaction: each call's promise_then waits on the receipt that
        // call created (nearcore's receipt manager is per action), and the last call's promise is the result.
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(0));
        List<Action> calls = List.of(
                new Action.FunctionCall("then_ok", utf8(CALLEE), 100_000_000_000_000L, BigInteger.ZERO),
                new Action.FunctionCall("then_fail", utf8(CALLEE), 100_000_000_000_000L, BigInteger.ZERO));

        TxOutcome tree =
                simulator.submit(new SignedActions(ALICE, key, 1, ROUTER, calls, hash(20)), WaitMode.ALL_RECEIPTS);

        assertThat(value(tree.finalStatus()))
                .as("the second call's callback saw its own callee fail")
                .isEqualTo("F;");
        assertThat(tree.receiptsOutcome().stream()
                        .filter(o -> o.executorId().equals(ROUTER)
                                && o.predecessorId().equals(ROUTER))
                        .map(o -> value(o.status())))
                .containsExactlyInAnyOrder("Sok;", "F;");
    }

    @Test
    void functionCallKeysSignOnlyTheirCalls() {
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(
                ALICE,
                key,
                new AccessKey(0, new AccessKey.FunctionCallPermission(TEN_NEAR, ROUTER, List.of("then_ok"))));
        Action.FunctionCall thenOk =
                new Action.FunctionCall("then_ok", utf8(CALLEE), 100_000_000_000_000L, BigInteger.ZERO);

        TxOutcome tree = simulator.submit(
                new SignedActions(ALICE, key, 1, ROUTER, List.of(thenOk), hash(10)), WaitMode.ALL_RECEIPTS);
        assertThat(value(tree.finalStatus())).isEqualTo("Sok;");

        Action.FunctionCall other =
                new Action.FunctionCall("then_fail", utf8(CALLEE), 100_000_000_000_000L, BigInteger.ZERO);
        assertThatThrownBy(() -> simulator.submit(
                        new SignedActions(ALICE, key, 2, ROUTER, List.of(other), hash(11)), WaitMode.ALL_RECEIPTS))
                .isInstanceOfSatisfying(
                        InvalidTxException.class,
                        e -> assertThat(e.details()).containsEntry("kind", "MethodNameMismatch"));
    }

    @Test
    void balancesNeverExceedU128() {
        BigInteger max = VmLogic.U128_MAX;
        CallRequest huge = CallRequest.call(CALLEE, "ok", new byte[0]).withDeposit(max);

        Outcome first = simulator.execute(huge);
        Outcome second = simulator.execute(huge);

        assertThat(first.success() && second.success())
                .as("u128::MAX attached twice cannot both land")
                .isFalse();
        assertThat(simulator.account(CALLEE).orElseThrow().balance()).isLessThanOrEqualTo(max);
    }

    private static final String LIMITS = "limits.test.near";

    /** receipt_limits.wat's {@code method} with a u64 input, called by Alice. */
    private TxOutcome limits(String method, long input) {
        if (simulator.account(LIMITS).isEmpty()) {
            simulator.deploy(LIMITS, wasm("receipt_limits"));
        }
        byte[] le = java.nio.ByteBuffer.allocate(8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(input)
                .array();
        return simulator.call(
                CallRequest.call(LIMITS, method, le)
                        .withCaller(ALICE, ALICE)
                        .withGas(ExtCost.MAX_TOTAL_PREPAID_GAS), // a 4 MiB deploy's fees need over 300 Tgas
                WaitMode.ALL_RECEIPTS,
                HostBinding.DIRECT);
    }

    /** The refusal of nearcore's validate_receipt: the call's action fails with NewReceiptValidationError. */
    private static void assertRefused(TxOutcome tree, String variant) {
        assertThat(tree.firstReceipt().status())
                .as("%s", tree.firstReceipt())
                .isInstanceOfSatisfying(ExecutionStatus.Failure.class, f -> {
                    assertThat(f.kind()).as(f.errorKind() + ": " + f.message()).isEqualTo("NewReceiptValidationError");
                    assertThat(f.errorKind()).isEqualTo(variant);
                    assertThat(f.index()).isZero();
                });
        assertThat(tree.firstReceipt().receiptIds())
                .as("no receipt of the refused call is sent, only the signer's refund")
                .hasSize(1);
    }

    @Test
    void newReceiptsAreValidatedAsNearcoresValidateReceipt() {
        // nearcore runtime/src/lib.rs apply_action_receipt: validate_receipt(NewReceipt) on the receipts
        // of each successful action (verifier.rs, action_validation.rs); limit_config of the 86 snapshot.
        assertThat(limits("transfers", 100).firstReceipt().status())
                .as("max_actions_per_receipt 100")
                .isInstanceOf(ExecutionStatus.SuccessValue.class);
        TxOutcome tooMany = limits("transfers", 101);
        assertRefused(tooMany, "TotalNumberOfActionsExceeded");
        // As the RPC shows it: NewReceiptValidationError(ActionsValidation(...)), nested as serde writes it
        com.fasterxml.jackson.databind.JsonNode view = dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                .<com.fasterxml.jackson.databind.JsonNode>valueToTree(
                        dev.outlayer.bench.targetsystem.transactions.OutcomeViews.finalStatus(
                                tooMany.firstReceipt().status()))
                .at(
                        "/Failure/ActionError/kind/NewReceiptValidationError/ActionsValidation/TotalNumberOfActionsExceeded");
        assertThat(view.get("total_number_of_actions").asLong()).as("%s", view).isEqualTo(101);
        assertThat(view.get("limit").asLong()).isEqualTo(ExtCost.MAX_ACTIONS_PER_RECEIPT);
        assertRefused(limits("deploys", 11), "TotalNumberOfDeployActionsExceeded"); // 10 since 84
        assertRefused(limits("call_with_gas", 0), "FunctionCallZeroAttachedGas");
        assertThat(limits("call_with_gas", 1).firstReceipt().status()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertRefused(limits("bad_stake", 0), "UnsuitableStakingKey"); // not torsion-free: no ristretto point
        assertRefused(limits("long_key_method", 257), "AddKeyMethodNameLengthExceeded"); // max_length_method_name
        assertThat(limits("long_key_method", 256).firstReceipt().status())
                .isInstanceOf(ExecutionStatus.SuccessValue.class);
        // max_contract_size (4 MiB) passes its own check, but the receipt carrying it is larger than
        // max_receipt_size (4 MiB): ReceiptSizeExceeded.
        TxOutcome tooLarge = limits("deploy_sized", ExtCost.MAX_CONTRACT_SIZE);
        assertRefused(tooLarge, "ReceiptSizeExceeded");
        assertThat(dev.outlayer.bench.targetsystem.json.JsonCodec.MAPPER
                        .<com.fasterxml.jackson.databind.JsonNode>valueToTree(
                                dev.outlayer.bench.targetsystem.transactions.OutcomeViews.finalStatus(
                                        tooLarge.firstReceipt().status()))
                        .at("/Failure/ActionError/kind/NewReceiptValidationError/ReceiptSizeExceeded/limit")
                        .asLong())
                .isEqualTo(ExtCost.MAX_RECEIPT_SIZE);
    }

    @Test
    void aRefusedNewReceiptDropsTheCallsChangesButBurnsItsGas() {
        BigInteger before = simulator.account(ALICE).orElseThrow().balance();

        TxOutcome tree = limits("transfers", 101);

        assertRefused(tree, "TotalNumberOfActionsExceeded");
        assertThat(simulator.account(LIMITS).orElseThrow().read(AccountState.Snapshot::data))
                .as("the call's write is dropped")
                .isEmpty();
        TxOutcome.ExecutionOutcome first = tree.firstReceipt();
        assertThat(first.gasBurnt())
                .as("the receipt's and the call's execution fees, and all the call burnt: 101 transfer send fees too")
                .isEqualTo(Fee.action_receipt_creation.execution
                        + Fee.action_function_call.execution
                        + ("transfers".length() + 8) * Fee.action_function_call_per_byte.execution
                        + first.call().gasBurnt());
        assertThat(first.call().gasBurnt()).isGreaterThan(101 * Fee.action_transfer.sendSir);
        long burnt = tree.transactionOutcome().gasBurnt() + first.gasBurnt();
        assertThat(before.subtract(simulator.account(ALICE).orElseThrow().balance()))
                .as("the signer pays what was burnt, the rest (the refused receipt's prepaid fees) is refunded")
                .isEqualTo(Fee.GAS_PRICE.multiply(BigInteger.valueOf(burnt)));
    }

    @Test
    void runningOutOfGasAfterAPromiseBurnsOnlyWhatWasNotPrepaid() {
        // nearcore gas_counter.rs: burn_gas past gas_limit (prepaid - promises_gas) goes to
        // process_gas_limit, which burns min(burnt + the charge, min(prepaid, max_gas_burnt)): the gas
        // a call prepaid for its promises is not burnt when it then runs out (GasExceeded).
        long attached = 600_000_000_000_000L;
        TxOutcome tree = limits("attach_then_burn", attached);

        TxOutcome.ExecutionOutcome first = tree.firstReceipt();
        assertThat(first.status())
                .isInstanceOfSatisfying(
                        ExecutionStatus.Failure.class,
                        f -> assertThat(f.errorKind()).isEqualTo("GasExceeded"));
        long prepaidForThePromise = attached
                + Fee.action_receipt_creation.execution
                + Fee.action_function_call.execution
                + 2 * Fee.action_function_call_per_byte.execution;
        long budget = ExtCost.MAX_TOTAL_PREPAID_GAS - prepaidForThePromise;
        assertThat(first.call().gasBurnt())
                .as("the budget left to burn plus the last block's cost, not the whole 1 Pgas")
                .isGreaterThan(budget)
                .isLessThan(budget + 1_000_000_000L);
    }

    @Test
    void firstReceiptModeAnswersBeforeTheRestOfTheTree() throws Exception {
        TxOutcome tree = simulator.call(
                CallRequest.call(ROUTER, "then_ok", utf8(CALLEE)).withCaller(ALICE, ALICE),
                WaitMode.FIRST_RECEIPT,
                HostBinding.DIRECT);
        assertThat(tree.firstReceipt().status()).isInstanceOf(ExecutionStatus.SuccessReceiptId.class);
        for (int i = 0; i < 200 && tree.finalStatus() instanceof ExecutionStatus.Unknown; i++) {
            Thread.sleep(10);
        }
        assertThat(value(tree.finalStatus()))
                .as("the rest ran in the background")
                .isEqualTo("Sok;");
    }

    // ---- NEP-591 global contracts (nearcore runtime/runtime/src/global_contracts.rs, fees of 77.yaml) ----

    private static final String LIB = "lib.test.near";

    /** global_contracts.wat's {@code method} on lib.test.near, called by Alice: a receipt to {@code receiver}. */
    private TxOutcome global(String method, String receiver, byte[] argument) {
        if (simulator.account(LIB).isEmpty()) {
            simulator.deploy(LIB, wasm("global_contracts"));
        }
        byte[] id = utf8(receiver);
        byte[] input = new byte[1 + id.length + argument.length];
        input[0] = (byte) id.length;
        System.arraycopy(id, 0, input, 1, id.length);
        System.arraycopy(argument, 0, input, 1 + id.length, argument.length);
        return simulator.call(
                CallRequest.call(LIB, method, input).withCaller(ALICE, ALICE),
                WaitMode.ALL_RECEIPTS,
                HostBinding.DIRECT);
    }

    private BigInteger balance(String account) {
        return simulator.account(account).orElseThrow().balance();
    }

    private static byte[] sha256(byte[] code) {
        return ReceiptEngine.sha256().digest(code);
    }

    private static void assertFailure(TxOutcome.ExecutionOutcome outcome, String kind, Integer index) {
        assertThat(outcome.status()).as("%s", outcome).isInstanceOfSatisfying(ExecutionStatus.Failure.class, f -> {
            assertThat(f.kind()).as(f.message()).isEqualTo(kind);
            assertThat(f.index()).isEqualTo(index);
        });
    }

    @Test
    void aGlobalContractDeployedByHashBurnsItsStorageAndRunsOnEveryAccountUsingIt() {
        byte[] code = wasm("counter");
        GlobalContractId id = GlobalContractId.byHash(sha256(code));
        simulator.deploy(LIB, wasm("global_contracts"));
        BigInteger before = balance(LIB);
        int modules = simulator.compiledModules();

        TxOutcome deploy = global("deploy_global", LIB, code);

        assertThat(value(deploy.finalStatus())).isEmpty();
        TxOutcome.ExecutionOutcome receipt = executedBy(deploy, LIB, LIB);
        long exec = Fee.action_receipt_creation.execution
                + Fee.action_deploy_global_contract.execution
                + code.length * Fee.action_deploy_global_contract_per_byte.execution;
        assertThat(receipt.gasBurnt())
                .as("108,059,500,000 + 184,765,750,000 + 498 x 70,000,000")
                .isEqualTo(exec)
                .isEqualTo(327_685_250_000L);
        BigInteger storage = Fee.GLOBAL_CONTRACT_STORAGE_AMOUNT_PER_BYTE.multiply(BigInteger.valueOf(code.length));
        assertThat(storage).isEqualTo(new BigInteger("49800000000000000000000")); // 0.0498 NEAR
        assertThat(receipt.tokensBurnt())
                .as("the gas and the global contract's storage (IncludeDeployGlobalContractOutcomeBurntStorage)")
                .isEqualTo(Fee.GAS_PRICE.multiply(BigInteger.valueOf(exec)).add(storage));
        assertThat(receipt.receiptIds())
                .as("the distribution receipt is no action receipt: not listed, no outcome; only the gas refund"
                        + " of the price surplus (bought at 10^9, burnt at 10^8) is")
                .hasSize(1);
        assertThat(deploy.receiptsOutcome().stream()
                        .filter(o -> o.id().equals(receipt.receiptIds().get(0)))
                        .map(TxOutcome.ExecutionOutcome::predecessorId))
                .containsExactly(ReceiptEngine.SYSTEM);
        BigInteger reward = Fee.GAS_PRICE.multiply(
                BigInteger.valueOf(deploy.firstReceipt().call().gasBurnt() * 3 / 10));
        assertThat(balance(LIB))
                .as("the deployer pays the storage from its balance, not the signer")
                .isEqualTo(before.subtract(storage).add(reward));
        assertThat(simulator.globalContractCode(id))
                .hasValueSatisfying(c -> assertThat(c).isEqualTo(code));
        assertThat(simulator.account(LIB).orElseThrow().globalContract())
                .as("the deployer itself does not use it")
                .isNull();

        String user = "user." + LIB;
        TxOutcome use = global("create_with_global", user, id.codeHash());
        TxOutcome.ExecutionOutcome created = executedBy(use, user, LIB);
        assertThat(created.status()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(created.gasBurnt())
                .as("CreateAccount, Transfer and UseGlobalContract: 184,765,750,000 + 32 x 64,572,944")
                .isEqualTo(Fee.action_receipt_creation.execution
                        + Fee.action_create_account.execution
                        + Fee.action_transfer.execution
                        + 186_832_084_208L);
        BigInteger gasPrice = BigInteger.valueOf(100_000_000L);
        assertThat(created.tokensBurnt())
                .as("a receipt a contract sent that creates its receiver burns account_creation_charge (7 x 10^21)"
                        + " in all for it: its gas at 10^8 and the charge less create_account's 7.2 Tgas at 10^8")
                .isEqualTo(gasPrice.multiply(BigInteger.valueOf(created.gasBurnt()))
                        .add(new BigInteger("7000000000000000000000"))
                        .subtract(gasPrice.multiply(BigInteger.valueOf(7_200_000_000_000L))));
        AccountState account = simulator.account(user).orElseThrow();
        assertThat(account.globalContract()).isEqualTo(id);
        assertThat(account.read(AccountState.Snapshot::storageUsage))
                .as("num_bytes_account + the identifier's 32 bytes")
                .isEqualTo(132);
        assertThat(account.code()).isEqualTo(code);

        assertThat(simulator
                        .execute(CallRequest.call(user, "increment", new byte[0]))
                        .success())
                .isTrue();
        assertThat(text(simulator
                        .execute(CallRequest.view(user, "get_num", new byte[0]))
                        .result()))
                .isEqualTo("1");
        String second = "second." + LIB;
        global("create_with_global", second, id.codeHash());
        assertThat(text(simulator
                        .execute(CallRequest.view(second, "get_num", new byte[0]))
                        .result()))
                .as("each account has its own state")
                .isEqualTo("0");
        assertThat(simulator.compiledModules())
                .as("the global code is compiled once, for every account using it")
                .isEqualTo(modules + 1);
    }

    @Test
    void aRedeployByAccountIdReachesEveryAccountUsingIt() {
        global("deploy_global_by_account", LIB, wasm("counter"));
        String user = "a." + LIB;
        TxOutcome use = global("create_with_global_by_account", user, utf8(LIB));
        assertThat(executedBy(use, user, LIB).status()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(simulator.account(user).orElseThrow().read(AccountState.Snapshot::storageUsage))
                .as("num_bytes_account + the deployer's id (13 bytes)")
                .isEqualTo(113);
        assertThat(simulator
                        .execute(CallRequest.call(user, "increment", new byte[0]))
                        .success())
                .isTrue();

        global("deploy_global_by_account", LIB, wasm("receipts"));

        assertThat(text(simulator
                        .execute(CallRequest.call(user, "ok", new byte[0]))
                        .result()))
                .as("the deployer's new code, with no action of the user")
                .isEqualTo("ok");
        Outcome gone = simulator.execute(CallRequest.call(user, "increment", new byte[0]));
        assertThat(gone.errorKind()).isEqualTo("MethodNotFound");
        assertThat(simulator.globalContractCode(GlobalContractId.byAccount(LIB)))
                .hasValueSatisfying(c -> assertThat(c).isEqualTo(wasm("receipts")));

        simulator.deploy(user, wasm("counter"));
        AccountState own = simulator.account(user).orElseThrow();
        assertThat(own.globalContract())
                .as("its own code replaces the global contract")
                .isNull();
        assertThat(own.read(AccountState.Snapshot::storageUsage))
                .as("the account, its code instead of the 13-byte identifier, and the count entry (5 + 8 + 40)")
                .isEqualTo(100 + wasm("counter").length + 53);
        assertThat(text(simulator
                        .execute(CallRequest.view(user, "get_num", new byte[0]))
                        .result()))
                .as("the state stayed")
                .isEqualTo("1");
    }

    @Test
    void aGlobalContractThatDoesNotExistFailsTheReceiptAndNothingOfItStays() {
        String user = "nope." + LIB;
        TxOutcome tree = global("create_with_global", user, new byte[32]);

        TxOutcome.ExecutionOutcome receipt = executedBy(tree, user, LIB);
        assertFailure(receipt, "GlobalContractDoesNotExist", 2);
        assertThat(((ExecutionStatus.Failure) receipt.status()).message())
                .isEqualTo("global contract CodeHash(11111111111111111111111111111111) does not exist");
        assertThat(simulator.account(user)).as("CreateAccount rolled back").isEmpty();
        assertThat(executedBy(tree, LIB, ReceiptEngine.SYSTEM).status())
                .as("the 0.1 NEAR goes back to the predecessor")
                .isInstanceOf(ExecutionStatus.SuccessValue.class);
    }

    @Test
    void onlyTheAccountItselfDeploysOrUsesGlobalContracts() {
        // nearcore actions.rs check_actor_permissions: DeployGlobalContract and UseGlobalContract (as
        // DeployContract, Stake, AddKey, DeleteKey, DeleteAccount) need actor_id == the receiver.
        global("deploy_global_by_account", LIB, wasm("counter"));
        BigInteger callee = balance(CALLEE);

        assertFailure(
                executedBy(global("use_global_by_account", CALLEE, utf8(LIB)), CALLEE, LIB), "ActorNoPermission", 0);
        assertFailure(
                executedBy(global("deploy_global", CALLEE, wasm("counter")), CALLEE, LIB), "ActorNoPermission", 0);
        assertThat(simulator.account(CALLEE).orElseThrow().globalContract()).isNull();
        assertThat(balance(CALLEE)).as("no storage burnt on the callee").isEqualTo(callee);
    }

    @Test
    void aDeployedGlobalContractIsUsableFromTheNextBlockNotInItsOwnReceipt() {
        // The code reaches the shard in a distribution receipt applied one block after the deploy
        // (global_contracts.rs initiate_distribution); the deploy's own receipt cannot use it yet.
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(0));
        byte[] code = wasm("counter");
        GlobalContractId mine = GlobalContractId.byAccount(ALICE);
        BigInteger before = balance(ALICE);

        TxOutcome both = simulator.submit(
                new SignedActions(
                        ALICE,
                        key,
                        1,
                        ALICE,
                        List.of(new Action.DeployGlobalContract(code, true), new Action.UseGlobalContract(mine)),
                        hash(30)),
                WaitMode.ALL_RECEIPTS);

        assertFailure(both.firstReceipt(), "GlobalContractDoesNotExist", 1);
        assertThat(simulator.globalContractCode(mine))
                .as("the failed receipt distributes nothing")
                .isEmpty();
        long burnt = both.transactionOutcome().gasBurnt() + both.firstReceipt().gasBurnt();
        assertThat(before.subtract(balance(ALICE)))
                .as("the gas burnt, no storage: the receipt was rolled back")
                .isEqualTo(Fee.GAS_PRICE.multiply(BigInteger.valueOf(burnt)));
        assertThat(both.firstReceipt().tokensBurnt())
                .isEqualTo(Fee.GAS_PRICE.multiply(
                        BigInteger.valueOf(both.firstReceipt().gasBurnt())));

        TxOutcome deploy = simulator.submit(
                new SignedActions(ALICE, key, 2, ALICE, List.of(new Action.DeployGlobalContract(code, true)), hash(31)),
                WaitMode.ALL_RECEIPTS);
        assertThat(deploy.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        TxOutcome use = simulator.submit(
                new SignedActions(ALICE, key, 3, ALICE, List.of(new Action.UseGlobalContract(mine)), hash(32)),
                WaitMode.ALL_RECEIPTS);
        assertThat(use.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(use.firstReceipt().blockHeight())
                .isGreaterThan(deploy.firstReceipt().blockHeight());
        assertThat(simulator.account(ALICE).orElseThrow().globalContract()).isEqualTo(mine);
        assertThat(simulator
                        .execute(CallRequest.call(ALICE, "increment", new byte[0]))
                        .success())
                .as("Alice now runs her own global contract")
                .isTrue();
    }

    @Test
    void aGlobalDeployTheDeployerCannotAffordIsLackBalanceForState() {
        PublicKey key = PublicKey.ed25519(new byte[32]);
        String poor = "poor.test.near";
        BigInteger cent = new BigInteger("10000000000000000000000"); // 0.01 NEAR
        simulator.putAccount(poor, cent);
        simulator.putAccessKey(poor, key, AccessKey.fullAccess(0));

        // 1,000 bytes cost 0.1 NEAR of storage (global_contract_storage_amount_per_byte 10^20).
        TxOutcome tree = simulator.submit(
                new SignedActions(
                        poor, key, 1, poor, List.of(new Action.DeployGlobalContract(new byte[1000], false)), hash(40)),
                WaitMode.ALL_RECEIPTS);

        assertFailure(tree.firstReceipt(), "LackBalanceForState", 0);
        assertThat(simulator.globalContractCode(GlobalContractId.byHash(sha256(new byte[1000]))))
                .isEmpty();
        long burnt = tree.transactionOutcome().gasBurnt() + tree.firstReceipt().gasBurnt();
        assertThat(balance(poor)).isEqualTo(cent.subtract(Fee.GAS_PRICE.multiply(BigInteger.valueOf(burnt))));
    }

    @Test
    void codeWhoseImportsDoNotLinkIsStoredAndItsCallsFailToLinkAfterPayingTheLoadingFee() {
        // nearcore's preparation does not look at function imports (prepare_v3.rs); its linker refuses
        // an unknown one at each call (wasmtime_runner instantiate_pre: LinkError "unknown or invalid
        // import"), after after_loading_executable charged contract_loading (FixContractLoadingCost off).
        byte[] code = {
            0,
            'a',
            's',
            'm',
            1,
            0,
            0,
            0, // header
            0x01,
            0x04,
            0x01,
            0x60,
            0x00,
            0x00, // type 0: () -> ()
            0x02,
            0x0b,
            0x01,
            0x03,
            'e',
            'n',
            'v',
            0x03,
            'f',
            'o',
            'o',
            0x00,
            0x00, // import env.foo: type 0
            0x03,
            0x02,
            0x01,
            0x00, // function 1: type 0
            0x07,
            0x08,
            0x01,
            0x04,
            'm',
            'a',
            'i',
            'n',
            0x00,
            0x01, // export main = function 1
            0x0a,
            0x04,
            0x01,
            0x02,
            0x00,
            0x0b // its body: nothing
        };
        assertThatThrownBy(() -> simulator.deploy("direct.test.near", code))
                .as("PUT /contracts keeps refusing it")
                .isInstanceOf(InvalidContractException.class)
                .hasMessageContaining("env.foo is not a NEAR host function");
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(0));
        TxOutcome deployed = simulator.submit(
                new SignedActions(ALICE, key, 1, ALICE, List.of(new Action.DeployContract(code)), hash(90)),
                WaitMode.ALL_RECEIPTS);
        assertThat(deployed.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(simulator.account(ALICE).orElseThrow().code()).isEqualTo(code);

        TxOutcome called = simulator.submit(
                new SignedActions(
                        ALICE,
                        key,
                        2,
                        ALICE,
                        List.of(new Action.FunctionCall("main", new byte[0], 30_000_000_000_000L, BigInteger.ZERO)),
                        hash(91)),
                WaitMode.ALL_RECEIPTS);
        assertThat(called.finalStatus()).isInstanceOfSatisfying(ExecutionStatus.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo("FunctionCallError");
            assertThat(f.errorKind()).isEqualTo("LinkError");
            assertThat(f.message()).startsWith("Link Error: unknown or invalid import: env.foo");
        });
        // action_receipt_creation + function_call execution for "main", and contract_loading for 47 bytes.
        assertThat(called.receiptsOutcome().get(0).gasBurnt())
                .isEqualTo(108_059_500_000L + 780_000_000_000L + 4 * 2_235_934L + 35_445_963L + 47 * 1_089_295L);
    }

    private static String hash(int n) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) n;
        return dev.outlayer.bench.targetsystem.rpc.Base58.encode(bytes);
    }
}

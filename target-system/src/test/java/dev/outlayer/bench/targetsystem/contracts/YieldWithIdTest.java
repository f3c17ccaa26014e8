package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.text;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Yields named by a 32-byte id (protocol 85's {@code yield_with_id_host_fns}, nearcore's logic.rs
 * promise_yield_create_with_id / promise_yield_resume_with_yield_id and runtime ext.rs
 * create_promise_yield_receipt_with_id) through the receipt engine, with yield_with_id.wat on two
 * accounts.
 */
class YieldWithIdTest {
    private static final String ORACLE = "oracle.test.near";
    private static final String OTHER = "other.test.near";
    private static final String ALICE = "alice.test.near";
    private static final BigInteger TEN_NEAR = new BigInteger("10000000000000000000000000");
    /** Two yield ids: 32 bytes each. */
    private static final String ID = "request-" + "0".repeat(23) + "1";

    private static final String ID2 = "request-" + "0".repeat(23) + "2";

    private final AtomicLong now = new AtomicLong(1_000_000L);
    private BlockClock clock;

    @AutoClose
    private ContractSimulator simulator;

    @BeforeEach
    void setUp() {
        assertThat(ID).hasSize(32);
        clock = new BlockClock(0, 1000, now::get);
        simulator = new ContractSimulator(true, clock);
        simulator.deploy(ORACLE, wasm("yield_with_id"));
        simulator.deploy(OTHER, wasm("yield_with_id"));
        simulator.putAccount(ALICE, TEN_NEAR);
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

    private static ExecutionStatus.Failure failure(ExecutionStatus status) {
        assertThat(status).isInstanceOf(ExecutionStatus.Failure.class);
        return (ExecutionStatus.Failure) status;
    }

    @Test
    void aNamedYieldRunsItsCallbackWhenResumedByItsIdAndTheIdIsFreeAgainAfterwards() {
        TxOutcome yielded = call(ORACLE, "create", ID);
        assertThat(yielded.finalStatus()).isInstanceOf(ExecutionStatus.Unknown.class);
        assertThat(simulator.waitingYields()).isEqualTo(1);

        assertThat(value(call(ORACLE, "resume", ID2 + "wrong id").finalStatus()))
                .as("no yield of that id")
                .isEqualTo("0");
        assertThat(value(call(ORACLE, "resume", ID + "hello").finalStatus())).isEqualTo("1");

        assertThat(value(yielded.finalStatus())).isEqualTo("Shello");
        assertThat(simulator.waitingYields()).isZero();
        assertThat(value(call(ORACLE, "resume", ID + "again").finalStatus()))
                .as("a yield resumes once")
                .isEqualTo("0");
        TxOutcome again = call(ORACLE, "create", ID);
        assertThat(again.finalStatus())
                .as("the resume freed the id (remove_yield_id_mappings)")
                .isInstanceOf(ExecutionStatus.Unknown.class);
        assertThat(value(call(ORACLE, "resume", ID + "second").finalStatus())).isEqualTo("1");
        assertThat(value(again.finalStatus())).isEqualTo("Ssecond");
    }

    @Test
    void anIdTakenByAWaitingYieldAnswersUMaxWithoutASecondYield() {
        TxOutcome first = call(ORACLE, "create", ID);
        assertThat(value(call(ORACLE, "create", ID).finalStatus()))
                .as("create_promise_yield_receipt_with_id finds the mapping: u64::MAX")
                .isEqualTo("dup");
        assertThat(simulator.waitingYields()).isEqualTo(1);

        TxOutcome twice = call(ORACLE, "create_twice", ID2);
        assertThat(value(twice.finalStatus()))
                .as("and the id its own call took a moment before")
                .isEqualTo("dup");
        assertThat(simulator.waitingYields()).isEqualTo(2);

        TxOutcome elsewhere = call(OTHER, "create", ID);
        assertThat(elsewhere.finalStatus()).as("ids are per account").isInstanceOf(ExecutionStatus.Unknown.class);
        assertThat(value(call(OTHER, "resume", ID + "b").finalStatus())).isEqualTo("1");
        assertThat(value(elsewhere.finalStatus())).isEqualTo("Sb");
        assertThat(first.finalStatus())
                .as("the other account's resume is not this one's")
                .isInstanceOf(ExecutionStatus.Unknown.class);
    }

    @Test
    void aYieldCreatedAndResumedInOneCallRunsWithThePayloadAndOnlyOnce() {
        TxOutcome tree = call(ORACLE, "create_and_resume", ID);

        assertThat(value(tree.finalStatus())).isEqualTo("Snow");
        assertThat(simulator.waitingYields()).isZero();
        assertThat(value(call(ORACLE, "resume", ID + "late").finalStatus())).isEqualTo("0");
    }

    @Test
    void theCreatingCallsFailureLeavesNoYieldAndTheIdFree() {
        TxOutcome failed = call(ORACLE, "create_then_fail", ID);

        assertThat(failure(failed.finalStatus()).errorKind()).isEqualTo("GuestPanic");
        assertThat(simulator.waitingYields()).isZero();
        assertThat(value(call(ORACLE, "resume", ID + "x").finalStatus())).isEqualTo("0");
        assertThat(call(ORACLE, "create", ID).finalStatus()).isInstanceOf(ExecutionStatus.Unknown.class);
    }

    @Test
    void aNamedYieldTimesOutAsAnyYieldAndFreesItsId() {
        TxOutcome yielded = call(ORACLE, "create", ID);
        long created = yielded.firstReceipt().blockHeight();

        now.addAndGet((Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS - 2) * 1000);
        simulator.runDueYields();
        assertThat(yielded.finalStatus()).isInstanceOf(ExecutionStatus.Unknown.class);

        now.addAndGet(3 * 1000);
        simulator.runDueYields();
        assertThat(value(yielded.finalStatus())).isEqualTo("F");
        assertThat(yielded.receiptsOutcome()
                        .get(yielded.receiptsOutcome().size() - 1)
                        .blockHeight())
                .isGreaterThanOrEqualTo(created + Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS);
        assertThat(value(call(ORACLE, "resume", ID + "late").finalStatus())).isEqualTo("0");
        assertThat(call(ORACLE, "create", ID).finalStatus())
                .as("the timeout freed the id")
                .isInstanceOf(ExecutionStatus.Unknown.class);
    }

    @Test
    void aLoadThatRunsTheHeadAheadOfTheClockDoesNotTimeAYieldOutBeforeItsBlocksOfWallTime() {
        // A load of receipts moves the head thousands of blocks a second; nearcore's 200 blocks are 200
        // block times. The yield waits for both.
        TxOutcome yielded = call(ORACLE, "create", ID);
        clock.advanceTo(clock.latestHeight() + 10 * Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS);
        now.addAndGet((Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS - 2) * 1000);
        simulator.runDueYields();
        assertThat(yielded.finalStatus())
                .as("2,000 blocks of the head but 198 of the clock")
                .isInstanceOf(ExecutionStatus.Unknown.class);
        assertThat(value(call(ORACLE, "resume", ID + "in time").finalStatus())).isEqualTo("1");
        assertThat(value(yielded.finalStatus())).isEqualTo("Sin time");

        TxOutcome second = call(ORACLE, "create", ID2);
        long created = second.firstReceipt().blockHeight();
        clock.advanceTo(clock.latestHeight() + 10 * Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS);
        now.addAndGet((Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS + 2) * 1000);
        simulator.runDueYields();
        assertThat(value(second.finalStatus())).as("past both").isEqualTo("F");
        assertThat(second.receiptsOutcome()
                        .get(second.receiptsOutcome().size() - 1)
                        .blockHeight())
                .isGreaterThanOrEqualTo(created + 10 * Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS);
    }

    @Test
    void aSecondResumeWhileTheFirstsPayloadIsOnItsWayFindsNothing() {
        // nearcore's PromiseYieldStatus: the first resume sets it to Resumed, so a resume in a later
        // receipt of the same block (before the PromiseResume arrives) returns 0.
        TxOutcome yielded = call(ORACLE, "create", ID);
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(0));

        TxOutcome first = simulator.submit(
                new SignedActions(
                        ALICE,
                        key,
                        1,
                        ORACLE,
                        List.of(functionCall("resume", ID + "one"), functionCall("resume", ID + "two")),
                        hash(80)),
                WaitMode.ALL_RECEIPTS);

        assertThat(value(first.firstReceipt().status()))
                .as("the receipt's second action finds the yield its first resumed")
                .isEqualTo("0");
        assertThat(value(yielded.finalStatus())).isEqualTo("Sone");
    }

    @Test
    void theDepositGoesWithTheCallbackAndMustBeCovered() {
        List<ReceiptRecord> kept = new CopyOnWriteArrayList<>();
        simulator.logReceipts(kept::add);
        PublicKey key = PublicKey.ed25519(new byte[32]);
        simulator.putAccessKey(ALICE, key, AccessKey.fullAccess(0));

        simulator.submit(
                new SignedActions(ALICE, key, 1, ORACLE, List.of(functionCall("create_paying", ID)), hash(81)),
                WaitMode.ALL_RECEIPTS);

        ReceiptRecord yield = kept.stream()
                .filter(ReceiptRecord::promiseYield)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no yield kept: " + kept));
        assertThat(yield.receiverId()).isEqualTo(ORACLE);
        assertThat(yield.inputDataIds()).hasSize(1);
        assertThat(Base58.decode(yield.inputDataIds().get(0))).hasSize(32);
        assertThat(yield.actions()).singleElement().isInstanceOfSatisfying(Action.FunctionCall.class, f -> {
            assertThat(f.methodName()).isEqualTo("on_resume");
            assertThat(f.deposit()).isEqualTo(BigInteger.valueOf(1000));
        });

        ExecutionStatus.Failure overdrawn =
                failure(call(ORACLE, "create_overdrawn", ID2).finalStatus());
        assertThat(overdrawn.errorKind()).isEqualTo("HostError");
        assertThat(overdrawn.message()).startsWith("BalanceExceeded");
        assertThat(simulator.waitingYields()).isEqualTo(1);
    }

    @Test
    void idsThatAreNot32BytesAreYieldIdMalformed() {
        for (String method : List.of("create_short_id", "resume_long_id")) {
            ExecutionStatus.Failure malformed = failure(call(ORACLE, method, "").finalStatus());
            assertThat(malformed.errorKind()).isEqualTo("HostError");
            assertThat(malformed.message()).as(method).startsWith("YieldIdMalformed");
        }
        assertThat(simulator.waitingYields()).isZero();
    }

    private static Action functionCall(String method, String args) {
        return new Action.FunctionCall(method, utf8(args), CallRequest.DEFAULT_GAS, BigInteger.ZERO);
    }

    private static String hash(int n) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) n;
        return Base58.encode(bytes);
    }
}

package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.SimulatorChainView;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.TransactionChain;
import dev.outlayer.bench.targetsystem.transactions.TransactionEngine;
import dev.outlayer.bench.targetsystem.transactions.TransactionLimits;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signed transactions end to end in process: JSON-RPC in, Borsh, signature, the receipt engine
 * of the real contract simulator running the bundled counter, and nearcore's shapes out; access
 * keys through {@code query}, run-time keys through {@code sandbox_patch_state}.
 */
class TransactionsRpcTest {
    private static final long GENESIS_MILLIS = 1_700_000_000_000L;
    private static final long BLOCK_MILLIS = 1_000;
    private static final String COUNTER = "counter.test.near";
    private static final BigInteger NEAR = new BigInteger("1000000000000000000000000");
    private static final long GAS = 30_000_000_000_000L;
    private static final TransactionSigner ALICE = TransactionSigner.fromSeed("alice.test.near", seed(1));

    private final AtomicLong now = new AtomicLong(GENESIS_MILLIS + 10 * BLOCK_MILLIS + 500);
    private final BlockClock clock = new BlockClock(GENESIS_MILLIS, BLOCK_MILLIS, now::get);

    @AutoClose
    private ContractSimulator simulator;

    private NearRpcEmulator rpc;

    private static byte[] seed(int value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) value);
        return seed;
    }

    @BeforeEach
    void start() throws IOException {
        simulator = new ContractSimulator(true, clock);
        simulator.deploy(COUNTER, Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/counter.wasm")));
        SimulatorTransactionChain chain = new SimulatorTransactionChain(simulator);
        AccountsFeeder.seed(
                List.of(new AccountsFeeder.Seed(ALICE.signerId(), ALICE.publicKey(), NEAR.multiply(BigInteger.TEN))),
                chain);
        rpc = new NearRpcEmulator(
                clock,
                "outlayer-test",
                new SimulatorChainView(simulator),
                // Bounds waits that answer as soon as they can (100 ms ran out on a loaded machine) and the
                // waits that must time out here (for blocks that do not come).
                new TransactionEngine(clock, chain, TransactionLimits.PINNED, 1_000));
    }

    private byte[] finalBlock() {
        return Base58.decode(clock.hash(clock.latestHeight() - 2));
    }

    private static List<Action> increment() {
        return List.of(
                new Action.FunctionCall("increment", "{}".getBytes(StandardCharsets.UTF_8), GAS, BigInteger.ZERO));
    }

    private JsonNode call(String method, String params) {
        return RpcNode.call(rpc, method, params);
    }

    private JsonNode send(byte[] signed, String waitUntil) {
        return call(
                "send_tx",
                "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed) + "\",\"wait_until\":\""
                        + waitUntil + "\"}");
    }

    /**
     * Sends {@code signed} and waits for its execution only: the clock here moves when a test moves it, so a
     * wait for finality would time out (1 s each) and change nothing the test reads.
     */
    private JsonNode executed(byte[] signed) {
        JsonNode reply = send(signed, "EXECUTED_OPTIMISTIC");
        assertThat(reply.has("result")).as("%s", reply).isTrue();
        return reply;
    }

    private long counter() {
        JsonNode reply = call(
                "query",
                "{\"request_type\":\"call_function\",\"finality\":\"optimistic\",\"account_id\":\"" + COUNTER
                        + "\",\"method_name\":\"get_num\",\"args_base64\":\"e30=\"}");
        StringBuilder text = new StringBuilder();
        reply.at("/result/result").forEach(b -> text.append((char) b.asInt()));
        return Long.parseLong(text.toString());
    }

    private JsonNode accessKey(TransactionSigner signer) {
        return call(
                "query",
                "{\"request_type\":\"view_access_key\",\"finality\":\"final\",\"account_id\":\"" + signer.signerId()
                        + "\",\"public_key\":\"" + signer.publicKey() + "\"}");
    }

    private static JsonNode invalidTx(JsonNode reply) {
        assertThat(reply.at("/error/cause/name").asText()).as("%s", reply).isEqualTo("INVALID_TRANSACTION");
        return reply.at("/error/data/TxExecutionError/InvalidTxError");
    }

    /**
     * A contract's failure as nearcore's FunctionCallErrorSer (runtime/runtime/src/conversions.rs,
     * near/nearcore 00fc950): a MethodResolveError keeps its variant, a WasmTrap or HostError becomes
     * ExecutionError with the VM error's Display (runtime/near-vm-runner/src/logic/errors.rs, 02e1c92).
     */
    @Test
    void aFailedCallIsTheFunctionCallErrorNearcoreSends() {
        String limits = "limits.test.near";
        simulator.deploy(limits, dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm("limits"));
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("nope", "{\"MethodResolveError\":\"MethodNotFound\"}");
        expected.put("", "{\"MethodResolveError\":\"MethodEmptyName\"}");
        expected.put("with_param", "{\"MethodResolveError\":\"MethodInvalidSignature\"}");
        expected.put(
                "grow_past_limit", "{\"ExecutionError\":\"WebAssembly trap: An `unreachable` opcode was executed.\"}");
        expected.put(
                "divide_by_zero",
                "{\"ExecutionError\":\"WebAssembly trap: An arithmetic exception, e.g. divided by zero.\"}");
        expected.put("out_of_bounds", "{\"ExecutionError\":\"WebAssembly trap: Memory out of bounds trap.\"}");
        expected.put(
                "bad_host_input",
                "{\"ExecutionError\":\"AltBn128 invalid input: slice of size 1 cannot be precisely split into chunks"
                        + " of size 192\"}");
        expected.put("write_then_panic", "{\"ExecutionError\":\"Smart contract panicked: boom\"}");
        // Host errors with fields, in errors.rs's Display (near/nearcore 02e1c92).
        expected.put("unset_register", "{\"ExecutionError\":\"Accessed invalid register id: 7\"}");
        expected.put(
                "long_key_read", "{\"ExecutionError\":\"The length of a storage key 2049 exceeds the limit 2048\"}");
        expected.put("promise_of_nothing", "{\"ExecutionError\":\"5 does not correspond to existing promises\"}");
        expected.put("result_of_nothing", "{\"ExecutionError\":\"Accessed invalid promise result index: 3\"}");
        expected.put(
                "iterate", "{\"ExecutionError\":\"Attempted to call deprecated host function storage_iter_prefix\"}");
        long nonce = 1;
        for (var call : expected.entrySet()) {
            assertThat(failedCall(limits, nonce++, functionCall(call.getKey(), BigInteger.ZERO)))
                    .as("%s", call.getKey())
                    .isEqualTo(call.getValue());
        }
        // A host error without fields: five bytes read_register'ed 4 bytes before the end of memory.
        String memory = "memory.test.near";
        simulator.deploy(memory, dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm("near_memory"));
        Action pastTheEnd = new Action.FunctionCall(
                "host_write_at_end", "12345".getBytes(StandardCharsets.UTF_8), GAS, BigInteger.ZERO);
        assertThat(failedCall(memory, nonce, pastTheEnd))
                .isEqualTo("{\"ExecutionError\":\"Accessed memory outside the bounds.\"}");
    }

    /**
     * nearcore checks the storage stake once, after all of a receipt's actions (runtime/runtime/src/lib.rs
     * apply_action_receipt, near/nearcore 004d76e; action_function_call checks nothing): a shortfall is
     * {@code ActionError{index: null, kind: LackBalanceForState{account_id, amount}}}, amount what balance plus
     * locked lack of storage_usage * 10^19 (verifier.rs check_storage_stake, 015033a), and the receipt's changes
     * and new receipts are dropped; a later action of the same receipt that pays the stake saves it.
     */
    @Test
    void theStorageStakeIsCheckedOnceAfterAllOfAReceiptsActions() {
        String table = "table.test.near";
        simulator.deploy(table, dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm("gas_table"));
        long usage = simulator
                .account(table)
                .orElseThrow()
                .read(dev.outlayer.bench.targetsystem.contracts.AccountState.Snapshot::storageUsage);
        // drain gives all but 1,000 yoctoNEAR to sink.test.near and writes a 1-byte key with a 200-byte value.
        long drained = usage + 1 + 200 + 40;
        JsonNode failed = send(
                        ALICE.sign(table, 1, finalBlock(), List.of(functionCall("drain", BigInteger.ZERO))),
                        "EXECUTED_OPTIMISTIC")
                .get("result");
        JsonNode error = failed.at("/receipts_outcome/0/outcome/status/Failure/ActionError");
        assertThat(error.toString())
                .as("%s", failed)
                .isEqualTo("{\"index\":null,\"kind\":{\"LackBalanceForState\":{\"account_id\":\"" + table
                        + "\",\"amount\":\""
                        + BigInteger.TEN
                                .pow(19)
                                .multiply(BigInteger.valueOf(drained))
                                .subtract(BigInteger.valueOf(1_000))
                        + "\"}}}");
        // The same call followed by a transfer that covers the stake: nearcore's receipt succeeds.
        BigInteger stake = BigInteger.TEN.pow(19).multiply(BigInteger.valueOf(drained));
        JsonNode paid = send(
                        ALICE.sign(
                                table,
                                2,
                                finalBlock(),
                                List.of(functionCall("drain", BigInteger.ZERO), new Action.Transfer(stake))),
                        "EXECUTED_OPTIMISTIC")
                .get("result");
        assertThat(paid.at("/receipts_outcome/0/outcome/status/SuccessValue").isTextual())
                .as("%s", paid)
                .isTrue();
        assertThat(simulator
                        .account(table)
                        .orElseThrow()
                        .read(dev.outlayer.bench.targetsystem.contracts.AccountState.Snapshot::storageUsage))
                .isEqualTo(drained);
    }

    /**
     * A view call's failure is call_function's {@code format!("wasm execution failed with error: {:?}", err)}
     * (runtime/runtime/src/state_viewer/mod.rs, near/nearcore 0145c93): the FunctionCallError's Debug, a host
     * error with its fields as Rust derives it.
     */
    @Test
    void aFailedViewCallIsTheVmErrorsDebugWithItsFields() {
        String limits = "limits.test.near";
        simulator.deploy(limits, dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm("limits"));
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("unset_register", "HostError(InvalidRegisterId { register_id: 7 })");
        expected.put("long_key_read", "HostError(KeyLengthExceeded { length: 2049, limit: 2048 })");
        expected.put(
                "bad_host_input",
                "HostError(AltBn128InvalidInput { msg: \"slice of size 1 cannot be precisely split into chunks of"
                        + " size 192\" })");
        expected.put("iterate", "HostError(Deprecated { method_name: \"storage_iter_prefix\" })");
        expected.put("short_p256_signature", "HostError(P256VerifyInvalidInput { msg: \"invalid signature length\" })");
        expected.put("write", "HostError(ProhibitedInView { method_name: \"storage_write\" })");
        expected.put("write_then_panic", "HostError(ProhibitedInView { method_name: \"storage_write\" })");
        expected.put("divide_by_zero", "WasmTrap(IllegalArithmetic)");
        for (var call : expected.entrySet()) {
            JsonNode reply = call(
                    "query",
                    "{\"request_type\":\"call_function\",\"finality\":\"optimistic\",\"account_id\":\"" + limits
                            + "\",\"method_name\":\"" + call.getKey() + "\",\"args_base64\":\"\"}");
            assertThat(reply.at("/result/error").asText())
                    .as("%s", call.getKey())
                    .isEqualTo("wasm execution failed with error: " + call.getValue());
        }
    }

    /** The FunctionCallError of Alice's call on {@code receiver}, as JSON. */
    private String failedCall(String receiver, long nonce, Action call) {
        JsonNode result = send(ALICE.sign(receiver, nonce, finalBlock(), List.of(call)), "EXECUTED_OPTIMISTIC")
                .get("result");
        JsonNode error = result.at("/status/Failure/ActionError/kind/FunctionCallError");
        assertThat(error.isMissingNode()).as("%s", result).isFalse();
        return error.toString();
    }

    @Test
    void aSignedFunctionCallRunsAndAnswersInNearcoresShape() {
        byte[] signed = ALICE.sign(COUNTER, 1, finalBlock(), increment());
        String hash = Base58.encode(sha256(Arrays.copyOf(signed, signed.length - 65)));

        JsonNode result = send(signed, "EXECUTED_OPTIMISTIC").get("result");

        assertThat(result.get("final_execution_status").asText()).isEqualTo("EXECUTED_OPTIMISTIC");
        assertThat(result.at("/status/SuccessValue").isTextual())
                .as("%s", result)
                .isTrue();
        assertThat(result.at("/transaction/hash").asText()).isEqualTo(hash);
        assertThat(result.at("/transaction/signer_id").asText()).isEqualTo(ALICE.signerId());
        assertThat(result.at("/transaction/actions/0/FunctionCall/method_name").asText())
                .isEqualTo("increment");
        assertThat(result.at("/transaction_outcome/id").asText()).isEqualTo(hash);
        assertThat(result.at("/transaction_outcome/outcome/executor_id").asText())
                .isEqualTo(ALICE.signerId());
        assertThat(result.at("/transaction_outcome/outcome/gas_burnt").asLong()).isPositive();
        assertThat(result.at("/transaction_outcome/outcome/status/SuccessReceiptId")
                        .asText())
                .isEqualTo(result.at("/receipts_outcome/0/id").asText());
        assertThat(result.at("/receipts_outcome/0/outcome/executor_id").asText())
                .isEqualTo(COUNTER);
        assertThat(result.at("/receipts_outcome/0/outcome/logs/0").asText()).isEqualTo("Increased number to 1");
        assertThat(result.at("/receipts_outcome/0/block_hash").asText()).hasSizeGreaterThan(40);
        assertThat(counter()).isEqualTo(1);
        assertThat(accessKey(ALICE).at("/result/nonce").asLong()).isEqualTo(1);

        JsonNode again = send(signed, "EXECUTED_OPTIMISTIC").get("result");
        assertThat(again.at("/transaction_outcome/id").asText()).isEqualTo(hash);
        assertThat(counter())
                .as("a resent transaction is answered, not run again")
                .isEqualTo(1);

        JsonNode byHash = call("tx", "{\"tx_hash\":\"" + hash + "\",\"sender_account_id\":\"alice.test.near\"}");
        assertThat(byHash.at("/result/receipts_outcome/0/id").asText())
                .isEqualTo(result.at("/receipts_outcome/0/id").asText());
        JsonNode withReceipts = call("EXPERIMENTAL_tx_status", "[\"" + hash + "\", \"alice.test.near\"]");
        assertThat(withReceipts.at("/result/receipts/0/receiver_id").asText()).isEqualTo(COUNTER);
    }

    @Test
    void receiptsAreKeptAsNearcoresReceiptViewsAndFoundByIdAndChunk() {
        byte[] signed = ALICE.sign(COUNTER, 1, finalBlock(), increment());
        JsonNode result = send(signed, "EXECUTED_OPTIMISTIC").get("result");
        String hash = result.at("/transaction/hash").asText();
        String callId = result.at("/receipts_outcome/0/id").asText();
        String refundId = result.at("/receipts_outcome/1/id").asText();

        JsonNode receipts = call(
                        "EXPERIMENTAL_tx_status",
                        "{\"tx_hash\":\"" + hash + "\",\"sender_account_id\":\"alice.test.near\"}")
                .at("/result/receipts");
        assertThat(receipts).as("%s", receipts).hasSize(2);
        JsonNode call = receipts.get(0);
        assertThat(call.get("predecessor_id").asText()).isEqualTo(ALICE.signerId());
        assertThat(call.get("receiver_id").asText()).isEqualTo(COUNTER);
        assertThat(call.get("receipt_id").asText()).isEqualTo(callId);
        assertThat(call.get("priority").asLong()).isZero();
        JsonNode action = call.at("/receipt/Action");
        assertThat(action.get("signer_id").asText()).isEqualTo(ALICE.signerId());
        assertThat(action.get("signer_public_key").asText())
                .isEqualTo(ALICE.publicKey().toString());
        assertThat(action.get("gas_price").asText())
                .as("config.rs tx_cost: the receipt carries receipt_gas_price, max(10^8, min_gas_purchase_price)")
                .isEqualTo("1000000000");
        assertThat(action.get("output_data_receivers")).isEmpty();
        assertThat(action.get("input_data_ids")).isEmpty();
        assertThat(action.get("is_promise_yield").asBoolean()).isFalse();
        assertThat(action.get("actions")).isEqualTo(result.at("/transaction/actions"));
        JsonNode refund = receipts.get(1);
        assertThat(refund.get("predecessor_id").asText()).isEqualTo("system");
        assertThat(refund.get("receipt_id").asText()).isEqualTo(refundId);
        assertThat(refund.at("/receipt/Action/signer_id").asText())
                .as("a gas refund is signed by its receiver (receipt.rs new_gas_refund)")
                .isEqualTo(ALICE.signerId());
        assertThat(refund.at("/receipt/Action/gas_price").asText()).isEqualTo("0");
        assertThat(new BigInteger(
                        refund.at("/receipt/Action/actions/0/Transfer/deposit").asText()))
                .isPositive();

        assertThat(call("EXPERIMENTAL_receipt", "{\"receipt_id\":\"" + callId + "\"}")
                        .get("result"))
                .isEqualTo(call);
        assertThat(call("EXPERIMENTAL_receipt", "[\"" + refundId + "\"]").get("result"))
                .isEqualTo(refund);
        JsonNode unknown = call("EXPERIMENTAL_receipt", "{\"receipt_id\":\"" + hash + "\"}");
        assertThat(unknown.at("/error/cause/name").asText()).isEqualTo("UNKNOWN_RECEIPT");
        assertThat(unknown.at("/error/cause/info/receipt_id").asText()).isEqualTo(hash);
        assertThat(unknown.at("/error/data/name").asText()).isEqualTo("UNKNOWN_RECEIPT");
        assertThat(call("EXPERIMENTAL_receipt", "{}").at("/error/data").asText())
                .isEqualTo("Failed parsing args: missing field `receipt_id`");

        // nearcore's prev_outgoing_receipts: the chunk after the one that created them lists them. The
        // transaction's chunk creates the call's receipt, which runs in the next and creates the refund.
        long included = clock.heightOf(Base58.decode(
                        result.at("/transaction_outcome/block_hash").asText()))
                .getAsLong();
        assertThat(call("chunk", "[[" + (included + 1) + ", 0]]").at("/result/receipts"))
                .containsExactly(call);
        assertThat(call("chunk", "[[" + (included + 2) + ", 0]]").at("/result/receipts"))
                .containsExactly(refund);
        assertThat(call("chunk", "[[" + included + ", 0]]").at("/result/receipts"))
                .isEmpty();
    }

    private long heightOf(JsonNode blockHash) {
        return clock.heightOf(Base58.decode(blockHash.asText())).getAsLong();
    }

    @Test
    void aReceiptToAnotherAccountRunsInTheBlockAfterItsTransactionALocalOneInTheSame() {
        // nearcore's process_transactions: the local receipt (signer is receiver) is applied in the chunk
        // that converts the transaction; any other goes out and is applied as an incoming receipt of the
        // next chunk. The emulator ran both in the transaction's block.
        long head = clock.latestHeight();
        JsonNode remote = send(ALICE.sign(COUNTER, 1, finalBlock(), increment()), "EXECUTED_OPTIMISTIC")
                .get("result");
        long included = heightOf(remote.at("/transaction_outcome/block_hash"));
        assertThat(included).isEqualTo(head);
        assertThat(heightOf(remote.at("/receipts_outcome/0/block_hash")))
                .as("the call's receipt")
                .isEqualTo(included + 1);
        assertThat(heightOf(remote.at("/receipts_outcome/1/block_hash")))
                .as("its gas refund, created by the call")
                .isEqualTo(included + 2);
        assertThat(clock.latestHeight()).isEqualTo(included + 2);

        long localHead = clock.latestHeight();
        JsonNode local = send(
                        ALICE.sign(ALICE.signerId(), 2, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE))),
                        "EXECUTED_OPTIMISTIC")
                .get("result");
        assertThat(heightOf(local.at("/transaction_outcome/block_hash"))).isEqualTo(localHead);
        assertThat(heightOf(local.at("/receipts_outcome/0/block_hash")))
                .as("a local receipt runs in the transaction's own chunk")
                .isEqualTo(localHead);
    }

    @Test
    void includedIsAnsweredAtTheIncludingBlockBeforeAReceiptToAnotherAccountRuns() throws Exception {
        // nearcore's view_client get_tx_status once the including chunk is applied: the transaction and its
        // outcome are stored, the receipt to another account runs in the next block, so
        // get_partial_transaction_result finds no receipt outcome: status Started, receipts_outcome empty.
        // The emulator answered INCLUDED after that receipt had run (EXECUTED_OPTIMISTIC, its outcome shown).
        rpc = new NearRpcEmulator(
                clock,
                "outlayer-test",
                new SimulatorChainView(simulator),
                new TransactionEngine(
                        clock, new SimulatorTransactionChain(simulator), TransactionLimits.PINNED, 30_000));
        long head = clock.latestHeight();
        JsonNode included = send(ALICE.sign(COUNTER, 1, finalBlock(), increment()), "INCLUDED")
                .get("result");
        assertThat(included.get("final_execution_status").asText())
                .as("%s", included)
                .isEqualTo("INCLUDED");
        assertThat(included.get("status").asText()).isEqualTo("Started");
        assertThat(heightOf(included.at("/transaction_outcome/block_hash"))).isEqualTo(head);
        assertThat(included.get("receipts_outcome")).isEmpty();
        String hash = included.at("/transaction/hash").asText();

        // The receipt still runs in the next block, as `tx` shows once it asks.
        JsonNode later = call(
                        "tx",
                        "{\"tx_hash\":\"" + hash
                                + "\",\"sender_account_id\":\"alice.test.near\",\"wait_until\":\"EXECUTED_OPTIMISTIC\"}")
                .get("result");
        assertThat(heightOf(later.at("/receipts_outcome/0/block_hash"))).isEqualTo(head + 1);
        assertThat(counter()).isEqualTo(1);

        // A wait for INCLUDED begun before the transaction arrived is answered as of its including block too.
        byte[] next = ALICE.sign(COUNTER, 2, finalBlock(), increment());
        String nextHash = Base58.encode(sha256(Arrays.copyOf(next, next.length - 65)));
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"EXPERIMENTAL_tx_status\",\"params\":{\"tx_hash\":\""
                + nextHash + "\",\"sender_account_id\":\"alice.test.near\",\"wait_until\":\"INCLUDED\"}}";
        java.util.concurrent.CompletableFuture<NearRpcEmulator.Response> waiting =
                rpc.handleAsync(body.getBytes(StandardCharsets.UTF_8), null);
        long nextHead = clock.latestHeight();
        send(next, "EXECUTED_OPTIMISTIC");
        JsonNode answer = JsonCodec.MAPPER
                .readTree(waiting.get(10, TimeUnit.SECONDS).body())
                .get("result");
        assertThat(answer.get("final_execution_status").asText())
                .as("%s", answer)
                .isEqualTo("INCLUDED");
        assertThat(answer.get("status").asText()).isEqualTo("Started");
        assertThat(heightOf(answer.at("/transaction_outcome/block_hash"))).isEqualTo(nextHead);
        assertThat(answer.get("receipts_outcome")).isEmpty();
        assertThat(answer.get("receipts")).isEmpty();

        // A local transaction's receipt runs in the including block: INCLUDED finds it executed.
        long localHead = clock.latestHeight();
        JsonNode local = send(
                        ALICE.sign(ALICE.signerId(), 3, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE))),
                        "INCLUDED")
                .get("result");
        assertThat(local.get("final_execution_status").asText()).isEqualTo("EXECUTED_OPTIMISTIC");
        assertThat(local.at("/status/SuccessValue").asText()).isEmpty();
        assertThat(heightOf(local.at("/receipts_outcome/0/block_hash"))).isEqualTo(localHead);
    }

    @Test
    void aTransactionIsFinalTwoBlocksAfterItsLastReceiptsBlock() {
        JsonNode result = send(ALICE.sign(COUNTER, 1, finalBlock(), increment()), "EXECUTED_OPTIMISTIC")
                .get("result");
        String hash = result.at("/transaction/hash").asText();
        long included = heightOf(result.at("/transaction_outcome/block_hash"));
        String status = "{\"tx_hash\":\"" + hash
                + "\",\"sender_account_id\":\"alice.test.near\",\"wait_until\":\"EXECUTED_OPTIMISTIC\"}";

        // Call at included + 1, refund at included + 2: final once the head is at included + 4.
        while (clock.latestHeight() < included + 3) {
            now.addAndGet(BLOCK_MILLIS);
        }
        assertThat(clock.latestHeight()).isEqualTo(included + 3);
        assertThat(call("tx", status).at("/result/final_execution_status").asText())
                .isEqualTo("EXECUTED_OPTIMISTIC");
        now.addAndGet(BLOCK_MILLIS);
        assertThat(call("tx", status).at("/result/final_execution_status").asText())
                .isEqualTo("FINAL");
    }

    /** nearcore's create_hash_upgradable at 86: sha256(base || block height u64 LE || salt u64 LE). */
    private static String nearcoreId(String base, long height, long salt) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(48).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.put(Base58.decode(base)).putLong(height).putLong(salt);
        return Base58.encode(sha256(bytes.array()));
    }

    @Test
    void receiptAndDataIdsAreDerivedAsNearcoreDerivesThem() {
        // core/primitives/src/utils.rs since BlockHeightForReceiptId (77): a transaction's receipt is
        // create_receipt_id_from_transaction(tx hash, height, 0); the i-th of a receipt's new_receipts
        // (its calls' receipts, then refunds, then the data receipts of its result) is
        // create_receipt_id_from_receipt_id(receipt id, height, i); a call's data ids are
        // create_receipt_id_from_action_hash(action hash, height, n) for its n-th generate_data_id, the
        // action hash being the receipt id with salt u64::MAX - action index. The emulator's ids were
        // its own hashes of the parent id and a tag.
        String router = "router.test.near";
        String callee = "callee.test.near";
        simulator.deploy(router, dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm("receipts"));
        simulator.deploy(callee, dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm("receipts"));
        List<Action> thenOk = List.of(
                new Action.FunctionCall("then_ok", callee.getBytes(StandardCharsets.UTF_8), 10 * GAS, BigInteger.ZERO));

        JsonNode result = send(ALICE.sign(router, 1, finalBlock(), thenOk), "EXECUTED_OPTIMISTIC")
                .get("result");
        String txHash = result.at("/transaction/hash").asText();
        long included = heightOf(result.at("/transaction_outcome/block_hash"));
        String first = nearcoreId(txHash, included, 0);
        assertThat(result.at("/transaction_outcome/outcome/receipt_ids/0").asText())
                .isEqualTo(first);

        java.util.Map<String, JsonNode> outcomes = new java.util.HashMap<>();
        result.get("receipts_outcome").forEach(o -> outcomes.put(o.get("id").asText(), o));
        JsonNode routerCall = outcomes.get(first);
        assertThat(routerCall).as("%s", result).isNotNull();
        long routerRan = heightOf(routerCall.get("block_hash"));
        // then_ok: the callee's call, the callback on the router, the router's gas refund.
        JsonNode made = routerCall.at("/outcome/receipt_ids");
        assertThat(made).hasSize(3);
        for (int i = 0; i < made.size(); i++) {
            assertThat(made.get(i).asText()).as("receipt %d", i).isEqualTo(nearcoreId(first, routerRan, i));
        }
        String calleeCall = made.get(0).asText();
        String callback = made.get(1).asText();
        JsonNode callbackView = call("EXPERIMENTAL_receipt", "{\"receipt_id\":\"" + callback + "\"}")
                .get("result");
        String actionHash = nearcoreId(first, routerRan, -1L);
        String dataId = nearcoreId(actionHash, routerRan, 0);
        assertThat(callbackView.at("/receipt/Action/input_data_ids/0").asText()).isEqualTo(dataId);
        JsonNode calleeView = call("EXPERIMENTAL_receipt", "{\"receipt_id\":\"" + calleeCall + "\"}")
                .get("result");
        assertThat(calleeView
                        .at("/receipt/Action/output_data_receivers/0/data_id")
                        .asText())
                .isEqualTo(dataId);

        // The callee's new_receipts: its gas refund, then the data receipt of its result.
        JsonNode calleeOutcome = outcomes.get(calleeCall);
        long calleeRan = heightOf(calleeOutcome.get("block_hash"));
        assertThat(calleeOutcome.at("/outcome/receipt_ids/0").asText()).isEqualTo(nearcoreId(calleeCall, calleeRan, 0));
        JsonNode data = call(
                        "EXPERIMENTAL_receipt", "{\"receipt_id\":\"" + nearcoreId(calleeCall, calleeRan, 1) + "\"}")
                .get("result");
        assertThat(data.at("/receipt/Data/data_id").asText()).as("%s", data).isEqualTo(dataId);
    }

    @Test
    void dataReceiptsGetIdsTheChunkListsAndExperimentalReceiptFindsButTxStatusLeavesOut() {
        // nearcore's apply_action_receipt gives a data receipt (DataReceipt: data_id, data) a receipt id as
        // any new receipt; it travels in the next chunk's prev_outgoing_receipts and is stored as the
        // others are, so EXPERIMENTAL_receipt finds it. It has no outcome, so it is not among receipt_ids,
        // and chain.rs get_final_transaction_result_with_receipt, which lists the receipts of the
        // outcomes, leaves it out. The emulator gave data receipts no id and kept none.
        String router = "router.test.near";
        String callee = "callee.test.near";
        simulator.deploy(router, dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm("receipts"));
        simulator.deploy(callee, dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm("receipts"));
        List<Action> thenOk = List.of(
                new Action.FunctionCall("then_ok", callee.getBytes(StandardCharsets.UTF_8), 10 * GAS, BigInteger.ZERO));

        JsonNode result = send(ALICE.sign(router, 1, finalBlock(), thenOk), "EXECUTED_OPTIMISTIC")
                .get("result");

        JsonNode calleeOutcome = null;
        for (JsonNode outcome : result.get("receipts_outcome")) {
            if (outcome.at("/outcome/executor_id").asText().equals(callee)) {
                calleeOutcome = outcome;
            }
        }
        assertThat(calleeOutcome).as("%s", result).isNotNull();
        long calleeRan = heightOf(calleeOutcome.get("block_hash"));
        JsonNode withReceipts = call(
                        "EXPERIMENTAL_tx_status",
                        "[\"" + result.at("/transaction/hash").asText() + "\", \"alice.test.near\"]")
                .get("result");
        JsonNode listed = withReceipts.get("receipts");
        assertThat(listed).hasSize(result.get("receipts_outcome").size());
        String awaited = null;
        for (JsonNode receipt : listed) {
            assertThat(receipt.at("/receipt/Action").isObject())
                    .as("only receipts with an outcome: %s", receipt)
                    .isTrue();
            if (receipt.get("predecessor_id").asText().equals(router)
                    && receipt.get("receiver_id").asText().equals(router)) {
                awaited = receipt.at("/receipt/Action/input_data_ids/0").asText();
            }
        }
        assertThat(awaited)
                .as("the callback waits on the callee's result: %s", listed)
                .isNotNull();

        JsonNode data = null;
        for (JsonNode receipt : call("chunk", "[[" + (calleeRan + 1) + ", 0]]").at("/result/receipts")) {
            if (receipt.at("/receipt/Data").isObject()) {
                data = receipt;
            }
        }
        assertThat(data)
                .as("the chunk after the callee's lists its data receipt")
                .isNotNull();
        assertThat(data.get("predecessor_id").asText()).isEqualTo(callee);
        assertThat(data.get("receiver_id").asText()).isEqualTo(router);
        assertThat(data.get("priority").asLong()).isZero();
        assertThat(data.at("/receipt/Data/data_id").asText()).isEqualTo(awaited);
        assertThat(data.at("/receipt/Data/data").asText())
                .isEqualTo(Base64.getEncoder().encodeToString("ok".getBytes(StandardCharsets.UTF_8)));
        assertThat(data.at("/receipt/Data/is_promise_resume").asBoolean()).isFalse();
        assertThat(data.at("/receipt").size())
                .as("externally tagged: Data only")
                .isEqualTo(1);
        String dataReceiptId = data.get("receipt_id").asText();
        List<String> calleeReceipts = new ArrayList<>();
        calleeOutcome.at("/outcome/receipt_ids").forEach(id -> calleeReceipts.add(id.asText()));
        assertThat(calleeReceipts)
                .as("receipt_ids are the action receipts only")
                .doesNotContain(dataReceiptId);
        assertThat(call("EXPERIMENTAL_receipt", "{\"receipt_id\":\"" + dataReceiptId + "\"}")
                        .get("result"))
                .isEqualTo(data);
    }

    @Test
    void aLocalTransactionsFirstReceiptIsNeverStoredAsNearcoreKeepsIt() {
        byte[] signed = ALICE.sign(ALICE.signerId(), 1, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE)));
        JsonNode result = send(signed, "EXECUTED_OPTIMISTIC").get("result");
        String local = result.at("/receipts_outcome/0/id").asText();

        JsonNode status = call(
                "EXPERIMENTAL_tx_status", "[\"" + result.at("/transaction/hash").asText() + "\", \"alice.test.near\"]");
        assertThat(status.at("/result/receipts").findValuesAsText("receipt_id"))
                .as("chain.rs get_final_transaction_result_with_receipt skips it")
                .doesNotContain(local);
        assertThat(call("EXPERIMENTAL_receipt", "{\"receipt_id\":\"" + local + "\"}")
                        .at("/error/cause/name")
                        .asText())
                .isEqualTo("UNKNOWN_RECEIPT");
    }

    @Test
    void viewStateWithIncludeProofAnswersTheTrieNodesNearcoresIteratorRead() throws Exception {
        send(ALICE.sign(COUNTER, 1, finalBlock(), increment()), "EXECUTED_OPTIMISTIC");
        String query = "{\"request_type\":\"view_state\",\"finality\":\"optimistic\",\"account_id\":\"" + COUNTER
                + "\",\"prefix_base64\":\"\"";

        JsonNode plain = call("query", query + "}").get("result");
        assertThat(plain.get("values")).as("%s", plain).isNotEmpty();
        assertThat(plain.has("proof"))
                .as("no proof asked, none shown (skip_serializing_if empty)")
                .isFalse();

        JsonNode proved = call("query", query + ",\"include_proof\":true}").get("result");
        assertThat(proved.get("values")).isEqualTo(plain.get("values"));
        JsonNode proof = proved.get("proof");
        assertThat(proof).as("%s", proved).hasSizeGreaterThan(2);
        byte[] root = Base64.getDecoder().decode(proof.get(0).asText());
        assertThat(sha256(root))
                .as("the first node is the state trie's root")
                .isEqualTo(simulator.stateTrie().current().rootHash());
        assertThat(proof.get(1)).as("fetched again by seek_prefix").isEqualTo(proof.get(0));

        JsonNode wrongType = call("query", query + ",\"include_proof\":\"yes\"}");
        assertThat(wrongType.at("/error/cause/name").asText()).isEqualTo("PARSE_ERROR");
        assertThat(wrongType.at("/error/data").asText()).contains("expected a boolean");
        // #[serde(default)] include_proof: bool takes a missing member (false, above), never null
        JsonNode nullProof = call("query", query + ",\"include_proof\":null}");
        assertThat(nullProof.at("/error/cause/name").asText()).isEqualTo("PARSE_ERROR");
        assertThat(nullProof.at("/error/data").asText()).contains("invalid type: null, expected a boolean");
    }

    @Test
    void theChunkOfTheIncludingBlockListsTheTransaction() {
        byte[] signed = ALICE.sign(COUNTER, 1, finalBlock(), increment());
        JsonNode result = send(signed, "EXECUTED_OPTIMISTIC").get("result");
        String block = result.at("/transaction_outcome/block_hash").asText();

        JsonNode chunk =
                call("chunk", "{\"block_id\":\"" + block + "\",\"shard_id\":0}").get("result");
        assertThat(chunk.at("/transactions/0/hash").asText())
                .as("%s", chunk)
                .isEqualTo(result.at("/transaction/hash").asText());
        assertThat(chunk.at("/transactions/0")).isEqualTo(result.get("transaction"));
        JsonNode byHash = call("chunk", "[\"" + chunk.at("/header/chunk_hash").asText() + "\"]")
                .get("result");
        assertThat(byHash).isEqualTo(chunk);
    }

    @Test
    void theSameTransactionSentConcurrentlyRunsOnceAndEveryCopyGetsItsOutcome() throws Exception {
        byte[] signed = ALICE.sign(COUNTER, 1, finalBlock(), increment());
        int copies = 8;
        ExecutorService senders = Executors.newFixedThreadPool(copies);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<JsonNode>> replies = new ArrayList<>();
            for (int i = 0; i < copies; i++) {
                replies.add(senders.submit(() -> {
                    start.await();
                    return send(signed, "EXECUTED_OPTIMISTIC");
                }));
            }
            start.countDown();
            for (Future<JsonNode> reply : replies) {
                JsonNode answer = reply.get(30, TimeUnit.SECONDS);
                assertThat(answer.at("/result/status/SuccessValue").isTextual())
                        .as("%s", answer)
                        .isTrue();
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(counter()).as("run once").isEqualTo(1);
    }

    @Test
    void aTransactionStillRunningIsFoundByTxNotUnknown() throws Exception {
        // The chain has taken (charged, started) the transaction but its submit has not returned yet:
        // what `tx` sees while a transaction's receipts run.
        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TransactionChain real = new SimulatorTransactionChain(simulator);
        TransactionChain slow = (TransactionChain) java.lang.reflect.Proxy.newProxyInstance(
                TransactionChain.class.getClassLoader(), new Class<?>[] {TransactionChain.class}, (proxy, m, args) -> {
                    Object result;
                    try {
                        result = m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (m.getName().equals("submit")) {
                        taken.countDown();
                        release.await();
                    }
                    return result;
                });
        rpc = new NearRpcEmulator(
                clock,
                "outlayer-test",
                new SimulatorChainView(simulator),
                new TransactionEngine(clock, slow, TransactionLimits.PINNED, 2_000));
        byte[] signed = ALICE.sign(COUNTER, 1, finalBlock(), increment());
        String hash = Base58.encode(sha256(Arrays.copyOf(signed, signed.length - 65)));
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            Future<JsonNode> sent = sender.submit(() -> send(signed, "EXECUTED_OPTIMISTIC"));
            assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();

            JsonNode status = call("tx", "[\"" + hash + "\", \"alice.test.near\"]");
            assertThat(status.at("/result/transaction/hash").asText())
                    .as("an accepted transaction is never UNKNOWN_TRANSACTION: %s", status)
                    .isEqualTo(hash);
            assertThat(status.at("/result/status/SuccessValue").isTextual()).isTrue();
            assertThat(call(
                                    "EXPERIMENTAL_tx_status",
                                    "{\"signed_tx_base64\":\""
                                            + Base64.getEncoder().encodeToString(signed) + "\"}")
                            .at("/result/receipts/0/receiver_id")
                            .asText())
                    .isEqualTo(COUNTER);

            release.countDown();
            assertThat(sent.get(10, TimeUnit.SECONDS)
                            .at("/result/final_execution_status")
                            .asText())
                    .isEqualTo("EXECUTED_OPTIMISTIC");
        } finally {
            release.countDown();
            sender.shutdownNow();
        }
        assertThat(counter()).isEqualTo(1);
    }

    @Test
    void broadcastVariantsAndV1TransactionsRunToo() {
        JsonNode commit = call(
                "broadcast_tx_commit",
                "[\""
                        + Base64.getEncoder()
                                .encodeToString(ALICE.signV1(COUNTER, 1, -1, false, finalBlock(), increment()))
                        + "\"]");
        assertThat(commit.at("/result/transaction/priority_fee").asLong()).isZero();
        assertThat(commit.at("/result/transaction/nonce_mode").asText()).isEqualTo("monotonic");
        assertThat(commit.at("/result/status/SuccessValue").isTextual()).isTrue();

        JsonNode async = call(
                "broadcast_tx_async",
                "[\"" + Base64.getEncoder().encodeToString(ALICE.sign(COUNTER, 2, finalBlock(), increment())) + "\"]");
        String hash = async.get("result").asText();
        JsonNode none = send(ALICE.sign(COUNTER, 3, finalBlock(), increment()), "NONE");
        assertThat(none.get("result").toString()).isEqualTo("{\"final_execution_status\":\"NONE\"}");

        JsonNode status = call("tx", "[\"" + hash + "\", \"alice.test.near\"]");
        assertThat(status.at("/result/transaction/nonce").asLong()).isEqualTo(2);
        assertThat(counter()).isEqualTo(3);
    }

    @Test
    void aTransactionSentWithoutWaitingIsAnsweredByItsHashEvenWhenRefusedAsNearcoreDoes() {
        send(ALICE.sign(COUNTER, 1, finalBlock(), increment()), "EXECUTED_OPTIMISTIC");
        byte[] reused = ALICE.sign(COUNTER, 1, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE)));
        String hash = Base58.encode(sha256(Arrays.copyOf(reused, reused.length - 65)));
        String base64 = Base64.getEncoder().encodeToString(reused);

        // jsonrpc's send_tx_async: the hash (or NONE) before the checks, whatever they find
        assertThat(call("broadcast_tx_async", "[\"" + base64 + "\"]")
                        .get("result")
                        .asText())
                .isEqualTo(hash);
        assertThat(send(reused, "NONE").get("result").toString()).isEqualTo("{\"final_execution_status\":\"NONE\"}");
        assertThat(accessKey(ALICE).at("/result/nonce").asLong()).isEqualTo(1);
        assertThat(counter()).isEqualTo(1);

        // dropped: tx_status_fetch answers UNKNOWN_TRANSACTION at once only for NONE, polls otherwise
        JsonNode none = call(
                "tx",
                "{\"tx_hash\":\"" + hash + "\",\"sender_account_id\":\"alice.test.near\",\"wait_until\":\"NONE\"}");
        assertThat(none.at("/error/cause/name").asText()).isEqualTo("UNKNOWN_TRANSACTION");
        assertThat(call("tx", "[\"" + hash + "\", \"alice.test.near\"]")
                        .at("/error/cause/name")
                        .asText())
                .isEqualTo("TIMEOUT_ERROR");
        // given the transaction itself, it checks it (process_tx check_only) and answers the refusal
        assertThat(invalidTx(call("tx", "{\"signed_tx_base64\":\"" + base64 + "\"}"))
                        .at("/InvalidNonce/ak_nonce")
                        .asLong())
                .isEqualTo(1);
        // and a refused send that waits is refused at once, as before
        assertThat(invalidTx(send(reused, "INCLUDED")).has("InvalidNonce")).isTrue();
    }

    @Test
    void txWaitsForATransactionThatHasNotArrivedYet() throws Exception {
        rpc = new NearRpcEmulator(
                clock,
                "outlayer-test",
                new SimulatorChainView(simulator),
                new TransactionEngine(
                        clock, new SimulatorTransactionChain(simulator), TransactionLimits.PINNED, 30_000));
        byte[] later = ALICE.sign(COUNTER, 1, finalBlock(), increment());
        String hash = Base58.encode(sha256(Arrays.copyOf(later, later.length - 65)));
        String body =
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tx\",\"params\":[\"" + hash + "\", \"alice.test.near\"]}";
        java.util.concurrent.CompletableFuture<NearRpcEmulator.Response> waiting =
                rpc.handleAsync(body.getBytes(StandardCharsets.UTF_8), null);
        assertThat(waiting).as("not UNKNOWN_TRANSACTION: it may still arrive").isNotDone();

        send(later, "EXECUTED_OPTIMISTIC");

        JsonNode answer =
                JsonCodec.MAPPER.readTree(waiting.get(10, TimeUnit.SECONDS).body());
        assertThat(answer.at("/result/transaction/hash").asText())
                .as("%s", answer)
                .isEqualTo(hash);
        assertThat(answer.at("/result/final_execution_status").asText()).isEqualTo("EXECUTED_OPTIMISTIC");
    }

    /** Waits for the key's nonce to reach {@code nonce} (a pooled transaction runs at the next block). */
    private void awaitKeyNonce(TransactionSigner signer, long nonce) throws Exception {
        HangGuard.until(() -> accessKey(signer).at("/result/nonce").asLong() >= nonce);
        assertThat(accessKey(signer).at("/result/nonce").asLong()).isEqualTo(nonce);
    }

    @Test
    void transactionsOfOneKeyArrivingOutOfNonceOrderRunInNonceOrderAtTheNextBlock() throws Exception {
        TransactionEngine engine = new TransactionEngine(
                clock, new SimulatorTransactionChain(simulator), TransactionLimits.PINNED, 30_000);
        rpc = new NearRpcEmulator(clock, "outlayer-test", new SimulatorChainView(simulator), engine);
        long included = clock.latestHeight();
        java.util.concurrent.CompletableFuture<NearRpcEmulator.Response> third =
                sendAsync(ALICE.sign(COUNTER, 3, finalBlock(), increment()));
        java.util.concurrent.CompletableFuture<NearRpcEmulator.Response> second =
                sendAsync(ALICE.sign(COUNTER, 2, finalBlock(), increment()));
        assertThat(engine.pooledTransactions())
                .as("nonces 3 and 2 leave a gap above 0")
                .isEqualTo(2);
        assertThat(counter()).isZero();

        JsonNode first = send(ALICE.sign(COUNTER, 1, finalBlock(), increment()), "EXECUTED_OPTIMISTIC");
        assertThat(first.at("/result/status/SuccessValue").isTextual())
                .as("the next nonce runs at once: %s", first)
                .isTrue();
        assertThat(third).isNotDone();
        assertThat(second).isNotDone();

        now.addAndGet(BLOCK_MILLIS); // the next block takes the pool, in nonce order
        JsonNode secondAnswer =
                JsonCodec.MAPPER.readTree(second.get(10, TimeUnit.SECONDS).body());
        JsonNode thirdAnswer =
                JsonCodec.MAPPER.readTree(third.get(10, TimeUnit.SECONDS).body());
        assertThat(secondAnswer.at("/result/status/SuccessValue").isTextual())
                .as("%s", secondAnswer)
                .isTrue();
        assertThat(thirdAnswer.at("/result/status/SuccessValue").isTextual())
                .as("%s", thirdAnswer)
                .isTrue();
        assertThat(clock.heightOf(Base58.decode(secondAnswer
                                .at("/result/transaction_outcome/block_hash")
                                .asText()))
                        .getAsLong())
                .as("included in the block after the one they arrived in")
                .isGreaterThan(included);
        assertThat(counter()).isEqualTo(3);
        assertThat(accessKey(ALICE).at("/result/nonce").asLong()).isEqualTo(3);
        assertThat(engine.pooledTransactions()).isZero();
    }

    private java.util.concurrent.CompletableFuture<NearRpcEmulator.Response> sendAsync(byte[] signed) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"send_tx\",\"params\":{\"signed_tx_base64\":\""
                + Base64.getEncoder().encodeToString(signed) + "\",\"wait_until\":\"EXECUTED_OPTIMISTIC\"}}";
        return rpc.handleAsync(body.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void finalityIsWaitedForAndTimesOutWhenBlocksDoNotCome() {
        byte[] signed = ALICE.sign(COUNTER, 1, finalBlock(), increment());
        JsonNode pending = send(signed, "FINAL");
        assertThat(pending.at("/error/cause/name").asText()).isEqualTo("TIMEOUT_ERROR");
        assertThat(pending.at("/error/cause/info/cause").asText()).isEqualTo("PENDING");

        now.addAndGet(5 * BLOCK_MILLIS);
        JsonNode done = send(signed, "FINAL");
        assertThat(done.at("/result/final_execution_status").asText()).isEqualTo("FINAL");
        assertThat(counter())
                .as("the timed-out transaction ran; its resend was answered, not run")
                .isEqualTo(1);
    }

    @Test
    void nonceBalanceAndUnknownKeysAreRefusedWithoutChangingState() throws Exception {
        // nonce 5 over the key's 0 waits in the pool for the next block
        send(ALICE.sign(COUNTER, 5, finalBlock(), increment()), "NONE");
        now.addAndGet(BLOCK_MILLIS);
        awaitKeyNonce(ALICE, 5);

        JsonNode stale = invalidTx(send(
                ALICE.sign(
                        COUNTER,
                        5,
                        finalBlock(),
                        List.of(new Action.FunctionCall(
                                "increment", "{\"number\":2}".getBytes(StandardCharsets.UTF_8), GAS, BigInteger.ZERO))),
                "FINAL"));
        assertThat(stale.at("/InvalidNonce/ak_nonce").asLong()).isEqualTo(5);
        assertThat(stale.at("/InvalidNonce/tx_nonce").asLong()).isEqualTo(5);
        // u64 numbers as nearcore sends them: near-api-js puts them into InvalidNonceError as they come
        assertThat(stale.at("/InvalidNonce/ak_nonce").isIntegralNumber())
                .as("%s", stale)
                .isTrue();
        assertThat(stale.at("/InvalidNonce/tx_nonce").isIntegralNumber()).isTrue();

        TransactionSigner stranger = TransactionSigner.fromSeed("alice.test.near", seed(2));
        JsonNode unknownKey = invalidTx(send(stranger.sign(COUNTER, 1, finalBlock(), increment()), "INCLUDED"));
        assertThat(unknownKey
                        .at("/InvalidAccessKeyError/AccessKeyNotFound/public_key")
                        .asText())
                .isEqualTo(stranger.publicKey().toString());

        JsonNode noSigner = invalidTx(send(
                TransactionSigner.fromSeed("nobody.test.near", seed(1)).sign(COUNTER, 1, finalBlock(), increment()),
                "INCLUDED"));
        assertThat(noSigner.at("/SignerDoesNotExist/signer_id").asText()).isEqualTo("nobody.test.near");

        JsonNode poor = invalidTx(send(
                ALICE.sign(
                        "bob.test.near",
                        6,
                        finalBlock(),
                        List.of(new Action.Transfer(NEAR.multiply(BigInteger.valueOf(11))))),
                "INCLUDED"));
        assertThat(poor.at("/NotEnoughBalance/balance").isTextual()).isTrue();
        assertThat(new BigInteger(poor.at("/NotEnoughBalance/cost").asText()))
                .isGreaterThan(NEAR.multiply(BigInteger.valueOf(11)));
        // The first transaction's receipt runs in the background after its nonce is charged (a NONE send
        // answers at once): wait for it, then check that none of the refused ones ran.
        HangGuard.until(() -> counter() >= 1);
        assertThat(counter()).isEqualTo(1);
        assertThat(accessKey(ALICE).at("/result/nonce").asLong()).isEqualTo(5);
    }

    private void patch(String records) {
        JsonNode patched = call("sandbox_patch_state", "{\"records\":[" + records + "]}");
        assertThat(patched.get("result").toString()).as("%s", patched).isEqualTo("{}");
    }

    private static String accountRecord(String accountId, BigInteger amount) {
        return "{\"Account\":{\"account_id\":\"" + accountId + "\",\"account\":{\"amount\":\"" + amount + "\"}}}";
    }

    private static String keyRecord(TransactionSigner signer, long nonce, String permission) {
        return "{\"AccessKey\":{\"account_id\":\"" + signer.signerId() + "\",\"public_key\":\"" + signer.publicKey()
                + "\",\"access_key\":{\"nonce\":" + nonce + ",\"permission\":" + permission + "}}}";
    }

    @Test
    void aPatchWithAValueNearcoreWouldNotReadChangesNothing() {
        TransactionSigner fresh = TransactionSigner.fromSeed("fresh.test.near", seed(14));
        String account = accountRecord(fresh.signerId(), NEAR);
        for (String bad : List.of(
                keyRecord(fresh, 0, "\"FullAccess\"").replace("\"nonce\":0", "\"nonce\":1.5"),
                keyRecord(fresh, 0, "\"FullAccess\"").replace("\"nonce\":0", "\"nonce\":-1"),
                keyRecord(fresh, 0, "\"FullAccess\"").replace("\"nonce\":0", "\"nonce\":18446744073709551616"),
                keyRecord(
                        fresh,
                        0,
                        "{\"FunctionCall\":{\"allowance\":null,\"receiver_id\":\"" + COUNTER
                                + "\",\"method_names\":null}}"),
                keyRecord(
                        fresh,
                        0,
                        "{\"FunctionCall\":{\"allowance\":1.5,\"receiver_id\":\"" + COUNTER
                                + "\",\"method_names\":[]}}"),
                keyRecord(fresh, 0, "\"FullAccess\"").replace("\"permission\"", "\"permision\""),
                account.replace("\"amount\":", "\"locked\":\"abc\",\"amount\":"),
                account.replace("\"amount\":\"" + NEAR + "\"", "\"amount\":-5"),
                "{\"Account\":null}",
                "{\"AccessKey\":null}",
                "{\"GasKeyNonce\":[]}")) {
            JsonNode refused = call("sandbox_patch_state", "{\"records\":[" + account + "," + bad + "]}");
            assertThat(refused.at("/error/cause/name").asText())
                    .as("%s: %s", bad, refused)
                    .isEqualTo("PARSE_ERROR");
            assertThat(refused.at("/error/data").asText()).startsWith("Failed parsing args: ");
            assertThat(simulator.account(fresh.signerId()))
                    .as("nothing applied: %s", bad)
                    .isEmpty();
        }

        // the whole u64 range is a nonce
        patch(account + ","
                + keyRecord(fresh, 0, "\"FullAccess\"").replace("\"nonce\":0", "\"nonce\":18446744073709551615"));
        assertThat(accessKey(fresh).at("/result/nonce").bigIntegerValue())
                .isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void accessKeyListIsInTheTrieOrderOfTheKeysBytes() {
        // Two keys whose base58 texts sort the other way round than their bytes (the trie's order in nearcore)
        // Each key derived once (a derivation per pair tried took 3.5 s of the class's run).
        List<TransactionSigner> keys = java.util.stream.IntStream.range(20, 250)
                .mapToObj(value -> TransactionSigner.fromSeed(ALICE.signerId(), seed(value)))
                .toList();
        TransactionSigner first = null;
        TransactionSigner second = null;
        for (int a = 0; a < keys.size() && second == null; a++) {
            for (int b = 0; b < keys.size() && second == null; b++) {
                TransactionSigner x = keys.get(a);
                TransactionSigner y = keys.get(b);
                int bytes = java.util.Arrays.compareUnsigned(
                        x.publicKey().toBorsh(), y.publicKey().toBorsh());
                int text = x.publicKey().toString().compareTo(y.publicKey().toString());
                if (bytes < 0 && text > 0) {
                    first = x;
                    second = y;
                }
            }
        }
        assertThat(second).as("a pair ordered differently as text and as bytes").isNotNull();
        patch(keyRecord(second, 0, "\"FullAccess\"") + "," + keyRecord(first, 0, "\"FullAccess\""));

        List<String> listed = new ArrayList<>();
        call(
                        "query",
                        "{\"request_type\":\"view_access_key_list\",\"finality\":\"final\",\"account_id\":\""
                                + ALICE.signerId() + "\"}")
                .at("/result/keys")
                .forEach(key -> listed.add(key.get("public_key").asText()));
        String low = first.publicKey().toString();
        String high = second.publicKey().toString();
        assertThat(listed.stream().filter(k -> k.equals(low) || k.equals(high)).toList())
                .as("%s", listed)
                .containsExactly(low, high);
    }

    /** verify_and_charge_tx_ephemeral's order: nonce, nonce bound, balance, allowance, storage stake, then the key's permission. */
    @Test
    void stateChecksComeInNearcoresOrder() {
        long bound = clock.latestHeight() * 1_000_000L;
        JsonNode noSigner = invalidTx(send(
                TransactionSigner.fromSeed("nobody.test.near", seed(1)).sign(COUNTER, bound, finalBlock(), increment()),
                "INCLUDED"));
        assertThat(noSigner.has("SignerDoesNotExist"))
                .as("the signer is read before the nonce bound: %s", noSigner)
                .isTrue();

        JsonNode tooLarge = invalidTx(send(ALICE.sign(COUNTER, bound, finalBlock(), increment()), "INCLUDED"));
        assertThat(tooLarge.at("/NonceTooLarge/upper_bound").asLong())
                .as("%s", tooLarge)
                .isEqualTo(bound);

        TransactionSigner high = TransactionSigner.fromSeed(ALICE.signerId(), seed(11));
        patch(keyRecord(high, bound + 5, "\"FullAccess\""));
        JsonNode stale = invalidTx(send(high.sign(COUNTER, bound + 5, finalBlock(), increment()), "INCLUDED"));
        assertThat(stale.has("InvalidNonce"))
                .as("InvalidNonce before NonceTooLarge: %s", stale)
                .isTrue();

        TransactionSigner poor = TransactionSigner.fromSeed("poor.test.near", seed(12));
        patch(accountRecord(poor.signerId(), BigInteger.ONE) + ","
                + keyRecord(
                        poor,
                        0,
                        "{\"FunctionCall\":{\"allowance\":\"1\",\"receiver_id\":\"" + COUNTER
                                + "\",\"method_names\":[\"increment\"]}}"));
        List<Action> otherMethod = List.of(new Action.FunctionCall("decrement", new byte[0], GAS, BigInteger.ZERO));
        JsonNode broke = invalidTx(send(poor.sign(COUNTER, 1, finalBlock(), otherMethod), "INCLUDED"));
        assertThat(broke.has("NotEnoughBalance"))
                .as("the balance before the allowance and the method: %s", broke)
                .isTrue();
        patch(accountRecord(poor.signerId(), NEAR));
        JsonNode allowance = invalidTx(send(poor.sign(COUNTER, 1, finalBlock(), otherMethod), "INCLUDED"));
        assertThat(allowance
                        .at("/InvalidAccessKeyError/NotEnoughAllowance/allowance")
                        .asText())
                .as("the allowance before the method: %s", allowance)
                .isEqualTo("1");

        // A contract account (over 770 bytes, no zero-balance exemption) may not pay below its storage stake.
        TransactionSigner owner = TransactionSigner.fromSeed(COUNTER, seed(13));
        patch(accountRecord(COUNTER, NEAR) + "," + keyRecord(owner, 0, "\"FullAccess\""));
        // The transfer's execution fees are bought at min_gas_purchase_price (10^9 a gas: 0.000223 NEAR for
        // its 223 Ggas), so 0.001 NEAR stays back to pay them; the rest lacks the contract's storage stake.
        BigInteger leaving = NEAR.subtract(new BigInteger("1000000000000000000000"));
        JsonNode stake = invalidTx(
                send(owner.sign("bob.test.near", 1, finalBlock(), List.of(new Action.Transfer(leaving))), "INCLUDED"));
        assertThat(stake.at("/LackBalanceForState/signer_id").asText())
                .as("%s", stake)
                .isEqualTo(COUNTER);
        assertThat(new BigInteger(stake.at("/LackBalanceForState/amount").asText()))
                .isPositive();
        assertThat(balance(COUNTER)).as("a refused transaction changes nothing").isEqualTo(NEAR);
        assertThat(accessKey(owner).at("/result/nonce").asLong()).isZero();
    }

    @Test
    void patchedFunctionCallKeysAreHonoured() {
        TransactionSigner limited = TransactionSigner.fromSeed("dapp.test.near", seed(5));
        JsonNode patched = call(
                "sandbox_patch_state",
                "{\"records\":[{\"Account\":{\"account_id\":\"dapp.test.near\",\"account\":{\"amount\":\"" + NEAR
                        + "\",\"locked\":\"0\",\"code_hash\":\"11111111111111111111111111111111\","
                        + "\"storage_usage\":182}}},{\"AccessKey\":{\"account_id\":\"dapp.test.near\","
                        + "\"public_key\":\"" + limited.publicKey() + "\",\"access_key\":{\"nonce\":0,\"permission\":"
                        + "{\"FunctionCall\":{\"allowance\":\"250000000000000000000000\",\"receiver_id\":\"" + COUNTER
                        + "\",\"method_names\":[\"increment\"]}}}}}]}");
        assertThat(patched.get("result").toString()).isEqualTo("{}");
        JsonNode keys = call(
                "query",
                "{\"request_type\":\"view_access_key_list\",\"finality\":\"final\",\"account_id\":\"dapp.test.near\"}");
        assertThat(keys.at("/result/keys/0/access_key/permission/FunctionCall/receiver_id")
                        .asText())
                .isEqualTo(COUNTER);

        JsonNode ok = send(limited.sign(COUNTER, 1, finalBlock(), increment()), "EXECUTED_OPTIMISTIC");
        assertThat(ok.at("/result/status/SuccessValue").isTextual())
                .as("%s", ok)
                .isTrue();
        BigInteger allowanceLeft = new BigInteger(accessKey(limited)
                .at("/result/permission/FunctionCall/allowance")
                .asText());
        assertThat(allowanceLeft).isLessThan(new BigInteger("250000000000000000000000"));

        List<Action> otherMethod = List.of(new Action.FunctionCall("decrement", new byte[0], GAS, BigInteger.ZERO));
        assertThat(invalidTx(send(limited.sign(COUNTER, 2, finalBlock(), otherMethod), "INCLUDED"))
                        .at("/InvalidAccessKeyError/MethodNameMismatch/method_name")
                        .asText())
                .isEqualTo("decrement");
        assertThat(invalidTx(send(limited.sign("nft.test.near", 2, finalBlock(), increment()), "INCLUDED"))
                        .at("/InvalidAccessKeyError/ReceiverMismatch/ak_receiver")
                        .asText())
                .isEqualTo(COUNTER);
        List<Action> withDeposit = List.of(new Action.FunctionCall("increment", new byte[0], GAS, BigInteger.ONE));
        assertThat(invalidTx(send(limited.sign(COUNTER, 2, finalBlock(), withDeposit), "INCLUDED"))
                        .at("/InvalidAccessKeyError")
                        .asText())
                .isEqualTo("DepositWithFunctionCall");
        List<Action> transfer = List.of(new Action.Transfer(BigInteger.ONE));
        assertThat(invalidTx(send(limited.sign(COUNTER, 2, finalBlock(), transfer), "INCLUDED"))
                        .at("/InvalidAccessKeyError")
                        .asText())
                .isEqualTo("RequiresFullAccess");

        JsonNode refusedPatch = call(
                "sandbox_patch_state",
                "{\"records\":[{\"Account\":{\"account_id\":\"eve.test.near\",\"account\":{\"amount\":\"1\"}}},"
                        + "{\"Contract\":{\"account_id\":\"eve.test.near\",\"code\":\"AA==\"}}]}");
        assertThat(refusedPatch.at("/error/cause/name").asText()).isEqualTo("PARSE_ERROR");
        assertThat(simulator.account("eve.test.near"))
                .as("a refused patch changes nothing")
                .isEmpty();
    }

    /** A relayer with its own key: the signer of the transactions that carry Alice's delegate actions. */
    private static final TransactionSigner RELAYER = TransactionSigner.fromSeed("relayer.test.near", seed(7));

    private void seedRelayer() {
        JsonNode patched = call(
                "sandbox_patch_state",
                "{\"records\":[{\"Account\":{\"account_id\":\"relayer.test.near\",\"account\":{\"amount\":\"" + NEAR
                        + "\",\"locked\":\"0\",\"code_hash\":\"11111111111111111111111111111111\","
                        + "\"storage_usage\":182}}},{\"AccessKey\":{\"account_id\":\"relayer.test.near\","
                        + "\"public_key\":\"" + RELAYER.publicKey() + "\",\"access_key\":{\"nonce\":0,"
                        + "\"permission\":\"FullAccess\"}}}]}");
        assertThat(patched.get("result").toString()).as("%s", patched).isEqualTo("{}");
    }

    private BigInteger balance(String accountId) {
        return simulator.account(accountId).orElseThrow().balance();
    }

    /** The receipt outcome executed by {@code executor}, or fails. */
    private static JsonNode receiptOf(JsonNode result, String executor) {
        for (JsonNode receipt : result.at("/receipts_outcome")) {
            if (receipt.at("/outcome/executor_id").asText().equals(executor)) {
                return receipt;
            }
        }
        throw new AssertionError("no receipt executed by " + executor + " in " + result);
    }

    /**
     * NEP-366 meta transaction: Alice signs a delegate action calling the counter, the relayer puts
     * it into its own transaction to Alice and pays the gas; the inner call runs as Alice's.
     */
    @Test
    void aRelayedDelegateActionRunsTheSendersCallAtTheRelayersExpense() {
        seedRelayer();
        long height = clock.latestHeight();
        Action.Delegate delegate = ALICE.delegate(COUNTER, 7, height + 100, increment());
        BigInteger aliceBefore = balance(ALICE.signerId());
        BigInteger relayerBefore = balance(RELAYER.signerId());

        JsonNode reply =
                send(RELAYER.sign(ALICE.signerId(), 1, finalBlock(), List.of(delegate)), "EXECUTED_OPTIMISTIC");
        JsonNode result = reply.get("result");

        assertThat(result.at("/status/SuccessValue").isTextual())
                .as("%s", reply)
                .isTrue();
        assertThat(counter()).isEqualTo(1);
        assertThat(result.at("/transaction/actions/0/Delegate/delegate_action/sender_id")
                        .asText())
                .isEqualTo(ALICE.signerId());
        assertThat(result.at("/transaction/actions/0/Delegate/delegate_action/actions/0/FunctionCall/method_name")
                        .asText())
                .isEqualTo("increment");
        assertThat(receiptOf(result, COUNTER).at("/outcome/logs/0").asText()).isEqualTo("Increased number to 1");
        // The transaction burns the receipt's send fee and the delegate's with the inner call's,
        // all not-SIR (relayer to Alice), as nearcore's total_send_fees.
        long callBytes = "increment".length() + "{}".length();
        long txBurnt = dev.outlayer.bench.targetsystem.contracts.Fee.action_receipt_creation.sendNotSir
                + dev.outlayer.bench.targetsystem.contracts.Fee.action_delegate.sendNotSir
                + dev.outlayer.bench.targetsystem.contracts.Fee.action_function_call.sendNotSir
                + callBytes * dev.outlayer.bench.targetsystem.contracts.Fee.action_function_call_per_byte.sendNotSir;
        assertThat(result.at("/transaction_outcome/outcome/gas_burnt").asLong()).isEqualTo(txBurnt);
        // Alice's receipt burns its own execution and the inner receipt's (prepaid) send fees.
        long delegateBurnt = dev.outlayer.bench.targetsystem.contracts.Fee.action_receipt_creation.execution
                + dev.outlayer.bench.targetsystem.contracts.Fee.action_delegate.execution
                + dev.outlayer.bench.targetsystem.contracts.Fee.action_function_call.sendNotSir
                + callBytes * dev.outlayer.bench.targetsystem.contracts.Fee.action_function_call_per_byte.sendNotSir;
        assertThat(receiptOf(result, ALICE.signerId()).at("/outcome/gas_burnt").asLong())
                .isEqualTo(delegateBurnt);
        assertThat(accessKey(ALICE).at("/result/nonce").asLong())
                .as("the delegate's nonce is the key's now")
                .isEqualTo(7);
        assertThat(balance(ALICE.signerId())).as("the sender pays nothing").isEqualTo(aliceBefore);
        assertThat(balance(RELAYER.signerId())).isLessThan(relayerBefore);

        // The same delegate action again: its nonce is used.
        JsonNode replay =
                send(RELAYER.sign(ALICE.signerId(), 2, finalBlock(), List.of(delegate)), "EXECUTED_OPTIMISTIC");
        JsonNode invalidNonce = replay.at("/result/status/Failure/ActionError/kind/DelegateActionInvalidNonce");
        assertThat(invalidNonce.isObject()).as("%s", replay).isTrue();
        assertThat(invalidNonce.get("delegate_nonce").isIntegralNumber())
                .as("%s", invalidNonce)
                .isTrue();
        assertThat(invalidNonce.get("delegate_nonce").asLong()).isEqualTo(7);
        assertThat(invalidNonce.get("ak_nonce").asLong()).isEqualTo(7);
        assertThat(counter()).isEqualTo(1);
    }

    @Test
    void u64sInTheTransactionViewAreUnsigned() {
        seedRelayer();
        // A delegate valid "forever" (max_block_height u64::MAX), as relayers may sign them
        Action.Delegate forever = ALICE.delegate(COUNTER, 7, -1L, increment());
        JsonNode reply = send(RELAYER.sign(ALICE.signerId(), 1, finalBlock(), List.of(forever)), "EXECUTED_OPTIMISTIC");
        JsonNode delegate = reply.at("/result/transaction/actions/0/Delegate/delegate_action");
        assertThat(delegate.get("max_block_height").isIntegralNumber())
                .as("%s", reply)
                .isTrue();
        assertThat(delegate.get("max_block_height").bigIntegerValue())
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(counter()).isEqualTo(1);
    }

    @Test
    void delegateActionsFailAsNearcoresApplyDelegateAction() {
        seedRelayer();
        long height = clock.latestHeight();
        Action.Delegate good = ALICE.delegate(COUNTER, 3, height + 100, increment());
        Action.Delegate tampered = new Action.Delegate(
                good.senderId(),
                good.receiverId(),
                List.of(new Action.FunctionCall(
                        "decrement", "{}".getBytes(StandardCharsets.UTF_8), GAS, BigInteger.ZERO)),
                good.nonce(),
                good.maxBlockHeight(),
                good.publicKey(),
                good.signature(),
                true);
        // Unit variants of ActionErrorKind are bare strings in nearcore's JSON (near-api-js switches on them).
        assertThat(failure(RELAYER.sign(ALICE.signerId(), 1, finalBlock(), List.of(tampered)))
                        .at("/kind")
                        .asText())
                .isEqualTo("DelegateActionInvalidSignature");
        Action.Delegate expired = ALICE.delegate(COUNTER, 4, height - 1, increment());
        assertThat(failure(RELAYER.sign(ALICE.signerId(), 2, finalBlock(), List.of(expired)))
                        .at("/kind")
                        .asText())
                .isEqualTo("DelegateActionExpired");
        JsonNode mismatch = failure(RELAYER.sign(RELAYER.signerId(), 3, finalBlock(), List.of(good)))
                .at("/kind/DelegateActionSenderDoesNotMatchTxReceiver");
        assertThat(mismatch.path("sender_id").asText())
                .as("the transaction must go to the delegate's sender: %s", mismatch)
                .isEqualTo(ALICE.signerId());
        assertThat(mismatch.path("receiver_id").asText()).isEqualTo(RELAYER.signerId());
        TransactionSigner stranger = TransactionSigner.fromSeed(ALICE.signerId(), seed(9));
        Action.Delegate strangerKey = stranger.delegate(COUNTER, 5, height + 100, increment());
        JsonNode notFound = failure(RELAYER.sign(ALICE.signerId(), 4, finalBlock(), List.of(strangerKey)))
                .at("/kind/DelegateActionAccessKeyError/AccessKeyNotFound");
        assertThat(notFound.path("account_id").asText()).as("%s", notFound).isEqualTo(ALICE.signerId());
        assertThat(notFound.path("public_key").asText())
                .isEqualTo(stranger.publicKey().toString());
        assertThat(counter()).isZero();
        assertThat(accessKey(ALICE).at("/result/nonce").asLong()).isZero();

        JsonNode twice =
                invalidTx(send(RELAYER.sign(ALICE.signerId(), 5, finalBlock(), List.of(good, good)), "INCLUDED"));
        assertThat(twice.at("/ActionsValidation").asText()).as("%s", twice).isEqualTo("DelegateActionMustBeOnlyOne");
    }

    /**
     * NEP-591 through send_tx (nearcore runtime/runtime/src/global_contracts.rs, fees of 77.yaml): Alice
     * publishes the counter by code hash, creates an account running it, calls it; the RPC views show
     * the global contract as nearcore's AccountView and view_global_contract_code do.
     */
    @Test
    void aDeterministicStateInitRunsThroughSendTxAndShowsAsNearcoresActionView() throws IOException {
        byte[] code = Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/counter.wasm"));
        dev.outlayer.bench.targetsystem.contracts.GlobalContractId id =
                dev.outlayer.bench.targetsystem.contracts.GlobalContractId.byHash(sha256(code));
        send(
                ALICE.sign(ALICE.signerId(), 1, finalBlock(), List.of(new Action.DeployGlobalContract(code, false))),
                "EXECUTED_OPTIMISTIC");
        java.util.TreeMap<dev.outlayer.bench.targetsystem.contracts.Bytes, byte[]> data = new java.util.TreeMap<>();
        data.put(
                dev.outlayer.bench.targetsystem.contracts.Bytes.wrap("k".getBytes(StandardCharsets.UTF_8)),
                new byte[] {7});
        Action.DeterministicStateInit init = new Action.DeterministicStateInit(id, data, NEAR);
        String account = init.derivedAccountId();

        JsonNode result = send(ALICE.sign(account, 2, finalBlock(), List.of(init)), "EXECUTED_OPTIMISTIC")
                .get("result");

        assertThat(result.at("/status/SuccessValue").isTextual())
                .as("%s", result)
                .isTrue();
        JsonNode view = result.at("/transaction/actions/0/DeterministicStateInit");
        assertThat(view.at("/code/hash").asText()).isEqualTo(Base58.encode(sha256(code)));
        assertThat(view.at("/data/aw==").asText()).as("%s", view).isEqualTo("Bw==");
        assertThat(view.get("deposit").asText()).isEqualTo(NEAR.toString());
        JsonNode viewed = call(
                "query",
                "{\"request_type\":\"view_account\",\"finality\":\"final\",\"account_id\":\"" + account + "\"}");
        assertThat(viewed.at("/result/global_contract_hash").asText()).isEqualTo(Base58.encode(sha256(code)));
        assertThat(viewed.at("/result/storage_usage").asLong())
                .as("100 + 32 + the entry (1 + 1 + 40)")
                .isEqualTo(174);
        assertThat(viewed.at("/result/amount").asText())
                .as("a zero-balance account keeps nothing of the deposit")
                .isEqualTo("0");
    }

    @Test
    void globalContractsAreDeployedAndUsedThroughSendTx() throws IOException {
        byte[] code = Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/counter.wasm"));
        byte[] hash = sha256(code);
        BigInteger before = balance(ALICE.signerId());

        JsonNode deployed = send(
                        ALICE.sign(
                                ALICE.signerId(),
                                1,
                                finalBlock(),
                                List.of(new Action.DeployGlobalContract(code, false))),
                        "EXECUTED_OPTIMISTIC")
                .get("result");

        assertThat(deployed.at("/status/SuccessValue").asText())
                .as("%s", deployed)
                .isEmpty();
        assertThat(deployed.at("/transaction/actions/0/DeployGlobalContract/code")
                        .asText())
                .as("views.rs shows the code's hash")
                .isEqualTo(Base64.getEncoder().encodeToString(hash));
        // the bundled counter's size is whatever its build made it: the fees are per byte
        long receiptCreation = 108_059_500_000L;
        long deployBase = 184_765_750_000L;
        long txBurnt = deployed.at("/transaction_outcome/outcome/gas_burnt").asLong();
        assertThat(txBurnt)
                .as("receipt creation + 184,765,750,000 + %,d bytes x 6,812,999 (to itself)", code.length)
                .isEqualTo(receiptCreation + deployBase + code.length * 6_812_999L);
        JsonNode receipt = receiptOf(deployed, ALICE.signerId());
        long receiptBurnt = receipt.at("/outcome/gas_burnt").asLong();
        assertThat(receiptBurnt)
                .as("receipt creation + 184,765,750,000 + %,d bytes x 70,000,000", code.length)
                .isEqualTo(receiptCreation + deployBase + code.length * 70_000_000L);
        BigInteger storage = BigInteger.valueOf(code.length).multiply(BigInteger.TEN.pow(20)); // bytes x 10^20
        BigInteger price = dev.outlayer.bench.targetsystem.contracts.Fee.GAS_PRICE;
        assertThat(new BigInteger(receipt.at("/outcome/tokens_burnt").asText()))
                .isEqualTo(price.multiply(BigInteger.valueOf(receiptBurnt)).add(storage));
        assertThat(deployed.at("/receipts_outcome").size())
                .as("no outcome for the distribution; all prepaid gas was used, but it was bought at 10^9 and burnt"
                        + " at 10^8 (AccountCostIncrease), so the price surplus comes back in a gas refund")
                .isEqualTo(2);
        assertThat(deployed.at("/receipts_outcome/1/outcome/executor_id").asText())
                .isEqualTo(ALICE.signerId());
        assertThat(deployed.at("/receipts_outcome/1/outcome/tokens_burnt").asText())
                .isEqualTo("0");
        assertThat(before.subtract(balance(ALICE.signerId())))
                .isEqualTo(price.multiply(BigInteger.valueOf(txBurnt + receiptBurnt))
                        .add(storage));

        JsonNode global = call(
                "query",
                "{\"request_type\":\"view_global_contract_code\",\"finality\":\"final\",\"code_hash\":\""
                        + Base58.encode(hash) + "\"}");
        assertThat(global.at("/result/hash").asText()).as("%s", global).isEqualTo(Base58.encode(hash));
        assertThat(Base64.getDecoder().decode(global.at("/result/code_base64").asText()))
                .isEqualTo(code);
        JsonNode none = call(
                "query",
                "{\"request_type\":\"view_global_contract_code_by_account_id\",\"finality\":\"final\","
                        + "\"account_id\":\"alice.test.near\"}");
        assertThat(none.at("/error/cause/name").asText()).as("%s", none).isEqualTo("NO_GLOBAL_CONTRACT_CODE");
        assertThat(none.at("/error/cause/info/identifier/AccountId").asText()).isEqualTo("alice.test.near");

        String app = "app.alice.test.near";
        JsonNode created = send(
                        ALICE.sign(
                                app,
                                2,
                                finalBlock(),
                                List.of(
                                        new Action.CreateAccount(),
                                        new Action.Transfer(NEAR),
                                        new Action.UseGlobalContract(
                                                dev.outlayer.bench.targetsystem.contracts.GlobalContractId.byHash(
                                                        hash)))),
                        "EXECUTED_OPTIMISTIC")
                .get("result");
        assertThat(created.at("/status/SuccessValue").isTextual())
                .as("%s", created)
                .isTrue();
        assertThat(created.at("/transaction/actions/2/UseGlobalContract/code_hash")
                        .asText())
                .isEqualTo(Base58.encode(hash));

        JsonNode account = call(
                "query", "{\"request_type\":\"view_account\",\"finality\":\"final\",\"account_id\":\"" + app + "\"}");
        assertThat(account.at("/result/code_hash").asText())
                .as("no code of its own")
                .isEqualTo("11111111111111111111111111111111");
        assertThat(account.at("/result/global_contract_hash").asText()).isEqualTo(Base58.encode(hash));
        assertThat(account.at("/result/global_contract_account_id").isMissingNode())
                .isTrue();
        assertThat(account.at("/result/storage_usage").asLong())
                .as("num_bytes_account + the 32-byte identifier")
                .isEqualTo(132);
        JsonNode viewCode =
                call("query", "{\"request_type\":\"view_code\",\"finality\":\"final\",\"account_id\":\"" + app + "\"}");
        assertThat(viewCode.at("/result/hash").asText()).isEqualTo(Base58.encode(hash));

        JsonNode incremented = send(ALICE.sign(app, 3, finalBlock(), increment()), "EXECUTED_OPTIMISTIC");
        assertThat(incremented.at("/result/status/SuccessValue").isTextual())
                .as("%s", incremented)
                .isTrue();
        JsonNode num = call(
                "query",
                "{\"request_type\":\"call_function\",\"finality\":\"optimistic\",\"account_id\":\"" + app
                        + "\",\"method_name\":\"get_num\",\"args_base64\":\"e30=\"}");
        assertThat(num.at("/result/result/0").asInt()).as("%s", num).isEqualTo('1');
        assertThat(counter()).as("the counter account's own state is untouched").isZero();

        List<Action> unknown = List.of(new Action.UseGlobalContract(
                dev.outlayer.bench.targetsystem.contracts.GlobalContractId.byAccount("nobody.test.near")));
        assertThat(failureKind(ALICE.sign(ALICE.signerId(), 4, finalBlock(), unknown)))
                .isEqualTo("GlobalContractDoesNotExist");
    }

    private String failureKind(byte[] signed) {
        JsonNode kind = failure(signed).get("kind");
        return kind.isObject() ? kind.fieldNames().next() : kind.asText();
    }

    /** The transaction's ActionError: {@code {"index", "kind"}}. */
    private JsonNode failure(byte[] signed) {
        JsonNode reply = send(signed, "EXECUTED_OPTIMISTIC");
        JsonNode error = reply.at("/result/status/Failure/ActionError");
        assertThat(error.has("index") && error.has("kind")).as("%s", reply).isTrue();
        return error;
    }

    @Test
    void failedActionsCarryNearcoresFieldsForTheirKind() {
        JsonNode missing =
                failure(ALICE.sign("nobody.test.near", 1, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE))));
        assertThat(missing.get("index").asInt()).isZero();
        assertThat(missing.at("/kind/AccountDoesNotExist/account_id").asText())
                .as("%s", missing)
                .isEqualTo("nobody.test.near");

        TransactionSigner other = TransactionSigner.fromSeed(ALICE.signerId(), seed(9));
        JsonNode keyExists = failure(ALICE.sign(
                ALICE.signerId(),
                2,
                finalBlock(),
                List.of(
                        new Action.Transfer(BigInteger.ONE),
                        new Action.AddKey(ALICE.publicKey(), AccessKey.fullAccess(0)))));
        assertThat(keyExists.get("index").asInt()).isEqualTo(1);
        assertThat(keyExists.at("/kind/AddKeyAlreadyExists/account_id").asText())
                .as("%s", keyExists)
                .isEqualTo(ALICE.signerId());
        assertThat(keyExists.at("/kind/AddKeyAlreadyExists/public_key").asText())
                .isEqualTo(ALICE.publicKey().toString());

        JsonNode noKey = failure(
                ALICE.sign(ALICE.signerId(), 3, finalBlock(), List.of(new Action.DeleteKey(other.publicKey()))));
        assertThat(noKey.at("/kind/DeleteKeyDoesNotExist/public_key").asText())
                .as("%s", noKey)
                .isEqualTo(other.publicKey().toString());

        JsonNode exists = failure(ALICE.sign(COUNTER, 4, finalBlock(), List.of(new Action.CreateAccount())));
        assertThat(exists.at("/kind/AccountAlreadyExists/account_id").asText())
                .as("%s", exists)
                .isEqualTo(COUNTER);

        JsonNode notAllowed =
                failure(ALICE.sign("sub.bob.test.near", 5, finalBlock(), List.of(new Action.CreateAccount())));
        assertThat(notAllowed.at("/kind/CreateAccountNotAllowed/account_id").asText())
                .as("%s", notAllowed)
                .isEqualTo("sub.bob.test.near");
        assertThat(notAllowed.at("/kind/CreateAccountNotAllowed/predecessor_id").asText())
                .isEqualTo(ALICE.signerId());

        JsonNode notHers =
                failure(ALICE.sign(COUNTER, 6, finalBlock(), List.of(new Action.DeleteKey(other.publicKey()))));
        assertThat(notHers.at("/kind/ActorNoPermission/account_id").asText())
                .as("%s", notHers)
                .isEqualTo(COUNTER);
        assertThat(notHers.at("/kind/ActorNoPermission/actor_id").asText()).isEqualTo(ALICE.signerId());

        JsonNode noGlobal = failure(ALICE.sign(
                ALICE.signerId(),
                7,
                finalBlock(),
                List.of(new Action.UseGlobalContract(
                        dev.outlayer.bench.targetsystem.contracts.GlobalContractId.byAccount("nobody.test.near")))));
        // GlobalContractIdentifier in serde's form
        assertThat(noGlobal.at("/kind/GlobalContractDoesNotExist/identifier/AccountId")
                        .asText())
                .as("%s", noGlobal)
                .isEqualTo("nobody.test.near");
    }

    /**
     * The issue's "done when": NEP-141 ft_transfer_call (near-sdk-as token and receiver) as a signed
     * transaction, with the balances, NEP-297 logs and refund the HTTP call path shows.
     */
    @Test
    void aSignedFtTransferCallMovesTokensAndRefundsTheUnusedPart() throws IOException {
        java.nio.file.Path contracts = TestPrograms.root().resolve("resources/contracts");
        simulator.deploy("ft.test.near", Files.readAllBytes(contracts.resolve("ft.wasm")));
        simulator.deploy("receiver.test.near", Files.readAllBytes(contracts.resolve("ft-receiver.wasm")));
        JsonNode init = send(
                ALICE.sign(
                        "ft.test.near",
                        1,
                        finalBlock(),
                        List.of(new Action.FunctionCall(
                                "new_default_meta",
                                "{\"owner_id\":\"alice.test.near\",\"total_supply\":\"1000\"}"
                                        .getBytes(StandardCharsets.UTF_8),
                                GAS,
                                BigInteger.ZERO))),
                "EXECUTED_OPTIMISTIC");
        assertThat(init.at("/result/status/SuccessValue").isTextual())
                .as("%s", init)
                .isTrue();

        JsonNode transfer = send(
                ALICE.sign(
                        "ft.test.near",
                        2,
                        finalBlock(),
                        List.of(new Action.FunctionCall(
                                "ft_transfer_call",
                                "{\"receiver_id\":\"receiver.test.near\",\"amount\":\"100\",\"msg\":\"return:30\"}"
                                        .getBytes(StandardCharsets.UTF_8),
                                100_000_000_000_000L,
                                BigInteger.ONE))),
                "EXECUTED_OPTIMISTIC");

        JsonNode result = transfer.get("result");
        assertThat(result.at("/status/SuccessValue").asText())
                .as("%s", result)
                .isEqualTo(Base64.getEncoder().encodeToString("\"70\"".getBytes(StandardCharsets.UTF_8)));
        List<String> executors = new java.util.ArrayList<>();
        List<String> logs = new java.util.ArrayList<>();
        result.get("receipts_outcome").forEach(receipt -> {
            executors.add(receipt.at("/outcome/executor_id").asText());
            receipt.at("/outcome/logs").forEach(log -> logs.add(log.asText()));
        });
        assertThat(executors).containsSubsequence("ft.test.near", "receiver.test.near", "ft.test.near");
        assertThat(logs)
                .contains("in 100 tokens from @alice.test.near ft_on_transfer, msg = return:30")
                .anyMatch(log -> log.startsWith("EVENT_JSON:") && log.contains("\"memo\":\"refund\""));
        assertThat(ftBalance("alice.test.near")).isEqualTo(930);
        assertThat(ftBalance("receiver.test.near")).isEqualTo(70);

        // The callback ft_resolve_transfer waits on ft_on_transfer's result: their receipts say so.
        JsonNode receipts = call(
                        "EXPERIMENTAL_tx_status",
                        "[\"" + result.at("/transaction/hash").asText() + "\", \"alice.test.near\"]")
                .at("/result/receipts");
        JsonNode onTransfer = null;
        JsonNode resolve = null;
        for (JsonNode receipt : receipts) {
            String method = receipt.at("/receipt/Action/actions/0/FunctionCall/method_name")
                    .asText();
            if (method.equals("ft_on_transfer")) {
                onTransfer = receipt;
            } else if (method.equals("ft_resolve_transfer")) {
                resolve = receipt;
            }
        }
        assertThat(onTransfer).as("%s", receipts).isNotNull();
        assertThat(resolve).as("%s", receipts).isNotNull();
        assertThat(onTransfer.get("predecessor_id").asText()).isEqualTo("ft.test.near");
        assertThat(resolve.at("/receipt/Action/input_data_ids")).hasSize(1);
        assertThat(onTransfer.at("/receipt/Action/output_data_receivers/0/data_id"))
                .isEqualTo(resolve.at("/receipt/Action/input_data_ids/0"));
        assertThat(onTransfer
                        .at("/receipt/Action/output_data_receivers/0/receiver_id")
                        .asText())
                .isEqualTo("ft.test.near");
    }

    private long ftBalance(String account) {
        JsonNode reply = call(
                "query",
                "{\"request_type\":\"call_function\",\"finality\":\"optimistic\",\"account_id\":\"ft.test.near\","
                        + "\"method_name\":\"ft_balance_of\",\"args_base64\":\""
                        + Base64.getEncoder()
                                .encodeToString(
                                        ("{\"account_id\":\"" + account + "\"}").getBytes(StandardCharsets.UTF_8))
                        + "\"}");
        StringBuilder text = new StringBuilder();
        reply.at("/result/result").forEach(b -> text.append((char) b.asInt()));
        return Long.parseLong(text.toString().replace("\"", ""));
    }

    /** One JSON-RPC call: the answer's bytes as sent, as text. */
    private String raw(String method, String params) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        return new String(
                rpc.handle(body.getBytes(StandardCharsets.UTF_8), null).body(), StandardCharsets.UTF_8);
    }

    private static final java.nio.file.Path PINNED_ANSWERS =
            java.nio.file.Path.of("src/test/resources/rpc/transaction-answers.txt");

    /**
     * Every kind of transaction answer, byte for byte and member order included, as pinned in
     * {@link #PINNED_ANSWERS} (one line a call: what was asked, a tab, the answer): send_tx at each
     * wait_until, broadcast_tx_commit, tx and EXPERIMENTAL_tx_status, EXPERIMENTAL_receipt and chunk's
     * transactions and receipts, over a transfer, calls that log and fail, a deploy, access key actions,
     * an account created and deleted and a relayed delegate action. Rewritten by running with
     * {@code -Dpin.transaction.answers=true}, only when the wire is meant to change.
     */
    @Test
    void everyTransactionAnswerIsAsPinnedByteForByte() throws IOException {
        seedRelayer();
        TransactionSigner sub = TransactionSigner.fromSeed("sub.alice.test.near", seed(5));
        TransactionSigner limited = TransactionSigner.fromSeed(ALICE.signerId(), seed(6));
        TransactionSigner spare = TransactionSigner.fromSeed(ALICE.signerId(), seed(8));
        StringBuilder answers = new StringBuilder();

        // A transfer, to an account that exists and to one that does not (a failure with fields).
        sendPinned(answers, ALICE, COUNTER, 1, List.of(new Action.Transfer(BigInteger.TEN)));
        sendPinned(answers, ALICE, "nobody.test.near", 2, List.of(new Action.Transfer(BigInteger.ONE)));
        // Calls that log, one of a method the contract lacks, one through broadcast_tx_commit.
        sendPinned(answers, ALICE, COUNTER, 3, List.of(functionCall("decrement", BigInteger.ZERO)));
        sendPinned(answers, ALICE, COUNTER, 4, List.of(functionCall("nope", BigInteger.ONE)));
        byte[] increment = ALICE.sign(COUNTER, 5, finalBlock(), increment());
        ask(answers, "broadcast_tx_commit", sendParams(increment, null));
        String incrementHash = Base58.encode(sha256(Arrays.copyOf(increment, increment.length - 65)));
        // A deploy to the signer itself (a local receipt), then access key actions.
        byte[] code = Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/counter.wasm"));
        byte[] deploy = ALICE.sign(ALICE.signerId(), 6, finalBlock(), List.of(new Action.DeployContract(code)));
        ask(answers, "send_tx", sendParams(deploy, "EXECUTED_OPTIMISTIC"));
        String deployHash = Base58.encode(sha256(Arrays.copyOf(deploy, deploy.length - 65)));
        AccessKey.FunctionCallPermission counterOnly =
                new AccessKey.FunctionCallPermission(NEAR, COUNTER, List.of("increment", "get_num"));
        sendPinned(
                answers,
                ALICE,
                ALICE.signerId(),
                7,
                List.of(
                        new Action.AddKey(limited.publicKey(), new AccessKey(0, counterOnly)),
                        new Action.AddKey(spare.publicKey(), AccessKey.fullAccess(0)),
                        new Action.DeleteKey(spare.publicKey())));
        // An account created, given a key and money, then deleted (its balance refunded by system).
        sendPinned(
                answers,
                ALICE,
                sub.signerId(),
                8,
                List.of(
                        new Action.CreateAccount(),
                        new Action.Transfer(NEAR),
                        new Action.AddKey(sub.publicKey(), AccessKey.fullAccess(0))));
        long subNonce = accessKey(sub).at("/result/nonce").asLong();
        sendPinned(answers, sub, sub.signerId(), subNonce + 1, List.of(new Action.DeleteAccount(ALICE.signerId())));
        // A call to an account without code: FunctionCallError's CompilationError.
        sendPinned(answers, ALICE, RELAYER.signerId(), 9, increment());
        // A relayed delegate action.
        sendPinned(
                answers,
                RELAYER,
                ALICE.signerId(),
                1,
                List.of(ALICE.delegate(COUNTER, 20, clock.latestHeight() + 100, increment())));
        // Pending: NONE, and INCLUDED answered at the including block (Started, no receipt outcome yet).
        ask(answers, "send_tx", sendParams(ALICE.sign(COUNTER, 21, finalBlock(), increment()), "NONE"));
        ask(answers, "send_tx", sendParams(ALICE.sign(COUNTER, 22, finalBlock(), increment()), "INCLUDED"));

        // tx and EXPERIMENTAL_tx_status at each wait_until, before and after finality.
        String byHash = "{\"tx_hash\":\"" + incrementHash + "\",\"sender_account_id\":\"alice.test.near\"";
        for (String waitUntil : List.of("NONE", "INCLUDED", "EXECUTED_OPTIMISTIC")) {
            ask(answers, "tx", byHash + ",\"wait_until\":\"" + waitUntil + "\"}");
        }
        ask(answers, "EXPERIMENTAL_tx_status", byHash + "}");
        ask(answers, "EXPERIMENTAL_tx_status", "[\"" + deployHash + "\", \"alice.test.near\"]");
        now.addAndGet(4 * BLOCK_MILLIS);
        for (String waitUntil : List.of("INCLUDED_FINAL", "EXECUTED", "FINAL")) {
            ask(answers, "tx", byHash + ",\"wait_until\":\"" + waitUntil + "\"}");
        }
        ask(answers, "tx", sendParams(increment, "FINAL"));
        // The receipts and transactions as EXPERIMENTAL_receipt and chunk show them.
        JsonNode tree = JsonCodec.MAPPER.readTree(raw("tx", byHash + "}"));
        String receiptId = tree.at("/result/receipts_outcome/0/id").asText();
        ask(answers, "EXPERIMENTAL_receipt", "{\"receipt_id\":\"" + receiptId + "\"}");
        long included = heightOf(tree.at("/result/transaction_outcome/block_hash"));
        for (long height = included; height <= included + 2; height++) {
            ask(answers, "chunk", "[[" + height + ", 0]]");
        }

        // The errors: an unknown receipt and transaction, each kind of refusal, a method not served.
        ask(answers, "EXPERIMENTAL_receipt", "{\"receipt_id\":\"" + incrementHash + "\"}");
        ask(answers, "EXPERIMENTAL_receipt", "[1, 2]");
        ask(answers, "EXPERIMENTAL_receipt", "null");
        ask(
                answers,
                "tx",
                "{\"tx_hash\":\"" + receiptId
                        + "\",\"sender_account_id\":\"alice.test.near\",\"wait_until\":\"NONE\"}");
        sendPinned(answers, ALICE, COUNTER, 5, List.of(new Action.Transfer(BigInteger.ONE)));
        sendPinned(answers, TransactionSigner.fromSeed(ALICE.signerId(), seed(2)), COUNTER, 1, increment());
        sendPinned(answers, TransactionSigner.fromSeed("nobody.test.near", seed(1)), COUNTER, 1, increment());
        sendPinned(answers, ALICE, COUNTER, 30, List.of(new Action.Transfer(NEAR.multiply(BigInteger.valueOf(1000)))));
        ask(answers, "send_tx", sendParams(ALICE.sign(COUNTER, 30, new byte[32], increment()), "INCLUDED"));
        byte[] forged = ALICE.sign(COUNTER, 30, finalBlock(), increment());
        forged[forged.length - 10] ^= 1;
        ask(answers, "send_tx", sendParams(forged, "INCLUDED"));
        sendPinned(answers, ALICE, COUNTER, 30, List.of(functionCall("x".repeat(300), BigInteger.ZERO)));
        Action.Delegate twice = ALICE.delegate(COUNTER, 40, clock.latestHeight() + 100, increment());
        sendPinned(answers, RELAYER, ALICE.signerId(), 2, List.of(twice, twice));
        byte[] tooLarge =
                ALICE.sign(ALICE.signerId(), 30, finalBlock(), List.of(new Action.DeployContract(new byte[1_600_000])));
        answers.append("send_tx (a deploy over the size limit)\t")
                .append(raw("send_tx", sendParams(tooLarge, "INCLUDED")))
                .append('\n');
        ask(answers, "sandbox_patch_state", "{\"records\":[]}");
        ask(answers, "nope", "[]");
        // The last: its wait for finality runs out (no block comes), and it runs.
        ask(answers, "send_tx", sendParams(ALICE.sign(COUNTER, 30, finalBlock(), increment()), "FINAL"));

        if (Boolean.getBoolean("pin.transaction.answers")) {
            Files.writeString(PINNED_ANSWERS, answers);
        }
        assertThat(answers.toString()).isEqualTo(Files.readString(PINNED_ANSWERS));
    }

    /**
     * nearcore turns every result into a serde_json Value, whose Map is a BTreeMap (no preserve_order): each
     * object of a result, and of an error's handler cause and data, comes sorted by key at every depth, as
     * GetBlock's mainnet captures of view_account and block show. The envelope and RpcError keep struct order.
     */
    @Test
    void everyPinnedAnswerHasItsObjectsSortedAsNearcoresValues() throws IOException {
        for (java.nio.file.Path pins : List.of(PINNED_ANSWERS, PINNED_BLOCK_ANSWERS)) {
            for (String line : Files.readAllLines(pins)) {
                JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(line.substring(line.lastIndexOf('\t') + 1));
                JsonNode error = answer.path("error");
                JsonNode cause = error.path("cause");
                List<JsonNode> values = new ArrayList<>(List.of(answer.path("result"), error.path("data")));
                // REQUEST_VALIDATION_ERROR's cause is a struct (name, info); the other causes are Values
                values.add(error.path("name").asText().equals("REQUEST_VALIDATION_ERROR") ? cause.path("info") : cause);
                values.forEach(value -> assertSortedAtEveryDepth(value, line));
            }
        }
    }

    private static void assertSortedAtEveryDepth(JsonNode node, String line) {
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).as("%s", line).isSorted();
        }
        node.forEach(child -> assertSortedAtEveryDepth(child, line));
    }

    private static final java.nio.file.Path PINNED_BLOCK_ANSWERS =
            java.nio.file.Path.of("src/test/resources/rpc/block-answers.txt");

    /**
     * Every kind of answer of the block views and the state changes, byte for byte, as pinned in
     * {@link #PINNED_BLOCK_ANSWERS}: status (with and without rpc_addr, and as GET /status renders it),
     * network_info, validators, every block and chunk of a chain that ran a transfer, a deploy, a call, key
     * and account actions, by each reference form, gas_price in each form, EXPERIMENTAL_changes_in_block /
     * block_effects and EXPERIMENTAL_changes / changes of each type over each block, then garbage-collected
     * blocks, and the errors of each. Rewritten by running with {@code -Dpin.block.answers=true}, only when
     * the wire is meant to change.
     */
    @Test
    void everyBlockAndStateChangesAnswerIsAsPinnedByteForByte() throws IOException {
        long seeded = clock.latestHeight(); // the accounts seeded: writes not kept as state changes
        now.addAndGet(BLOCK_MILLIS);
        StringBuilder answers = new StringBuilder();
        TransactionSigner sub = TransactionSigner.fromSeed("sub.alice.test.near", seed(5));
        TransactionSigner spare = TransactionSigner.fromSeed(ALICE.signerId(), seed(8));
        TransactionSigner limited = TransactionSigner.fromSeed(ALICE.signerId(), seed(6));
        long first = clock.latestHeight();
        executed(ALICE.sign(COUNTER, 1, finalBlock(), List.of(new Action.Transfer(BigInteger.TEN))));
        byte[] code = Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/counter.wasm"));
        executed(ALICE.sign(ALICE.signerId(), 2, finalBlock(), List.of(new Action.DeployContract(code))));
        executed(ALICE.sign(COUNTER, 3, finalBlock(), increment()));
        executed(ALICE.sign(
                ALICE.signerId(),
                4,
                finalBlock(),
                List.of(
                        new Action.AddKey(spare.publicKey(), AccessKey.fullAccess(0)),
                        new Action.DeleteKey(spare.publicKey()),
                        new Action.AddKey(
                                limited.publicKey(),
                                new AccessKey(
                                        0,
                                        new AccessKey.FunctionCallPermission(null, COUNTER, List.of("increment")))))));
        executed(ALICE.sign(
                sub.signerId(),
                5,
                finalBlock(),
                List.of(
                        new Action.CreateAccount(),
                        new Action.Transfer(NEAR),
                        new Action.AddKey(sub.publicKey(), AccessKey.fullAccess(0)))));
        long subNonce = accessKey(sub).at("/result/nonce").asLong();
        executed(sub.sign(
                sub.signerId(), subNonce + 1, finalBlock(), List.of(new Action.DeleteAccount(ALICE.signerId()))));
        // A contract key written (gas_table's setup writes "a"), then removed by a later call (its run
        // removes "a" and writes "b"): a data_update, then nearcore's data_deletion.
        String table = "table.alice.test.near";
        executed(ALICE.sign(
                table,
                6,
                finalBlock(),
                List.of(
                        new Action.CreateAccount(),
                        new Action.Transfer(NEAR),
                        new Action.DeployContract(
                                dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm("gas_table")),
                        functionCall("setup", BigInteger.ZERO))));
        executed(ALICE.sign(table, 7, finalBlock(), List.of(functionCall("run", BigInteger.ZERO))));
        now.addAndGet(3 * BLOCK_MILLIS);
        long head = clock.latestHeight();

        ask(answers, "status", "[]");
        String statusBody = "{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"status\",\"params\":{}}";
        answers.append("status with rpc_addr\t")
                .append(new String(
                        rpc.handle(statusBody.getBytes(StandardCharsets.UTF_8), "127.0.0.1:3030")
                                .body(),
                        StandardCharsets.UTF_8))
                .append('\n');
        answers.append("GET /status\t")
                .append(new String(JsonCodec.bytes(rpc.status("127.0.0.1:3030")), StandardCharsets.UTF_8))
                .append('\n');
        answers.append("GET /network_info\t")
                .append(new String(JsonCodec.bytes(rpc.networkInfo()), StandardCharsets.UTF_8))
                .append('\n');
        ask(answers, "network_info", "[]");
        ask(answers, "validators", "[null]");
        ask(answers, "validators", "{\"epoch_id\":\"" + clock.epochId(head) + "\"}");
        for (long height = BlockClock.GENESIS_HEIGHT; height <= head; height++) {
            ask(answers, "block", "{\"block_id\":" + height + "}");
            ask(answers, "chunk", "[[" + height + ", 0]]");
        }
        for (String finality : List.of("optimistic", "near-final", "final")) {
            ask(answers, "block", "{\"finality\":\"" + finality + "\"}");
        }
        ask(answers, "block", "{\"sync_checkpoint\":\"genesis\"}");
        ask(answers, "block", "{\"sync_checkpoint\":\"earliest_available\"}");
        ask(answers, "block", "[\"" + clock.hash(first) + "\"]");
        ask(answers, "block", "{\"block_id\":\"" + clock.hash(first + 1) + "\"}");
        ask(answers, "chunk", "[\"" + clock.chunkHash(first + 1) + "\"]");
        ask(answers, "chunk", "{\"chunk_id\":\"" + clock.chunkHash(first + 2) + "\"}");
        ask(answers, "chunk", "{\"block_id\":\"" + clock.hash(first + 3) + "\",\"shard_id\":0}");
        ask(answers, "chunk", "[[\"" + clock.hash(first + 4) + "\", 0]]");
        for (String params : List.of(
                "[null]",
                "[" + first + "]",
                "[\"" + clock.hash(first) + "\"]",
                "{}",
                "{\"block_id\":null}",
                "{\"block_id\":" + first + "}")) {
            ask(answers, "gas_price", params);
        }
        for (long height = seeded; height <= head; height++) {
            ask(answers, "EXPERIMENTAL_changes_in_block", "{\"block_id\":" + height + "}");
            for (String type : List.of("account_changes", "all_access_key_changes", "contract_code_changes")) {
                ask(
                        answers,
                        "EXPERIMENTAL_changes",
                        "{\"changes_type\":\"" + type + "\",\"account_ids\":[\"alice.test.near\",\"" + COUNTER
                                + "\",\"sub.alice.test.near\",\"" + table + "\"],\"block_id\":" + height + "}");
            }
            ask(
                    answers,
                    "EXPERIMENTAL_changes",
                    "{\"changes_type\":\"data_changes\",\"account_ids\":[\"" + COUNTER + "\",\"" + table
                            + "\"],\"key_prefix_base64\":\"\",\"block_id\":" + height + "}");
            ask(
                    answers,
                    "EXPERIMENTAL_changes",
                    "{\"changes_type\":\"single_access_key_changes\",\"keys\":[{\"account_id\":\"alice.test.near\","
                            + "\"public_key\":\"" + ALICE.publicKey() + "\"},{\"account_id\":\"sub.alice.test.near\","
                            + "\"public_key\":\"" + sub.publicKey() + "\"}],\"block_id\":" + height + "}");
        }
        ask(answers, "block_effects", "{\"finality\":\"final\"}");
        ask(answers, "changes", "{\"changes_type\":\"account_changes\",\"account_ids\":[],\"finality\":\"final\"}");

        // The errors: unknown blocks and chunks, bad params.
        long future = head + 10;
        ask(answers, "status", "null");
        ask(answers, "block", "{\"block_id\":" + future + "}");
        ask(answers, "block", "{\"block_id\":\"" + ALICE.publicKey().toString().substring(8) + "\"}");
        ask(answers, "block", "[1, 2]");
        ask(answers, "block", "\"final\"");
        ask(answers, "block", "null");
        ask(answers, "block", "{\"finality\":\"soon\"}");
        ask(answers, "chunk", "[\"" + clock.hash(first) + "\"]");
        ask(answers, "chunk", "[[" + first + ", 1]]");
        ask(answers, "chunk", "[[" + future + ", 0]]");
        ask(answers, "chunk", "{\"block_id\":" + first + "}");
        ask(answers, "chunk", "[[" + first + ", -1]]");
        ask(answers, "chunk", "\"x\"");
        ask(answers, "chunk", "null");
        ask(answers, "gas_price", "[" + future + "]");
        ask(answers, "gas_price", "[\"nope\"]");
        ask(answers, "gas_price", "[]");
        ask(answers, "gas_price", "null");
        ask(answers, "validators", "{\"block_id\":" + first + "}");
        String viewAccount = "{\"request_type\":\"view_account\",\"account_id\":\"alice.test.near\",\"block_id\":";
        ask(answers, "query", viewAccount + future + "}");
        ask(answers, "query", viewAccount + "\"" + ALICE.publicKey().toString().substring(8) + "\"}");
        ask(answers, "sandbox_fast_forward", "{\"delta_height\":18446744073709551615}");
        ask(answers, "nope", "[]");
        ask(answers, "EXPERIMENTAL_changes_in_block", "{\"block_id\":" + future + "}");
        ask(answers, "EXPERIMENTAL_changes_in_block", "[1]");
        ask(answers, "EXPERIMENTAL_changes_in_block", "null");
        for (String params : List.of(
                "{\"changes_type\":\"everything\",\"finality\":\"final\"}",
                "{\"changes_type\":7,\"finality\":\"final\"}",
                "{\"changes_type\":\"account_changes\",\"finality\":\"final\"}",
                "{\"changes_type\":\"account_changes\",\"account_ids\":\"x\",\"finality\":\"final\"}",
                "{\"changes_type\":\"account_changes\",\"account_ids\":[1],\"finality\":\"final\"}",
                "{\"changes_type\":\"account_changes\",\"account_ids\":[\"Bad!\"],\"finality\":\"final\"}",
                "{\"account_ids\":[],\"finality\":\"final\"}",
                "{\"changes_type\":\"data_changes\",\"account_ids\":[],\"finality\":\"final\"}",
                "{\"changes_type\":\"data_changes\",\"account_ids\":[],\"key_prefix_base64\":1,\"finality\":\"final\"}",
                "{\"changes_type\":\"data_changes\",\"account_ids\":[],\"key_prefix_base64\":\"!\",\"finality\":\"final\"}",
                "{\"changes_type\":\"single_access_key_changes\",\"finality\":\"final\"}",
                "{\"changes_type\":\"single_access_key_changes\",\"keys\":[1],\"finality\":\"final\"}",
                "{\"changes_type\":\"single_access_key_changes\",\"keys\":[{\"public_key\":\"x\"}],\"finality\":\"final\"}",
                "{\"changes_type\":\"single_access_key_changes\",\"keys\":[{\"account_id\":\"a.near\"}],"
                        + "\"finality\":\"final\"}",
                "{\"changes_type\":\"single_access_key_changes\",\"keys\":[{\"account_id\":\"a.near\",\"public_key\":1}],"
                        + "\"finality\":\"final\"}",
                "{\"changes_type\":\"single_access_key_changes\",\"keys\":[{\"account_id\":\"a.near\",\"public_key\":"
                        + "\"nokey\"}],\"finality\":\"final\"}",
                "{\"changes_type\":\"account_changes\",\"account_ids\":[],\"block_id\":" + future + "}",
                "[\"account_changes\"]",
                "null")) {
            ask(answers, "EXPERIMENTAL_changes", params);
        }

        // Garbage-collected blocks: the state trie keeps the last HEIGHTS_KEPT heights once a later commit comes.
        now.addAndGet((dev.outlayer.bench.targetsystem.state.StateTrie.HEIGHTS_KEPT + 600) * BLOCK_MILLIS);
        send(ALICE.sign(COUNTER, 8, finalBlock(), List.of(new Action.Transfer(BigInteger.ONE))), "FINAL");
        ask(answers, "status", "[]");
        ask(answers, "block", "{\"block_id\":" + first + "}");
        ask(answers, "block", "{\"block_id\":" + BlockClock.GENESIS_HEIGHT + "}");
        ask(answers, "block", "{\"sync_checkpoint\":\"earliest_available\"}");
        ask(answers, "chunk", "[[" + first + ", 0]]");
        ask(answers, "chunk", "[\"" + clock.chunkHash(first) + "\"]");
        ask(answers, "gas_price", "[" + first + "]");
        ask(answers, "EXPERIMENTAL_changes_in_block", "{\"block_id\":" + first + "}");
        ask(answers, "sandbox_fast_forward", "{\"delta_height\":5}");
        ask(answers, "block", "{\"finality\":\"optimistic\"}");

        if (Boolean.getBoolean("pin.block.answers")) {
            Files.writeString(PINNED_BLOCK_ANSWERS, answers);
        }
        assertThat(answers.toString()).isEqualTo(Files.readString(PINNED_BLOCK_ANSWERS));
    }

    /** Appends one line of the pinned answers: the call, a tab, its answer's bytes. */
    private void ask(StringBuilder answers, String method, String params) {
        answers.append(method)
                .append(' ')
                .append(params)
                .append('\t')
                .append(raw(method, params))
                .append('\n');
    }

    /** The send_tx call of a transaction {@code signer} signs, waiting for EXECUTED_OPTIMISTIC, into {@code answers}. */
    private void sendPinned(
            StringBuilder answers, TransactionSigner signer, String receiverId, long nonce, List<Action> actions) {
        ask(
                answers,
                "send_tx",
                sendParams(signer.sign(receiverId, nonce, finalBlock(), actions), "EXECUTED_OPTIMISTIC"));
    }

    private static String sendParams(byte[] signed, String waitUntil) {
        return "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed) + "\""
                + (waitUntil == null ? "" : ",\"wait_until\":\"" + waitUntil + "\"") + "}";
    }

    private static Action functionCall(String method, BigInteger deposit) {
        return new Action.FunctionCall(method, "{}".getBytes(StandardCharsets.UTF_8), GAS, deposit);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

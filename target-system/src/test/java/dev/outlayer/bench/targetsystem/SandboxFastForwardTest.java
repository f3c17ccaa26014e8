package dev.outlayer.bench.targetsystem;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.text;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.utf8;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;
import dev.outlayer.bench.targetsystem.contracts.Fee;
import dev.outlayer.bench.targetsystem.contracts.HostBinding;
import dev.outlayer.bench.targetsystem.contracts.SimulatorChainView;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.transactions.TransactionEngine;
import dev.outlayer.bench.targetsystem.transactions.TransactionLimits;
import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * near-sandbox's {@code sandbox_fast_forward} (nearcore's chain/jsonrpc sandbox_fast_forward and the
 * client's sandbox_process_fast_forward): the head jumps {@code delta_height} blocks, which count as
 * blocks of the clock too, so a yield's 200-block timeout passes as on near-workspaces' sandbox.
 */
class SandboxFastForwardTest {
    private static final long GENESIS_MILLIS = 1_700_000_000_000L;
    private static final long BLOCK_MILLIS = 1_000;
    private static final String ORACLE = "oracle.test.near";
    private static final String ALICE = "alice.test.near";
    private static final String ID = "request-" + "0".repeat(23) + "1";

    private final AtomicLong now = new AtomicLong(GENESIS_MILLIS + 10 * BLOCK_MILLIS + 500);
    private final BlockClock clock = new BlockClock(GENESIS_MILLIS, BLOCK_MILLIS, now::get);

    @AutoClose
    private ContractSimulator simulator;

    private NearRpcEmulator rpc;

    @BeforeEach
    void start() {
        simulator = new ContractSimulator(true, clock);
        simulator.deploy(ORACLE, wasm("yield_with_id"));
        simulator.putAccount(ALICE, new BigInteger("10000000000000000000000000"));
        rpc = new NearRpcEmulator(
                clock,
                "outlayer-test",
                new SimulatorChainView(simulator),
                new TransactionEngine(
                        clock, new SimulatorTransactionChain(simulator), TransactionLimits.PINNED, 1_000));
    }

    private JsonNode call(String method, String params) {
        return RpcNode.call(rpc, method, params);
    }

    private long head() {
        return call("block", "{\"finality\":\"optimistic\"}")
                .at("/result/header/height")
                .asLong();
    }

    private TxOutcome createYield() {
        return simulator.call(
                CallRequest.call(ORACLE, "create", utf8(ID)).withCaller(ALICE, ALICE),
                WaitMode.ALL_RECEIPTS,
                HostBinding.DIRECT);
    }

    @Test
    void theHeadJumpsByDeltaHeightAndTheBlocksItPassesLieThatManyBlockTimesAhead() {
        long before = head();

        JsonNode reply = call("sandbox_fast_forward", "{\"delta_height\":1000}");

        assertThat(reply.get("result")).as("%s", reply).isEqualTo(JsonCodec.object());
        assertThat(head()).isEqualTo(before + 1_000);
        assertThat(clock.clockHeight())
                .as("fast-forwarded blocks are clock blocks")
                .isEqualTo(before + 1_000);
        JsonNode block =
                call("block", "{\"block_id\":" + (before + 1_000) + "}").get("result");
        assertThat(block.at("/header/timestamp").asLong())
                .isEqualTo((GENESIS_MILLIS + (before + 1_000 - BlockClock.GENESIS_HEIGHT) * BLOCK_MILLIS) * 1_000_000L);
        assertThat(call("status", "[]")
                        .at("/result/sync_info/latest_block_height")
                        .asLong())
                .isEqualTo(before + 1_000);

        // the wall clock goes on from there
        now.addAndGet(3 * BLOCK_MILLIS);
        assertThat(head()).isEqualTo(before + 1_003);
        assertThat(call("sandbox_fast_forward", "[0]").get("result")).isEqualTo(JsonCodec.object());
        assertThat(head()).isEqualTo(before + 1_003);
    }

    @Test
    void aFastForwardPastAYieldsTimeoutTimesItOutInTheBlockItLandsOn() {
        TxOutcome early = createYield();
        long created = early.firstReceipt().blockHeight();

        call("sandbox_fast_forward", "{\"delta_height\":" + (Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS - 50) + "}");
        assertThat(early.finalStatus()).as("150 blocks on").isInstanceOf(ExecutionStatus.Unknown.class);

        call("sandbox_fast_forward", "{\"delta_height\":100}");

        // no wall-clock time has passed: the fast-forwarded blocks alone time the yield out, at once
        ExecutionStatus status = early.finalStatus();
        assertThat(status).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(text(((ExecutionStatus.SuccessValue) status).value()))
                .as("the callback saw the timeout")
                .isEqualTo("F");
        assertThat(simulator.waitingYields()).isZero();
        assertThat(early.receiptsOutcome()
                        .get(early.receiptsOutcome().size() - 1)
                        .blockHeight())
                .isGreaterThan(created + Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS);
    }

    @Test
    void badDeltaHeightsAreParseErrorsInSerdesWordsAndChangeNothing() {
        long before = head();

        assertThat(call("sandbox_fast_forward", "{}").at("/error/data").asText())
                .isEqualTo("Failed parsing args: missing field `delta_height`");
        assertThat(call("sandbox_fast_forward", "{\"delta_height\":-1}")
                        .at("/error/data")
                        .asText())
                .isEqualTo("Failed parsing args: invalid value: integer `-1`, expected u64");
        assertThat(call("sandbox_fast_forward", "{\"delta_height\":\"5\"}")
                        .at("/error/data")
                        .asText())
                .isEqualTo("Failed parsing args: invalid type: string \"5\", expected u64");
        assertThat(call("sandbox_fast_forward", "{\"delta_height\":1.5}")
                        .at("/error/cause/name")
                        .asText())
                .isEqualTo("PARSE_ERROR");
        assertThat(call("sandbox_fast_forward", "null").at("/error/data").asText())
                .isEqualTo("Require at least one parameter");
        JsonNode tooFar = call("sandbox_fast_forward", "{\"delta_height\":18446744073709551615}");
        assertThat(tooFar.at("/error/name").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(tooFar.at("/error/data").asText()).startsWith("The node reached its limits.");

        assertThat(head()).isEqualTo(before);
    }
}

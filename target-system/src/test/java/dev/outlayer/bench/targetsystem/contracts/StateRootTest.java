package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.state.MerkleTrie;
import dev.outlayer.bench.targetsystem.state.StateTrie;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The RPC emulator's blocks carry the simulator's state root, and status the pinned protocol. */
class StateRootTest {
    private static final long GENESIS_MILLIS = 1_700_000_000_000L;

    private final long[] now = {GENESIS_MILLIS + 10_000};
    private final BlockClock clock = new BlockClock(GENESIS_MILLIS, 1_000, () -> now[0]);

    @AutoClose
    private final ContractSimulator sim = new ContractSimulator(true, ContractCompiler.Path.INTERPRETED, clock);

    private final NearRpcEmulator rpc = new NearRpcEmulator(clock, "outlayer-test", new SimulatorChainView(sim));

    private JsonNode call(String method, String params) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"" + method + "\",\"params\":" + params + "}";
        NearRpcEmulator.Response response = rpc.handle(body.getBytes(StandardCharsets.UTF_8), null);
        try {
            return JsonCodec.MAPPER.readTree(response.body()).get("result");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void blocksShowTheStateRootTheirParentEndedWith() {
        long height = clock.latestHeight();
        sim.deploy("counter.test.near", TestContracts.wasm("counter"));
        Outcome increment = sim.execute(CallRequest.call("counter.test.near", "increment", new byte[0]));
        assertThat(increment.success()).isTrue();
        byte[] root = sim.stateTrie().current().rootHash();
        assertThat(root).isNotEqualTo(MerkleTrie.EMPTY_ROOT);

        JsonNode status = call("status", "[]");
        assertThat(status.get("protocol_version").asInt()).isEqualTo(ExtCost.PROTOCOL_VERSION);
        assertThat(status.get("protocol_version").asInt()).isEqualTo(86);
        // The head's parent ended before the deploy: nearcore's empty root.
        assertThat(status.at("/sync_info/latest_state_root").asText()).isEqualTo(Base58.encode(new byte[32]));

        now[0] += 1_000;
        assertThat(call("status", "[]").at("/sync_info/latest_state_root").asText())
                .isEqualTo(Base58.encode(root));
        JsonNode block = call("block", "{\"block_id\":" + (height + 1) + "}");
        assertThat(block.at("/header/prev_state_root").asText()).isEqualTo(Base58.encode(root));
        assertThat(block.at("/chunks/0/prev_state_root").asText()).isEqualTo(Base58.encode(root));
    }

    @Test
    void callsOfTheHttpApiLeaveTheHeadWhereItIsAndTheirRefundsApplyInTheirBlock() {
        sim.deploy("counter.test.near", TestContracts.wasm("counter"));
        sim.putAccount("payer.test.near", java.math.BigInteger.TEN.pow(26));
        long head = clock.latestHeight();
        java.util.Set<java.math.BigInteger> paidPerCall = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            java.math.BigInteger before = sim.accountState("payer.test.near").balance();
            Outcome outcome = sim.execute(CallRequest.call("counter.test.near", "increment", new byte[0])
                    .withCaller("payer.test.near", "payer.test.near"));
            assertThat(outcome.success()).isTrue();
            paidPerCall.add(before.subtract(sim.accountState("payer.test.near").balance()));
        }
        // A refund a block later moved the head a block per call (20 here; 24,000 a second over HTTP).
        assertThat(clock.latestHeight()).isEqualTo(head);
        // Each call's unused gas came back by the time it answered: every call cost a few Tgas, not the
        // 300 Tgas prepaid.
        assertThat(paidPerCall)
                .allSatisfy(paid -> assertThat(paid)
                        .isPositive()
                        .isLessThan(Fee.GAS_PRICE.multiply(java.math.BigInteger.valueOf(10_000_000_000_000L))));
    }

    @Test
    void aFailedHttpCallsDepositRefundAndADeleteAccountsPayoutApplyInTheirBlock() {
        sim.deploy("counter.test.near", TestContracts.wasm("counter"));
        sim.deploy("doomed.test.near", TestContracts.wasm("deterministic"));
        java.math.BigInteger near = java.math.BigInteger.TEN.pow(24);
        sim.putAccount("payer.test.near", near.multiply(java.math.BigInteger.TEN));
        long head = clock.latestHeight();

        // A call that fails: its deposit comes back (a balance refund) with its gas, in its own block
        java.math.BigInteger before = sim.accountState("payer.test.near").balance();
        Outcome failed = sim.execute(CallRequest.call("counter.test.near", "no_such_method", new byte[0])
                .withDeposit(near)
                .withCaller("payer.test.near", "payer.test.near"));
        assertThat(failed.success()).isFalse();
        java.math.BigInteger paid =
                before.subtract(sim.accountState("payer.test.near").balance());
        assertThat(paid)
                .as("only gas, the deposit is back")
                .isPositive()
                .isLessThan(near.divide(java.math.BigInteger.valueOf(1000)));
        assertThat(clock.latestHeight())
                .as("the refunds left the head where it was")
                .isEqualTo(head);

        // DeleteAccount's payout (nearcore's new_balance_refund) runs in the block of the deleting receipt
        java.math.BigInteger doomed = sim.accountState("doomed.test.near").balance();
        java.math.BigInteger payerBefore = sim.accountState("payer.test.near").balance();
        Outcome deleted = sim.execute(
                CallRequest.call("doomed.test.near", "delete_self", "payer.test.near".getBytes(StandardCharsets.UTF_8))
                        .withCaller("payer.test.near", "payer.test.near"));
        assertThat(deleted.success()).as("%s", deleted).isTrue();
        assertThat(sim.account("doomed.test.near")).isEmpty();
        assertThat(sim.accountState("payer.test.near").balance())
                .as("the payout arrived")
                .isGreaterThan(payerBefore.add(doomed).subtract(near.divide(java.math.BigInteger.valueOf(1000))));
        assertThat(clock.latestHeight())
                .as("only the DeleteAccount receipt, a promise, ran a block later")
                .isEqualTo(head + 1);
    }

    private JsonNode error(String method, String params) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"" + method + "\",\"params\":" + params + "}";
        NearRpcEmulator.Response response = rpc.handle(body.getBytes(StandardCharsets.UTF_8), null);
        assertThat(response.httpStatus())
                .as("HTTP status of %s %s", method, params)
                .isEqualTo(422);
        try {
            return JsonCodec.MAPPER.readTree(response.body()).get("error");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void blocksOlderThanTheKeptStateAreGarbageCollectedGenesisNever() {
        long genesis = BlockClock.GENESIS_HEIGHT;
        sim.deploy("counter.test.near", TestContracts.wasm("counter"));
        long deployed = clock.latestHeight();
        byte[] afterDeploy = sim.stateTrie().current().rootHash();
        long old = deployed + 5;
        now[0] += 10_000;
        assertThat(call("block", "{\"block_id\":" + old + "}")
                        .at("/header/height")
                        .asLong())
                .as("answered (and its view cached) while kept")
                .isEqualTo(old);
        now[0] += (StateTrie.HEIGHTS_KEPT + 600) * 1_000L;
        sim.putAccount("late.test.near", java.math.BigInteger.ONE);
        long late = clock.latestHeight();

        // Within the kept heights: the root its parent really ended with (it showed the late commit's).
        JsonNode kept = call("block", "{\"block_id\":" + (late - 100) + "}");
        assertThat(kept.at("/header/prev_state_root").asText()).isEqualTo(Base58.encode(afterDeploy));

        // Older: nearcore's answer for a block it garbage-collected (it was answered with a later root).
        JsonNode gone = error("block", "{\"block_id\":" + old + "}");
        assertThat(gone.at("/cause/name").asText()).isEqualTo("UNKNOWN_BLOCK");
        assertThat(gone.get("data").asText())
                .isEqualTo("DB Not Found Error: BLOCK HEIGHT: " + old + " \n Cause: Unknown");
        assertThat(error("chunk", "{\"block_id\":" + old + ",\"shard_id\":0}")
                        .at("/cause/name")
                        .asText())
                .isEqualTo("UNKNOWN_BLOCK");
        JsonNode chunk = rpcError("chunk", "[\"" + clock.chunkHash(old) + "\"]");
        assertThat(chunk.at("/cause/name").asText()).isEqualTo("UNKNOWN_CHUNK");

        // nearcore never collects genesis.
        assertThat(call("block", "{\"block_id\":" + genesis + "}")
                        .at("/header/height")
                        .asLong())
                .isEqualTo(genesis);
        assertThat(call("block", "{\"finality\":\"final\"}")
                        .at("/header/height")
                        .asLong())
                .isEqualTo(late - 2);
    }

    @Test
    void queryAtACollectedBlockIsGarbageCollectedAndStatusReportsTheOldestKeptBlock() {
        long genesis = BlockClock.GENESIS_HEIGHT;
        sim.deploy("counter.test.near", TestContracts.wasm("counter"));
        long old = clock.latestHeight() + 5;
        now[0] += 10_000;
        String viewAt = "{\"request_type\":\"view_account\",\"account_id\":\"counter.test.near\",\"block_id\":";
        assertThat(call("query", viewAt + old + "}").at("/block_height").asLong())
                .as("answered while kept")
                .isEqualTo(old);
        JsonNode before = call("status", "[]").get("sync_info");
        assertThat(before.get("earliest_block_height").asLong())
                .as("nothing collected yet: genesis")
                .isEqualTo(genesis);
        String genesisTime = before.get("earliest_block_time").asText();

        now[0] += (StateTrie.HEIGHTS_KEPT + 600) * 1_000L;
        sim.putAccount("late.test.near", java.math.BigInteger.ONE);
        long late = clock.latestHeight();

        // view_client_actor.rs: the header is kept, its ChunkExtra is not: GARBAGE_COLLECTED_BLOCK, HTTP 200
        String body = "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"query\",\"params\":" + viewAt + old + "}}";
        NearRpcEmulator.Response response = rpc.handle(body.getBytes(StandardCharsets.UTF_8), null);
        assertThat(response.httpStatus()).isEqualTo(200);
        JsonNode gone = rpcError("query", viewAt + old + "}");
        assertThat(gone.at("/cause/name").asText()).as("%s", gone).isEqualTo("GARBAGE_COLLECTED_BLOCK");
        assertThat(gone.at("/cause/info").toString())
                .isEqualTo("{\"block_hash\":\"" + clock.hash(old) + "\",\"block_height\":" + old + "}");
        assertThat(gone.get("data").asText())
                .isEqualTo("The data for block #" + old
                        + " is garbage collected on this node, use an archival node to fetch historical data");
        JsonNode byHash = rpcError(
                "query",
                "{\"request_type\":\"view_account\",\"account_id\":\"counter.test.near\",\"block_id\":\""
                        + clock.hash(old) + "\"}");
        assertThat(byHash.at("/cause/name").asText()).isEqualTo("GARBAGE_COLLECTED_BLOCK");
        assertThat(call("query", viewAt + genesis + "}").at("/block_height").asLong())
                .as("genesis never is")
                .isEqualTo(genesis);

        // sync_info's earliest block: the oldest block still kept (nearcore's chain tail), answered by block
        long earliest = sim.stateTrie().firstKeptBlock();
        assertThat(earliest).isGreaterThan(old).isLessThan(late);
        JsonNode sync = call("status", "[]").get("sync_info");
        assertThat(sync.get("earliest_block_height").asLong()).isEqualTo(earliest);
        assertThat(sync.get("earliest_block_hash").asText()).isEqualTo(clock.hash(earliest));
        assertThat(call("block", "{\"block_id\":" + earliest + "}")
                        .at("/header/height")
                        .asLong())
                .isEqualTo(earliest);
        assertThat(sync.get("earliest_block_time").asText()).isNotEqualTo(genesisTime);
        assertThat(error("block", "{\"block_id\":" + (earliest - 1) + "}")
                        .at("/cause/name")
                        .asText())
                .isEqualTo("UNKNOWN_BLOCK");
        assertThat(call("query", viewAt + earliest + "}").at("/block_height").asLong())
                .isEqualTo(earliest);
        // One range, as below nearcore's tail: a block before the first commit (its parent's state the
        // empty root) is collected too
        assertThat(sim.stateTrie().stateRoot(genesis + 4)).isEqualTo(MerkleTrie.EMPTY_ROOT);
        assertThat(error("block", "{\"block_id\":" + (genesis + 5) + "}")
                        .at("/cause/name")
                        .asText())
                .isEqualTo("UNKNOWN_BLOCK");

        // gas_price reads only the header, which nearcore's GC keeps (garbage_collection.rs leaves
        // DBCol::BlockHeader): still answered
        assertThat(call("gas_price", "[" + old + "]").get("gas_price").asText()).isEqualTo("100000000");
    }

    private JsonNode rpcError(String method, String params) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"method\":\"" + method + "\",\"params\":" + params + "}";
        try {
            return JsonCodec.MAPPER
                    .readTree(rpc.handle(body.getBytes(StandardCharsets.UTF_8), null)
                            .body())
                    .get("error");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.SimulatorChainView;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.TransactionEngine;
import dev.outlayer.bench.targetsystem.transactions.TransactionLimits;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EXPERIMENTAL_changes_in_block / block_effects and EXPERIMENTAL_changes / changes over a signed call to
 * the bundled counter: what each block wrote, by trie key, with nearcore's causes.
 */
class StateChangesRpcTest {
    private static final long GENESIS_MILLIS = 1_700_000_000_000L;
    private static final long BLOCK_MILLIS = 1_000;
    private static final String COUNTER = "counter.test.near";
    private static final BigInteger NEAR = new BigInteger("1000000000000000000000000");
    private static final TransactionSigner ALICE = TransactionSigner.fromSeed("alice.test.near", seed(1));

    private final AtomicLong now = new AtomicLong(GENESIS_MILLIS + 10 * BLOCK_MILLIS + 500);
    /** While set, every read of the wall clock finds it a block later: a block boundary at every step. */
    private final AtomicBoolean ticking = new AtomicBoolean();

    private final BlockClock clock =
            new BlockClock(GENESIS_MILLIS, BLOCK_MILLIS, () -> ticking.get() ? now.addAndGet(BLOCK_MILLIS) : now.get());

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
        // The seeded account's writes are kept as no transaction's: their block's changes are unknown.
        now.addAndGet(BLOCK_MILLIS);
        rpc = new NearRpcEmulator(
                clock,
                "outlayer-test",
                new SimulatorChainView(simulator),
                new TransactionEngine(clock, chain, TransactionLimits.PINNED, 1_000));
    }

    private JsonNode call(String method, String params) {
        return RpcNode.call(rpc, method, params);
    }

    private long heightOf(String blockHash) {
        return call("block", "{\"block_id\":\"" + blockHash + "\"}")
                .at("/result/header/height")
                .asLong();
    }

    /** A signed increment of the counter: the result of send_tx. */
    private JsonNode increment() {
        byte[] signed = ALICE.sign(
                COUNTER,
                1,
                Base58.decode(clock.hash(clock.latestHeight() - 2)),
                List.of(new Action.FunctionCall(
                        "increment", "{}".getBytes(StandardCharsets.UTF_8), 30_000_000_000_000L, BigInteger.ZERO)));
        return call(
                        "send_tx",
                        "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                                + "\",\"wait_until\":\"EXECUTED_OPTIMISTIC\"}")
                .get("result");
    }

    @Test
    void changesInBlockListsEachTrieKeyTheBlockWroteInKeyOrder() {
        JsonNode tx = increment();
        long included = heightOf(tx.at("/transaction_outcome/block_hash").asText());
        long ran = heightOf(tx.at("/receipts_outcome/0/block_hash").asText());
        assertThat(ran).isEqualTo(included + 1);

        JsonNode atInclusion = call("EXPERIMENTAL_changes_in_block", "{\"block_id\":" + included + "}");
        assertThat(atInclusion.at("/result/block_hash").asText()).isEqualTo(clock.hash(included));
        assertThat(atInclusion.at("/result/changes").toString())
                .as("the signer charged and its key's nonce, account column first")
                .isEqualTo("[{\"account_id\":\"alice.test.near\",\"type\":\"account_touched\"},"
                        + "{\"account_id\":\"alice.test.near\",\"type\":\"access_key_touched\"}]");

        JsonNode atReceipt = call("block_effects", "{\"block_id\":\"" + clock.hash(ran) + "\"}");
        assertThat(atReceipt.at("/result/changes").toString())
                .isEqualTo("[{\"account_id\":\"" + COUNTER + "\",\"type\":\"account_touched\"}," + "{\"account_id\":\""
                        + COUNTER + "\",\"type\":\"data_touched\"}]");

        now.addAndGet(10 * BLOCK_MILLIS);
        JsonNode quiet = call("EXPERIMENTAL_changes_in_block", "{\"finality\":\"final\"}");
        assertThat(quiet.at("/result/changes").toString())
                .as("a block nothing wrote")
                .isEqualTo("[]");
    }

    @Test
    void eachBlockHoldsTheWritesOfWhatItsOutcomesSayRanInItWhenTheClockTicksMeanwhile() {
        // A block boundary between the signer's charge and the transaction's conversion outcome, or between
        // a receipt's run and its commit (a loaded machine, another thread's receipt), once put the writes in
        // a later block than the outcome's: near-api-js's blockChanges of the including block came back empty.
        ticking.set(true);
        JsonNode tx = increment();
        ticking.set(false);
        String txHash = tx.at("/transaction/hash").asText();
        long included = heightOf(tx.at("/transaction_outcome/block_hash").asText());
        long ran = heightOf(tx.at("/receipts_outcome/0/block_hash").asText());
        assertThat(ran).isGreaterThan(included);

        JsonNode atReceipt = call("EXPERIMENTAL_changes_in_block", "{\"block_id\":" + ran + "}");
        assertThat(atReceipt.at("/result/changes").toString())
                .isEqualTo("[{\"account_id\":\"" + COUNTER + "\",\"type\":\"account_touched\"}," + "{\"account_id\":\""
                        + COUNTER + "\",\"type\":\"data_touched\"}]");

        JsonNode atInclusion = call("EXPERIMENTAL_changes_in_block", "{\"block_id\":" + included + "}");
        assertThat(atInclusion.at("/result/changes").toString())
                .isEqualTo("[{\"account_id\":\"alice.test.near\",\"type\":\"account_touched\"},"
                        + "{\"account_id\":\"alice.test.near\",\"type\":\"access_key_touched\"}]");
        JsonNode charged = call(
                "EXPERIMENTAL_changes",
                "{\"block_id\":" + included
                        + ",\"changes_type\":\"account_changes\",\"account_ids\":[\"alice.test.near\"]}");
        assertThat(charged.at("/result/changes/0/cause/type").asText()).isEqualTo("transaction_processing");
        assertThat(charged.at("/result/changes/0/cause/tx_hash").asText()).isEqualTo(txHash);
    }

    @Test
    void changesByTypeCarryNearcoresValuesAndCauses() {
        JsonNode tx = increment();
        String txHash = tx.at("/transaction/hash").asText();
        String receiptId = tx.at("/receipts_outcome/0/id").asText();
        long included = heightOf(tx.at("/transaction_outcome/block_hash").asText());
        long ran = included + 1;

        JsonNode signer = call(
                        "EXPERIMENTAL_changes",
                        "{\"changes_type\":\"account_changes\",\"account_ids\":[\"alice.test.near\"],\"block_id\":"
                                + included + "}")
                .get("result");
        assertThat(signer.get("block_hash").asText()).isEqualTo(clock.hash(included));
        assertThat(signer.get("changes")).hasSize(1);
        JsonNode charged = signer.at("/changes/0");
        assertThat(charged.at("/cause/type").asText()).isEqualTo("transaction_processing");
        assertThat(charged.at("/cause/tx_hash").asText()).isEqualTo(txHash);
        assertThat(charged.get("type").asText()).isEqualTo("account_update");
        assertThat(charged.at("/change/account_id").asText()).isEqualTo("alice.test.near");
        assertThat(new BigInteger(charged.at("/change/amount").asText())).isLessThan(NEAR.multiply(BigInteger.TEN));
        assertThat(charged.at("/change/storage_paid_at").asLong()).isZero();

        JsonNode key = call(
                        "EXPERIMENTAL_changes",
                        "{\"changes_type\":\"single_access_key_changes\",\"keys\":[{\"account_id\":\"alice.test.near\","
                                + "\"public_key\":\"" + ALICE.publicKey() + "\"}],\"block_id\":" + included + "}")
                .at("/result/changes/0");
        assertThat(key.get("type").asText()).isEqualTo("access_key_update");
        assertThat(key.at("/change/public_key").asText())
                .isEqualTo(ALICE.publicKey().toString());
        assertThat(key.at("/change/access_key/nonce").asLong()).isEqualTo(1);
        assertThat(key.at("/change/access_key/permission").asText()).isEqualTo("FullAccess");
        assertThat(call(
                                "changes",
                                "{\"changes_type\":\"all_access_key_changes\",\"account_ids\":[\"alice.test.near\"],"
                                        + "\"block_id\":" + included + "}")
                        .at("/result/changes/0"))
                .isEqualTo(key);

        // the receipt's writes, then its burnt-gas reward to the contract, as nearcore commits them
        JsonNode contract = call(
                        "EXPERIMENTAL_changes",
                        "{\"changes_type\":\"account_changes\",\"account_ids\":[\"" + COUNTER + "\"],\"block_id\":"
                                + ran + "}")
                .at("/result/changes");
        assertThat(contract).hasSize(2);
        assertThat(contract.at("/0/cause").toString())
                .isEqualTo("{\"receipt_hash\":\"" + receiptId + "\",\"type\":\"receipt_processing\"}");
        assertThat(contract.at("/1/cause").toString())
                .isEqualTo("{\"receipt_hash\":\"" + receiptId + "\",\"type\":\"action_receipt_gas_reward\"}");
        BigInteger reward = new BigInteger(contract.at("/1/change/amount").asText())
                .subtract(new BigInteger(contract.at("/0/change/amount").asText()));
        assertThat(reward).isPositive();

        JsonNode data = call(
                        "EXPERIMENTAL_changes",
                        "{\"changes_type\":\"data_changes\",\"account_ids\":[\"" + COUNTER
                                + "\"],\"key_prefix_base64\":\"\",\"block_id\":" + ran + "}")
                .at("/result/changes");
        assertThat(data).hasSize(1);
        assertThat(data.at("/0/type").asText()).isEqualTo("data_update");
        assertThat(data.at("/0/cause/receipt_hash").asText()).isEqualTo(receiptId);
        assertThat(data.at("/0/change/value_base64").asText()).isNotEmpty();
        String dataKey = data.at("/0/change/key_base64").asText();
        String otherPrefix = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff});
        assertThat(call(
                                "EXPERIMENTAL_changes",
                                "{\"changes_type\":\"data_changes\",\"account_ids\":[\"" + COUNTER
                                        + "\"],\"key_prefix_base64\":\"" + otherPrefix + "\",\"block_id\":" + ran
                                        + "}")
                        .at("/result/changes"))
                .as("no key of %s starts with 0xff", dataKey)
                .isEmpty();
        assertThat(call(
                                "EXPERIMENTAL_changes",
                                "{\"changes_type\":\"contract_code_changes\",\"account_ids\":[\"" + COUNTER
                                        + "\"],\"block_id\":" + ran + "}")
                        .at("/result/changes"))
                .isEmpty();
    }

    @Test
    void aBlockWhoseWritesWereDroppedForMemoryIsAnErrorNotAnEmptyList() {
        // Each deploy writes its code (a valid module with a 1.4 MB custom section) as a change; fourteen of
        // them pass the bound on the writes kept, and the oldest block's go while the block is still kept.
        byte[] code = new byte[1_400_000];
        byte[] head = {0, 'a', 's', 'm', 1, 0, 0, 0, 0, (byte) 0xB4, (byte) 0xB9, 0x55, 1, 'x'};
        System.arraycopy(head, 0, code, 0, head.length); // custom section "x", 1,399,988 bytes (LEB128)
        JsonNode funded = call(
                "sandbox_patch_state",
                "{\"records\":[{\"Account\":{\"account_id\":\"" + ALICE.signerId() + "\",\"account\":{\"amount\":\""
                        + NEAR.multiply(BigInteger.valueOf(100)) + "\"}}}]}");
        assertThat(funded.at("/result").toString()).as("%s", funded).isEqualTo("{}"); // 14 NEAR of storage
        long firstDeploy = -1;
        for (int nonce = 1; nonce <= 14; nonce++) {
            now.addAndGet(BLOCK_MILLIS); // a deploy to oneself runs in its own block: one block each
            byte[] signed = ALICE.sign(
                    ALICE.signerId(),
                    nonce,
                    Base58.decode(clock.hash(clock.latestHeight() - 2)),
                    List.of(new Action.DeployContract(code)));
            JsonNode sent = call(
                    "send_tx",
                    "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                            + "\",\"wait_until\":\"EXECUTED_OPTIMISTIC\"}");
            assertThat(sent.at("/result/status/SuccessValue").isMissingNode())
                    .as("%s", sent)
                    .isFalse();
            if (firstDeploy < 0) {
                firstDeploy = heightOf(
                        sent.at("/result/receipts_outcome/0/block_hash").asText());
            }
        }
        JsonNode dropped = call("EXPERIMENTAL_changes_in_block", "{\"block_id\":" + firstDeploy + "}");
        assertThat(dropped.at("/error/cause/name").asText()).as("%s", dropped).isEqualTo("INTERNAL_ERROR");
        assertThat(dropped.at("/error/data/info/error_message").asText())
                .contains("no longer keeps the state changes of block " + firstDeploy);
        JsonNode patched = call("EXPERIMENTAL_changes_in_block", "{\"block_id\":" + (firstDeploy - 1) + "}");
        assertThat(patched.at("/error/data/info/error_message").asText())
                .as("the sandbox patch's block: writes of no transaction")
                .contains("has writes the emulator does not keep as state changes");
        JsonNode latest = call(
                "EXPERIMENTAL_changes",
                "{\"changes_type\":\"contract_code_changes\",\"account_ids\":[\"" + ALICE.signerId()
                        + "\"],\"block_id\":" + (clock.latestHeight() - 1) + "}");
        assertThat(latest.at("/error").isMissingNode()).as("%s", latest).isTrue();
    }

    @Test
    void unknownBlocksAndBadParamsAreNearcoresErrors() {
        long future = clock.latestHeight() + 10;
        JsonNode unknown = call("EXPERIMENTAL_changes_in_block", "{\"block_id\":" + future + "}");
        assertThat(unknown.at("/error/cause/name").asText()).isEqualTo("UNKNOWN_BLOCK");
        assertThat(unknown.at("/error/data").toString()).isEqualTo("{\"info\":{},\"name\":\"UNKNOWN_BLOCK\"}");

        assertThat(call("EXPERIMENTAL_changes", "{\"changes_type\":\"everything\",\"finality\":\"final\"}")
                        .at("/error/data")
                        .asText())
                .isEqualTo("Failed parsing args: unknown variant `everything`, expected one of `account_changes`,"
                        + " `single_access_key_changes`, `all_access_key_changes`, `contract_code_changes`,"
                        + " `data_changes`");
        assertThat(call("EXPERIMENTAL_changes", "{\"changes_type\":\"account_changes\",\"finality\":\"final\"}")
                        .at("/error/data")
                        .asText())
                .isEqualTo("Failed parsing args: missing field `account_ids`");
        assertThat(call("EXPERIMENTAL_changes", "{\"account_ids\":[],\"finality\":\"final\"}")
                        .at("/error/data")
                        .asText())
                .isEqualTo("Failed parsing args: missing field `changes_type`");
        assertThat(call(
                                "EXPERIMENTAL_changes",
                                "{\"changes_type\":\"account_changes\",\"account_ids\":[\"Bad!\"],\"finality\":\"final\"}")
                        .at("/error/cause/name")
                        .asText())
                .isEqualTo("PARSE_ERROR");
        assertThat(call("EXPERIMENTAL_changes_in_block", "[1]")
                        .at("/error/cause/name")
                        .asText())
                .isEqualTo("PARSE_ERROR");
    }
}

package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.RpcNode;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The block views' and state changes' answers of the RPC emulator in process (no HTTP), the whole
 * JSON-RPC call: {@code status} (what bench/proxy-throughput.sh sends through the proxy) and
 * {@code block} {@code final} with the head's views already rendered (the clock stands still, as it does
 * between two blocks), {@code chunk} of the block that included a transaction, {@code gas_price}, and
 * {@code EXPERIMENTAL_changes_in_block} / {@code EXPERIMENTAL_changes} of the block where a counter
 * {@code increment} ran. Run: {@code mvn -q -pl target-system test-compile exec:exec@jmh
 * -Djmh.args='BlockAnswersBench -prof gc'}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xms512m", "-Xmx1g"})
public class BlockAnswersBench {
    private static final String COUNTER = "counter.test.near";
    private static final TransactionSigner ALICE = TransactionSigner.fromSeed("alice.test.near", RpcNode.seed(1));

    private RpcNode node;
    private String chunkParams;
    private String changesInBlockParams;
    private String changesParams;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        node = new RpcNode(List.of(RpcNode.account(ALICE, BigInteger.TEN.pow(30))));
        node.simulator.deploy(
                COUNTER, Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/counter.wasm")));
        byte[] signed = ALICE.sign(
                COUNTER,
                1,
                node.finalBlock(),
                List.of(new Action.FunctionCall(
                        "increment", "{}".getBytes(StandardCharsets.UTF_8), 30_000_000_000_000L, BigInteger.ZERO)));
        String sent = new String(
                node.answer(
                        "send_tx",
                        "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                                + "\",\"wait_until\":\"EXECUTED_OPTIMISTIC\"}"),
                StandardCharsets.UTF_8);
        String included = blockHash(sent, "\"transaction_outcome\":");
        String ran = blockHash(sent, "\"receipts_outcome\":");
        chunkParams = "{\"block_id\":\"" + included + "\",\"shard_id\":0}";
        changesInBlockParams = "{\"block_id\":\"" + ran + "\"}";
        changesParams = "{\"changes_type\":\"account_changes\",\"account_ids\":[\"" + COUNTER + "\"],\"block_id\":\""
                + ran + "\"}";
    }

    /** The first block_hash after {@code member} in a send_tx answer. */
    private static String blockHash(String answer, String member) {
        String key = "\"block_hash\":\"";
        int start = answer.indexOf(key, answer.indexOf(member)) + key.length();
        return answer.substring(start, answer.indexOf('"', start));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        node.close();
    }

    @Benchmark
    public byte[] status() {
        return node.answer("status", "[]");
    }

    @Benchmark
    public byte[] blockFinal() {
        return node.answer("block", "{\"finality\":\"final\"}");
    }

    @Benchmark
    public byte[] chunk() {
        return node.answer("chunk", chunkParams);
    }

    @Benchmark
    public byte[] gasPrice() {
        return node.answer("gas_price", "[null]");
    }

    @Benchmark
    public byte[] changesInBlock() {
        return node.answer("EXPERIMENTAL_changes_in_block", changesInBlockParams);
    }

    @Benchmark
    public byte[] changes() {
        return node.answer("EXPERIMENTAL_changes", changesParams);
    }
}

package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.RpcNode;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Arrays;
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
 * The transaction answers of the RPC emulator in process (no HTTP), the whole JSON-RPC call:
 * {@code send_tx} of a signed counter {@code increment} waiting for EXECUTED_OPTIMISTIC (decode,
 * checks, signature, the receipts run, the answer rendered), and {@code tx} /
 * {@code EXPERIMENTAL_tx_status} of a kept transaction (the kept views read back and the outcome
 * tree rendered). Run: {@code mvn -q -pl target-system test-compile exec:exec@jmh
 * -Djmh.args=TransactionAnswersBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgs = {"-Xms512m", "-Xmx1g"})
public class TransactionAnswersBench {
    private static final String COUNTER = "counter.test.near";
    private static final TransactionSigner ALICE = TransactionSigner.fromSeed("alice.test.near", RpcNode.seed(1));

    private RpcNode node;
    private long nonce;
    private String txParams;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        node = new RpcNode(List.of(RpcNode.account(ALICE, BigInteger.TEN.pow(30))));
        node.simulator.deploy(
                COUNTER, Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/counter.wasm")));
        byte[] signed = ALICE.sign(COUNTER, ++nonce, node.finalBlock(), increment());
        node.answer("send_tx", sendParams(signed));
        byte[] unsigned = Arrays.copyOf(signed, signed.length - 65);
        String hash = Base58.encode(MessageDigest.getInstance("SHA-256").digest(unsigned));
        txParams = "{\"tx_hash\":\"" + hash + "\",\"sender_account_id\":\"" + ALICE.signerId()
                + "\",\"wait_until\":\"EXECUTED_OPTIMISTIC\"}";
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        node.close();
    }

    private static List<Action> increment() {
        return List.of(new Action.FunctionCall(
                "increment", "{}".getBytes(StandardCharsets.UTF_8), 30_000_000_000_000L, BigInteger.ZERO));
    }

    private static String sendParams(byte[] signed) {
        return "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed)
                + "\",\"wait_until\":\"EXECUTED_OPTIMISTIC\"}";
    }

    @Benchmark
    public byte[] sendTx() {
        return node.answer("send_tx", sendParams(ALICE.sign(COUNTER, ++nonce, node.finalBlock(), increment())));
    }

    @Benchmark
    public byte[] tx() {
        return node.answer("tx", txParams);
    }

    @Benchmark
    public byte[] txStatusWithReceipts() {
        return node.answer("EXPERIMENTAL_tx_status", txParams);
    }
}

package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code query} through {@link NearRpcEmulator#handle}, request bytes to answer bytes (no HTTP): each
 * kind's parse, read and rendering, over the real contract simulator and transaction engine. The
 * UNKNOWN_ACCOUNT row is the query docs/performance.md measures with wrk.
 * Run from the repository root: {@code mvn -q -pl target-system test-compile exec:exec@jmh
 * -Djmh.args="QueryBench -prof gc"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class QueryBench {
    private static final TransactionSigner ALICE = TransactionSigner.fromSeed("alice.test.near", RpcNode.seed(1));

    private RpcNode node;
    private NearRpcEmulator rpc;
    private byte[] unknownAccount;
    private byte[] viewAccount;
    private byte[] viewAccessKey;
    private byte[] viewAccessKeyList;
    private byte[] viewState;
    private byte[] callFunction;

    private static byte[] query(String request) {
        return ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"query\",\"params\":{\"finality\":\"final\"," + request
                        + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Setup
    public void setUp() throws Exception {
        node = new RpcNode(List.of(RpcNode.account(ALICE, new BigInteger("10000000000000000000000000"))));
        node.simulator.deploy(
                "counter.test.near",
                Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/counter.wasm")));
        rpc = node.rpc();
        unknownAccount = query("\"request_type\":\"view_account\",\"account_id\":\"nobody.near\"");
        viewAccount = query("\"request_type\":\"view_account\",\"account_id\":\"alice.test.near\"");
        viewAccessKey =
                query("\"request_type\":\"view_access_key\",\"account_id\":\"alice.test.near\",\"public_key\":\""
                        + ALICE.publicKey() + "\"");
        viewAccessKeyList = query("\"request_type\":\"view_access_key_list\",\"account_id\":\"alice.test.near\"");
        viewState =
                query("\"request_type\":\"view_state\",\"account_id\":\"counter.test.near\",\"prefix_base64\":\"\"");
        callFunction = query("\"request_type\":\"call_function\",\"account_id\":\"counter.test.near\","
                + "\"method_name\":\"get_num\",\"args_base64\":\"e30=\"");
        for (byte[] body :
                List.of(unknownAccount, viewAccount, viewAccessKey, viewAccessKeyList, viewState, callFunction)) {
            NearRpcEmulator.Response answer = rpc.handle(body, null);
            if (answer.httpStatus() != 200) {
                throw new IllegalStateException(new String(answer.body(), StandardCharsets.UTF_8));
            }
        }
    }

    @TearDown
    public void tearDown() {
        node.close();
    }

    @Benchmark
    public NearRpcEmulator.Response unknownAccount() {
        return rpc.handle(unknownAccount, null);
    }

    @Benchmark
    public NearRpcEmulator.Response viewAccount() {
        return rpc.handle(viewAccount, null);
    }

    @Benchmark
    public NearRpcEmulator.Response viewAccessKey() {
        return rpc.handle(viewAccessKey, null);
    }

    @Benchmark
    public NearRpcEmulator.Response viewAccessKeyList() {
        return rpc.handle(viewAccessKeyList, null);
    }

    @Benchmark
    public NearRpcEmulator.Response viewState() {
        return rpc.handle(viewState, null);
    }

    @Benchmark
    public NearRpcEmulator.Response callFunction() {
        return rpc.handle(callFunction, null);
    }
}

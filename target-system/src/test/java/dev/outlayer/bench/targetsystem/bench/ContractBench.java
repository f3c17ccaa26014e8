package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.nio.charset.StandardCharsets;
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
 * In-process contract execution: warm calls of the bundled C counter and of a contract laid out
 * like near-sdk-rs builds (issue 14: p50 <= 50 us, p99 <= 300 us, <= 64 KiB allocated per call;
 * counter p50 <= 15 us), the metered/unmetered ratio (the two {@code increment*} rows), the
 * 300 Tgas loop, and deploy + first call of a small and a 213 KiB contract (<= 50 ms).
 * Bytes per call: run with {@code -prof gc} ({@code gc.alloc.rate.norm}). {@code bench/contract-calls}
 * runs it next to V8 and prints the table.
 * Run from the repository root: {@code mvn -q -pl target-system test-compile exec:exec@jmh
 * -Djmh.args="ContractBench -prof gc"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(
        value = 1,
        // a fixed heap, touched at start: see HEAP in bench/contract-calls.sh
        jvmArgsAppend = {"-Xss4m", "-XX:-DontCompileHugeMethods", "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class ContractBench {
    private static final String ACCOUNT = "counter.test.near";
    private static final String NEAR_SDK_ACCOUNT = "nearsdk.test.near";
    private static final String LOOP_ACCOUNT = "loop.test.near";
    /** (module (func (export "loop_forever") (loop $l (br $l)))) */
    private static final byte[] LOOP = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
        0x07, 0x10, 0x01, 0x0c, 'l', 'o', 'o', 'p', '_', 'f', 'o', 'r', 'e', 'v', 'e', 'r', 0x00, 0x00, 0x0a, 0x09,
        0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b
    };

    private static final byte[] NO_ARGS = "{}".getBytes(StandardCharsets.UTF_8);

    private ContractSimulator metered;
    private ContractSimulator unmetered;
    private byte[] counter;

    @Setup
    public void setUp() {
        counter = BenchContracts.bundled("counter.wasm");
        BlockClock clock = BlockClock.startingNow(1000);
        metered = new ContractSimulator(true, ContractCompiler.Path.COMPILED, clock);
        metered.deploy(ACCOUNT, counter);
        metered.deploy(LOOP_ACCOUNT, LOOP);
        metered.deploy(NEAR_SDK_ACCOUNT, BenchContracts.testContract("nearsdk_layout"));
        unmetered = new ContractSimulator(false, ContractCompiler.Path.COMPILED, clock);
        unmetered.deploy(ACCOUNT, counter);
    }

    @TearDown
    public void tearDown() {
        metered.close();
        unmetered.close();
    }

    /**
     * Never-seen contracts deployed back to back, as the target system runs them (TIERED):
     * validation, instrumentation and a first call on the interpreter on the request path;
     * validating the instrumented module and compiling it on the background compiler, where each
     * op queues one more compilation (262 ms for the 213 KiB contract on an idle core) that runs
     * while the next ops are measured. The "while other deploys compile" figure.
     */
    @State(Scope.Benchmark)
    public static class Deploys {
        final ContractSimulator simulator =
                new ContractSimulator(true, ContractCompiler.Path.TIERED, BlockClock.startingNow(1000));
        final byte[] counter = BenchContracts.bundled("counter.wasm");
        final byte[] large = BenchContracts.synthetic(2000, 0);
        int salt;
        String last;

        @TearDown
        public void close() {
            simulator.close();
        }

        Outcome deployAndCall(String prefix, byte[] code) {
            int next = ++salt;
            last = prefix + next + ".test.near";
            simulator.deploy(last, BenchContracts.distinct(code, next));
            return BenchContracts.succeeded(simulator.execute(CallRequest.call(last, "increment", NO_ARGS)));
        }
    }

    /**
     * As {@link Deploys}, but each op starts once the previous op's background compilation has
     * ended (waited for outside the measured time): one deploy + first call on a warm JVM with
     * nothing else compiling, the figure issue 14's goal is about.
     */
    @State(Scope.Benchmark)
    public static class QuietDeploys extends Deploys {
        @Setup(Level.Invocation)
        public void previousCompilationEnded() {
            if (last != null) {
                simulator
                        .account(last)
                        .map(account -> account.contract())
                        .ifPresent(contract -> contract.awaitCompiled(60, TimeUnit.SECONDS));
            }
        }
    }

    @Benchmark
    public Outcome incrementMetered() {
        return BenchContracts.succeeded(metered.execute(CallRequest.call(ACCOUNT, "increment", NO_ARGS)));
    }

    /** 1 MiB stack, 17 pages, 4 KiB of data: a call writes a stack frame and heap buffers. */
    @Benchmark
    public Outcome nearSdkLayoutIncrement() {
        return BenchContracts.succeeded(metered.execute(CallRequest.call(NEAR_SDK_ACCOUNT, "increment", NO_ARGS)));
    }

    @Benchmark
    public Outcome incrementUnmetered() {
        return BenchContracts.succeeded(unmetered.execute(CallRequest.call(ACCOUNT, "increment", NO_ARGS)));
    }

    @Benchmark
    public Outcome getNumView() {
        return BenchContracts.succeeded(metered.execute(CallRequest.view(ACCOUNT, "get_num", NO_ARGS)));
    }

    /** An infinite loop at the default 300 Tgas, until GasExceeded (issue target: returns within 1 s). */
    @Benchmark
    public Outcome infiniteLoopUntilGasExceeded() {
        Outcome outcome = metered.execute(CallRequest.call(LOOP_ACCOUNT, "loop_forever", NO_ARGS));
        if (!"GasExceeded".equals(outcome.errorKind())) {
            throw new IllegalStateException("expected GasExceeded, got " + outcome.errorKind());
        }
        return outcome;
    }

    /** A never-seen code hash each time: validate, instrument, instantiate, run (interpreted, TIERED). */
    @Benchmark
    public Outcome coldDeployAndFirstCall(QuietDeploys deploys) {
        return deploys.deployAndCall("cold", deploys.counter);
    }

    /** As {@link #coldDeployAndFirstCall} with a never-seen 213 KiB contract (a real contract's size). */
    @Benchmark
    public Outcome coldDeployAndFirstCallLarge(QuietDeploys deploys) {
        return deploys.deployAndCall("large", deploys.large);
    }

    /** The 213 KiB deploy + first call while the previous ops' compilations run (not waited for). */
    @Benchmark
    public Outcome coldDeployAndFirstCallLargeBackToBack(Deploys deploys) {
        return deploys.deployAndCall("large", deploys.large);
    }
}

package dev.outlayer.bench.targetsystem.bench;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.persistence.DataStore;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.state.StateLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * What {@code --data-dir} costs a state-changing call: the bundled counter's {@code increment}
 * in memory (the anchor) and with every commit synced to an MVStore file in the temp directory,
 * in the same run. Run from the repository root:
 * {@code mvn -q -pl target-system test-compile exec:exec@jmh -Djmh.args=DataDirBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DataDirBench {
    private static final String ACCOUNT = "counter.test.near";
    private static final byte[] NO_ARGS = new byte[0];

    private Path dir;
    private DataStore store;
    private ContractSimulator inMemory;
    private ContractSimulator durable;

    @Setup
    public void setUp() throws IOException {
        byte[] counter = BenchContracts.bundled("counter.wasm");
        BlockClock clock = BlockClock.startingNow(1000);
        dir = Files.createTempDirectory("data-dir-bench");
        store = DataStore.open(dir);
        inMemory = new ContractSimulator(true, ContractCompiler.Path.COMPILED, clock, null, StateLog.NONE);
        inMemory.deploy(ACCOUNT, counter);
        durable = new ContractSimulator(true, ContractCompiler.Path.COMPILED, clock, null, store);
        durable.deploy(ACCOUNT, counter);
    }

    @TearDown
    public void tearDown() throws IOException {
        inMemory.close();
        durable.close(); // before its store, as TargetSystem closes them
        store.close();
        // One commit per call: what the file grew to says whether the space of old versions is reused.
        System.out.printf(
                "%nstate.mv.db after %d synced increments: %d KiB%n",
                durable.account(ACCOUNT).orElseThrow().read(s -> s.calls()),
                Files.size(dir.resolve(DataStore.FILE_NAME)) / 1024);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    @Benchmark
    public Outcome incrementInMemory() {
        return BenchContracts.succeeded(inMemory.execute(CallRequest.call(ACCOUNT, "increment", NO_ARGS)));
    }

    @Benchmark
    public Outcome incrementSyncedToDataDir() {
        return BenchContracts.succeeded(durable.execute(CallRequest.call(ACCOUNT, "increment", NO_ARGS)));
    }
}

package dev.outlayer.bench.simulations;

import dev.outlayer.bench.reports.results.NamedValue;
import dev.outlayer.bench.simulations.support.CounterContract;
import dev.outlayer.bench.simulations.support.ContractCode;
import dev.outlayer.bench.simulations.support.ContractApi;
import dev.outlayer.bench.simulations.support.HeapSamples;
import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Latencies;
import dev.outlayer.bench.simulations.support.Observed;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Phases;
import dev.outlayer.bench.simulations.support.Target;
import dev.outlayer.bench.simulations.support.Throughput;
import dev.outlayer.bench.simulations.support.Verdicts;
import dev.outlayer.bench.simulations.support.results.Results;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Spec "Memory Profiling" (heap usage over time, leak detection): 1,000 counter executions by one client,
 * the target's live heap after a full GC sampled before them and after every 100: the target's admin
 * endpoint runs the GC, its metrics give the old generation's size right after it ({@link HeapSamples}).
 * A warm-up of 100 executions comes first so that the baseline already holds what the first calls load
 * once (compiled code, JIT'd paths, connection buffers). Executions alternate {@code increment} and
 * {@code decrement}, keeping an {@code i8} counter in range; afterwards {@code get_num} must equal increments
 * minus decrements.
 * <p>
 * Assertions: growth over the executions at most 2 MB after GC (the target; the spec accepts
 * &lt; 5 MB) and at most 5 KB per execution (the spec's "per exec"), no failed request.
 */
public class MemoryProfileSimulation extends Simulation {
    private static final String ACCOUNT = CounterContract.ACCOUNT;
    private static final int EXECUTIONS = Params.integer("memory.executions", 1000);
    private static final int SAMPLE_EVERY = Params.integer("memory.sampleEvery", 100);
    private static final int WARM_UP = Params.integer("memory.warmUp", 100);
    private static final double MAX_GROWTH_MB = Params.decimal("memory.maxGrowthMb", 2.0);
    private static final double MAX_PER_EXECUTION_KB = Params.decimal("memory.maxPerExecutionKb", 5.0);

    private static final String INCREMENT = "counter: increment (memory)";
    private static final String DECREMENT = "counter: decrement (memory)";
    private static final String WARM_UP_INCREMENT = "counter: increment (memory warm-up)";
    private static final String WARM_UP_DECREMENT = "counter: decrement (memory warm-up)";

    private static final HttpProtocolBuilder PROTOCOL = JsonRpc.protocol();
    private static final Latencies LATENCIES = new Latencies("queue", "instantiate", "exec");
    private static final Throughput THROUGHPUT = new Throughput();
    private static final HeapSamples HEAP = new HeapSamples();
    /** Heap after GC before and after loading {@link #LOADED_CONTRACTS} more contracts: the memory one costs. */
    private static final HeapSamples LOADED = new HeapSamples();
    private static final int LOADED_CONTRACTS = Params.integer("memory.loadedContracts", 10);
    private static final double MAX_PER_CONTRACT_MB = Params.decimal("memory.maxPerContractMb", 5);
    private static final String LOADED_WASM = Params.string("memory.contractWasm", "resources/contracts/counter.wasm");
    private static final String RUN = java.util.UUID.randomUUID().toString().substring(0, 8);
    /** Measured executions started so far (the warm-up is not counted). */
    private static final AtomicLong EXECUTED = new AtomicLong();

    static {
        Observed.listen(LATENCIES);
        Observed.listen(THROUGHPUT);
    }

    /** One execution: an increment on even counts, a decrement on odd ones. */
    private static ChainBuilder execution(String incrementName, String decrementName, AtomicLong count) {
        return exec(session -> session.set("increment", count.getAndIncrement() % 2 == 0))
                .exec(CounterContract.incrementOrDecrement(session -> session.getBoolean("increment"),
                        incrementName, decrementName, ACCOUNT));
    }

    private static final ScenarioBuilder PROFILE = scenario("memory profile")
            .exec(CounterContract.reset("counter: reset", ACCOUNT))
            .exec(repeat(WARM_UP).on(execution(WARM_UP_INCREMENT, WARM_UP_DECREMENT, new AtomicLong())))
            .exec(HEAP.settle(), HEAP.sample(session -> EXECUTED.get()))
            .repeat(EXECUTIONS / SAMPLE_EVERY).on(
                    repeat(SAMPLE_EVERY).on(execution(INCREMENT, DECREMENT, EXECUTED)),
                    HEAP.sample(session -> EXECUTED.get()))
            .exec(CounterContract.read("counter: get_num", ACCOUNT, "after profile"))
            .exec(loadContracts());

    /**
     * Deploys copies of a contract, each with its own code hash (so each is compiled and cached on its
     * own), calls each once, and samples the heap before and after: the spec's "memory per contract".
     */
    private static ChainBuilder loadContracts() {
        byte[] code = ContractCode.read(ContractCode.resolve(LOADED_WASM));
        return exec(LOADED.sample(session -> 0L))
                .repeat(LOADED_CONTRACTS, "loaded").on(
                        exec(session -> session.set("loadedAccount",
                                "memory-" + session.getInt("loaded") + "-" + RUN + ".test.near"))
                                .exec(ContractApi.deploy("memory: deploy", session -> session.getString("loadedAccount"),
                                        session -> ContractCode.tagged(code, session.getString("loadedAccount"))))
                                .exec(CounterContract.increment("memory: first call", "#{loadedAccount}")))
                .exec(LOADED.sample(session -> (long) LOADED_CONTRACTS));
    }

    private static double perContractMb() {
        return LOADED.growthBytes() / LOADED_CONTRACTS / 1024.0 / 1024.0;
    }

    private static final Verdicts VERDICTS = new Verdicts()
            .atMost("heap growth after GC over " + EXECUTIONS + " executions",
                    () -> HEAP.growthBytes() / 1024 / 1024, MAX_GROWTH_MB, "MB")
            .atMost("heap growth per execution", () -> HEAP.growthBytes() / 1024 / EXECUTED.get(),
                    MAX_PER_EXECUTION_KB, "KB")
            .atMost("memory per loaded contract", MemoryProfileSimulation::perContractMb, MAX_PER_CONTRACT_MB, "MB")
            .between("counter minus (increments - decrements)", () -> CounterContract.reading("after profile")
                    - (THROUGHPUT.succeeded(INCREMENT, WARM_UP_INCREMENT)
                    - THROUGHPUT.succeeded(DECREMENT, WARM_UP_DECREMENT)),
                    0, 0, "");

    {
        if (EXECUTIONS % SAMPLE_EVERY != 0) {
            throw new IllegalArgumentException("-Dmemory.executions must be a multiple of -Dmemory.sampleEvery");
        }
        System.out.printf(Locale.ROOT, "Memory profile: %d executions on %s, heap after GC sampled every %d%n",
                EXECUTIONS, ACCOUNT, SAMPLE_EVERY);
        List<Assertion> assertions = new ArrayList<>(List.of(VERDICTS.assertions()));
        assertions.add(global().failedRequests().count().is(0L));
        setUp(Phases.inOrder(List.of(PROFILE.injectOpen(atOnceUsers(1)), VERDICTS.population())))
                .protocols(PROTOCOL)
                .assertions(assertions);
    }

    @Override
    public void after() {
        for (HeapSamples.Sample sample : HEAP.samples()) {
            Results.point("heap_after_gc_mb", "MB", "executions", sample.executions(),
                    sample.liveBytes() / 1024.0 / 1024.0);
        }
        Results.value("growth_mb_direct", "MB", HEAP.growthBytes() / 1024 / 1024, NamedValue.Merge.MAX);
        Results.value("memory_per_contract_mb", "MB", perContractMb(), NamedValue.Merge.MAX);
        System.out.printf(Locale.ROOT, "memory per loaded contract: %.3f MB (%d contracts)%n", perContractMb(), LOADED_CONTRACTS);
        System.out.println("Parameters: " + Params.describe());
        Phases.print(LATENCIES, INCREMENT, "queue", "instantiate", "exec");
        System.out.print(HEAP.table());
        double growth = HEAP.growthBytes();
        System.out.printf(Locale.ROOT, "heap growth over %d executions: %.3f MB (%.0f bytes per execution)%n",
                EXECUTED.get(), growth / 1024 / 1024, growth / EXECUTED.get());
        Results.finish(getClass(), Target.coordinatorUrl(), Params.describe());
        Target.stop();
    }
}

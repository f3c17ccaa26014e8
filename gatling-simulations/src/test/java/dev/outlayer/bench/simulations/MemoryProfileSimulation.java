package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.outlayer.bench.results.names.Measured.MemoryProfile;
import dev.outlayer.bench.results.names.ServerPhase;
import dev.outlayer.bench.results.recorder.NoSamplesException;
import dev.outlayer.bench.simulations.support.BenchSimulation;
import dev.outlayer.bench.simulations.support.ContractApi;
import dev.outlayer.bench.simulations.support.ContractCode;
import dev.outlayer.bench.simulations.support.CounterContract;
import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Observed;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Phases;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Spec "Memory Profiling" (heap usage over time, leak detection), in both modes of the Complete Summary Table
 * that run code: 1,000 counter executions by one client in {@code direct} mode, then 1,000 in {@code linux} mode
 * (the Linux emulator runs each call as a process on a booted task worker), the target's live heap after a full
 * GC sampled before each profile's executions and after every 100: the target's admin endpoint runs the GC, its
 * metrics give the old generation's size right after it ({@link HeapSamples}). Each profile starts with a
 * warm-up of 100 executions in its mode, so that its baseline already holds what the first calls load once
 * (compiled code, JIT'd paths, connection buffers, the task workers' first use). Executions alternate
 * {@code increment} and {@code decrement}, keeping an {@code i8} counter in range; afterwards {@code get_num}
 * must equal increments minus decrements over both modes.
 * <p>
 * Then each mode's memory per instance (the spec's "Instance size"; "Memory per contract", loaded WASM
 * instance): copies of a contract deployed, each under its own code hash, and called once in that mode, the
 * heap after GC before and after. In linux mode the task workers are the pool's, booted before the baseline
 * and shared by every contract, so what a contract adds is what is counted.
 * <p>
 * Assertions: per mode, growth over the executions at most 2 MB after GC (the target; the spec accepts
 * &lt; 5 MB) and at most 5 KB per execution (the spec's "per exec"), memory per loaded contract at most 5 MB;
 * no failed request.
 */
public class MemoryProfileSimulation extends BenchSimulation {
    private static final String ACCOUNT = CounterContract.ACCOUNT;
    private static final int EXECUTIONS = Params.integer("memory.executions", 1000);
    private static final int SAMPLE_EVERY = Params.integer("memory.sampleEvery", 100);
    private static final int WARM_UP = Params.integer("memory.warmUp", 100);
    private static final double MAX_GROWTH_MB = Params.decimal("memory.maxGrowthMb", 2.0);
    private static final double MAX_PER_EXECUTION_KB = Params.decimal("memory.maxPerExecutionKb", 5.0);
    private static final int LOADED_CONTRACTS = Params.integer("memory.loadedContracts", 10);
    private static final double MAX_PER_CONTRACT_MB = Params.decimal("memory.maxPerContractMb", 5);
    private static final String LOADED_WASM = Params.string("memory.contractWasm", "resources/contracts/counter.wasm");
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    /** One mode's profile: its request names, heap samples and counts. */
    private static final class Profile {
        final String mode;
        final String increment;
        final String decrement;
        final String warmUpIncrement;
        final String warmUpDecrement;
        /** Heap after GC before the executions and after every {@link #SAMPLE_EVERY}. */
        final HeapSamples heap = new HeapSamples();
        /** Heap after GC before and after loading {@link #LOADED_CONTRACTS} more contracts: the memory one costs. */
        final HeapSamples loaded = new HeapSamples();
        /** Measured executions started so far (the warm-up is not counted). */
        final AtomicLong executed = new AtomicLong();

        Profile(String mode, String suffix) {
            this.mode = mode;
            this.increment = "counter: increment (memory" + suffix + ")";
            this.decrement = "counter: decrement (memory" + suffix + ")";
            this.warmUpIncrement = "counter: increment (memory warm-up" + suffix + ")";
            this.warmUpDecrement = "counter: decrement (memory warm-up" + suffix + ")";
        }

        double perContractMb() {
            return loaded.growthBytes() / LOADED_CONTRACTS / 1024.0 / 1024.0;
        }
    }

    private final Profile direct = new Profile("direct", "");
    private final Profile linux = new Profile("linux", ", linux");

    private final HttpProtocolBuilder protocol = JsonRpc.protocol();

    private final ScenarioBuilder profile = scenario("memory profile")
            .exec(CounterContract.reset("counter: reset", ACCOUNT))
            .exec(executions(direct))
            .exec(executions(linux))
            .exec(CounterContract.read("counter: get_num", ACCOUNT, "after profile"))
            .exec(loadContracts(direct))
            .exec(loadContracts(linux));

    {
        if (EXECUTIONS % SAMPLE_EVERY != 0) {
            throw new IllegalArgumentException("-Dmemory.executions must be a multiple of -Dmemory.sampleEvery");
        }
        System.out.printf(
                Locale.ROOT,
                "Memory profile: %d executions on %s in direct mode, then %d in linux mode, heap after GC sampled"
                        + " every %d%n",
                EXECUTIONS,
                ACCOUNT,
                EXECUTIONS,
                SAMPLE_EVERY);
        for (Profile mode : List.of(direct, linux)) {
            verdicts.atMost(
                            "heap growth after GC over " + EXECUTIONS + " executions, " + mode.mode + " mode",
                            () -> mode.heap.growthBytes() / 1024 / 1024,
                            MAX_GROWTH_MB,
                            "MB")
                    .atMost(
                            "heap growth per execution, " + mode.mode + " mode",
                            () -> mode.heap.growthBytes() / 1024 / mode.executed.get(),
                            MAX_PER_EXECUTION_KB,
                            "KB")
                    .atMost(
                            "memory per loaded contract, " + mode.mode + " mode",
                            mode::perContractMb,
                            MAX_PER_CONTRACT_MB,
                            "MB");
        }
        verdicts.between(
                "counter minus (increments - decrements)",
                () -> CounterContract.reading("after profile")
                        - (recorded()
                                        .succeeded(
                                                direct.increment,
                                                direct.warmUpIncrement,
                                                linux.increment,
                                                linux.warmUpIncrement)
                                - recorded()
                                        .succeeded(
                                                direct.decrement,
                                                direct.warmUpDecrement,
                                                linux.decrement,
                                                linux.warmUpDecrement)),
                0,
                0,
                "");

        setUp(Phases.inOrder(profile.injectOpen(atOnceUsers(1)), verdicts.population()))
                .protocols(protocol)
                .assertions(
                        verdicts.assertions(global().failedRequests().count().is(0L)));
    }

    /** The warm-up, the baseline sample, then the measured executions with a sample after every {@link #SAMPLE_EVERY}. */
    private static ChainBuilder executions(Profile mode) {
        return exec(repeat(WARM_UP).on(execution(mode, mode.warmUpIncrement, mode.warmUpDecrement, new AtomicLong())))
                .exec(mode.heap.settle(), mode.heap.sample(session -> mode.executed.get()))
                .repeat(EXECUTIONS / SAMPLE_EVERY)
                .on(
                        repeat(SAMPLE_EVERY).on(execution(mode, mode.increment, mode.decrement, mode.executed)),
                        mode.heap.sample(session -> mode.executed.get()));
    }

    /** One execution in the profile's mode: an increment on even counts, a decrement on odd ones. */
    private static ChainBuilder execution(Profile mode, String incrementName, String decrementName, AtomicLong count) {
        return exec(session -> session.set("increment", count.getAndIncrement() % 2 == 0))
                .exec(CounterContract.incrementOrDecrement(
                        session -> session.getBoolean("increment"), incrementName, decrementName, ACCOUNT, mode.mode));
    }

    /**
     * Deploys copies of a contract, each with its own code hash (so each is compiled and cached on its
     * own), calls each once in the profile's mode, and samples the heap before and after: the spec's
     * "memory per contract".
     */
    private static ChainBuilder loadContracts(Profile mode) {
        byte[] code = ContractCode.read(ContractCode.resolve(LOADED_WASM));
        return exec(mode.loaded.sample(session -> 0L))
                .repeat(LOADED_CONTRACTS, "loaded")
                .on(exec(session -> session.set(
                                "loadedAccount",
                                "memory-" + mode.mode + "-" + session.getInt("loaded") + "-" + RUN + ".test.near"))
                        .exec(ContractApi.deploy(
                                "memory: deploy",
                                session -> session.getString("loadedAccount"),
                                session -> ContractCode.tagged(code, session.getString("loadedAccount"))))
                        .exec(CounterContract.inMode(
                                "memory: first call (" + mode.mode + ")", "#{loadedAccount}", "increment", mode.mode)))
                .exec(mode.loaded.sample(session -> (long) LOADED_CONTRACTS));
    }

    @Override
    protected void report() {
        for (HeapSamples.Sample sample : direct.heap.samples()) {
            recorded().point(MemoryProfile.HEAP_AFTER_GC_MB, sample.executions(), sample.liveBytes() / 1024.0 / 1024.0);
        }
        for (HeapSamples.Sample sample : linux.heap.samples()) {
            recorded()
                    .point(
                            MemoryProfile.LINUX_HEAP_AFTER_GC_MB,
                            sample.executions(),
                            sample.liveBytes() / 1024.0 / 1024.0);
        }
        recorded().value(MemoryProfile.GROWTH_MB, direct.heap.growthBytes() / 1024 / 1024);
        recorded().value(MemoryProfile.MEMORY_PER_CONTRACT_MB, direct.perContractMb());
        recorded().value(MemoryProfile.LINUX_GROWTH_MB, linux.heap.growthBytes() / 1024 / 1024);
        recorded().value(MemoryProfile.LINUX_MEMORY_PER_CONTRACT_MB, linux.perContractMb());
        Phases.print(direct.increment, ServerPhase.QUEUE, ServerPhase.INSTANTIATE, ServerPhase.EXEC);
        for (Profile mode : List.of(direct, linux)) {
            System.out.printf(
                    Locale.ROOT,
                    "%s mode: memory per loaded contract %.3f MB (%d contracts)%n",
                    mode.mode,
                    mode.perContractMb(),
                    LOADED_CONTRACTS);
            System.out.print(mode.heap.table());
            double growth = mode.heap.growthBytes();
            System.out.printf(
                    Locale.ROOT,
                    "%s mode: heap growth over %d executions: %.3f MB (%.0f bytes per execution)%n",
                    mode.mode,
                    mode.executed.get(),
                    growth / 1024 / 1024,
                    growth / mode.executed.get());
        }
    }

    /**
     * The target system's heap after a full GC. A sample asks the admin endpoint (on only when the target runs
     * with {@code --admin}, as the embedded one does) to collect: {@code POST /admin/gc} (-Dmemory.adminPath)
     * answers {@code heap_used_bytes}, the heap in use when it replied. That figure also counts whatever other
     * threads allocated between the end of the GC and the reply (a fresh TLAB is enough to add megabytes), so the
     * sample then reads {@code jvm_gc_live_data_size_bytes} from {@code GET /metrics}: Micrometer's size of the
     * old generation right after that full collection, which holds every live object. Measured on an idle target,
     * the first varies by about 3 MB from one GC to the next, the second by about 10 KB. Without the metric the
     * sample falls back to {@code heap_used_bytes}.
     */
    static final class HeapSamples {
        private static final String ADMIN_PATH = Params.string("memory.adminPath", "/admin/gc");
        private static final String USED = "heap.usedBytes";
        private static final String LIVE = "heap.liveBytes";

        /** One sample: after how many executions, the live heap after GC, and the heap used as the GC reply saw it. */
        public record Sample(long executions, long liveBytes, long usedBytes) {}

        private final List<Sample> samples = new CopyOnWriteArrayList<>();
        private volatile boolean fellBack;

        /**
         * A full GC in the target whose result is not recorded. Objects that need finalizing or cleaning survive
         * the GC that finds them unreachable and go at the next one, once their finalizer has run: a GC before
         * the baseline sample lets the baseline start without them.
         */
        public ChainBuilder settle() {
            return Observed.send(
                    "admin: gc (settle)",
                    http("admin: gc (settle)")
                            .post(ADMIN_PATH)
                            .body(StringBody("{}"))
                            .check(status().is(200)));
        }

        /** Runs a full GC in the target and records the heap after it, labelled with the {@code executions} so far. */
        public ChainBuilder sample(Function<Session, Long> executions) {
            return exec(session -> session.remove(USED).remove(LIVE))
                    .exec(Observed.send(
                            "admin: gc",
                            http("admin: gc")
                                    .post(ADMIN_PATH)
                                    .body(StringBody("{}"))
                                    .check(
                                            status().is(200),
                                            jsonPath("$.heap_used_bytes")
                                                    .ofLong()
                                                    .saveAs(USED))))
                    .exec(Observed.send(
                            "metrics: live heap after GC",
                            http("metrics: live heap after GC")
                                    .get("/metrics")
                                    .check(
                                            status().is(200),
                                            regex("(?m)^jvm_gc_live_data_size_bytes\\s+(\\S+)")
                                                    .optional()
                                                    .saveAs(LIVE))))
                    .exec(session -> {
                        if (session.contains(USED)) {
                            long used = session.getLong(USED);
                            fellBack |= !session.contains(LIVE);
                            long live =
                                    session.contains(LIVE) ? (long) Double.parseDouble(session.getString(LIVE)) : used;
                            samples.add(new Sample(executions.apply(session), live, used));
                        }
                        return session;
                    });
        }

        public List<Sample> samples() {
            return List.copyOf(samples);
        }

        /** Live heap after the last sample minus after the first, in bytes. */
        public double growthBytes() {
            List<Sample> all = samples();
            if (all.size() < 2) {
                throw new NoSamplesException("the live heap after GC (" + all.size() + " of the 2 samples needed)");
            }
            return all.get(all.size() - 1).liveBytes() - all.get(0).liveBytes();
        }

        /** The samples as the spec prints them: executions, heap after GC. */
        public String table() {
            StringBuilder table =
                    new StringBuilder(String.format("Executions | Live heap after GC | Heap used at the GC's reply%n"
                            + "-----------|--------------------|----------------------------%n"));
            for (Sample sample : samples()) {
                table.append(String.format(
                        Locale.ROOT,
                        "%10d | %15.3f MB | %15.3f MB%n",
                        sample.executions(),
                        sample.liveBytes() / 1024.0 / 1024.0,
                        sample.usedBytes() / 1024.0 / 1024.0));
            }
            if (fellBack) {
                table.append(String.format(
                        "(/metrics has no jvm_gc_live_data_size_bytes: live heap = heap used at the reply)%n"));
            }
            return table.toString();
        }
    }
}

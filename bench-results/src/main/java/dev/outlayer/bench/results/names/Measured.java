package dev.outlayer.bench.results.names;

import static dev.outlayer.bench.results.names.SimulationName.API_KEY_TIER;
import static dev.outlayer.bench.results.names.SimulationName.BURST_CAPACITY;
import static dev.outlayer.bench.results.names.SimulationName.CAPACITY;
import static dev.outlayer.bench.results.names.SimulationName.COUNTER;
import static dev.outlayer.bench.results.names.SimulationName.EXECUTION_LIFECYCLE;
import static dev.outlayer.bench.results.names.SimulationName.EXECUTION_MODE;
import static dev.outlayer.bench.results.names.SimulationName.HTTPS_CALL;
import static dev.outlayer.bench.results.names.SimulationName.MEMORY_PROFILE;
import static dev.outlayer.bench.results.names.SimulationName.RATE_LIMIT_ENFORCEMENT;
import static dev.outlayer.bench.results.names.SimulationName.SECRETS;
import static dev.outlayer.bench.results.names.SimulationName.SUSTAINED_LOAD;
import static dev.outlayer.bench.results.names.SimulationName.THROTTLE_OVERHEAD;
import static dev.outlayer.bench.results.names.SimulationName.TRANSACTIONS;

import dev.outlayer.bench.results.NamedValue.Merge;
import java.util.List;

/**
 * Every name a simulation records and the report site reads, per simulation: the simulation
 * sends its requests and records its values under these constants, and the reports' matrix finds
 * its numbers by them. Renaming one renames it on both sides; a simulation that stops using one
 * fails gatling-simulations' SharedNamesTest.
 */
public final class Measured {

    private Measured() {}

    /** Scenario 1, the simple counter. */
    public static final class Counter {
        public static final RequestName COLD_DEPLOY = new RequestName(COUNTER, "counter: deploy (cold start)");
        public static final RequestName COLD_FIRST_CALL = new RequestName(COUNTER, "counter: increment (cold start)");
        public static final RequestName WARM_SINGLE = new RequestName(COUNTER, "counter: increment (warm single)");
        public static final RequestName SEQUENTIAL = new RequestName(COUNTER, "counter: increment (sequential)");
        public static final RequestName CONCURRENT = new RequestName(COUNTER, "counter: increment (concurrent)");
        /** Deploy plus first call, client time. */
        public static final ValueName COLD_START_MS = new ValueName(COUNTER, "cold_start_ms", "ms", Merge.MAX);

        private Counter() {}
    }

    /** Scenario 5, the same contracts in direct and linux mode. */
    public static final class ExecutionMode {
        public static final RequestName COUNTER_DIRECT = new RequestName(EXECUTION_MODE, "counter direct");
        public static final RequestName COUNTER_LINUX = new RequestName(EXECUTION_MODE, "counter linux");
        public static final RequestName NFT_DIRECT = new RequestName(EXECUTION_MODE, "nft direct");
        public static final RequestName NFT_LINUX = new RequestName(EXECUTION_MODE, "nft linux");
        public static final RequestName COMPUTE_DIRECT = new RequestName(EXECUTION_MODE, "compute direct");
        public static final RequestName COMPUTE_LINUX = new RequestName(EXECUTION_MODE, "compute linux");
        /** A linux-mode call on a newly booted task worker. */
        public static final RequestName LINUX_COLD_START = new RequestName(EXECUTION_MODE, "linux cold start");
        /** Linux-mode counter calls from one client, one after another: single-thread throughput. */
        public static final RequestName LINUX_SEQUENTIAL =
                new RequestName(EXECUTION_MODE, "counter linux (sequential)");
        /** The same from 10 clients at once. */
        public static final RequestName LINUX_CONCURRENT =
                new RequestName(EXECUTION_MODE, "counter linux (10 concurrent)");

        /**
         * {@code mode: "linux-demo"}, a reproduction of OutLayer's browser-worker Linux demo (500 ms boot once,
         * 100 ms per execution, 1,000,000 instructions reported, no code run): warm counter calls.
         */
        public static final RequestName COUNTER_DEMO = new RequestName(EXECUTION_MODE, "counter linux-demo");
        /** A linux-demo call on a new executor, which boots its own kernel. */
        public static final RequestName DEMO_COLD_START = new RequestName(EXECUTION_MODE, "linux-demo cold start");

        public static final RequestName DEMO_SEQUENTIAL =
                new RequestName(EXECUTION_MODE, "counter linux-demo (sequential)");
        public static final RequestName DEMO_CONCURRENT =
                new RequestName(EXECUTION_MODE, "counter linux-demo (10 concurrent)");
        /** The demo's server time p50 over the counter call as bare Chicory. */
        public static final ValueName DEMO_VS_BARE_X =
                new ValueName(EXECUTION_MODE, "linux_demo_vs_bare_wasm_x", "x", Merge.MAX);

        public static final List<RequestName> DIRECT = List.of(COUNTER_DIRECT, NFT_DIRECT, COMPUTE_DIRECT);
        public static final List<RequestName> LINUX = List.of(COUNTER_LINUX, NFT_LINUX, COMPUTE_LINUX);
        /** The worst level's p50 ratio linux / direct. */
        public static final ValueName LINUX_OVERHEAD_X =
                new ValueName(EXECUTION_MODE, "linux_overhead_x", "x", Merge.MAX);
        /** "vs baseline WASM": the worst level's direct-mode server time p50 over the same call as bare Chicory. */
        public static final ValueName DIRECT_VS_BARE_X =
                new ValueName(EXECUTION_MODE, "direct_vs_bare_wasm_x", "x", Merge.MAX);
        /** The same for linux mode. */
        public static final ValueName LINUX_VS_BARE_X =
                new ValueName(EXECUTION_MODE, "linux_vs_bare_wasm_x", "x", Merge.MAX);
        /** Direct-mode server time p50 over the same call in V8 (Node, WebAssembly.Instance per call). */
        public static final ValueName DIRECT_VS_V8_X =
                new ValueName(EXECUTION_MODE, "direct_vs_v8_wasm_x", "x", Merge.MAX);
        /** Linux-mode server time p50 over the same call in V8. */
        public static final ValueName LINUX_VS_V8_X =
                new ValueName(EXECUTION_MODE, "linux_vs_v8_wasm_x", "x", Merge.MAX);

        private ExecutionMode() {}
    }

    /** RPC throttling: the proxy's overhead over the upstream. */
    public static final class ThrottleOverhead {
        public static final RequestName DIRECT = new RequestName(THROTTLE_OVERHEAD, "status direct");
        public static final RequestName PROXIED = new RequestName(THROTTLE_OVERHEAD, "status proxied");

        private ThrottleOverhead() {}
    }

    /** Signed transactions (send_tx) next to the coordinator's HTTP call, the same contract method. */
    public static final class Transactions {
        public static final RequestName SEND_TX = new RequestName(TRANSACTIONS, "tx: send_tx increment");
        public static final RequestName HTTP_CALL = new RequestName(TRANSACTIONS, "http: call increment");
        /** p50 of the transaction path over p50 of the HTTP call path. */
        public static final ValueName TX_OVER_HTTP_P50_X =
                new ValueName(TRANSACTIONS, "tx_over_http_p50_x", "x", Merge.MAX);

        private Transactions() {}
    }

    /** RPC throttling: API key tiers. */
    public static final class ApiKeyTier {
        public static final RequestName ANONYMOUS = new RequestName(API_KEY_TIER, "anonymous status");
        public static final RequestName KEYED = new RequestName(API_KEY_TIER, "keyed status");

        private ApiKeyTier() {}
    }

    /** Memory profiling. */
    public static final class MemoryProfile {
        public static final ValueName MEMORY_PER_CONTRACT_MB =
                new ValueName(MEMORY_PROFILE, "memory_per_contract_mb", "MB", Merge.MAX);
        public static final ValueName GROWTH_MB = new ValueName(MEMORY_PROFILE, "growth_mb_direct", "MB", Merge.MAX);
        public static final SeriesName HEAP_AFTER_GC_MB =
                new SeriesName(MEMORY_PROFILE, "heap_after_gc_mb", "MB", "executions");
        /** The same three in linux mode (the Linux emulator runs each call as a process). */
        public static final ValueName LINUX_MEMORY_PER_CONTRACT_MB =
                new ValueName(MEMORY_PROFILE, "memory_per_contract_mb_linux", "MB", Merge.MAX);

        public static final ValueName LINUX_GROWTH_MB =
                new ValueName(MEMORY_PROFILE, "growth_mb_linux", "MB", Merge.MAX);
        public static final SeriesName LINUX_HEAP_AFTER_GC_MB =
                new SeriesName(MEMORY_PROFILE, "heap_after_gc_mb_linux", "MB", "executions");

        private MemoryProfile() {}
    }

    /** Stress testing: sustained load. */
    public static final class SustainedLoad {
        public static final RequestName INCREMENT = new RequestName(SUSTAINED_LOAD, "counter: increment (sustained)");
        public static final RequestName DECREMENT = new RequestName(SUSTAINED_LOAD, "counter: decrement (sustained)");
        /** Completed calls per second; generators' rates add up. */
        public static final ValueName RATE_RPS = new ValueName(SUSTAINED_LOAD, "sustained_rate_rps", "rps", Merge.SUM);

        private SustainedLoad() {}
    }

    /** Scenario 3, encrypted secrets. */
    public static final class Secrets {
        public static final RequestName WITHOUT = new RequestName(SECRETS, "run without secrets");
        public static final RequestName WITH_2 = new RequestName(SECRETS, "run with secrets");
        public static final RequestName WITH_12 = new RequestName(SECRETS, "run with 12 secrets");
        /** A linux-mode contract call with the 2-secret profile. */
        public static final RequestName LINUX_CALL = new RequestName(SECRETS, "linux contract call with secrets");

        private Secrets() {}
    }

    /** Stress testing: burst capacity (200 anonymous requests at once). */
    public static final class BurstCapacity {
        /** 429s of the in-flight cap ({@code reason: "concurrency"}) over the whole burst. */
        public static final ValueName CONCURRENCY_REJECTIONS =
                new ValueName(BURST_CAPACITY, "concurrency_rejections", "429s", Merge.SUM);
        /** First request sent to last admitted answer. */
        public static final ValueName TOTAL_SECONDS = new ValueName(BURST_CAPACITY, "total_seconds", "s", Merge.MAX);
        /** Calls admitted per second between the first and last refusal for the rate, client clock. */
        public static final ValueName RATE_AFTER_BURST_RPS =
                new ValueName(BURST_CAPACITY, "rate_after_burst_rps", "rps", Merge.MAX);

        private BurstCapacity() {}
    }

    /** RPC throttling: rate-limit enforcement (20 anonymous requests at once). */
    public static final class RateLimitEnforcement {
        public static final ValueName CONCURRENCY_REJECTIONS =
                new ValueName(RATE_LIMIT_ENFORCEMENT, "concurrency_rejections", "429s", Merge.SUM);
        public static final ValueName TOTAL_SECONDS =
                new ValueName(RATE_LIMIT_ENFORCEMENT, "total_seconds", "s", Merge.MAX);
        public static final ValueName RATE_AFTER_BURST_RPS =
                new ValueName(RATE_LIMIT_ENFORCEMENT, "rate_after_burst_rps", "rps", Merge.MAX);

        private RateLimitEnforcement() {}
    }

    /**
     * The capacity knee per hot path: the completed rate of the last arrival-rate step whose p99 stayed under
     * the path's SLO with under 1% errors. The simulation also records, per path, the series
     * {@code capacity_p99_ms_<path>} (p99 per offered rate) and {@code capacity_broke_at_rps_<path>}.
     */
    public static final class Capacity {
        public static final RequestName PROXY = new RequestName(CAPACITY, "capacity: proxy status (unlimited key)");
        public static final RequestName CONTRACT_ONE = new RequestName(CAPACITY, "capacity: counter call, one account");
        public static final RequestName CONTRACT_MANY =
                new RequestName(CAPACITY, "capacity: counter call, many accounts");
        public static final RequestName LINUX = new RequestName(CAPACITY, "capacity: counter call, linux mode");
        public static final RequestName SECRETS = new RequestName(CAPACITY, "capacity: printenv with 2 secrets");

        public static final ValueName PROXY_KNEE_RPS =
                new ValueName(CAPACITY, "capacity_knee_rps_proxy", "rps", Merge.SUM);
        public static final ValueName CONTRACT_ONE_KNEE_RPS =
                new ValueName(CAPACITY, "capacity_knee_rps_contract-one", "rps", Merge.SUM);
        public static final ValueName CONTRACT_MANY_KNEE_RPS =
                new ValueName(CAPACITY, "capacity_knee_rps_contract-many", "rps", Merge.SUM);
        public static final ValueName LINUX_KNEE_RPS =
                new ValueName(CAPACITY, "capacity_knee_rps_linux", "rps", Merge.SUM);
        public static final ValueName SECRETS_KNEE_RPS =
                new ValueName(CAPACITY, "capacity_knee_rps_secrets", "rps", Merge.SUM);

        private Capacity() {}
    }

    /**
     * OutLayer's execution lifecycle end to end: request_execution sent, callback result seen, final outcome.
     * The end-to-end request carries the stand-in's phases (event_seen ... callback_done) when it has them.
     */
    public static final class ExecutionLifecycle {
        public static final RequestName SEND_TX =
                new RequestName(EXECUTION_LIFECYCLE, "lifecycle: send_tx request_execution");
        public static final RequestName END_TO_END =
                new RequestName(EXECUTION_LIFECYCLE, "lifecycle: end to end (transaction to callback result)");
        public static final RequestName FINAL =
                new RequestName(EXECUTION_LIFECYCLE, "lifecycle: end to end (final outcome)");
        public static final ValueName END_TO_END_P95_MS =
                new ValueName(EXECUTION_LIFECYCLE, "lifecycle_end_to_end_p95_ms", "ms", Merge.MAX);
        /** Resolved requests per second at the last arrival-rate step that held: the worker pool's throughput. */
        public static final ValueName KNEE_RPS =
                new ValueName(EXECUTION_LIFECYCLE, "lifecycle_knee_rps", "rps", Merge.SUM);

        private ExecutionLifecycle() {}
    }

    /** OutLayer's HTTPS API: project calls paid with a payment key, sync and async. */
    public static final class HttpsCall {
        public static final RequestName SYNC_CALL =
                new RequestName(HTTPS_CALL, "https: POST /{owner}/{project} (sync)");
        public static final RequestName ASYNC_SUBMIT =
                new RequestName(HTTPS_CALL, "https: POST /{owner}/{project} (async)");
        public static final RequestName POLL = new RequestName(HTTPS_CALL, "https: GET /calls/{id}");
        /** A sync call's answer, or an async call from its submission to the poll that saw its result. */
        public static final RequestName END_TO_END = new RequestName(HTTPS_CALL, "https: end to end (call to result)");

        public static final ValueName END_TO_END_P95_MS =
                new ValueName(HTTPS_CALL, "https_end_to_end_p95_ms", "ms", Merge.MAX);

        private HttpsCall() {}
    }
}

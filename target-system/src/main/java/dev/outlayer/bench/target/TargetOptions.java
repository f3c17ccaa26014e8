package dev.outlayer.bench.target;

import dev.outlayer.bench.target.throttle.StoreFailurePolicy;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** Every flag of the target system; each also reads an environment variable. */
public class TargetOptions {

    public enum Component { coordinator, rpc, keystore }

    @Option(names = "--host", defaultValue = "${env:OUTLAYER_HOST:-0.0.0.0}",
            description = "Address to bind (env OUTLAYER_HOST). Default: ${DEFAULT-VALUE}")
    public String host = "0.0.0.0";

    @Option(names = "--components", split = ",", defaultValue = "${env:OUTLAYER_COMPONENTS:-coordinator,rpc,keystore}",
            description = "Which listeners to start (env OUTLAYER_COMPONENTS). Default: ${DEFAULT-VALUE}")
    public Set<Component> components = EnumSet.allOf(Component.class);

    @Option(names = "--coordinator-port", defaultValue = "${env:OUTLAYER_COORDINATOR_PORT:-8080}",
            description = "Coordinator port, 0 for any free port (env OUTLAYER_COORDINATOR_PORT). Default: ${DEFAULT-VALUE}")
    public int coordinatorPort = 8080;

    @Option(names = "--rpc-port", defaultValue = "${env:OUTLAYER_RPC_PORT:-3030}",
            description = "NEAR RPC emulator port, 0 for any free port (env OUTLAYER_RPC_PORT). Default: ${DEFAULT-VALUE}")
    public int rpcPort = 3030;

    @Option(names = "--keystore-port", defaultValue = "${env:OUTLAYER_KEYSTORE_PORT:-8081}",
            description = "Keystore port, 0 for any free port (env OUTLAYER_KEYSTORE_PORT). Default: ${DEFAULT-VALUE}")
    public int keystorePort = 8081;

    @Option(names = "--upstream-rpc", defaultValue = "${env:OUTLAYER_UPSTREAM_RPC:-}",
            description = "JSON-RPC upstream of /near-rpc (env OUTLAYER_UPSTREAM_RPC). Default: the embedded NEAR RPC emulator")
    public String upstreamRpc = "";

    @Option(names = "--upstream-timeout-ms", defaultValue = "${env:OUTLAYER_UPSTREAM_TIMEOUT_MS:-10000}",
            description = "Upstream timeout before 504 (env OUTLAYER_UPSTREAM_TIMEOUT_MS). Default: ${DEFAULT-VALUE}")
    public long upstreamTimeoutMillis = 10_000;

    @Option(names = "--api-keys-file", defaultValue = "${env:OUTLAYER_API_KEYS_FILE:-feeders/api-keys.csv}",
            description = "CSV api_key,tier,owner (env OUTLAYER_API_KEYS_FILE). Default: ${DEFAULT-VALUE}")
    public Path apiKeysFile = Path.of("feeders/api-keys.csv");

    @Option(names = "--tiers-file", defaultValue = "${env:OUTLAYER_TIERS_FILE:-feeders/tiers.csv}",
            description = "CSV tier,rate_per_second,burst,max_in_flight (env OUTLAYER_TIERS_FILE). Default: ${DEFAULT-VALUE}")
    public Path tiersFile = Path.of("feeders/tiers.csv");

    @Option(names = "--reload-interval-ms", defaultValue = "${env:OUTLAYER_RELOAD_INTERVAL_MS:-1000}",
            description = "How often the keys and tiers files are checked for changes (env OUTLAYER_RELOAD_INTERVAL_MS). Default: ${DEFAULT-VALUE}")
    public long reloadIntervalMillis = 1000;

    @Option(names = "--max-body-bytes", defaultValue = "${env:OUTLAYER_MAX_BODY_BYTES:-1048576}",
            description = "Largest accepted JSON request body; larger gets 413 (env OUTLAYER_MAX_BODY_BYTES). Default: ${DEFAULT-VALUE}")
    public long maxBodyBytes = 1_048_576;

    @Option(names = "--max-wasm-bytes", defaultValue = "${env:OUTLAYER_MAX_WASM_BYTES:-4194304}",
            description = "Largest accepted wasm upload (env OUTLAYER_MAX_WASM_BYTES). Default: ${DEFAULT-VALUE}")
    public long maxWasmBytes = 4 * 1024 * 1024;

    @Option(names = "--max-clients", defaultValue = "${env:OUTLAYER_MAX_CLIENTS:-200000}",
            description = "Most client buckets held in memory; idle ones expire first (env OUTLAYER_MAX_CLIENTS). Default: ${DEFAULT-VALUE}")
    public long maxClients = 200_000;

    @Option(names = "--throttle-store", defaultValue = "${env:OUTLAYER_THROTTLE_STORE:-local}",
            description = "Where token buckets live: 'local' (this process) or redis://host:port[/db] to share them "
                    + "between coordinators (env OUTLAYER_THROTTLE_STORE). Default: ${DEFAULT-VALUE}")
    public String throttleStore = "local";

    @Option(names = "--throttle-store-failure", defaultValue = "${env:OUTLAYER_THROTTLE_STORE_FAILURE:-open}",
            description = "When the shared store is down or slow: 'open' admits within this process's own buckets, "
                    + "'closed' answers 503 (env OUTLAYER_THROTTLE_STORE_FAILURE). Default: ${DEFAULT-VALUE}")
    public StoreFailurePolicy throttleStoreFailure = StoreFailurePolicy.open;

    @Option(names = "--throttle-store-timeout-ms", defaultValue = "${env:OUTLAYER_THROTTLE_STORE_TIMEOUT_MS:-50}",
            description = "Longest a throttle decision waits for the shared store before the failure policy applies "
                    + "(env OUTLAYER_THROTTLE_STORE_TIMEOUT_MS). Default: ${DEFAULT-VALUE}")
    public long throttleStoreTimeoutMillis = 50;

    @Option(names = "--throttle-store-retry-ms", defaultValue = "${env:OUTLAYER_THROTTLE_STORE_RETRY_MS:-1000}",
            description = "After the shared store fails, how long it is left alone before a probe checks it again "
                    + "(env OUTLAYER_THROTTLE_STORE_RETRY_MS). Default: ${DEFAULT-VALUE}")
    public long throttleStoreRetryMillis = 1000;

    @Option(names = "--throttle-store-cas-retries", defaultValue = "${env:OUTLAYER_THROTTLE_STORE_CAS_RETRIES:-16}",
            description = "Compare-and-swap retries on a contended shared bucket before the request is refused "
                    + "(env OUTLAYER_THROTTLE_STORE_CAS_RETRIES). Default: ${DEFAULT-VALUE}")
    public int throttleStoreCasRetries = 16;

    @Option(names = "--block-time-ms", defaultValue = "${env:OUTLAYER_BLOCK_TIME_MS:-1000}",
            description = "Interval between emulated NEAR blocks (env OUTLAYER_BLOCK_TIME_MS). Default: ${DEFAULT-VALUE}")
    public long blockTimeMillis = 1000;

    @Option(names = "--shutdown-grace-ms", defaultValue = "${env:OUTLAYER_SHUTDOWN_GRACE_MS:-10000}",
            description = "How long in-flight requests may finish after SIGTERM (env OUTLAYER_SHUTDOWN_GRACE_MS). Default: ${DEFAULT-VALUE}")
    public long shutdownGraceMillis = 10_000;

    @Option(names = "--admin", defaultValue = "${env:OUTLAYER_ADMIN:-false}",
            description = "Enable /admin endpoints (heap sampling, GC) used by the memory simulation (env OUTLAYER_ADMIN). Default: ${DEFAULT-VALUE}")
    public boolean admin;

    @Option(names = "--contracts-dir", defaultValue = "${env:OUTLAYER_CONTRACTS_DIR:-resources/contracts}",
            description = "Bundled contracts deployed at start when present: counter.wasm, nft.wasm, compute.wasm (env OUTLAYER_CONTRACTS_DIR). Default: ${DEFAULT-VALUE}")
    public Path contractsDir = Path.of("resources/contracts");

    @Option(names = "--contract-workers", defaultValue = "${env:OUTLAYER_CONTRACT_WORKERS:-0}",
            description = "Threads executing contract calls, 0 for one per core (env OUTLAYER_CONTRACT_WORKERS). Default: ${DEFAULT-VALUE}")
    public int contractWorkers;

    @Option(names = "--contract-queue", defaultValue = "${env:OUTLAYER_CONTRACT_QUEUE:-1024}",
            description = "Contract calls waiting or running before new ones get 503 (env OUTLAYER_CONTRACT_QUEUE). Default: ${DEFAULT-VALUE}")
    public int contractQueue = 1024;

    @Option(names = "--contract-timeout-ms", defaultValue = "${env:OUTLAYER_CONTRACT_TIMEOUT_MS:-10000}",
            description = "Wall-clock safety net: a call still running after this is interrupted (env OUTLAYER_CONTRACT_TIMEOUT_MS). Default: ${DEFAULT-VALUE}")
    public long contractTimeoutMillis = 10_000;

    @Option(names = "--exit-on-stdin-eof", defaultValue = "false",
            description = "Exit when standard input closes: used when a parent process embeds the target so it can never be orphaned")
    public boolean exitOnStdinEof;

    public boolean runs(Component component) {
        return components.contains(component);
    }
}

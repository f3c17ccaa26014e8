package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.http.ServerLimits;
import dev.outlayer.bench.targetsystem.linux.LinuxEmulator;
import dev.outlayer.bench.targetsystem.throttle.StoreFailurePolicy;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Option;

/** Every flag of the target system; each also reads an environment variable. */
public class TargetOptions {

    public enum Component {
        coordinator,
        rpc,
        keystore
    }

    @Option(
            names = "--host",
            defaultValue = "${env:OUTLAYER_HOST:-127.0.0.1}",
            description = "Address to bind: loopback unless told otherwise, e.g. 0.0.0.0 for every interface"
                    + " (env OUTLAYER_HOST). Default: ${DEFAULT-VALUE}")
    public String host = "127.0.0.1";

    @Option(
            names = "--components",
            split = ",",
            defaultValue = "${env:OUTLAYER_COMPONENTS:-coordinator,rpc,keystore}",
            description = "Which listeners to start (env OUTLAYER_COMPONENTS). Default: ${DEFAULT-VALUE}")
    public Set<Component> components = EnumSet.allOf(Component.class);

    @Option(
            names = "--coordinator-port",
            defaultValue = "${env:OUTLAYER_COORDINATOR_PORT:-8080}",
            description =
                    "Coordinator port, 0 for any free port (env OUTLAYER_COORDINATOR_PORT). Default: ${DEFAULT-VALUE}")
    public int coordinatorPort = 8080;

    @Option(
            names = "--rpc-port",
            defaultValue = "${env:OUTLAYER_RPC_PORT:-3030}",
            description =
                    "NEAR RPC emulator port, 0 for any free port (env OUTLAYER_RPC_PORT). Default: ${DEFAULT-VALUE}")
    public int rpcPort = 3030;

    @Option(
            names = "--keystore-port",
            defaultValue = "${env:OUTLAYER_KEYSTORE_PORT:-8081}",
            description = "Keystore port, 0 for any free port (env OUTLAYER_KEYSTORE_PORT). Default: ${DEFAULT-VALUE}")
    public int keystorePort = 8081;

    @Option(
            names = "--upstream-rpc",
            defaultValue = "${env:OUTLAYER_UPSTREAM_RPC:-}",
            description =
                    "JSON-RPC upstream of /near-rpc (env OUTLAYER_UPSTREAM_RPC). Default: the embedded NEAR RPC emulator")
    public String upstreamRpc = "";

    @Option(
            names = "--upstream-timeout-ms",
            defaultValue = "${env:OUTLAYER_UPSTREAM_TIMEOUT_MS:-30000}",
            description = "Upstream timeout before 504 (env OUTLAYER_UPSTREAM_TIMEOUT_MS); longer than a node's own"
                    + " waits (send_tx and tx answer TIMEOUT_ERROR after 10 s), which clients must get. Default:"
                    + " ${DEFAULT-VALUE}")
    public long upstreamTimeoutMillis = 30_000;

    @Option(
            names = "--api-keys-file",
            defaultValue = "${env:OUTLAYER_API_KEYS_FILE:-feeders/api-keys.csv}",
            description = "CSV api_key,tier,owner (env OUTLAYER_API_KEYS_FILE). Default: ${DEFAULT-VALUE}")
    public Path apiKeysFile = Path.of("feeders/api-keys.csv");

    @Option(
            names = "--tiers-file",
            defaultValue = "${env:OUTLAYER_TIERS_FILE:-feeders/tiers.csv}",
            description =
                    "CSV tier,rate_per_second,burst,max_in_flight (env OUTLAYER_TIERS_FILE). Default: ${DEFAULT-VALUE}")
    public Path tiersFile = Path.of("feeders/tiers.csv");

    @Option(
            names = "--reload-interval-ms",
            defaultValue = "${env:OUTLAYER_RELOAD_INTERVAL_MS:-1000}",
            description =
                    "How often the keys and tiers files are checked for changes (env OUTLAYER_RELOAD_INTERVAL_MS). Default: ${DEFAULT-VALUE}")
    public long reloadIntervalMillis = 1000;

    @Option(
            names = "--max-body-bytes",
            defaultValue = "${env:OUTLAYER_MAX_BODY_BYTES:-1048576}",
            description =
                    "Largest accepted JSON request body; larger gets 413 (env OUTLAYER_MAX_BODY_BYTES); OutLayer's worker routes"
                            + " and HTTPS API take 10 MiB whatever this says. Default: ${DEFAULT-VALUE}")
    public long maxBodyBytes = 1_048_576;

    @Option(
            names = "--request-parse-timeout-ms",
            defaultValue = "${env:OUTLAYER_REQUEST_PARSE_TIMEOUT_MS:-10000}",
            description = "Longest a client may take to send a request's line and headers before the connection is "
                    + "closed (env OUTLAYER_REQUEST_PARSE_TIMEOUT_MS). Default: ${DEFAULT-VALUE}")
    public int requestParseTimeoutMillis = 10_000;

    @Option(
            names = "--read-timeout-ms",
            defaultValue = "${env:OUTLAYER_READ_TIMEOUT_MS:-30000}",
            description = "Longest a read waits for the client's next bytes, a body's included; an unfinished body "
                    + "then gets a JSON error and the connection is closed (env OUTLAYER_READ_TIMEOUT_MS). "
                    + "Default: ${DEFAULT-VALUE}")
    public int readTimeoutMillis = 30_000;

    @Option(
            names = "--idle-timeout-ms",
            defaultValue = "${env:OUTLAYER_IDLE_TIMEOUT_MS:-60000}",
            description =
                    "Longest a connection may stay open with no request in progress (env OUTLAYER_IDLE_TIMEOUT_MS). "
                            + "Default: ${DEFAULT-VALUE}")
    public int idleTimeoutMillis = 60_000;

    @Option(
            names = "--max-wasm-bytes",
            defaultValue = "${env:OUTLAYER_MAX_WASM_BYTES:-4194304}",
            description = "Largest accepted wasm upload (env OUTLAYER_MAX_WASM_BYTES). Default: ${DEFAULT-VALUE}")
    public long maxWasmBytes = 4 * 1024 * 1024;

    @Option(
            names = "--max-clients",
            defaultValue = "${env:OUTLAYER_MAX_CLIENTS:-200000}",
            description =
                    "Most client buckets held in memory; idle ones expire first (env OUTLAYER_MAX_CLIENTS). Default: ${DEFAULT-VALUE}")
    public long maxClients = 200_000;

    @Option(
            names = "--throttle-store",
            defaultValue = "${env:OUTLAYER_THROTTLE_STORE:-local}",
            description = "Where token buckets live: 'local' (this process) or redis://host:port[/db] to share them "
                    + "between coordinators (env OUTLAYER_THROTTLE_STORE). Default: ${DEFAULT-VALUE}")
    public String throttleStore = "local";

    @Option(
            names = "--throttle-keying",
            defaultValue = "${env:OUTLAYER_THROTTLE_KEYING:-per-client}",
            description = "Whose bucket a /near-rpc call draws on: 'per-client' (one per API key or address; unknown "
                    + "keys refused) or 'outlayer' (OutLayer's coordinator: one bucket per route for anonymous and one "
                    + "for keyed callers, shared by all; any Bearer token counts as keyed; plain-text 429 with "
                    + "Retry-After: 5) (env OUTLAYER_THROTTLE_KEYING). Default: ${DEFAULT-VALUE}")
    public String throttleKeying = "per-client";

    @Option(
            names = "--throttle-keyed-tier",
            defaultValue = "${env:OUTLAYER_THROTTLE_KEYED_TIER:-standard}",
            description = "With --throttle-keying outlayer: the tier of the shared keyed bucket (OutLayer's keyed "
                    + "profile; the anonymous bucket uses the 'anonymous' tier) (env OUTLAYER_THROTTLE_KEYED_TIER). "
                    + "Default: ${DEFAULT-VALUE}")
    public String throttleKeyedTier = "standard";

    @Option(
            names = "--throttle-store-failure",
            defaultValue = "${env:OUTLAYER_THROTTLE_STORE_FAILURE:-open}",
            description = "When the shared store is down or slow: 'open' admits within this process's own buckets, "
                    + "'closed' answers 503 (env OUTLAYER_THROTTLE_STORE_FAILURE). Default: ${DEFAULT-VALUE}")
    public StoreFailurePolicy throttleStoreFailure = StoreFailurePolicy.open;

    @Option(
            names = "--throttle-store-timeout-ms",
            defaultValue = "${env:OUTLAYER_THROTTLE_STORE_TIMEOUT_MS:-50}",
            description = "Longest a throttle decision waits for the shared store before the failure policy applies "
                    + "(env OUTLAYER_THROTTLE_STORE_TIMEOUT_MS). Default: ${DEFAULT-VALUE}")
    public long throttleStoreTimeoutMillis = 50;

    @Option(
            names = "--throttle-store-retry-ms",
            defaultValue = "${env:OUTLAYER_THROTTLE_STORE_RETRY_MS:-1000}",
            description = "After the shared store fails, how long it is left alone before a probe checks it again "
                    + "(env OUTLAYER_THROTTLE_STORE_RETRY_MS). Default: ${DEFAULT-VALUE}")
    public long throttleStoreRetryMillis = 1000;

    @Option(
            names = "--throttle-store-cas-retries",
            defaultValue = "${env:OUTLAYER_THROTTLE_STORE_CAS_RETRIES:-16}",
            description = "Compare-and-swap retries on a contended shared bucket before the request is refused "
                    + "(env OUTLAYER_THROTTLE_STORE_CAS_RETRIES). Default: ${DEFAULT-VALUE}")
    public int throttleStoreCasRetries = 16;

    @Option(
            names = "--block-time-ms",
            defaultValue = "${env:OUTLAYER_BLOCK_TIME_MS:-1000}",
            description =
                    "Interval between emulated NEAR blocks (env OUTLAYER_BLOCK_TIME_MS). Default: ${DEFAULT-VALUE}")
    public long blockTimeMillis = 1000;

    @Option(
            names = "--accounts-file",
            defaultValue = "${env:OUTLAYER_ACCOUNTS_FILE:-feeders/accounts.csv}",
            description = "CSV account_id,public_key,balance: the NEAR accounts and full-access keys the chain starts"
                    + " with (env OUTLAYER_ACCOUNTS_FILE); a missing file seeds none. Default: ${DEFAULT-VALUE}")
    public Path accountsFile = Path.of("feeders/accounts.csv");

    @Option(
            names = "--tx-wait-timeout-ms",
            defaultValue = "${env:OUTLAYER_TX_WAIT_TIMEOUT_MS:-10000}",
            description = "How long send_tx and tx wait for their wait_until before TIMEOUT_ERROR"
                    + " (env OUTLAYER_TX_WAIT_TIMEOUT_MS). Default: ${DEFAULT-VALUE}")
    public long txWaitTimeoutMillis = 10_000;

    @Option(
            names = "--shutdown-grace-ms",
            defaultValue = "${env:OUTLAYER_SHUTDOWN_GRACE_MS:-10000}",
            description =
                    "How long in-flight requests may finish after SIGTERM (env OUTLAYER_SHUTDOWN_GRACE_MS). Default: ${DEFAULT-VALUE}")
    public long shutdownGraceMillis = 10_000;

    @Option(
            names = "--admin",
            defaultValue = "${env:OUTLAYER_ADMIN:-false}",
            description =
                    "Enable /admin endpoints (heap sampling, GC) used by the memory simulation (env OUTLAYER_ADMIN). Default: ${DEFAULT-VALUE}")
    public boolean admin;

    @Option(
            names = "--admin-token",
            defaultValue = "${env:OUTLAYER_ADMIN_TOKEN:-change-this-in-production}",
            description =
                    "The bearer token of OutLayer's admin routes on the coordinator (/admin/compile-logs/{job_id}, /admin/grant-payment-key,"
                            + " /admin/grant-keys, /admin/workers/{id}): OutLayer's ADMIN_BEARER_TOKEN, whose default when"
                            + " unset is OutLayer's too; /admin/gc and /admin/heap (--admin) do not use it"
                            + " (env OUTLAYER_ADMIN_TOKEN). Default: ${DEFAULT-VALUE}")
    public String adminToken = "change-this-in-production";

    @Option(
            names = "--locks-store",
            defaultValue = "${env:OUTLAYER_LOCKS_STORE:-auto}",
            description = "Where the workers' locks (POST /locks/acquire) live: 'local' (this process),"
                    + " redis://host:port[/db] (shared by every coordinator on it, OutLayer's keys lock:<key>), or"
                    + " 'auto': the Redis of --throttle-store when it names one, else local"
                    + " (env OUTLAYER_LOCKS_STORE). Default: ${DEFAULT-VALUE}")
    public String locksStore = "auto";

    @Option(
            names = "--compile-cache-dir",
            defaultValue = "${env:OUTLAYER_COMPILE_CACHE_DIR:-.outlayer/compiled}",
            description =
                    "Where compiled contracts and Linux programs are kept across restarts, by hash of the instrumented module and Chicory version; empty: not kept (env OUTLAYER_COMPILE_CACHE_DIR). Default: ${DEFAULT-VALUE}")
    // options built in code (not parsed) honour the same environment variable as the command line
    public String compileCacheDir = System.getenv().getOrDefault("OUTLAYER_COMPILE_CACHE_DIR", ".outlayer/compiled");

    @Option(
            names = "--data-dir",
            defaultValue = "${env:OUTLAYER_DATA_DIR:-}",
            description = "Directory where accounts, access keys, deployed contracts, contract state and uploaded"
                    + " programs are kept (state.mv.db), each change committed and synced before it is answered;"
                    + " the keystore's files go to its keystore/ unless --keystore-data-dir says otherwise."
                    + " Empty: all of it in memory, lost at exit (env OUTLAYER_DATA_DIR). Default: in memory")
    public String dataDir = "";

    @Option(
            names = "--keystore-data-dir",
            defaultValue = "${env:OUTLAYER_KEYSTORE_DATA_DIR:-}",
            description = "Keystore directory for master.key (created owner-only on first start) and profiles.mv.db"
                    + " (env OUTLAYER_KEYSTORE_DATA_DIR). Default: keystore/ under --data-dir, else .outlayer/keystore")
    public String keystoreDataDir = "";

    @Option(
            names = "--keystore-max-profiles-per-owner",
            defaultValue = "${env:OUTLAYER_KEYSTORE_MAX_PROFILES_PER_OWNER:-1000}",
            description = "Most profiles one owner may store; one more is refused with 409"
                    + " (env OUTLAYER_KEYSTORE_MAX_PROFILES_PER_OWNER). Default: ${DEFAULT-VALUE}")
    public int keystoreMaxProfilesPerOwner = 1000;

    // No ${DEFAULT-VALUE} in the description: help output must never print a secret taken from the environment.
    @Option(
            names = "--keystore-master-secret",
            defaultValue = "${env:OUTLAYER_KEYSTORE_MASTER_SECRET:-}",
            description =
                    "Keystore master secret, 64 hex characters (env OUTLAYER_KEYSTORE_MASTER_SECRET). Default: the one in --keystore-data-dir")
    public String keystoreMasterSecret = "";

    @Option(
            names = "--worker-token-hashes",
            split = ",",
            defaultValue = "${env:OUTLAYER_WORKER_TOKEN_HASHES:-}",
            description =
                    "Hex SHA-256 of each worker token allowed to call the keystore's /decrypt (env OUTLAYER_WORKER_TOKEN_HASHES)")
    public java.util.List<String> workerTokenHashes = new java.util.ArrayList<>();

    @Option(
            names = "--worker-token-hashes-file",
            defaultValue = "${env:OUTLAYER_WORKER_TOKEN_HASHES_FILE:-}",
            description = "File with one worker token SHA-256 (hex) per line (env OUTLAYER_WORKER_TOKEN_HASHES_FILE)")
    public String workerTokenHashesFile = "";

    @Option(
            names = "--worker-token",
            defaultValue = "${env:OUTLAYER_WORKER_TOKEN:-}",
            description =
                    "The coordinator's bearer token for the keystore's /decrypt (env OUTLAYER_WORKER_TOKEN). Default: a random token the embedded keystore accepts")
    public String workerToken = "";

    @Option(
            names = "--coordinator-token-hashes",
            split = ",",
            defaultValue = "${env:OUTLAYER_COORDINATOR_TOKEN_HASHES:-}",
            description =
                    "Hex SHA-256 of each coordinator token allowed to call the keystore's /add_generated_secret and"
                            + " /update_user_secrets, apart from the worker tokens (env OUTLAYER_COORDINATOR_TOKEN_HASHES)")
    public java.util.List<String> coordinatorTokenHashes = new java.util.ArrayList<>();

    @Option(
            names = "--coordinator-token-hashes-file",
            defaultValue = "${env:OUTLAYER_COORDINATOR_TOKEN_HASHES_FILE:-}",
            description =
                    "File with one coordinator token SHA-256 (hex) per line (env OUTLAYER_COORDINATOR_TOKEN_HASHES_FILE)")
    public String coordinatorTokenHashesFile = "";

    @Option(
            names = "--coordinator-token",
            defaultValue = "${env:OUTLAYER_COORDINATOR_TOKEN:-}",
            description = "The coordinator's bearer token for the keystore's coordinator routes"
                    + " (env OUTLAYER_COORDINATOR_TOKEN). Default: a random token the embedded keystore accepts")
    public String coordinatorToken = "";

    @Option(
            names = "--keystore-url",
            defaultValue = "${env:OUTLAYER_KEYSTORE_URL:-}",
            description =
                    "Keystore the coordinator asks for secrets (env OUTLAYER_KEYSTORE_URL). Default: the embedded keystore")
    public String keystoreUrl = "";

    @Option(
            names = "--keystore-chain-rpc",
            defaultValue = "${env:OUTLAYER_KEYSTORE_CHAIN_RPC:-}",
            description =
                    "NEAR RPC the keystore reads on-chain access conditions from (env OUTLAYER_KEYSTORE_CHAIN_RPC)."
                            + " Default: the contract simulator in this JVM; none without one (such conditions deny)")
    public String keystoreChainRpc = "";

    @Option(
            names = "--keystore-timeout-ms",
            defaultValue = "${env:OUTLAYER_KEYSTORE_TIMEOUT_MS:-5000}",
            description =
                    "How long the coordinator waits for the keystore before 504 (env OUTLAYER_KEYSTORE_TIMEOUT_MS). Default: ${DEFAULT-VALUE}")
    public long keystoreTimeoutMillis = 5000;

    @Option(
            names = "--secrets-rate-per-minute",
            defaultValue = "${env:OUTLAYER_SECRETS_RATE_PER_MINUTE:-10}",
            description = "Requests a client address may make each minute to the coordinator's /secrets/* routes,"
                    + " which forward to the keystore, as OutLayer's IP limit; 0 for none"
                    + " (env OUTLAYER_SECRETS_RATE_PER_MINUTE). Default: ${DEFAULT-VALUE}, OutLayer's")
    public int secretsRatePerMinute = 10;

    @Option(
            names = "--https-rate-per-minute",
            defaultValue = "${env:OUTLAYER_HTTPS_RATE_PER_MINUTE:-100}",
            description = "Requests a client address may make each minute to the HTTPS API (/call/..., /calls/{id},"
                    + " /payment-keys/balance), as OutLayer's IP limit; 0 for none"
                    + " (env OUTLAYER_HTTPS_RATE_PER_MINUTE). Default: ${DEFAULT-VALUE}, OutLayer's")
    public int httpsRatePerMinute = 100;

    @Option(
            names = "--public-storage-rate-per-minute",
            defaultValue = "${env:OUTLAYER_PUBLIC_STORAGE_RATE_PER_MINUTE:-100}",
            description = "Requests a client address may make each minute to /public/storage/get and"
                    + " /public/storage/batch, as OutLayer's IP limit; 0 for none"
                    + " (env OUTLAYER_PUBLIC_STORAGE_RATE_PER_MINUTE). Default: ${DEFAULT-VALUE}, OutLayer's")
    public int publicStorageRatePerMinute = 100;

    @Option(
            names = "--cors-allowed-origins",
            defaultValue = "${env:OUTLAYER_CORS_ALLOWED_ORIGINS:-http://localhost:3000}",
            description = "Origins a browser may read the coordinator's OutLayer routes from, except the HTTPS API"
                    + " and the public storage reads, which any origin may: OutLayer's CORS_ALLOWED_ORIGINS,"
                    + " comma-separated, each entry trimmed, empty ones dropped; * is refused"
                    + " (env OUTLAYER_CORS_ALLOWED_ORIGINS). Default: ${DEFAULT-VALUE}, OutLayer's")
    public String corsAllowedOrigins = "http://localhost:3000";

    @Option(
            names = "--contracts-dir",
            defaultValue = "${env:OUTLAYER_CONTRACTS_DIR:-resources/contracts}",
            description =
                    "Bundled contracts deployed at start when present: counter.wasm, nft.wasm, compute.wasm, outlayer/outlayer.wasm (env OUTLAYER_CONTRACTS_DIR). Default: ${DEFAULT-VALUE}")
    public Path contractsDir = Path.of("resources/contracts");

    @Option(
            names = "--contract-workers",
            defaultValue = "${env:OUTLAYER_CONTRACT_WORKERS:-0}",
            description =
                    "Threads executing contract calls, 0 for one per core (env OUTLAYER_CONTRACT_WORKERS). Default: ${DEFAULT-VALUE}")
    public int contractWorkers;

    @Option(
            names = "--contract-queue",
            defaultValue = "${env:OUTLAYER_CONTRACT_QUEUE:-1024}",
            description =
                    "Contract calls waiting or running before new ones get 503 (env OUTLAYER_CONTRACT_QUEUE). Default: ${DEFAULT-VALUE}")
    public int contractQueue = 1024;

    @Option(
            names = "--contract-timeout-ms",
            defaultValue = "${env:OUTLAYER_CONTRACT_TIMEOUT_MS:-10000}",
            description =
                    "Wall-clock safety net: a call still running after this is interrupted (env OUTLAYER_CONTRACT_TIMEOUT_MS). Default: ${DEFAULT-VALUE}")
    public long contractTimeoutMillis = 10_000;

    @Option(
            names = "--exit-on-stdin-eof",
            defaultValue = "false",
            description =
                    "Exit when standard input closes: used when a parent process embeds the target so it can never be orphaned")
    public boolean exitOnStdinEof;

    @Option(
            names = "--linux-workers",
            defaultValue = "${env:OUTLAYER_LINUX_WORKERS:-0}",
            description =
                    "Most Linux-emulator processes running at once, 0 for twice the cores, at least 4 (env OUTLAYER_LINUX_WORKERS). Default: ${DEFAULT-VALUE}")
    public int linuxWorkers;

    @Option(
            names = "--linux-max-instructions",
            defaultValue = "${env:OUTLAYER_LINUX_MAX_INSTRUCTIONS:-100000000000}",
            description =
                    "Cap on a process's max_instructions (env OUTLAYER_LINUX_MAX_INSTRUCTIONS). Default: ${DEFAULT-VALUE}")
    public long linuxMaxInstructions = 100_000_000_000L;

    @Option(
            names = "--linux-max-memory-mb",
            defaultValue = "${env:OUTLAYER_LINUX_MAX_MEMORY_MB:-1024}",
            description =
                    "Cap on a process's max_memory_mb (env OUTLAYER_LINUX_MAX_MEMORY_MB). Default: ${DEFAULT-VALUE}")
    public int linuxMaxMemoryMb = 1024;

    @Option(
            names = "--linux-max-seconds",
            defaultValue = "${env:OUTLAYER_LINUX_MAX_SECONDS:-300}",
            description = "Cap on a process's max_seconds (env OUTLAYER_LINUX_MAX_SECONDS). Default: ${DEFAULT-VALUE}")
    public double linuxMaxSeconds = 300;

    @Option(
            names = "--linux-max-output-bytes",
            defaultValue = "${env:OUTLAYER_LINUX_MAX_OUTPUT_BYTES:-1048576}",
            description =
                    "stdout and stderr kept per process; more is dropped and flagged (env OUTLAYER_LINUX_MAX_OUTPUT_BYTES). Default: ${DEFAULT-VALUE}")
    public int linuxMaxOutputBytes = 1 << 20;

    @Option(
            names = "--linux-max-runs-per-client",
            defaultValue = "${env:OUTLAYER_LINUX_MAX_RUNS_PER_CLIENT:-0}",
            description = "Task workers one client (API key, else address) may hold at once; more get 429 with"
                    + " Retry-After. 0 for half of --linux-workers, at least 1 (env OUTLAYER_LINUX_MAX_RUNS_PER_CLIENT)."
                    + " Default: ${DEFAULT-VALUE}")
    public int linuxMaxRunsPerClient;

    @Option(
            names = "--outlayer-workers",
            defaultValue = "${env:OUTLAYER_WORKERS:-2}",
            description = "In-process execution workers of the coordinator (OutLayer's lifecycle: claim, compile,"
                    + " execute, resolve); 0 for none, leaving the jobs to external workers of the worker API"
                    + " (env OUTLAYER_WORKERS). Default: ${DEFAULT-VALUE}")
    public int outlayerWorkers = 2;

    @Option(
            names = "--outlayer-contract",
            defaultValue = "${env:OUTLAYER_CONTRACT:-outlayer.test.near}",
            description = "The OutLayer contract whose execution_requested events the coordinator follows"
                    + " (env OUTLAYER_CONTRACT). Default: ${DEFAULT-VALUE}")
    public String outlayerContract = "outlayer.test.near";

    @Option(
            names = "--outlayer-operator",
            defaultValue = "${env:OUTLAYER_OPERATOR:-operator.test.near}",
            description = "The account workers resolve executions as (the contract's operator_id); created at start"
                    + " with one key per worker (env OUTLAYER_OPERATOR). Default: ${DEFAULT-VALUE}")
    public String outlayerOperator = "operator.test.near";

    @Option(
            names = "--tee-register-account",
            defaultValue = "${env:OUTLAYER_TEE_REGISTER_ACCOUNT:-}",
            description = "OutLayer's REGISTER_CONTRACT_ID: the account whose access keys POST /workers/register-tee"
                    + " accepts as TEE-registered worker keys, on the simulated chain (no contract there verifies TDX"
                    + " quotes: its keys are whatever was added to it). Empty (the default): register-tee answers"
                    + " OutLayer's 500 'TEE verification not configured' (env OUTLAYER_TEE_REGISTER_ACCOUNT).")
    public String teeRegisterAccount = "";

    @Option(
            names = "--github-api-url",
            defaultValue = "${env:OUTLAYER_GITHUB_API_URL:-https://api.github.com}",
            description = "GitHub's REST API, which GET /github/resolve-branch and the in-process workers ask which"
                    + " branch holds a GitHub source's SHA commit (for its branch-bound secrets); http(s), a GitHub"
                    + " Enterprise .../api/v3 too (env OUTLAYER_GITHUB_API_URL). Default: ${DEFAULT-VALUE}")
    public String githubApiUrl = "https://api.github.com";

    @Option(
            names = "--finished-kept",
            defaultValue = "${env:OUTLAYER_FINISHED_KEPT:-20000}",
            description =
                    "Finished requests the in-memory stores keep, the newest: jobs for the history and their"
                            + " exactly-once bookkeeping, HTTPS calls for GET /calls/{id}, phase records; older ones are"
                            + " forgotten, so a long run's heap stays flat (env OUTLAYER_FINISHED_KEPT). Default: ${DEFAULT-VALUE}")
    public int finishedKept = 20_000;

    @Option(
            names = "--outlayer-stale-claim-ms",
            defaultValue = "${env:OUTLAYER_STALE_CLAIM_MS:-30000}",
            description = "A job claim whose worker sent no heartbeat for this long is taken over by the next claim"
                    + " (env OUTLAYER_STALE_CLAIM_MS). Default: ${DEFAULT-VALUE}")
    public long outlayerStaleClaimMillis = 30_000;

    @Option(
            names = "--payment-key-cleanup-interval-seconds",
            defaultValue = "${env:OUTLAYER_PAYMENT_KEY_CLEANUP_INTERVAL_SECONDS:-300}",
            description = "How often the coordinator clears payment-key reservations no call will settle (OutLayer's"
                    + " background_jobs.rs, every 5 minutes); 0 turns the job off"
                    + " (env OUTLAYER_PAYMENT_KEY_CLEANUP_INTERVAL_SECONDS). Default: ${DEFAULT-VALUE}, OutLayer's")
    public long paymentKeyCleanupIntervalSeconds = 300;

    @Option(
            names = "--payment-key-stale-reservation-seconds",
            defaultValue = "${env:OUTLAYER_PAYMENT_KEY_STALE_RESERVATION_SECONDS:-600}",
            description = "A key's whole reservation is cleared once nothing was reserved or released on the key for"
                    + " longer than this (OutLayer's stale_threshold, 10 minutes); at least 1"
                    + " (env OUTLAYER_PAYMENT_KEY_STALE_RESERVATION_SECONDS). Default: ${DEFAULT-VALUE}, OutLayer's")
    public long paymentKeyStaleReservationSeconds = 600;

    @Option(
            names = "--wasm-cache-max-size-gb",
            defaultValue = "${env:OUTLAYER_WASM_CACHE_MAX_SIZE_GB:-50}",
            description = "Uploaded wasm the coordinator keeps, in GB of 1024^3 bytes (OutLayer's"
                    + " WASM_CACHE_MAX_SIZE_GB; a fraction such as 0.5 is taken too); over it the least recently"
                    + " used are evicted after each upload and at each check (env OUTLAYER_WASM_CACHE_MAX_SIZE_GB)."
                    + " Default: ${DEFAULT-VALUE}, OutLayer's")
    public java.math.BigDecimal wasmCacheMaxSizeGb = java.math.BigDecimal.valueOf(50);

    @Option(
            names = "--lru-eviction-check-interval-seconds",
            defaultValue = "${env:OUTLAYER_LRU_EVICTION_CHECK_INTERVAL_SECONDS:-3600}",
            description = "How often the wasm cache's size is checked besides after each upload (OutLayer's"
                    + " LRU_EVICTION_CHECK_INTERVAL_SECONDS); 0 turns the periodic check off"
                    + " (env OUTLAYER_LRU_EVICTION_CHECK_INTERVAL_SECONDS). Default: ${DEFAULT-VALUE}, OutLayer's")
    public long lruEvictionCheckIntervalSeconds = 3600;

    @Option(
            names = "--outlayer-coordinators",
            defaultValue = "${env:OUTLAYER_COORDINATORS:-1}",
            description = "Coordinators in this process over the one chain, each with its own event monitor, worker-API"
                    + " decisions and --outlayer-workers workers, sharing the jobs (with --jobs-db-url each has its own"
                    + " connection pool on the database). The first serves the worker and phase APIs"
                    + " (env OUTLAYER_COORDINATORS). Default: ${DEFAULT-VALUE}")
    public int outlayerCoordinators = 1;

    @Option(
            names = "--jobs-db-url",
            defaultValue = "${env:OUTLAYER_JOBS_DB_URL:-}",
            description = "Keep the execution lifecycle's tasks and jobs in this PostgreSQL database (a"
                    + " jdbc:postgresql://host:port/db?user=..&password=.. URL), shared by every coordinator pointed"
                    + " at it and kept across restarts; the schema is migrated at start (Flyway). Absent: in memory"
                    + " (env OUTLAYER_JOBS_DB_URL)")
    public String jobsDbUrl;

    /** {@code --data-dir}, or null: in memory. */
    public Path dataDirectory() {
        return dataDir.isBlank() ? null : Path.of(dataDir.strip());
    }

    /** {@code --keystore-data-dir}, else keystore/ under {@code --data-dir}, else .outlayer/keystore. */
    public Path keystoreDirectory() {
        if (!keystoreDataDir.isBlank()) {
            return Path.of(keystoreDataDir.strip());
        }
        Path data = dataDirectory();
        return data != null ? data.resolve("keystore") : Path.of(".outlayer/keystore");
    }

    /** How long each listener lets a connection sit half-sent or silent: the timeouts above. */
    public ServerLimits serverLimits() {
        return new ServerLimits(requestParseTimeoutMillis, readTimeoutMillis, idleTimeoutMillis);
    }

    /** The Linux emulator's settings from the flags above. */
    public LinuxEmulator.Options linuxOptions() {
        LinuxEmulator.Options defaults = LinuxEmulator.Options.defaults();
        return new LinuxEmulator.Options(
                linuxWorkers > 0 ? linuxWorkers : defaults.maxWorkers(),
                defaults.prebootWorkers(),
                linuxMaxInstructions,
                linuxMaxMemoryMb,
                linuxMaxSeconds,
                linuxMaxOutputBytes,
                defaults.queueTimeoutMillis());
    }

    public boolean runs(Component component) {
        return components.contains(component);
    }
}

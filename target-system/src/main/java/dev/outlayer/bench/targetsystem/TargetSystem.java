package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.TargetOptions.Component;
import dev.outlayer.bench.targetsystem.contracts.CallScheduler;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.contracts.SimulatorChainView;
import dev.outlayer.bench.targetsystem.executions.CodeRunner;
import dev.outlayer.bench.targetsystem.executions.ContractViews;
import dev.outlayer.bench.targetsystem.executions.CoordinatorHealth;
import dev.outlayer.bench.targetsystem.executions.ExecutionCoordinator;
import dev.outlayer.bench.targetsystem.executions.HttpsCalls;
import dev.outlayer.bench.targetsystem.executions.InMemoryJobStore;
import dev.outlayer.bench.targetsystem.executions.JobStore;
import dev.outlayer.bench.targetsystem.executions.OperatorChannel;
import dev.outlayer.bench.targetsystem.executions.PostgresHttpsCallStore;
import dev.outlayer.bench.targetsystem.executions.PostgresJobStore;
import dev.outlayer.bench.targetsystem.executions.PostgresSystemCallbacks;
import dev.outlayer.bench.targetsystem.executions.ProjectUuids;
import dev.outlayer.bench.targetsystem.executions.PublicDashboard;
import dev.outlayer.bench.targetsystem.executions.WasmCacheEviction;
import dev.outlayer.bench.targetsystem.github.BranchResolver;
import dev.outlayer.bench.targetsystem.github.GitHubApi;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.Callers;
import dev.outlayer.bench.targetsystem.http.ClientAddressLimit;
import dev.outlayer.bench.targetsystem.http.Cors;
import dev.outlayer.bench.targetsystem.http.HttpServer;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.http.TooLarge;
import dev.outlayer.bench.targetsystem.http.admin.AdminAuth;
import dev.outlayer.bench.targetsystem.http.admin.AdminRoutes;
import dev.outlayer.bench.targetsystem.http.admin.OutLayerAdminRoutes;
import dev.outlayer.bench.targetsystem.http.contracts.ContractRoutes;
import dev.outlayer.bench.targetsystem.http.executions.DashboardRoutes;
import dev.outlayer.bench.targetsystem.http.executions.EarningsRoutes;
import dev.outlayer.bench.targetsystem.http.executions.ExecutionRoutes;
import dev.outlayer.bench.targetsystem.http.executions.GitHubRoutes;
import dev.outlayer.bench.targetsystem.http.executions.HttpsCallRoutes;
import dev.outlayer.bench.targetsystem.http.executions.LockRoutes;
import dev.outlayer.bench.targetsystem.http.executions.ProjectRoutes;
import dev.outlayer.bench.targetsystem.http.executions.StorageRoutes;
import dev.outlayer.bench.targetsystem.http.executions.SystemLogRoutes;
import dev.outlayer.bench.targetsystem.http.executions.TeeRoutes;
import dev.outlayer.bench.targetsystem.http.keystore.KeystoreRoutes;
import dev.outlayer.bench.targetsystem.http.keystore.SecretsFrontRoutes;
import dev.outlayer.bench.targetsystem.http.programs.ProgramRoutes;
import dev.outlayer.bench.targetsystem.http.proxy.RpcProxyHandler;
import dev.outlayer.bench.targetsystem.http.proxy.UpstreamProxy;
import dev.outlayer.bench.targetsystem.http.rpc.NearRpcHandler;
import dev.outlayer.bench.targetsystem.identity.ApiKeyCallers;
import dev.outlayer.bench.targetsystem.keystore.KeystoreHealthProbe;
import dev.outlayer.bench.targetsystem.keystore.KeystoreService;
import dev.outlayer.bench.targetsystem.keystore.SecretsClient;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import dev.outlayer.bench.targetsystem.linux.LinuxContractMode;
import dev.outlayer.bench.targetsystem.linux.LinuxEmulator;
import dev.outlayer.bench.targetsystem.locks.InMemoryLockStore;
import dev.outlayer.bench.targetsystem.locks.LockStore;
import dev.outlayer.bench.targetsystem.locks.RedisLockStore;
import dev.outlayer.bench.targetsystem.payments.InMemoryPaymentKeyStore;
import dev.outlayer.bench.targetsystem.payments.KeystorePaymentKeys;
import dev.outlayer.bench.targetsystem.payments.PaymentKeyCleanup;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.payments.PostgresPaymentKeyRateLimit;
import dev.outlayer.bench.targetsystem.payments.PostgresPaymentKeyStore;
import dev.outlayer.bench.targetsystem.payments.PostgresPaymentKeyUsage;
import dev.outlayer.bench.targetsystem.payments.PostgresProjectEarnings;
import dev.outlayer.bench.targetsystem.payments.SystemCallbackWorker;
import dev.outlayer.bench.targetsystem.persistence.DataStore;
import dev.outlayer.bench.targetsystem.persistence.PostgresDatabase;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.state.StateLog;
import dev.outlayer.bench.targetsystem.storage.InMemoryProjectStorage;
import dev.outlayer.bench.targetsystem.storage.PostgresProjectStorage;
import dev.outlayer.bench.targetsystem.storage.ProjectStorage;
import dev.outlayer.bench.targetsystem.systemlogs.InMemorySystemLogs;
import dev.outlayer.bench.targetsystem.systemlogs.PostgresSystemLogs;
import dev.outlayer.bench.targetsystem.systemlogs.SystemLogs;
import dev.outlayer.bench.targetsystem.tee.InMemoryAttestations;
import dev.outlayer.bench.targetsystem.tee.InMemoryTeeSessions;
import dev.outlayer.bench.targetsystem.tee.PostgresAttestations;
import dev.outlayer.bench.targetsystem.tee.PostgresTeeSessions;
import dev.outlayer.bench.targetsystem.tee.TeeRegistration;
import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import dev.outlayer.bench.targetsystem.threads.PeriodicJob;
import dev.outlayer.bench.targetsystem.throttle.LocalRateLimitStore;
import dev.outlayer.bench.targetsystem.throttle.RateLimitStore;
import dev.outlayer.bench.targetsystem.throttle.RedisRateLimitStore;
import dev.outlayer.bench.targetsystem.throttle.Throttle;
import dev.outlayer.bench.targetsystem.throttle.ThrottleKeying;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.TransactionEngine;
import dev.outlayer.bench.targetsystem.transactions.TransactionLimits;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import dev.outlayer.bench.targetsystem.wasm.CompiledCodeCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.util.Methods;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the components named by the options into running listeners. */
public final class TargetSystem implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSystem.class);
    /** Connections of the HTTPS API's stores: a call takes one at a time, briefly. */
    private static final int PAYMENTS_POOL_SIZE = 10;

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final String loopbackHost;
    /**
     * The wall clock of the workers' locks, the system logs' times, the in-memory payment keys'
     * reservations and their cleanup's cutoff (tests move it).
     */
    private final Clock wallClock;

    private HttpServer coordinator;
    private HttpServer rpc;
    private HttpServer keystore;
    private List<Routes.Route> coordinatorRoutes = List.of();
    private List<Routes.Route> keystoreRoutes = List.of();
    private SecretsClient secrets;
    /** The coordinator's token for the keystore's coordinator routes (nothing in an execution calls them yet). */
    private String coordinatorToken;

    private ContractSimulator contracts;
    private NearRpcEmulator rpcEmulator;
    private ExecutionCoordinator executions;
    private final List<ExecutionCoordinator> coordinators = new ArrayList<>();
    private CodeRunner codeRunner;
    private OperatorChannel operatorChannel;
    private ContractViews contractViews = ContractViews.NONE;
    private HttpsCalls httpsCalls;
    private KeystoreService keystoreService;
    private String outlayerContract;
    /** {@code --finished-kept}: what the in-memory stores keep of finished requests. */
    private int finishedKept = InMemoryJobStore.FINISHED_KEPT;
    /** Where in-process workers store failed compiles' output (null when the lifecycle is off). */
    private SystemLogs systemLogs;
    /** OutLayer's coordinator background jobs (null when the lifecycle is off). */
    private PaymentKeyCleanup paymentKeyCleanup;

    private WasmCacheEviction wasmEviction;

    private TransactionSigner operator;
    /** Closed after everything else: the last commits of closing components still go to it. */
    private DataStore dataStore;

    private TargetSystem(String host, Clock wallClock) {
        this.loopbackHost = host.equals("0.0.0.0") ? "127.0.0.1" : host;
        this.wallClock = wallClock;
    }

    public static TargetSystem start(TargetOptions options) {
        return start(options, Clock.systemUTC());
    }

    /** As {@link #start(TargetOptions)}, the locks' expiry and the system logs' times on {@code wallClock}. */
    static TargetSystem start(TargetOptions options, Clock wallClock) {
        TargetSystem system = new TargetSystem(options.host, wallClock);
        try {
            system.startComponents(options);
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
        return system;
    }

    private void startComponents(TargetOptions options) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        resources.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        TooLarge.countIn(registry);
        resources.add(() -> TooLarge.stopCounting(registry));

        DataStore data = null;
        BlockClock clock;
        if (options.dataDirectory() != null && (options.runs(Component.rpc) || options.runs(Component.coordinator))) {
            data = DataStore.open(options.dataDirectory());
            dataStore = data;
            // Heights go on from the first start's genesis and never fall below the last commit's.
            clock = new BlockClock(data.genesisMillis(System.currentTimeMillis()), options.blockTimeMillis);
            clock.advanceTo(data.lastHeight());
        } else {
            clock = BlockClock.startingNow(options.blockTimeMillis);
        }
        // Compiled contracts and programs, kept across restarts by the digest of what was compiled.
        CompiledCodeCache compiledCode = options.compileCacheDir.isBlank()
                ? null
                : new CompiledCodeCache(java.nio.file.Path.of(options.compileCacheDir));
        if (options.runs(Component.rpc) || options.runs(Component.coordinator)) {
            contracts = new ContractSimulator(
                    true, ContractCompiler.Path.TIERED, clock, compiledCode, data == null ? StateLog.NONE : data);
            Set<String> kept = contracts.restore();
            contracts.deployBundled(options.contractsDir);
            operator = createOperator(contracts);
            seedAccounts(options.accountsFile, kept);
            resources.add(yieldTimeouts(contracts, options.blockTimeMillis));
        }
        if (options.runs(Component.rpc)) {
            TransactionEngine transactions = new TransactionEngine(
                    clock,
                    new SimulatorTransactionChain(contracts),
                    TransactionLimits.PINNED,
                    options.txWaitTimeoutMillis);
            NearRpcEmulator emulator = new NearRpcEmulator(
                    clock, ContractSimulator.CHAIN_ID, new SimulatorChainView(contracts), transactions);
            rpcEmulator = emulator;
            rpc = add(HttpServer.start(
                    "near-rpc-emulator",
                    options.host,
                    options.rpcPort,
                    new NearRpcHandler(emulator, new BodyReader(options.maxBodyBytes)).handler(),
                    options.shutdownGraceMillis,
                    options.serverLimits()));
        }
        String workerToken = KeystoreWiring.workerToken(options);
        coordinatorToken = KeystoreWiring.coordinatorToken(options);
        if (options.runs(Component.keystore)) {
            KeystoreService service = KeystoreService.create(
                    KeystoreWiring.config(options),
                    WorkerTokens.ofHashes(List.of()).plus(workerToken),
                    WorkerTokens.ofHashes(List.of()).plus(coordinatorToken),
                    KeystoreWiring.chainView(options, contracts));
            resources.add(service);
            keystoreService = service;
            Routes keystoreRoutes = new Routes("keystore", registry);
            KeystoreRoutes.register(keystoreRoutes, service, new BodyReader(options.maxBodyBytes));
            this.keystoreRoutes = keystoreRoutes.registered();
            keystore = add(HttpServer.start(
                    "keystore",
                    options.host,
                    options.keystorePort,
                    keystoreRoutes.handler(),
                    options.shutdownGraceMillis,
                    options.serverLimits()));
        }
        if (options.runs(Component.coordinator)) {
            Cors.Policy restrictedCors =
                    Cors.restricted(Cors.allowedOrigins(options.corsAllowedOrigins, "--cors-allowed-origins"));
            secrets = KeystoreWiring.client(options, workerToken, keystoreUrl(), loopbackHost);
            Routes routes = new Routes("coordinator", registry);
            RateLimitStore store = throttleStore(options, registry);
            Throttle throttle;
            try {
                throttle = new Throttle(
                                options.tiersFile,
                                options.apiKeysFile,
                                registry,
                                store,
                                options.maxClients,
                                TimeUnit.MILLISECONDS.toNanos(options.upstreamTimeoutMillis + 1000),
                                ThrottleKeying.named(options.throttleKeying),
                                options.throttleKeyedTier)
                        .watch(options.reloadIntervalMillis);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            resources.add(throttle);
            String upstreamUrl = options.upstreamRpc.isBlank() ? requireRpc().url() : options.upstreamRpc;
            UpstreamProxy upstream = new UpstreamProxy(upstreamUrl, options.upstreamTimeoutMillis);
            routes.route(
                    Methods.POST,
                    "/near-rpc",
                    new RpcProxyHandler(throttle, upstream, new BodyReader(options.maxBodyBytes)));
            routes.route(
                    Methods.GET,
                    "/throttle/metrics",
                    exchange -> Responses.json(exchange, 200, throttle.tierMetrics()));
            routes.health("throttle", () -> throttle.store().health());
            routes.health("upstream", upstreamUrl::toString);
            LinuxEmulator linux = new LinuxEmulator(options.linuxOptions(), clock, options.linuxMaxRunsPerClient);
            resources.add(linux);
            linux.keepCompiledCodeIn(compiledCode);
            linux.useSecrets(secrets::fetch);
            if (data != null) {
                LOG.info("{} programs loaded from the data directory", linux.keepProgramsIn(data));
            }
            Callers callers = new Callers(new ApiKeyCallers(throttle::ownerOf));
            ProgramRoutes.register(routes, linux, options.maxWasmBytes, options.maxBodyBytes, callers);
            SecretsFrontRoutes.register(
                    routes,
                    KeystoreWiring.front(options, coordinatorToken, keystoreUrl(), loopbackHost),
                    ClientAddressLimit.perMinute(options.secretsRatePerMinute, "--secrets-rate-per-minute"),
                    new BodyReader(options.maxBodyBytes));
            startContracts(options, routes, linux, callers);
            startExecutions(options, routes, linux, clock, registry, workerToken);
            coordinatorRoutes = routes.registered();
            coordinator = add(HttpServer.start(
                    "coordinator",
                    options.host,
                    options.coordinatorPort,
                    coordinatorCors(routes, restrictedCors),
                    options.shutdownGraceMillis,
                    options.serverLimits()));
        }
    }

    /** OutLayer's HTTPS API (main.rs {@code https_api}), under {@code cors_permissive}; the bare /{owner}/{project} too. */
    private static final Set<String> HTTPS_API_ROUTES = Set.of(
            "/call/{project_owner}/{project_name}",
            "/{project_owner}/{project_name}",
            "/calls/{call_id}",
            "/payment-keys/balance");
    /** OutLayer's {@code public_storage}, under {@code cors_public_storage}. */
    private static final Set<String> PUBLIC_STORAGE_ROUTES = Set.of("/public/storage/get", "/public/storage/batch");
    /** The stand-in's own facilities, which OutLayer has not: no CORS layer, as before OutLayer's were added. */
    private static final Set<String> OWN_ROUTES_WITHOUT_CORS = Set.of(
            "/metrics",
            "/near-rpc",
            "/throttle/metrics",
            "/programs/{name}",
            "/programs/{name}/run",
            "/pipelines/run",
            "/contracts/{account_id}",
            "/contracts/{account_id}/call",
            "/contracts/{account_id}/view",
            "/admin/heap",
            "/admin/gc");

    /**
     * OutLayer's three CORS layers (coordinator main.rs) over the coordinator's routes: the HTTPS API's and
     * the public storage reads' own, {@code cors_restricted} on every other route of OutLayer's (and on the
     * stand-in's additions to those groups: its worker and dashboard routes), none on the stand-in's own
     * facilities. A path no route matches gets the public storage layer: axum answers it with the fallback of
     * the router merged last, public_storage's, which carries that group's layers (docs/executions.md, "CORS").
     */
    private static Cors coordinatorCors(Routes routes, Cors.Policy restricted) {
        return new Cors(
                routes.handler(),
                routes.registered().stream().map(Routes.Route::template).toList(),
                template -> {
                    if (HTTPS_API_ROUTES.contains(template)) {
                        return Cors.HTTPS_API;
                    }
                    if (PUBLIC_STORAGE_ROUTES.contains(template)) {
                        return Cors.PUBLIC_STORAGE;
                    }
                    return OWN_ROUTES_WITHOUT_CORS.contains(template) ? Cors.NONE : restricted;
                },
                Cors.PUBLIC_STORAGE);
    }

    private void startContracts(TargetOptions options, Routes routes, LinuxEmulator linux, Callers callers) {
        int workers = options.contractWorkers > 0
                ? options.contractWorkers
                : Runtime.getRuntime().availableProcessors();
        CallScheduler scheduler = new CallScheduler(workers, options.contractQueue, options.contractTimeoutMillis);
        resources.add(scheduler);
        new ContractRoutes(
                        contracts,
                        scheduler,
                        new BodyReader(options.maxBodyBytes),
                        options.maxWasmBytes,
                        new LinuxContractMode(linux),
                        callers)
                .register(routes);
        if (options.admin) {
            new AdminRoutes().register(routes);
        }
    }

    /**
     * The execution lifecycle (issue 13): the event monitor on the simulator's receipts, the jobs
     * in memory or in PostgreSQL ({@code --jobs-db-url}), {@code --outlayer-workers} in-process workers resolving through the RPC emulator
     * (per coordinator: {@code --outlayer-coordinators}),
     * and the phase and worker APIs. Needs the RPC emulator in this process (its send_tx).
     */
    private void startExecutions(
            TargetOptions options,
            Routes routes,
            LinuxEmulator linux,
            BlockClock clock,
            PrometheusMeterRegistry registry,
            String workerToken) {
        if (rpcEmulator == null) {
            LOG.info("no NEAR RPC emulator in this process: the execution lifecycle is off");
            return;
        }
        Duration staleClaim = Duration.ofMillis(options.outlayerStaleClaimMillis);
        finishedKept = (int) positive(options.finishedKept, "--finished-kept");
        boolean inPostgres = options.jobsDbUrl != null && !options.jobsDbUrl.isBlank();
        JobStore store = inPostgres
                ? PostgresJobStore.open(options.jobsDbUrl, staleClaim)
                : new InMemoryJobStore(staleClaim, Clock.systemUTC(), finishedKept);
        resources.add(store);
        // the branch of a GitHub source's commit, for its branch-bound secrets: the workers' route and the
        // in-process workers share the one resolver and what it keeps
        BranchResolver branches = new BranchResolver(
                new GitHubApi(githubApiUrl(options.githubApiUrl), GITHUB_TIMEOUT),
                wallClock,
                BranchResolver.DEFAULT_CAPACITY);
        codeRunner = new LinuxCodeRunner(linux, options.outlayerContract, branches);
        RpcOperatorChannel rpcOperator = new RpcOperatorChannel(
                options.outlayerOperator, options.outlayerContract, contracts, rpcEmulator, clock);
        operatorChannel = rpcOperator;
        contractViews = rpcOperator::view;
        outlayerContract = options.outlayerContract;
        // The HTTPS API's keys, calls, system callbacks and earnings live where the jobs do.
        PostgresDatabase paymentsDb =
                inPostgres ? PostgresDatabase.open(options.jobsDbUrl, "payments-db", PAYMENTS_POOL_SIZE) : null;
        httpsCalls = new HttpsCalls(
                HttpsCalls.Settings.DEFAULT,
                paymentsDb == null
                        ? HttpsCalls.Stores.inMemory(new PaymentKeys(new InMemoryPaymentKeyStore(wallClock)))
                        : postgresStores(paymentsDb),
                contractViews,
                finishedKept);
        resources.add(httpsCalls);
        if (paymentsDb != null) {
            resources.add(paymentsDb); // closed after the calls' timers that use it
        }
        startBackgroundJobs(options, store);
        // the workers' hidden compile logs live where the jobs do, on the payments' pool
        systemLogs =
                paymentsDb == null ? new InMemorySystemLogs(wallClock) : new PostgresSystemLogs(paymentsDb, wallClock);
        // project storage lives where the jobs do, on the payments' pool
        ProjectStorage projectStorage =
                paymentsDb == null ? new InMemoryProjectStorage() : new PostgresProjectStorage(paymentsDb);
        if (keystoreService != null) {
            // the keystore in this process tells the coordinator of payment keys, as OutLayer's worker does
            keystoreService.addPaymentKeyListener(new KeystorePaymentKeys(httpsCalls.keys()));
            // the payment keys' chain half: TopUp / DeletePaymentKey tasks, done with this keystore, and
            // ProjectStorageCleanup tasks, which OutLayer's workers take from the same queue
            resources.add(
                    0,
                    new SystemCallbackWorker(
                                    httpsCalls.systemCallbacks().orElseThrow(),
                                    keystoreService,
                                    httpsCalls.keys(),
                                    operatorChannel,
                                    projectStorage)
                            .start());
        }
        executions = addCoordinator("coordinator", store, options.outlayerWorkers, registry);
        // More coordinators over the one chain share the jobs: in PostgreSQL each has its own
        // store (connection pool) on the one database, as separate processes would.
        for (int i = 2; i <= options.outlayerCoordinators; i++) {
            JobStore own = inPostgres ? PostgresJobStore.open(options.jobsDbUrl, staleClaim) : store;
            if (inPostgres) {
                resources.add(own);
            }
            addCoordinator("coordinator" + i, own, options.outlayerWorkers, registry);
        }
        WorkerTokens tokens = WorkerTokens.ofHashes(
                        KeystoreWiring.config(options).workerTokenHashes())
                .plus(workerToken);
        // OutLayer's limit for its worker routes, whatever --max-body-bytes says of client routes
        ExecutionRoutes.register(routes, executions, tokens, new BodyReader(ExecutionRoutes.WORKER_BODY_LIMIT));
        // OutLayer's dashboard reads and detailed health, over the jobs' store
        DashboardRoutes.register(
                routes,
                new PublicDashboard(store, httpsCalls::computeCost, Clock.systemUTC()),
                executions,
                new CoordinatorHealth(
                        store,
                        new KeystoreHealthProbe(
                                KeystoreWiring.url(options, keystoreUrl(), loopbackHost),
                                Duration.ofMillis(options.keystoreTimeoutMillis))::status,
                        () -> coordinators.stream()
                                .map(c -> c.monitor().progress())
                                .toList(),
                        clock::latestHeight,
                        Clock.systemUTC()));
        // OutLayer's HTTPS API router and its worker routes both take 10 MB (DefaultBodyLimit on each)
        HttpsCallRoutes.register(
                routes,
                executions,
                httpsCalls,
                tokens,
                new BodyReader(ExecutionRoutes.WORKER_BODY_LIMIT),
                ClientAddressLimit.perMinute(options.httpsRatePerMinute, "--https-rate-per-minute"));
        EarningsRoutes.register(
                routes, httpsCalls.earnings(), httpsCalls.usage(), tokens, new BodyReader(options.maxBodyBytes));
        ProjectRoutes.register(routes, new ProjectUuids(contractViews), tokens);
        GitHubRoutes.register(routes, branches, tokens);
        // OutLayer's admin router: grant keys and worker management, behind its admin bearer token
        OutLayerAdminRoutes.register(
                routes,
                new AdminAuth(options.adminToken),
                httpsCalls.keys(),
                executions.store(),
                new BodyReader(options.maxBodyBytes));
        StorageRoutes.register(
                routes,
                projectStorage,
                tokens,
                new BodyReader(ExecutionRoutes.WORKER_BODY_LIMIT),
                new BodyReader(options.maxBodyBytes),
                ClientAddressLimit.perMinute(options.publicStorageRatePerMinute, "--public-storage-rate-per-minute"));
        // OutLayer's task attestations and TEE sessions, where the jobs are
        TeeRoutes.register(
                routes,
                paymentsDb == null
                        ? new InMemoryAttestations(wallClock)
                        : new PostgresAttestations(paymentsDb, wallClock),
                new TeeRegistration(
                        paymentsDb == null ? new InMemoryTeeSessions() : new PostgresTeeSessions(paymentsDb),
                        options.teeRegisterAccount,
                        (account, key) -> contracts
                                .accessKey(account, PublicKey.ed25519(key))
                                .isPresent(),
                        wallClock),
                tokens,
                new BodyReader(ExecutionRoutes.WORKER_BODY_LIMIT));
        LockStore locks = lockStore(options);
        resources.add(locks);
        LOG.info("workers' locks: {}", locks.describe());
        LockRoutes.register(routes, locks, tokens, new BodyReader(ExecutionRoutes.WORKER_BODY_LIMIT));
        SystemLogRoutes.register(
                routes, systemLogs, new AdminAuth(options.adminToken), new BodyReader(SystemLogRoutes.BODY_LIMIT));
    }

    /**
     * OutLayer's coordinator background jobs (main.rs): the payment keys' stuck-reservation cleanup
     * (background_jobs.rs) and the wasm cache's LRU eviction (storage/lru_eviction.rs), the latter also
     * checked after each upload. Their threads stop before the stores they use close.
     */
    private void startBackgroundJobs(TargetOptions options, JobStore store) {
        paymentKeyCleanup = new PaymentKeyCleanup(
                httpsCalls.keys(),
                Duration.ofSeconds(
                        positive(options.paymentKeyStaleReservationSeconds, "--payment-key-stale-reservation-seconds")),
                wallClock);
        wasmEviction = new WasmCacheEviction(store, WasmCacheEviction.bytesOfGb(options.wasmCacheMaxSizeGb));
        resources.add(
                0,
                PeriodicJob.every(
                        "payment-key-cleanup",
                        Duration.ofSeconds(notNegative(
                                options.paymentKeyCleanupIntervalSeconds, "--payment-key-cleanup-interval-seconds")),
                        paymentKeyCleanup::run));
        resources.add(
                0,
                PeriodicJob.every(
                        "wasm-lru-eviction",
                        Duration.ofSeconds(notNegative(
                                options.lruEvictionCheckIntervalSeconds, "--lru-eviction-check-interval-seconds")),
                        wasmEviction::checkAndEvict));
    }

    /** The longest one call to GitHub's API may take (OutLayer's client sets none). */
    private static final Duration GITHUB_TIMEOUT = Duration.ofSeconds(10);

    /** {@code --github-api-url}: an absolute http(s) URL. */
    private static URI githubApiUrl(String text) {
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            url = null;
        }
        if (url == null
                || url.getHost() == null
                || url.getRawQuery() != null
                || url.getRawFragment() != null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException(
                    "--github-api-url must be an http(s) URL such as https://api.github.com, not '" + text + "'");
        }
        return url;
    }

    private static long notNegative(long value, String flag) {
        if (value < 0) {
            throw new IllegalArgumentException(flag + " must not be negative, not " + value);
        }
        return value;
    }

    private static long positive(long value, String flag) {
        if (value < 1) {
            throw new IllegalArgumentException(flag + " must be at least 1, not " + value);
        }
        return value;
    }

    /** The payment keys' stuck-reservation cleanup (null when the lifecycle is off); tests run a pass. */
    PaymentKeyCleanup paymentKeyCleanup() {
        return paymentKeyCleanup;
    }

    /** The wasm cache's LRU eviction (null when the lifecycle is off); tests run a check. */
    WasmCacheEviction wasmEviction() {
        return wasmEviction;
    }

    /**
     * The workers' locks: in this process, or in the Redis {@code --locks-store} names ({@code auto}: the one of
     * {@code --throttle-store}, when it names one).
     */
    private LockStore lockStore(TargetOptions options) {
        String store = options.locksStore.trim();
        if (store.equals("auto")) {
            store = isRedis(options.throttleStore.trim()) ? options.throttleStore.trim() : "local";
        }
        if (store.equals("local")) {
            return new InMemoryLockStore(wallClock);
        }
        if (isRedis(store)) {
            return new RedisLockStore(store);
        }
        throw new IllegalArgumentException(
                "--locks-store must be 'auto', 'local' or redis://host:port[/db], not '" + store + "'");
    }

    private static boolean isRedis(String url) {
        return url.startsWith("redis://") || url.startsWith("rediss://");
    }

    /** The HTTPS API's stores on the coordinator's PostgreSQL database (one pool for all of them). */
    public static HttpsCalls.Stores postgresStores(PostgresDatabase db) {
        Clock clock = Clock.systemUTC();
        return new HttpsCalls.Stores(
                new PaymentKeys(new PostgresPaymentKeyStore(db, clock)),
                new PostgresHttpsCallStore(db),
                new PostgresSystemCallbacks(db, clock),
                new PostgresProjectEarnings(db),
                new PostgresPaymentKeyUsage(db),
                new PostgresPaymentKeyRateLimit(db, clock));
    }

    /**
     * Starts one more coordinator of the execution lifecycle over this system's chain, programs
     * and operator: its own event monitor, phase clock and {@code workers} workers named {@code
     * <name>-worker-N}, sharing {@code store} with whoever else uses it (several coordinators on
     * one PostgreSQL store). Closed with the system.
     */
    public ExecutionCoordinator addCoordinator(String name, JobStore store, int workers, MeterRegistry registry) {
        if (codeRunner == null) {
            throw new IllegalStateException("the execution lifecycle needs the coordinator and the RPC emulator");
        }
        ExecutionCoordinator coordinator = new ExecutionCoordinator(
                new ExecutionCoordinator.Settings(name, outlayerContract, workers, Duration.ofSeconds(1), finishedKept),
                store,
                new FeedReceiptSource(contracts.receiptFeed(), outlayerContract),
                codeRunner,
                operatorChannel,
                contractViews,
                httpsCalls,
                registry);
        if (systemLogs != null) {
            coordinator.keepCompileLogs(systemLogs);
        }
        if (wasmEviction != null) {
            coordinator.evictWasmWith(wasmEviction);
        }
        resources.add(0, coordinator); // closed first: its workers use the emulator and the store
        coordinators.add(coordinator);
        return coordinator.start();
    }

    /** The operator's transactions as the workers send them (tests send a second resolution with it). */
    OperatorChannel operatorChannel() {
        return operatorChannel;
    }

    /** OutLayer's HTTPS calls and payment keys on this system's coordinators (null when the lifecycle is off). */
    public HttpsCalls httpsCalls() {
        return httpsCalls;
    }

    /** The execution lifecycle's coordinator (null when it is off). */
    public ExecutionCoordinator executions() {
        return executions;
    }

    /** Every coordinator of {@code --outlayer-coordinators}, the first being {@link #executions()} (empty when off). */
    public List<ExecutionCoordinator> coordinators() {
        return List.copyOf(coordinators);
    }

    /**
     * operator.test.near, the account that resolves executions on the bundled OutLayer contract,
     * with a fresh full-access ed25519 key for this run: only the target system's workers hold it.
     */
    private static TransactionSigner createOperator(ContractSimulator contracts) {
        byte[] seed = new byte[32];
        new java.security.SecureRandom().nextBytes(seed);
        TransactionSigner signer = TransactionSigner.fromSeed(ContractSimulator.OUTLAYER_OPERATOR, seed);
        contracts.putAccount(ContractSimulator.OUTLAYER_OPERATOR, ContractSimulator.DEFAULT_BALANCE);
        contracts.putAccessKey(
                ContractSimulator.OUTLAYER_OPERATOR,
                signer.publicKey(),
                dev.outlayer.bench.targetsystem.contracts.AccessKey.fullAccess(0));
        return signer;
    }

    /**
     * The accounts and full-access keys of {@code --accounts-file}; a file that is not there seeds
     * none. Accounts kept in the data directory stay as they were (their balances and nonces moved on).
     */
    private void seedAccounts(Path file, Set<String> kept) {
        if (!Files.isRegularFile(file)) {
            LOG.info("no accounts file {}; no accounts seeded", file);
            return;
        }
        List<AccountsFeeder.Seed> seeds = AccountsFeeder.read(file).stream()
                .filter(seed -> !kept.contains(seed.accountId()))
                .toList();
        AccountsFeeder.seed(seeds, new SimulatorTransactionChain(contracts));
        LOG.info("seeded {} accounts with their keys from {}", seeds.size(), file);
    }

    /** Times out yields once per block, so a yield nobody resumes fails even when no call comes. */
    private static AutoCloseable yieldTimeouts(ContractSimulator simulator, long blockTimeMillis) {
        OwnedThreads thread = OwnedThreads.named("yield-timeouts");
        java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(thread);
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        simulator.runDueYields();
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(TargetSystem.class).warn("yield timeouts: {}", e.toString());
                    }
                },
                blockTimeMillis,
                blockTimeMillis,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> thread.stopNow(timer); // before the simulator closes: a round runs its due yields
    }

    /** The operator's signer (resolves executions on outlayer.test.near); null when no simulator runs. */
    public TransactionSigner operatorSigner() {
        return operator;
    }

    /** The contract simulator (shared by the coordinator's /contracts API and the RPC emulator's query). */
    /** The keystore in this process (null when it is not one of the components). */
    public KeystoreService keystoreService() {
        return keystoreService;
    }

    public ContractSimulator contracts() {
        return contracts;
    }

    /** The in-process buckets unless --throttle-store names a Redis server to share them through. */
    private static RateLimitStore throttleStore(TargetOptions options, PrometheusMeterRegistry registry) {
        String store = options.throttleStore.trim();
        if (store.equals("local")) {
            return new LocalRateLimitStore();
        }
        if (isRedis(store)) {
            return new RedisRateLimitStore(
                    new RedisRateLimitStore.Settings(
                            store,
                            options.throttleStoreFailure,
                            Duration.ofMillis(options.throttleStoreTimeoutMillis),
                            Duration.ofMillis(options.throttleStoreRetryMillis),
                            options.throttleStoreCasRetries,
                            options.maxClients),
                    registry);
        }
        throw new IllegalArgumentException(
                "--throttle-store must be 'local' or redis://host:port[/db], not '" + store + "'");
    }

    private HttpServer requireRpc() {
        if (rpc == null) {
            throw new IllegalArgumentException("--upstream-rpc is required when the rpc component is not started");
        }
        return rpc;
    }

    private HttpServer add(HttpServer server) {
        servers.add(server);
        return server;
    }

    public int coordinatorPort() {
        return coordinator.port();
    }

    public int rpcPort() {
        return rpc.port();
    }

    public String keystoreUrl() {
        return keystore == null ? null : "http://" + loopbackHost + ":" + keystore.port();
    }

    /** The coordinator's keystore client; null when no coordinator runs. */
    public SecretsClient secretsClient() {
        return secrets;
    }

    /**
     * The token this system's coordinator holds for the keystore's coordinator routes
     * ({@code /add_generated_secret}, {@code /update_user_secrets}); the embedded keystore accepts it.
     */
    public String coordinatorToken() {
        return coordinatorToken;
    }

    /** The coordinator's routes (none when it does not run): what docs/target-system-api.md lists. */
    public List<Routes.Route> coordinatorRoutes() {
        return coordinatorRoutes;
    }

    /** The keystore's routes (none when it does not run). */
    public List<Routes.Route> keystoreRoutes() {
        return keystoreRoutes;
    }

    public String coordinatorUrl() {
        return coordinator == null ? null : "http://" + loopbackHost + ":" + coordinator.port();
    }

    public String rpcUrl() {
        return rpc == null ? null : "http://" + loopbackHost + ":" + rpc.port();
    }

    /** One line naming every listener's URL, e.g. {@code coordinator=http://127.0.0.1:8080 rpc=...}. */
    public String describe() {
        StringJoiner line = new StringJoiner(" ");
        if (coordinator != null) {
            line.add("coordinator=" + coordinatorUrl());
        }
        if (rpc != null) {
            line.add("rpc=" + rpcUrl());
        }
        if (keystore != null) {
            line.add("keystore=" + keystoreUrl());
        }
        return line.toString();
    }

    /**
     * Stops the front door first so in-flight proxied calls can still reach the upstream and the
     * keystore; then the other listeners together, so that shutdown does not take one grace period
     * per listener. Main bounds the whole of it (ShutdownDeadline).
     */
    @Override
    public void close() {
        if (coordinator != null && servers.remove(coordinator)) {
            coordinator.close();
        }
        List<Thread> closing = new ArrayList<>();
        for (HttpServer server : servers) {
            Thread thread = new Thread(server::close, "close-" + server.name());
            thread.setDaemon(true);
            thread.start();
            closing.add(thread);
        }
        for (Thread thread : closing) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        servers.clear();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // Closing is best effort at shutdown.
            }
        }
        resources.clear();
        if (contracts != null) {
            contracts.close(); // after everything that calls it; its last background receipts still commit
        }
        if (dataStore != null) {
            dataStore.close();
            dataStore = null;
        }
    }
}

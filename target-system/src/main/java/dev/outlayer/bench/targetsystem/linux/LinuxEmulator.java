package dev.outlayer.bench.targetsystem.linux;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.identity.Caller;
import dev.outlayer.bench.targetsystem.identity.VerifiedAccount;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.RunFacts;
import dev.outlayer.bench.targetsystem.keystore.SecretsRef;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import dev.outlayer.bench.targetsystem.timing.PhaseTimer;
import dev.outlayer.bench.targetsystem.wasm.CompiledCodeCache;
import dev.outlayer.bench.targetsystem.wasm.ConnectorManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Linux emulator: a registry of loaded WASI programs and a pool of booted task workers that
 * run them as processes, alone or as pipelines. Thread-safe; runs block the calling thread, so
 * HTTP handlers call it from {@link #processThreads()}, never from an IO thread. Refusals are
 * {@link ApiException}s: an invalid program or request, an unknown program, busy workers, secrets
 * that cannot be had.
 */
public final class LinuxEmulator implements AutoCloseable {
    private static final Pattern PROGRAM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final String WASI_ENTRY = "_start";

    /** Server-side settings (flags). */
    public record Options(
            int maxWorkers,
            int prebootWorkers,
            long maxInstructionsCap,
            int maxMemoryMbCap,
            double maxSecondsCap,
            int maxOutputBytes,
            long queueTimeoutMillis) {
        public static Options defaults() {
            return new Options(
                    Math.max(4, Runtime.getRuntime().availableProcessors() * 2),
                    2,
                    100_000_000_000L,
                    1024,
                    300,
                    1 << 20,
                    30_000);
        }
    }

    /** What PUT /programs/{name} answers. */
    public record ProgramInfo(String name, String sha256, int size) {}

    private static final Logger LOG = LoggerFactory.getLogger(LinuxEmulator.class);
    private final Options options;
    private final BlockClock clock;
    private final SyscallTable table;
    private final WorkerPool pool;
    private final ClientShares shares;
    private final ProcessLimits caps;
    private final Map<String, Program> programs = new ConcurrentHashMap<>();
    /** Every uploaded wasm by its sha256, and the sha256 of each name's latest upload. */
    private final Map<String, byte[]> uploads = new ConcurrentHashMap<>();

    private final Map<String, String> uploadNames = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    /** Processes get a Linux-sized 8 MiB stack: compiled wasm recursion runs on the JVM stack. */
    private final OwnedThreads processThreadFactory =
            OwnedThreads.numbered("linux-proc").withStack(8L << 20);

    private final ExecutorService processThreads;
    private volatile SecretsResolver secrets = SecretsResolver.NONE;
    private volatile ProgramArchive archive = ProgramArchive.NONE;
    private volatile CompiledCodeCache compiledCode;

    public LinuxEmulator(Options options, BlockClock clock) {
        this(options, clock, 0);
    }

    /** With at most {@code maxRunsPerClient} task workers held by one client at once; 0 for half the pool. */
    public LinuxEmulator(Options options, BlockClock clock, int maxRunsPerClient) {
        this(options, clock, maxRunsPerClient, Kernel.table());
    }

    /** As above with another syscall table (tests: the kernel's plus syscalls that misbehave). */
    LinuxEmulator(Options options, BlockClock clock, int maxRunsPerClient, SyscallTable table) {
        this.options = options;
        this.shares = new ClientShares(
                maxRunsPerClient > 0 ? maxRunsPerClient : ClientShares.defaultFor(options.maxWorkers()));
        this.clock = clock;
        this.table = table;
        this.caps = new ProcessLimits(options.maxInstructionsCap(), options.maxMemoryMbCap(), options.maxSecondsCap());
        this.pool = new WorkerPool(table, options.maxWorkers(), options.prebootWorkers());
        this.processThreads = Executors.newCachedThreadPool(processThreadFactory);
    }

    /** Where process runs (and the HTTP handlers that start them) execute: threads with an 8 MiB stack. */
    public ExecutorService processThreads() {
        return processThreads;
    }

    /** Wires the keystore in (issue 6); until then requests naming secrets are refused. */
    public void useSecrets(SecretsResolver resolver) {
        this.secrets = resolver;
    }

    /**
     * Keeps programs' compiled classes in {@code cache} (the contracts' cache, by the instrumented
     * module's digest), so an upload of a program compiled before, here or by an earlier start, loads
     * them instead of compiling again.
     */
    public void keepCompiledCodeIn(CompiledCodeCache cache) {
        this.compiledCode = cache;
    }

    public ProgramInfo deploy(String name, byte[] wasm) {
        requireValidName(name);
        Program program = Program.load(name, wasm, table, WASI_ENTRY, compiledCode);
        // Kept before it can run, and in the same order as in memory when two uploads race.
        synchronized (programs) {
            archive.putProgram(name, wasm);
            programs.put(name, program);
            uploads.put(program.sha256, wasm);
            uploadNames.put(name, program.sha256);
        }
        return new ProgramInfo(name, program.sha256, program.size);
    }

    /** The wasm uploaded with this sha256 (hex), if any: the registry the execution lifecycle compiles from. */
    public Optional<byte[]> uploadedWasm(String sha256) {
        return Optional.ofNullable(uploads.get(sha256));
    }

    /** The wasm last uploaded under this name, if any. */
    public Optional<byte[]> uploadedWasmNamed(String name) {
        String sha256 = uploadNames.get(name);
        return sha256 == null ? Optional.empty() : uploadedWasm(sha256);
    }

    /**
     * Loads the programs {@code kept} holds and keeps every later upload there. A kept program
     * that no longer loads is quarantined and logged; the rest are served. Returns how many loaded.
     */
    public int keepProgramsIn(ProgramArchive kept) {
        Map<String, String> bad = new java.util.TreeMap<>();
        kept.forEachProgram((name, wasm) -> {
            try {
                requireValidName(name);
                Program program = Program.load(name, wasm, table, WASI_ENTRY, compiledCode);
                programs.put(name, program);
                uploads.put(program.sha256, wasm);
                uploadNames.put(name, program.sha256);
            } catch (RuntimeException e) {
                bad.put(name, e.getMessage());
            }
        });
        bad.forEach((name, reason) -> {
            LOG.warn("kept program {} cannot be loaded ({}); quarantined, the rest is served", name, reason);
            kept.quarantineProgram(name, reason);
        });
        this.archive = kept;
        return programs.size();
    }

    public boolean hasProgram(String name) {
        return programs.containsKey(name);
    }

    static void requireValidName(String name) {
        if (name == null || !PROGRAM_NAME.matcher(name).matches()) {
            throw ApiException.invalid("program names are 1-64 characters of letters, digits, '.', '_', '-'");
        }
    }

    Program program(String name) {
        Program program = programs.get(name);
        if (program == null) {
            throw new NoSuchProgram(name);
        }
        return program;
    }

    /**
     * The named program's {@code outlayer.manifest} section as read when it was loaded ({@link
     * ConnectorManifest.Reading#NONE} for a module without one, or for no such program: its run fails as it
     * did).
     */
    public ConnectorManifest.Reading manifest(String name) {
        Program program = programs.get(name);
        return program == null ? ConnectorManifest.Reading.NONE : program.manifest;
    }

    /**
     * A profile's variables decrypted for the caller's verified account as a run of the named program
     * decrypts them (its SHA-256 sent as {@code executed_wasm_sha256}), for a worker that merges two
     * profiles itself before the run; every way that can fail is a {@link SecretsUnavailable}.
     */
    public Map<String, String> decrypt(
            String name, SecretsRef reference, Caller caller, String declared, String predecessorId) {
        return resolveSecrets(reference, caller, declared, new RunFacts(program(name).sha256, predecessorId));
    }

    /** Runs one program as one process with stdin given and stdout/stderr captured. */
    public Execution run(String name, RunRequest request) throws InterruptedException {
        return run(name, request, Caller.INTERNAL, PhaseTimer.NONE);
    }

    /**
     * As {@link #run(String, RunRequest)} for {@code caller}: its share of the workers, and its
     * verified account for the secrets; the secrets phases (decrypt, inject) go in {@code timing}.
     */
    public Execution run(String name, RunRequest request, Caller caller, PhaseTimer timing)
            throws InterruptedException {
        return run(name, request, ProcessProfile.LINUX, caller, timing);
    }

    /** As above, the process set up and counted as {@code profile} says. */
    public Execution run(String name, RunRequest request, ProcessProfile profile, Caller caller, PhaseTimer timing)
            throws InterruptedException {
        return run(name, request, profile, null, caller, timing);
    }

    /**
     * A job as OutLayer's worker runs it ({@link ProcessProfile#OUTLAYER}), its system variables
     * from {@code job}: the request's block, receipt, payment and project, or an HTTPS call's.
     */
    public Execution run(String name, RunRequest request, OutlayerContext job, Caller caller, PhaseTimer timing)
            throws InterruptedException {
        return run(name, request, ProcessProfile.OUTLAYER, job, caller, timing);
    }

    private Execution run(
            String name,
            RunRequest request,
            ProcessProfile profile,
            OutlayerContext job,
            Caller caller,
            PhaseTimer timing)
            throws InterruptedException {
        Program program = program(name);
        TaskWorker.Spec spec = prepare(program, request, profile, job, caller, timing);
        long queued = System.nanoTime();
        List<TaskWorker> workers = acquire(1, request.coldStart(), caller);
        long queueNanos = System.nanoTime() - queued;
        try {
            return runOn(
                    workers.get(0),
                    program,
                    spec,
                    new InputStreamDescriptor(request.stdin()),
                    null,
                    queueNanos,
                    request.coldStart());
        } finally {
            release(workers, caller);
        }
    }

    /**
     * Runs a job as OutLayer's worker runs a WASI preview-1 module: {@code stdin} as its input,
     * the worker's environment ({@link OutlayerEnvironment}: {@code secrets} under the system
     * variables of {@code context}), no argv, no preopened directory, wasmtime's fuel against
     * {@code limits.max_instructions} and {@code max(max_seconds, 5)} seconds of wall time. The
     * answer is what the worker would report, with the emulator's accounting beside it. Refused
     * like {@link #run}: an unknown program, busy workers.
     */
    public OutlayerResult runOutlayer(
            String name, byte[] stdin, Map<String, String> secrets, ProcessLimits limits, OutlayerContext context)
            throws InterruptedException {
        Program program = program(name);
        ProcessLimits capped = limits.cappedBy(caps);
        TaskWorker.Spec spec = new TaskWorker.Spec(
                List.of(),
                OutlayerEnvironment.of(secrets, context, capped),
                capped,
                WASI_ENTRY,
                ProcessProfile.OUTLAYER);
        long queued = System.nanoTime();
        List<TaskWorker> workers = acquire(1, false, Caller.INTERNAL);
        long queueNanos = System.nanoTime() - queued;
        try {
            Execution execution =
                    runOn(workers.get(0), program, spec, new InputStreamDescriptor(stdin), null, queueNanos, false);
            return OutlayerResult.of(execution, stdin, capped);
        } finally {
            release(workers, Caller.INTERNAL);
        }
    }

    /** Runs {@code a | b | c}: each stage its own process on its own thread, joined by pipes. */
    public List<Execution> runPipeline(List<String> names, List<RunRequest> stages, byte[] stdin)
            throws InterruptedException {
        return runPipeline(names, stages, stdin, Caller.INTERNAL, PhaseTimer.NONE);
    }

    /** As {@link #runPipeline(List, List, byte[])} for {@code caller}, recording the secrets phases in {@code timing}. */
    public List<Execution> runPipeline(
            List<String> names, List<RunRequest> stages, byte[] stdin, Caller caller, PhaseTimer timing)
            throws InterruptedException {
        if (names.isEmpty() || names.size() != stages.size()) {
            throw ApiException.invalid("a pipeline needs at least one stage, each naming its program");
        }
        // Everything that can be refused is checked before the first stage starts.
        List<Program> programsInOrder = new ArrayList<>();
        List<TaskWorker.Spec> specs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            programsInOrder.add(program(names.get(i)));
            specs.add(prepare(programsInOrder.get(i), stages.get(i), ProcessProfile.LINUX, null, caller, timing));
        }
        long queued = System.nanoTime();
        boolean coldStart = stages.get(0).coldStart();
        List<TaskWorker> workers = acquire(stages.size(), coldStart, caller);
        long queueNanos = System.nanoTime() - queued;
        List<Stage> running = new ArrayList<>();
        boolean allEnded = false;
        try {
            Descriptor nextStdin = new InputStreamDescriptor(stdin);
            for (int i = 0; i < stages.size(); i++) {
                Descriptor in = nextStdin;
                Pipe out = i < stages.size() - 1 ? new Pipe(Pipe.DEFAULT_CAPACITY) : null;
                if (out != null) {
                    nextStdin = out.readEnd();
                }
                TaskWorker worker = workers.get(i);
                Program program = programsInOrder.get(i);
                TaskWorker.Spec spec = specs.get(i);
                Stage stage = new Stage(() -> runOn(worker, program, spec, in, out, queueNanos, coldStart));
                running.add(stage);
                processThreads.execute(stage);
            }
            List<Execution> results = new ArrayList<>();
            for (Stage stage : running) {
                results.add(stage.await());
            }
            allEnded = true;
            return results;
        } finally {
            // A stage threw, or this thread was interrupted: the other stages may still run on their
            // workers, and a worker given back now would run the next caller's process beside one of
            // them (its syscalls, output and exit code mixed in). Stop them and wait for each to end.
            if (!allEnded) {
                running.forEach(Stage::stop);
            }
            running.forEach(Stage::join);
            release(workers, caller);
        }
    }

    /**
     * One pipeline stage, run on a process thread. {@link #stop} interrupts it if it runs (its
     * process is killed as at its wall-time limit) or keeps it from starting; {@link #join} waits
     * until it has ended either way.
     */
    private static final class Stage implements Runnable {
        private final java.util.concurrent.Callable<Execution> body;
        private final java.util.concurrent.CompletableFuture<Execution> result =
                new java.util.concurrent.CompletableFuture<>();
        private Thread runner;
        private boolean stopped;

        Stage(java.util.concurrent.Callable<Execution> body) {
            this.body = body;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                runner = Thread.currentThread();
            }
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                synchronized (this) {
                    runner = null;
                }
                Thread.interrupted(); // a stop that came as it ended is not the next task's
            }
        }

        synchronized void stop() {
            stopped = true;
            if (runner != null) {
                runner.interrupt();
            } else {
                result.cancel(false); // not started (it never will), or already ended (no effect)
            }
        }

        /** The stage's execution, or what it threw. */
        Execution await() throws InterruptedException {
            try {
                return result.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /** Waits, even through an interrupt (the stage is bounded by its own limits), until it has ended. */
        void join() {
            try {
                result.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                // ended either way
            }
        }
    }

    /**
     * A linux-mode contract call for {@code ContractSimulator.execute(request, binding)}: the
     * process gets argv [account, method] and the worker's environment with the call's NEAR context.
     */
    public ContractProcess contractProcess(
            String accountId, String method, String signerId, String predecessorId, boolean coldStart) {
        return contractProcess(accountId, method, signerId, predecessorId, coldStart, null, Caller.INTERNAL, null);
    }

    /**
     * As above for {@code caller}, with a call's {@code secrets} block (or null) fetched for the
     * caller's verified account and injected; every way that can fail is a {@link SecretsUnavailable}.
     */
    public ContractProcess contractProcess(
            String accountId,
            String method,
            String signerId,
            String predecessorId,
            boolean coldStart,
            JsonNode secrets,
            Caller caller,
            PhaseTimer timing) {
        ProcessLimits limits = defaultLimits();
        long height = clock.latestHeight();
        NearContext context = new NearContext(signerId, predecessorId, accountId, height, clock.timestampNanos(height));
        ProcessEnvironment environment = ProcessEnvironment.defaults();
        if (secrets != null) {
            SecretsRef reference;
            try {
                reference = SecretsRef.fromJson(secrets);
            } catch (ApiException e) {
                throw new SecretsUnavailable(e.kind(), e.getMessage());
            }
            // the contract's code runs in the contract runtime, not as one of this emulator's programs: no build is
            // reported, so a secret locked to one (WasmHash) cannot be judged for it; the call is the key holder's own
            injectSecrets(
                    environment,
                    reference,
                    caller,
                    declaredSigner(signerId),
                    new RunFacts(null, directCaller(caller)),
                    timing);
        }
        Map<String, String> env = environment
                .withNearContext(context, limits, requestIds.incrementAndGet())
                .toMap();
        return new ContractProcess(
                this, new TaskWorker.Spec(List.of(accountId, method), env, limits, method), coldStart, caller);
    }

    /** A contract call's signer unless it is the default one the body did not name. */
    private static String declaredSigner(String signerId) {
        return CallRequest.DEFAULT_SIGNER.equals(signerId) ? null : signerId;
    }

    List<TaskWorker> acquireWorkers(int count, boolean coldStart, Caller caller) throws InterruptedException {
        return acquire(count, coldStart, caller);
    }

    void releaseWorkers(List<TaskWorker> workers, Caller caller) {
        release(workers, caller);
    }

    /** The caller's share first (429 beyond it, at once), then the pool (503 after the queue timeout). */
    private List<TaskWorker> acquire(int count, boolean coldStart, Caller caller) throws InterruptedException {
        shares.take(caller.fairnessKey(), count);
        List<TaskWorker> workers = null;
        try {
            workers = pool.acquire(count, options.queueTimeoutMillis(), coldStart);
        } finally {
            if (workers == null) {
                shares.give(caller.fairnessKey(), count);
            }
        }
        if (workers == null) {
            throw new WorkersBusy(options.queueTimeoutMillis());
        }
        return workers;
    }

    private void release(List<TaskWorker> workers, Caller caller) {
        pool.release(workers);
        shares.give(caller.fairnessKey(), workers.size());
    }

    /**
     * argv (linux: argv[0] is the program's name; outlayer: none), environment and limits;
     * refuses bad env and secrets.
     */
    private TaskWorker.Spec prepare(
            Program program,
            RunRequest request,
            ProcessProfile profile,
            OutlayerContext job,
            Caller caller,
            PhaseTimer timing) {
        ProcessLimits limits = request.limits().cappedBy(caps);
        if (!profile.passesArgv()) {
            if (!request.argv().isEmpty()) {
                throw ApiException.invalid("argv is not available in the " + profile.apiName()
                        + " profile: OutLayer's worker starts a program without arguments (pass input on stdin)");
            }
            return new TaskWorker.Spec(
                    List.of(),
                    outlayerEnvironment(request, job, limits, caller, program.sha256, timing),
                    limits,
                    WASI_ENTRY,
                    profile);
        }
        List<String> argv = new ArrayList<>();
        argv.add(program.name);
        argv.addAll(request.argv());
        return new TaskWorker.Spec(
                argv, environment(request, limits, caller, program.sha256, timing), limits, WASI_ENTRY, profile);
    }

    /**
     * The request's env and secrets as the job's secrets, under the worker's system variables: the
     * job's own, or for a plain program run what the request and the latest block give.
     */
    private Map<String, String> outlayerEnvironment(
            RunRequest request,
            OutlayerContext job,
            ProcessLimits limits,
            Caller caller,
            String wasmSha256,
            PhaseTimer timing) {
        Map<String, String> user = new LinkedHashMap<>(request.env());
        if (request.secrets() != null) {
            long decryptStart = System.nanoTime();
            // a job's calling account is the one its context names; a plain run is called by the key holder itself
            String predecessor = job != null ? job.callingAccount() : directCaller(caller);
            user.putAll(resolveSecrets(
                    request.secrets(), caller, request.senderId(), new RunFacts(wasmSha256, predecessor)));
            if (timing != null) {
                timing.since("decrypt", decryptStart);
            }
        }
        if (job != null) {
            return OutlayerEnvironment.of(user, job, limits);
        }
        long height = clock.latestHeight();
        OutlayerContext context =
                OutlayerContext.ofRun(request, height, clock.timestampNanos(height), requestIds.incrementAndGet());
        return OutlayerEnvironment.of(user, context, limits);
    }

    /** Runs on {@code worker}; stdout goes to {@code pipe} when given, else it is captured. */
    private Execution runOn(
            TaskWorker worker,
            Program program,
            TaskWorker.Spec spec,
            Descriptor stdin,
            Pipe pipe,
            long queueNanos,
            boolean coldStart) {
        CapturedOutput stdout = new CapturedOutput(options.maxOutputBytes());
        CapturedOutput stderr = new CapturedOutput(options.maxOutputBytes());
        ProcessOutcome outcome = worker.run(program, spec, stdin, pipe == null ? stdout : pipe.writeEnd(), stderr);
        return new Execution(
                program.name,
                outcome,
                stdout.toByteArray(),
                stderr.toByteArray(),
                stdout.truncated() || stderr.truncated(),
                worker.id,
                queueNanos,
                coldStart);
    }

    private Map<String, String> environment(
            RunRequest request, ProcessLimits limits, Caller caller, String wasmSha256, PhaseTimer timing) {
        ProcessEnvironment env = ProcessEnvironment.defaults().withUserVariables(request.env());
        if (request.secrets() != null) {
            injectSecrets(
                    env,
                    request.secrets(),
                    caller,
                    request.senderId(),
                    new RunFacts(wasmSha256, directCaller(caller)),
                    timing);
        }
        long height = clock.latestHeight();
        NearContext context = new NearContext(
                request.senderId(),
                request.predecessorId(),
                request.contractId(),
                height,
                clock.timestampNanos(height));
        return env.withNearContext(context, limits, requestIds.incrementAndGet())
                .toMap();
    }

    /**
     * Fetches the secrets for the caller's verified account (the decrypt phase) and adds them to
     * {@code env} (inject). The profile's access condition sees only an account a credential
     * proved, never one the body declares: no account is 401, and a declared sender or signer that
     * is not the verified account is 403 (the process would otherwise run as someone else).
     */
    private void injectSecrets(
            ProcessEnvironment env,
            SecretsRef reference,
            Caller caller,
            String declared,
            RunFacts facts,
            PhaseTimer timing) {
        long decryptStart = System.nanoTime();
        Map<String, String> resolved = resolveSecrets(reference, caller, declared, facts);
        long injectStart = System.nanoTime();
        try {
            env.withSecrets(resolved);
        } catch (ApiException e) {
            throw new SecretsUnavailable(e.kind(), e.getMessage());
        }
        if (timing != null) {
            timing.add("decrypt", injectStart - decryptStart).since("inject", injectStart);
        }
    }

    /** How the keystore client prefixes the keystore's own refusal ({@code SecretsClient}). */
    private static final String KEYSTORE_SAYS = "keystore: ";

    /**
     * The account that called a run made directly through this emulator's own routes: the verified
     * account whose key the request presents, with nothing in between (a {@code predecessor_id} the
     * body declares proves nothing, so a {@code Predecessor} condition is never judged against it).
     */
    private static String directCaller(Caller caller) {
        return caller.account() == null ? null : caller.account().accountId();
    }

    /**
     * The decrypted secrets of the caller's verified account, for the run {@code facts} describe
     * (the build it runs, the account that called it); see {@link #injectSecrets}.
     */
    private Map<String, String> resolveSecrets(SecretsRef reference, Caller caller, String declared, RunFacts facts) {
        VerifiedAccount account = caller.account();
        if (account == null) {
            throw new SecretsUnavailable(
                    ApiException.Kind.UNAUTHENTICATED,
                    "secrets need an authenticated caller: present the API key of the account the execution"
                            + " is for ('Authorization: Bearer KEY' or 'X-API-Key: KEY'); context.sender_id and"
                            + " signer_id are not proof of an account");
        }
        if (declared != null && !declared.equals(account.accountId())) {
            throw new SecretsUnavailable(
                    ApiException.Kind.FORBIDDEN,
                    "the request names " + declared + " as its sender, but its API key belongs to "
                            + account.accountId() + "; secrets are only fetched for the authenticated account");
        }
        try {
            return secrets.resolve(reference, account.accountId(), facts);
        } catch (ApiException e) {
            // The keystore's own answer (bad secrets, access refused, no profile) is the client's; so is its absence.
            throw new SecretsUnavailable(
                    e.kind(),
                    "secrets could not be fetched: " + e.getMessage(),
                    e.getMessage() != null && e.getMessage().startsWith(KEYSTORE_SAYS)
                            ? e.getMessage().substring(KEYSTORE_SAYS.length())
                            : null);
        }
    }

    /** The most a run's stdout (or stderr) keeps; beyond it the output is dropped and the run says it was truncated. */
    public int maxOutputBytes() {
        return options.maxOutputBytes();
    }

    /** The limits of a request that names none: the worker's defaults within the server's caps. */
    public ProcessLimits defaultLimits() {
        return ProcessLimits.DEFAULT.cappedBy(caps);
    }

    /** For /health. */
    public Map<String, Object> health() {
        return Map.of(
                "programs",
                programs.size(),
                "workers",
                pool.stats(),
                "max_runs_per_client",
                shares.perClient(),
                "clients_running",
                shares.clients());
    }

    @Override
    public void close() {
        // Running processes are interrupted (the watchdog's way: wasm checks the flag, pipes and sleep
        // are interruptible) and give their workers back before the pool closes them.
        processThreadFactory.stopNow(processThreads);
        pool.close();
    }

    /** The named program was never uploaded. */
    static final class NoSuchProgram extends ApiException {
        NoSuchProgram(String name) {
            super(Kind.NOT_FOUND, "no program named '" + name + "'; upload it with PUT /programs/" + name);
        }
    }

    /** Every worker stayed busy for the whole queue timeout. */
    static final class WorkersBusy extends ApiException {
        WorkersBusy(long millis) {
            super(Kind.UNAVAILABLE, "all task workers stayed busy for " + millis + " ms", 1);
        }
    }

    /**
     * The execution's secrets cannot be had: a malformed reference or no account to check (INVALID),
     * the keystore's refusal (FORBIDDEN, NOT_FOUND, INVALID), or its absence (BAD_GATEWAY,
     * GATEWAY_TIMEOUT, UNAVAILABLE).
     */
    public static final class SecretsUnavailable extends ApiException {
        private final String keystoreReason;

        SecretsUnavailable(Kind kind, String message) {
            this(kind, message, null);
        }

        SecretsUnavailable(Kind kind, String message, String keystoreReason) {
            super(kind, message);
            this.keystoreReason = keystoreReason;
        }

        /** The keystore's own sentence when it refused (FORBIDDEN, NOT_FOUND, INVALID); null otherwise. */
        public String keystoreReason() {
            return keystoreReason;
        }
    }
}

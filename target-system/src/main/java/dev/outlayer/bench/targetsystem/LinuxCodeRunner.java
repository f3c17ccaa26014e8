package dev.outlayer.bench.targetsystem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.executions.CodeRunner;
import dev.outlayer.bench.targetsystem.executions.CodeSource;
import dev.outlayer.bench.targetsystem.executions.ExecutionTask;
import dev.outlayer.bench.targetsystem.executions.SecretsReference;
import dev.outlayer.bench.targetsystem.github.BranchResolver;
import dev.outlayer.bench.targetsystem.identity.Caller;
import dev.outlayer.bench.targetsystem.identity.VerifiedAccount;
import dev.outlayer.bench.targetsystem.keystore.DeclaredKeys;
import dev.outlayer.bench.targetsystem.keystore.SecretAccessor;
import dev.outlayer.bench.targetsystem.keystore.SecretsRef;
import dev.outlayer.bench.targetsystem.keystore.SecretsRefShape;
import dev.outlayer.bench.targetsystem.linux.Execution;
import dev.outlayer.bench.targetsystem.linux.LinuxEmulator;
import dev.outlayer.bench.targetsystem.linux.OutlayerContext;
import dev.outlayer.bench.targetsystem.linux.ProcessLimits;
import dev.outlayer.bench.targetsystem.linux.ProcessOutcome;
import dev.outlayer.bench.targetsystem.linux.ProcessProfile;
import dev.outlayer.bench.targetsystem.linux.RunRequest;
import dev.outlayer.bench.targetsystem.timing.PhaseTimer;
import dev.outlayer.bench.targetsystem.wasm.ConnectorManifest;
import dev.outlayer.bench.targetsystem.wasm.ManifestCallers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution lifecycle's code, from the program registry ({@code PUT /programs}) standing in
 * for OutLayer's compile step: a {@code WasmUrl} source names the wasm by its sha256 {@code
 * hash}; a {@code GitHub} source by its repository's last path segment (the program's name). The
 * compile loads, instruments and compiles the wasm into the Linux emulator under the checksum;
 * runs are WASI processes in OutLayer's worker profile ({@link ProcessProfile#OUTLAYER}: no argv,
 * no preopened directory, its environment variables, wasmtime's fuel) with the request's limits,
 * input on stdin and secrets injected for the request's sender (an account the chain verified: it
 * signed request_execution).
 */
final class LinuxCodeRunner implements CodeRunner {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxCodeRunner.class);
    private final LinuxEmulator linux;
    private final String contractId;
    private final BranchResolver branches;

    LinuxCodeRunner(LinuxEmulator linux, String contractId, BranchResolver branches) {
        this.linux = linux;
        this.contractId = contractId;
        this.branches = branches;
    }

    @Override
    public boolean compiled(String checksum) {
        return linux.hasProgram(checksum);
    }

    @Override
    public void compile(String checksum, CodeSource source) {
        byte[] wasm = wasmOf(source)
                .orElseThrow(() -> new CompileFailed("no program in the registry for " + describe(source)));
        try {
            linux.deploy(checksum, wasm);
        } catch (ApiException e) {
            throw new CompileFailed(e.getMessage());
        }
    }

    @Override
    public Optional<byte[]> wasm(CodeSource source) {
        return wasmOf(source);
    }

    @Override
    public void load(String checksum, byte[] wasm) {
        try {
            linux.deploy(checksum, wasm);
        } catch (ApiException e) {
            throw new CompileFailed(e.getMessage());
        }
    }

    private Optional<byte[]> wasmOf(CodeSource source) {
        if (source.hash() != null) {
            return linux.uploadedWasm(source.hash());
        }
        String repo = source.repo() == null ? "" : source.repo().replaceAll("/+$", "");
        String name = repo.substring(repo.lastIndexOf('/') + 1);
        return name.isEmpty() ? Optional.empty() : linux.uploadedWasmNamed(name);
    }

    private static String describe(CodeSource source) {
        return source.hash() != null ? "wasm hash " + source.hash() : "repository " + source.repo();
    }

    @Override
    public RunResult run(String checksum, ExecutionTask task, String workerId) throws InterruptedException {
        ConnectorManifest.Reading manifest = linux.manifest(checksum);
        if (manifest.unreadable()) {
            // OutLayer's main.rs handle_execute_job: the manifest is read first, before anything else is judged
            return refusal(task, unreadableManifest(manifest.problem()), "custom");
        }
        if (manifest.manifest() != null) {
            // then who may call it: first of the checks on the run, before the secrets are judged or asked for
            Optional<String> notAdmitted =
                    ManifestCallers.refusal(manifest.manifest().callers(), runCaller(task));
            if (notAdmitted.isPresent()) {
                return refusal(task, notAdmitted.get(), "access_denied");
            }
            // then the declared keys against how the run was started, signing before encryption, still before the
            // secrets are judged or asked for
            Optional<String> unserved = keysRefusal(manifest.manifest(), task);
            if (unserved.isPresent()) {
                return refusal(task, unserved.get(), "custom");
            }
        }
        Optional<RunResult> refused = refusedBeforeAsking(task);
        if (refused.isPresent()) {
            return refused.get();
        }
        String sender = task.userAccountId();
        SecretsRef secrets = secretsOf(task);
        // no sender, no account: a run that names no secrets needs none (OutLayer's proven_sender refuses the others)
        Caller caller = new Caller(
                "worker:" + workerId,
                sender == null || sender.isEmpty() ? null : VerifiedAccount.transactionSigner(sender));
        Map<String, String> env = Map.of();
        if (manifest.manifest() != null && manifest.manifest().authorSecrets() != null) {
            // both profiles decrypted here, merged, and handed to the run as its secrets
            Map<String, String> merged = new LinkedHashMap<>();
            Optional<RunResult> notMerged =
                    withAuthorSecrets(checksum, task, secrets, manifest.manifest(), caller, merged);
            if (notMerged.isPresent()) {
                return notMerged.get();
            }
            env = merged;
            secrets = null;
        }
        RunRequest request = new RunRequest(
                List.of(),
                env,
                task.inputData() == null ? new byte[0] : task.inputData().getBytes(StandardCharsets.UTF_8),
                secrets,
                limits(task),
                sender,
                task.context() == null
                        ? sender
                        : task.context().path("predecessor_id").asText(sender),
                contractId,
                false);
        OutlayerContext job = jobContext(task);
        long start = System.nanoTime();
        Execution execution;
        try {
            try {
                execution = linux.run(checksum, request, job, caller, PhaseTimer.NONE);
            } catch (LinuxEmulator.SecretsUnavailable e) {
                if (e.kind() != ApiException.Kind.NOT_FOUND) {
                    return secretsRefused(task, e);
                }
                Optional<String> missingRow = missingRowRefusal(manifest.manifest(), task.secretsRef());
                if (missingRow.isPresent()) {
                    return refusal(task, missingRow.get(), "access_denied");
                }
                // OutLayer's worker: "no such secret" is not fatal, the module may not need one; it runs without
                RunRequest withoutSecrets = new RunRequest(
                        request.argv(),
                        request.env(),
                        request.stdin(),
                        null,
                        request.limits(),
                        request.senderId(),
                        request.predecessorId(),
                        request.contractId(),
                        request.coldStart());
                execution = linux.run(checksum, withoutSecrets, job, caller, PhaseTimer.NONE);
            }
        } catch (ApiException e) {
            String category = e.kind() == ApiException.Kind.FORBIDDEN || e.kind() == ApiException.Kind.UNAUTHENTICATED
                    ? "access_denied"
                    : "execution_failed";
            return new RunResult(false, new byte[0], e.getMessage(), category, 0, millisSince(start));
        }
        ProcessOutcome outcome = execution.outcome();
        long timeMs = outcome.wallNanos() / 1_000_000;
        if (outcome.limitHit()) {
            return new RunResult(
                    false,
                    execution.stdout(),
                    "Execution failed: " + outcome.limitName() + " exceeded",
                    "execution_failed",
                    outcome.instructions(),
                    timeMs);
        }
        if (execution.outputTruncated() && execution.stdout().length >= linux.maxOutputBytes()) {
            // OutLayer's executor caps stdout too (a wasmtime pipe of max_memory_mb), and a write past it
            // fails in the program; here the emulator dropped the rest: the output is not the program's
            return new RunResult(
                    false,
                    new byte[0],
                    "Execution failed: stdout exceeded " + linux.maxOutputBytes() + " bytes",
                    "execution_failed",
                    outcome.instructions(),
                    timeMs);
        }
        if (outcome.trap() != null || outcome.exitCode() != 0) {
            String why = outcome.trap() != null ? "trap: " + outcome.trap() : "exit code " + outcome.exitCode();
            return new RunResult(
                    false,
                    execution.stdout(),
                    "Execution failed: " + why,
                    "execution_failed",
                    outcome.instructions(),
                    timeMs);
        }
        return new RunResult(true, execution.stdout(), null, null, outcome.instructions(), timeMs);
    }

    /**
     * What OutLayer's newest worker refuses before asking its keystore anything (main.rs {@code
     * handle_execute_job}), reported as it reports every refusal ({@code report_refusal}: nothing ran):
     * a {@code secrets_ref} no row of the contract could match ({@code well_formed_secrets_ref}:
     * {@code custom}, the rule in its words), then a run that names secrets but carries no sender to
     * judge their access condition against ({@code proven_sender}: {@code access_denied}), which it
     * once judged as if the secrets' owner had asked. Every door here fills the sender, as OutLayer's.
     */
    static Optional<RunResult> refusedBeforeAsking(ExecutionTask task) {
        SecretsReference named = task.secretsRef();
        if (named == null) {
            return Optional.empty();
        }
        Optional<String> shape = SecretsRefShape.problem(named.profile(), named.accountId());
        if (shape.isPresent()) {
            return Optional.of(refusal(task, shape.get(), "custom"));
        }
        if (task.userAccountId() == null || task.userAccountId().isEmpty()) {
            return Optional.of(refusal(task, noSender(named.accountId()), "access_denied"));
        }
        return Optional.empty();
    }

    /**
     * How the run was called, as OutLayer's worker tells the manifest's {@code callers} (main.rs {@code
     * handle_execute_job}, out-layer/outlayer 516d136): over HTTPS the payment key's owner is its own
     * predecessor and no relayer; on chain the job context's {@code predecessor_id} and {@code relayer_id}.
     */
    static ManifestCallers.RunCaller runCaller(ExecutionTask task) {
        if (task.httpsCall()) {
            return new ManifestCallers.RunCaller(true, task.userAccountId(), task.userAccountId(), null);
        }
        JsonNode context = task.context() == null ? MissingNode.getInstance() : task.context();
        return new ManifestCallers.RunCaller(
                false, task.userAccountId(), text(context, "predecessor_id"), text(context, "relayer_id"));
    }

    /**
     * Why the keys {@code manifest} declares cannot be served to this run, in OutLayer's worker's sentence (main.rs
     * {@code handle_execute_job} at out-layer/outlayer 516d136, which calls {@code declared_signing_keys} then {@code
     * declared_encryption_keys} right after the callers, reported {@code custom}), or empty. The run as {@code
     * RunSource::of_job} reads it off the job: the task's project, whether its resolved code source is a GitHub build,
     * and the predecessor the callers are judged by ({@link #runCaller}: over HTTPS the sender itself).
     */
    static Optional<String> keysRefusal(ConnectorManifest manifest, ExecutionTask task) {
        String project = task.projectId() == null || task.projectId().isEmpty() ? null : task.projectId();
        ConnectorManifest.RunSource run = new ConnectorManifest.RunSource(
                project, task.codeSource().repo() != null, runCaller(task).predecessorId());
        for (DeclaredKeys.Family family : List.of(DeclaredKeys.Family.SIGNING, DeclaredKeys.Family.ENCRYPTION)) {
            try {
                manifest.checkKeysAgainstRun(family, run);
            } catch (IllegalArgumentException refused) {
                return Optional.of("The component's " + family.noun() + "s cannot be served: " + refused.getMessage()
                        + ". Nothing was executed.");
            }
        }
        return Optional.empty();
    }

    /** OutLayer's {@code OWNER_CAPPED_CONNECTORS}: run open, no caps, when their owner stored no policy row. */
    static final List<String> OWNER_CAPPED_CONNECTORS = List.of("hyperliquid", "polymarket");

    /**
     * OutLayer's {@code missing_row_refusal} (worker main.rs, out-layer/outlayer 516d136), for a caller's
     * {@code secrets_ref} whose row is not stored: a run of an owner-capped connector (its manifest's {@code
     * connector_id}) is refused rather than run with no policy, unless the row named is the one under the
     * connector's own profile, whose absence is the owner's choice to run it open. Empty for every other run
     * ("no row, no secrets"). The two names were judged by the contract's rule before, so {@code {:?}}'s
     * quotes are all the escaping they need.
     */
    static Optional<String> missingRowRefusal(ConnectorManifest manifest, SecretsReference named) {
        String connector = manifest == null ? null : manifest.connectorId();
        if (named == null
                || connector == null
                || !OWNER_CAPPED_CONNECTORS.contains(connector)
                || named.profile().equals(connector)) {
            return Optional.empty();
        }
        return Optional.of("policy_row_missing: the policy row {account_id: \"" + named.accountId() + "\", profile: \""
                + named.profile() + "\"} is not stored. Name a row that exists, or none to run the owner's row under"
                + " the \"" + connector + "\" profile.");
    }

    /** A run refused before it started, reported as OutLayer reports a refusal: nothing ran, no time, no instructions. */
    private static RunResult refusal(ExecutionTask task, String error, String category) {
        LOG.info("request {} refused before its run: {}", task.requestId(), error);
        return new RunResult(false, new byte[0], error, category, 0, 0);
    }

    /**
     * OutLayer's refusal of a module whose {@code outlayer.manifest} section cannot be read (worker main.rs
     * {@code handle_execute_job} at out-layer/outlayer 802bf37): the reason {@code manifest_from_wasm} gives,
     * in its sentence.
     */
    static String unreadableManifest(String reason) {
        return "The artefact's manifest cannot be read: " + reason
                + ". The run is refused rather than run without the author's declaration.";
    }

    /** The author's profile a run decrypts besides the caller's, or why the run is refused. */
    record AuthorSecrets(SecretsRef reference, RunResult refusal) {
        static AuthorSecrets refused(ExecutionTask task, String error, String category) {
            return new AuthorSecrets(null, LinuxCodeRunner.refusal(task, error, category));
        }
    }

    /**
     * The author secrets a run's manifest names (OutLayer's worker main.rs {@code author_secrets_for_run},
     * connector_manifest.rs {@code author_secrets_ref}, at out-layer/outlayer 802bf37): the profile stored by
     * the manifest's {@code owner} (by default the owner half of the project id) under the accessor {@code
     * {type: "Project", project_id}}, its access condition judged against the run's sender. Refused before
     * the author's profile is asked for, in OutLayer's order and words: a run of no project, a blank profile
     * or no owner, a reference no row of the contract could hold ({@code custom}), then a run with no sender
     * ({@code proven_sender}: {@code access_denied}, the sentence a caller's profile gets).
     */
    static AuthorSecrets authorSecretsOf(ExecutionTask task, ConnectorManifest manifest) {
        String project = task.projectId();
        if (project == null || project.isEmpty()) {
            return AuthorSecrets.refused(
                    task,
                    "the manifest names author_secrets, but this run has no project to store them under",
                    "custom");
        }
        ConnectorManifest.AuthorSecretsRef named;
        try {
            named = manifest.authorSecretsRef(project).orElseThrow();
        } catch (ConnectorManifest.Refused e) {
            return AuthorSecrets.refused(task, e.getMessage(), "custom");
        }
        Optional<String> shape = SecretsRefShape.problem(
                named.profile(), named.owner(), "author_secrets.profile", "author_secrets.owner");
        if (shape.isPresent()) {
            return AuthorSecrets.refused(
                    task,
                    "the manifest's author_secrets names no row the contract could hold: " + shape.get(),
                    "custom");
        }
        if (task.userAccountId() == null || task.userAccountId().isEmpty()) {
            return AuthorSecrets.refused(task, noSender(named.owner()), "access_denied");
        }
        return new AuthorSecrets(
                new SecretsRef(
                        named.owner(), named.profile(), null, null, new SecretAccessor.Project(project).toJson()),
                null);
    }

    /** OutLayer's {@code proven_sender} refusal: a run that names secrets of {@code owner} and carries no sender. */
    private static String noSender(String owner) {
        return "this run names secrets owned by " + owner + " but carries no sender to judge their access condition"
                + " against, so nothing was decrypted.";
    }

    /**
     * Decrypts the caller's profile (when the task names one; none stored is none), then judges and decrypts
     * the author's ({@link #authorSecretsOf}), and merges them into {@code merged} (OutLayer's {@code
     * merge_secret_maps}): a name on both sides refuses the run, never resolved. The caller's refusal comes
     * first, as OutLayer's worker decrypts the caller's profile before it looks at the author's. The author's
     * profile not stored is a refusal that says how to store it; another refusal of the keystore is reported
     * as for the caller's own, said to be the author's.
     */
    private Optional<RunResult> withAuthorSecrets(
            String checksum,
            ExecutionTask task,
            SecretsRef callers,
            ConnectorManifest manifest,
            Caller caller,
            Map<String, String> merged) {
        String sender = task.userAccountId();
        String calling = jobContext(task).callingAccount();
        Map<String, String> own = Map.of();
        if (callers != null) {
            try {
                own = linux.decrypt(checksum, callers, caller, sender, calling);
            } catch (LinuxEmulator.SecretsUnavailable e) {
                if (e.kind() != ApiException.Kind.NOT_FOUND) {
                    return Optional.of(secretsRefused(task, e));
                }
                Optional<String> missingRow = missingRowRefusal(manifest, task.secretsRef());
                if (missingRow.isPresent()) {
                    return Optional.of(refusal(task, missingRow.get(), "access_denied"));
                }
            }
        }
        AuthorSecrets named = authorSecretsOf(task, manifest);
        if (named.refusal() != null) {
            return Optional.of(named.refusal());
        }
        SecretsRef authors = named.reference();
        Map<String, String> author;
        try {
            author = linux.decrypt(checksum, authors, caller, sender, calling);
        } catch (LinuxEmulator.SecretsUnavailable e) {
            if (e.kind() == ApiException.Kind.NOT_FOUND) {
                return Optional.of(refusal(
                        task,
                        "the manifest names author secrets owner=" + authors.owner() + " profile=" + authors.profile()
                                + " for project " + task.projectId() + ", but none are stored \u2014 store them with"
                                + " accessor Project(" + task.projectId()
                                + ") or drop author_secrets from the manifest",
                        "custom"));
            }
            RunResult refused = secretsRefused(task, e);
            return Optional.of(refusal(
                    task, "the author's secrets could not be decrypted: " + refused.error(), refused.errorCategory()));
        }
        List<String> clashes =
                own.keySet().stream().filter(author::containsKey).sorted().toList();
        if (!clashes.isEmpty()) {
            return Optional.of(refusal(
                    task,
                    "the author's secrets and the caller's both define "
                            + clashes.stream().map(k -> "`" + k + "`").collect(Collectors.joining(", "))
                            + "; rename one side",
                    "custom"));
        }
        merged.putAll(author);
        merged.putAll(own);
        return Optional.empty();
    }

    /**
     * Which profile OutLayer's worker asks its keystore for (worker main.rs {@code handle_execute_job}):
     * only when the task names one ({@code secrets_ref}: its {@code profile}, owned by its {@code
     * account_id}), under the accessor of the task. A task of a project (an on-chain request of a {@code
     * Project} source, an HTTPS call) opens the project's secrets ({@code decrypt_secrets_by_project}: every
     * version of the project shares them), whatever its code is and with no branch asked; otherwise a
     * GitHub source opens its repository's, for the branch of its commit ({@code
     * decrypt_secrets_from_contract}), and a WasmUrl source its wasm hash's ({@code
     * decrypt_secrets_by_wasm_hash}).
     */
    private SecretsRef secretsOf(ExecutionTask task) {
        SecretsReference named = task.secretsRef();
        if (named == null) {
            return null;
        }
        if (task.projectId() != null && !task.projectId().isEmpty()) {
            // seed project:<project_id>:<owner>
            return new SecretsRef(
                    named.accountId(),
                    named.profile(),
                    null,
                    null,
                    new SecretAccessor.Project(task.projectId()).toJson());
        }
        if (task.codeSource().repo() != null) {
            // the branch the coordinator resolves for the commit, none when it cannot
            return new SecretsRef(
                    named.accountId(), named.profile(), task.codeSource().repo(), branchOf(task.codeSource()));
        }
        // seed wasm_hash:<hash>:<owner>
        return new SecretsRef(
                named.accountId(),
                named.profile(),
                null,
                null,
                new SecretAccessor.WasmHash(task.codeSource().hash()).toJson());
    }

    /**
     * The branch OutLayer's worker asks its keystore to open a GitHub source's secrets for
     * ({@code api_client.resolve_branch(repo, commit)} before {@code decrypt_secrets_from_contract}):
     * the coordinator's answer (the commit itself when it names a branch), or none when the
     * coordinator cannot resolve it, so that only a profile stored without a branch is found. The
     * coordinator's resolver is called here directly, with the same cache.
     */
    private String branchOf(CodeSource source) {
        return source.commit() == null ? null : branches.branchOrNone(source.repo(), source.commit());
    }

    /**
     * What OutLayer's worker hands {@code merge_env_vars} for this task: the request's context as the
     * monitor saw it on chain (block, receipt, transaction, payment, project, {@code attached_usd}),
     * or an HTTPS call's key owner, id and {@code X-Attached-Deposit}. The in-process worker's RPC is
     * the emulator, whose URL names no mainnet: "testnet", as the worker derives it.
     */
    static OutlayerContext jobContext(ExecutionTask task) {
        String network = OutlayerContext.networkOf("");
        if (task.httpsCall()) {
            return OutlayerContext.ofHttpsCall(
                    network,
                    task.requestId(),
                    task.projectId(),
                    task.projectUuid(),
                    new OutlayerContext.HttpsCall(task.callId(), task.paymentKeyOwner(), task.attachedDepositUsd()));
        }
        JsonNode context = task.context() == null ? MissingNode.getInstance() : task.context();
        return new OutlayerContext(
                network,
                text(context, "sender_id"),
                task.userAccountId(),
                text(context, "predecessor_id"),
                text(context, "signer_public_key"),
                text(context, "contract_id"),
                number(context, "block_height"),
                number(context, "block_timestamp"),
                text(context, "receipt_id"),
                task.transactionHash(),
                number(context, "gas_burnt"),
                task.requestId(),
                task.nearPaymentYocto(),
                task.attachedUsd(),
                task.projectId(),
                task.projectUuid(),
                null);
    }

    private static String text(JsonNode context, String field) {
        JsonNode value = context.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static Long number(JsonNode context, String field) {
        JsonNode value = context.path(field);
        return value.canConvertToLong() ? value.asLong() : null;
    }

    /** What OutLayer's worker tells a caller of a keystore answer other than 400, 401 and 404 (keystore_client.rs). */
    static final String CANNOT_BE_EVALUATED = "Failed to decrypt secrets. Please check your secrets configuration.";

    /** What OutLayer's worker tells a caller of a keystore 400 that is not "not found" (keystore_client.rs). */
    static final String INVALID_REQUEST = "Invalid secrets request. Please check your secrets configuration.";

    /**
     * A run refused because its secrets could not be had, reported as OutLayer's worker reports it
     * ({@code report_refusal}: nothing ran, no time, no instructions; keystore_client.rs {@code secrets_error} and
     * main.rs {@code secrets_failure_category}, out-layer/outlayer 516d136): a refused access condition is
     * {@code access_denied} with the keystore's own sentence ({@code access_denied_message}); a keystore that
     * could not be asked is {@code failed}, without its address (which stays in the log). A keystore 400 is {@code
     * failed} with OutLayer's worker's sentence ({@link #INVALID_REQUEST}), and a condition the keystore cannot
     * evaluate (its 422; OutLayer's keystore answers 500 {@code Access validation failed: ...}) {@code failed}
     * with its sentence for a 500 ({@link #CANNOT_BE_EVALUATED}): the keystore's reason only in the log. A
     * payload the client's own checks refused (reserved names, not a JSON object; OutLayer's {@code Invalid
     * secrets format}) is {@code custom}.
     */
    private static RunResult secretsRefused(ExecutionTask task, LinuxEmulator.SecretsUnavailable e) {
        LOG.info("secrets of request {} refused: {}", task.requestId(), e.getMessage());
        String category;
        String error;
        switch (e.kind()) {
            case FORBIDDEN -> {
                category = "access_denied";
                String said = e.keystoreReason() == null
                        ? ""
                        : e.keystoreReason().strip().replaceAll("\\.+$", "");
                error = said.isEmpty()
                        ? "Access to secrets denied. Check access conditions."
                        : said + ". Check the access conditions configured by the secret owner.";
            }
            case INVALID -> {
                // the keystore's 400 (its reason is kept apart): OutLayer's worker rewrites it and files it as failed,
                // since the sentence names no access; the client's own refusal of the payload is the author's to fix
                boolean keystoreSaid = e.keystoreReason() != null;
                category = keystoreSaid ? "failed" : "custom";
                error = keystoreSaid ? INVALID_REQUEST : e.getMessage();
            }
            case UNPROCESSABLE -> {
                // OutLayer's keystore answers a condition it cannot evaluate 500 "Access validation failed: ...", which
                // its worker rewrites (keystore_client.rs secrets_error) and files as failed (secrets_failure_category)
                category = "failed";
                error = CANNOT_BE_EVALUATED;
            }
            case GATEWAY_TIMEOUT -> {
                category = "failed";
                error = "Secrets decryption failed: the keystore did not answer in time";
            }
            default -> {
                category = "failed";
                error = "Secrets decryption failed: the keystore is unavailable";
            }
        }
        return new RunResult(false, new byte[0], error, category, 0, 0);
    }

    /** The request's limits; a limit the contract left at 0 takes the worker's default. */
    private ProcessLimits limits(ExecutionTask task) {
        ProcessLimits defaults = linux.defaultLimits();
        var asked = task.resourceLimits();
        if (asked == null) {
            return defaults;
        }
        return new ProcessLimits(
                asked.maxInstructions() > 0 ? asked.maxInstructions() : defaults.maxInstructions(),
                asked.maxMemoryMb() > 0
                        ? (int) Math.min(Integer.MAX_VALUE, asked.maxMemoryMb())
                        : defaults.maxMemoryMb(),
                asked.maxExecutionSeconds() > 0 ? asked.maxExecutionSeconds() : defaults.maxSeconds());
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

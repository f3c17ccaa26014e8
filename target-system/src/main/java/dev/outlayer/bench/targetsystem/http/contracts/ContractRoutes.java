package dev.outlayer.bench.targetsystem.http.contracts;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.CallScheduler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.HostBinding;
import dev.outlayer.bench.targetsystem.contracts.LinuxMode;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.Callers;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.http.ServerTiming;
import dev.outlayer.bench.targetsystem.identity.Caller;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.SameThreadExecutor;
import java.util.Map;

/**
 * The coordinator's {@code /contracts/...} routes (target-system-api.md, "Contracts"). Bodies
 * are read on the IO thread; compiling and executing run on the {@link CallScheduler}'s
 * workers, one call at a time per account; a full queue answers 503.
 */
public final class ContractRoutes {
    private final ContractSimulator simulator;
    private final CallScheduler scheduler;
    private final BodyReader bodies;
    private final long maxWasmBytes;
    private final LinuxMode linux;
    private final Callers callers;
    private final LinuxDemoCall linuxDemo = new LinuxDemoCall();

    /**
     * @param linux   what runs {@code mode: "linux"}; null refuses that mode
     * @param callers who sends a linux-mode call (its share of the workers, the account for its secrets)
     */
    public ContractRoutes(
            ContractSimulator simulator,
            CallScheduler scheduler,
            BodyReader bodies,
            long maxWasmBytes,
            LinuxMode linux,
            Callers callers) {
        this.simulator = simulator;
        this.scheduler = scheduler;
        this.bodies = bodies;
        this.maxWasmBytes = maxWasmBytes;
        this.linux = linux;
        this.callers = callers;
    }

    public void register(Routes coordinator) {
        coordinator.route(Methods.PUT, "/contracts/{account_id}", this::deploy);
        coordinator.route(Methods.POST, "/contracts/{account_id}/call", exchange -> call(exchange, false));
        coordinator.route(Methods.POST, "/contracts/{account_id}/view", exchange -> call(exchange, true));
        coordinator.route(Methods.GET, "/contracts/{account_id}", this::summary);
        coordinator.health(
                "contracts",
                () -> Map.of(
                        "accounts", simulator.accounts().size(),
                        "compiled_modules", simulator.compiledModules(),
                        "queued", scheduler.queued(),
                        "queue_capacity", scheduler.capacity()));
    }

    private static String accountId(HttpServerExchange exchange) {
        // The coordinator's router keeps path parameters in the match, not in the query.
        return exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY)
                .getParameters()
                .get("account_id");
    }

    /** What a deploy reports. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    private record Deployed(String accountId, String codeHash, int codeSize) {}

    // ---- PUT /contracts/{account_id} ----

    private void deploy(HttpServerExchange exchange) {
        String accountId = accountId(exchange);
        if (!AccountIds.isValid(accountId)) {
            // Before the body is read: a wrong path should not cost a 4 MiB upload.
            throw ApiException.invalid("invalid NEAR account id: " + accountId);
        }
        bodies.bytes(
                exchange,
                maxWasmBytes,
                (ex, code) -> onWorker(ex, accountId, () -> {
                    ContractSimulator.Deployed deployed = simulator.deploy(accountId, code);
                    Responses.jsonFromWorker(
                            ex, 201, new Deployed(deployed.accountId(), deployed.codeHash(), deployed.codeSize()));
                }));
    }

    // ---- POST /contracts/{account_id}/call and /view ----

    private void call(HttpServerExchange exchange, boolean view) {
        String accountId = accountId(exchange);
        bodies.json(exchange, CallBody.class, (ex, body) -> {
            if (body.linux() && linux == null) {
                throw ApiException.invalid("mode \"linux\" is not available here; use \"direct\""
                        + " (the Linux emulator mode is not part of this build)");
            }
            CallRequest request = body.toRequest(accountId, view);
            Caller caller = body.linux() ? callers.of(ex) : null;
            if (simulator.account(accountId).map(a -> !a.hasContract()).orElse(true)) {
                throw new ContractSimulator.UnknownAccountException(accountId);
            }
            if (body.linuxDemo()) {
                byte[] code = simulator.account(accountId).orElseThrow().code();
                int codeSize = code == null ? 0 : code.length;
                linuxDemo.answer(ex, body.method(), codeSize, body.coldStart());
                return;
            }
            long queuedAt = System.nanoTime();
            onWorker(ex, view ? null : accountId, () -> execute(ex, request, body, caller, queuedAt));
        });
    }

    /** On a contract worker: runs the call and answers with its outcome, a failed execution included. */
    private void execute(
            HttpServerExchange exchange, CallRequest request, CallBody body, Caller caller, long queuedAt) {
        ServerTiming timing = ServerTiming.of(exchange);
        timing.since("queue", queuedAt);
        LinuxMode.Call linuxCall =
                body.linux() ? linux.start(request, body.coldStart(), body.secrets(), caller, timing) : null;
        HostBinding binding = linuxCall == null ? HostBinding.DIRECT : linuxCall;
        if (request.view()) {
            Outcome outcome = simulator.execute(request, binding);
            LinuxMode.Accounting accounting = accounting(linuxCall, timing);
            timing.add("instantiate", outcome.instantiateNanos());
            timing.add("exec", outcome.execNanos());
            Responses.jsonFromWorker(
                    exchange, outcome.success() ? 200 : 422, CallAnswer.of(request.accountId(), outcome, accounting));
            return;
        }
        long started = System.nanoTime();
        TxOutcome tree = simulator.call(request, body.waitMode(), binding);
        long treeNanos = System.nanoTime() - started;
        Outcome outcome = ContractSimulator.firstCall(tree);
        LinuxMode.Accounting accounting = accounting(linuxCall, timing);
        timing.add("instantiate", outcome.instantiateNanos());
        timing.add("exec", outcome.execNanos());
        timing.add("receipts", Math.max(0, treeNanos - outcome.instantiateNanos() - outcome.execNanos()));
        Responses.jsonFromWorker(
                exchange,
                CallAnswer.status(tree, body.waitMode()),
                CallAnswer.of(tree, body.waitMode(), outcome, accounting));
    }

    private static LinuxMode.Accounting accounting(LinuxMode.Call linuxCall, ServerTiming timing) {
        if (linuxCall == null) {
            return null;
        }
        LinuxMode.Accounting accounting = linuxCall.accounting();
        timing.add(accounting.coldStart() ? "boot" : "worker", accounting.workerNanos());
        return accounting;
    }

    // ---- GET /contracts/{account_id} ----

    private void summary(HttpServerExchange exchange) {
        String accountId = accountId(exchange);
        var account =
                simulator.account(accountId).orElseThrow(() -> ApiException.notFound("unknown account " + accountId));
        AccountSummary summary = account.read(snapshot -> AccountSummary.of(accountId, snapshot, account.code()));
        Responses.json(exchange, 200, summary);
    }

    // ---- plumbing ----

    /**
     * Leaves the IO thread: runs {@code work} on a contract worker after every earlier call to
     * {@code serialAccount} (null: no ordering). A full queue is answered 503 with Retry-After;
     * whatever {@code work} throws is answered too.
     */
    private void onWorker(HttpServerExchange exchange, String serialAccount, ErrorHandler.Task work) {
        // Submitted once the exchange is dispatched (same thread), so that the scheduler's refusal is ours to answer.
        ErrorHandler.dispatch(
                exchange,
                SameThreadExecutor.INSTANCE,
                () -> scheduler.submit(serialAccount, () -> ErrorHandler.guard(exchange, work)));
    }
}

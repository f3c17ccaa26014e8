package dev.outlayer.bench.targetsystem.http.executions;

import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.header;
import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.pathParameter;
import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.paymentKeyInPath;
import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.requireWorker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.executions.AgentSecretsRef;
import dev.outlayer.bench.targetsystem.executions.ExecutionCoordinator;
import dev.outlayer.bench.targetsystem.executions.HttpsCallCompletion;
import dev.outlayer.bench.targetsystem.executions.HttpsCalls;
import dev.outlayer.bench.targetsystem.executions.SecretsReference;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ClientAddressLimit;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.json.SerdeFields;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import dev.outlayer.bench.targetsystem.payments.PaymentKeyHeader;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * OutLayer's HTTPS API on the coordinator (handlers/call.rs, topup.rs): {@code POST
 * /{project_owner}/{project_name}} and {@code GET /calls/{call_id}} for holders of a payment key,
 * {@code GET /public/payment-keys/{owner}/{nonce}/balance} and {@code GET /payment-keys/balance};
 * for workers (worker token) {@code POST /https-calls/complete}, {@code /payment-keys/init}, {@code
 * /topup/complete} and {@code /payment-keys/delete}, through which OutLayer's workers report what
 * they ran and the payment keys they found on chain, and the system-callback tasks its event monitor
 * creates ({@code /topup/create}, {@code /payment-keys/delete-task/create}, {@code
 * /projects/cleanup-task/create}). Every store call (the payment keys, the calls, the system-callback
 * queue) runs on a worker thread when the stores are PostgreSQL ({@code --jobs-db-url}), never on the I/O
 * thread whose other connections would wait behind it ({@link #onStore}).
 */
public final class HttpsCallRoutes {
    private final ExecutionCoordinator coordinator;
    private final HttpsCalls calls;
    private final WorkerTokens workerTokens;
    private final BodyReader bodies;

    private HttpsCallRoutes(
            ExecutionCoordinator coordinator, HttpsCalls calls, WorkerTokens workerTokens, BodyReader bodies) {
        this.coordinator = coordinator;
        this.calls = calls;
        this.workerTokens = workerTokens;
        this.bodies = bodies;
    }

    public static void register(
            Routes routes,
            ExecutionCoordinator coordinator,
            HttpsCalls calls,
            WorkerTokens workerTokens,
            BodyReader bodies,
            ClientAddressLimit limit) {
        HttpsCallRoutes api = new HttpsCallRoutes(coordinator, calls, workerTokens, bodies);
        // OutLayer's router mounts the call at /call/...; its handler's doc and this stand-in's first
        // version named /{project_owner}/{project_name}, kept so that clients of either form work. Undertow
        // prefers a literal segment (/jobs/claim, /wasm/upload, ...) to the bare template, as axum prefers
        // static routes to a template. The API's three client routes share OutLayer's per-address limit.
        routes.route(Methods.POST, "/call/{project_owner}/{project_name}", limit.guard(api::call));
        routes.route(Methods.POST, "/{project_owner}/{project_name}", limit.guard(api::call));
        routes.route(Methods.GET, "/calls/{call_id}", limit.guard(api::poll));
        routes.route(Methods.POST, "/https-calls/complete", api::complete);
        routes.route(Methods.POST, "/payment-keys/init", api::initKey);
        routes.route(Methods.POST, "/topup/complete", api::completeTopUp);
        routes.route(Methods.POST, "/payment-keys/delete", api::deleteKey);
        routes.route(Methods.POST, "/topup/create", api::createTopUpTask);
        routes.route(Methods.POST, "/payment-keys/delete-task/create", api::createDeleteTask);
        routes.route(Methods.POST, "/projects/cleanup-task/create", api::createProjectCleanupTask);
        routes.route(Methods.GET, "/public/payment-keys/{owner}/{nonce}/balance", api::publicBalance);
        routes.route(Methods.GET, "/payment-keys/balance", limit.guard(api::balance));
    }

    // ---- bodies (OutLayer's shapes) ----

    /** OutLayer's {@code ResourceLimitsInput}. */
    record LimitsBody(
            @JsonProperty("max_instructions") Long maxInstructions,
            @JsonProperty("max_memory_mb") Long maxMemoryMb,
            @JsonProperty("max_execution_seconds") Long maxExecutionSeconds) {
        LimitsBody {
            for (Long limit : new Long[] {maxInstructions, maxMemoryMb, maxExecutionSeconds}) {
                if (limit != null && limit < 0) {
                    throw new IllegalArgumentException("resource_limits must not be negative");
                }
            }
            if (maxMemoryMb != null && maxMemoryMb > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("resource_limits.max_memory_mb must fit a u32");
            }
        }
    }

    /**
     * OutLayer's {@code HttpsCallRequest}: {@code input} is a {@code serde_json::Value} with no serde default, so
     * a body without it is serde's "missing field `input`" (axum's 422) while {@code "input": null} is the value
     * null, taken (the program reads {@code null}); {@code async} is a {@code #[serde(default)] bool} (absent is
     * false).
     */
    record CallBody(
            @JsonProperty("input") JsonNode input,
            @JsonProperty("resource_limits") LimitsBody resourceLimits,

            @JsonProperty(value = "async", defaultValue = "false")
            boolean async,

            @JsonProperty("secrets_ref") SecretsReference secretsRef,
            @JsonProperty("version_key") String versionKey) {
        CallBody {
            // Jackson reads a missing member as null and JSON null as a NullNode, as serde tells them apart
            SerdeFields.required(input, "input");
            // OutLayer's SecretsReference has two Strings: serde refuses a missing or null one (422); an
            // empty one is well typed and refused by the door check (400 invalid_secrets_ref, HttpsCalls)
            if (secretsRef != null && (secretsRef.profile() == null || secretsRef.accountId() == null)) {
                throw new IllegalArgumentException("secrets_ref needs profile and account_id");
            }
        }

        HttpsCalls.Request request() {
            HttpsCalls.Limits limits = resourceLimits == null
                    ? null
                    : new HttpsCalls.Limits(
                            resourceLimits.maxInstructions(),
                            resourceLimits.maxMemoryMb(),
                            resourceLimits.maxExecutionSeconds());
            return new HttpsCalls.Request(input, limits, async, secretsRef, versionKey);
        }
    }

    /**
     * OutLayer's {@code CompleteHttpsCallRequest}: {@code instructions} and {@code time_ms} are {@code
     * #[serde(default)] u64} (absent is 0, null refused: they price the call), {@code refund_usd} an {@code
     * Option<u64>}.
     */
    record CompleteBody(
            @JsonProperty("call_id") String callId,
            @JsonProperty("success") Boolean success,
            @JsonProperty("output") JsonNode output,
            @JsonProperty("error") String error,

            @JsonProperty(value = "instructions", defaultValue = "0")
            long instructions,

            @JsonProperty(value = "time_ms", defaultValue = "0")
            long timeMs,

            @JsonProperty("refund_usd") Long refundUsd,
            @JsonProperty("job_id") Long jobId) {
        CompleteBody {
            if (callId == null || callId.isBlank()) {
                throw new IllegalArgumentException("call_id is required");
            }
            if (success == null) {
                throw new IllegalArgumentException("success is required (true or false)");
            }
            for (Long n : new Long[] {instructions, timeMs, refundUsd}) {
                if (n != null && n < 0) {
                    throw new IllegalArgumentException("instructions, time_ms and refund_usd must not be negative");
                }
            }
        }
    }

    /** OutLayer's {@code CompleteHttpsCallResponse}. */
    record Completed(
            @JsonProperty("call_id") String callId,
            @JsonProperty("finalized") boolean finalized) {}

    /**
     * OutLayer's {@code InitPaymentKeyRequest}; its {@code project_ids} is a {@code #[serde(default)]
     * Vec<String>}: absent is every project, null is refused (as on {@link TopUpBody}).
     */
    record InitKeyBody(
            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") Long nonce,
            @JsonProperty("key_hash") String keyHash,

            @JsonProperty("project_ids") @JsonDeserialize(using = SerdeFields.Defaulted.class)
            List<String> projectIds,

            @JsonProperty("max_per_call") String maxPerCall) {
        InitKeyBody {
            requireKey(owner, nonce);
            requireKeyHash(keyHash);
            projectIds = projectIds == null ? List.of() : projectIds;
        }
    }

    /** OutLayer's {@code CreateTopUpRequest} (its event monitor's, after a TopUpPaymentKey event). */
    record CreateTopUpBody(
            @JsonProperty("data_id") String dataId,
            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") Long nonce,
            @JsonProperty("amount") String amount,
            @JsonProperty("encrypted_data") String encryptedData) {
        CreateTopUpBody {
            requireKey(owner, nonce);
            requireDataId(dataId);
            PaymentKeys.parseAmount(amount, "amount");
            if (encryptedData == null || encryptedData.isEmpty()) {
                throw new IllegalArgumentException("encrypted_data is required");
            }
        }
    }

    /** OutLayer's {@code CreateDeletePaymentKeyTaskRequest}. */
    record CreateDeleteTaskBody(
            @JsonProperty("data_id") String dataId,
            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") Long nonce) {
        CreateDeleteTaskBody {
            requireKey(owner, nonce);
            requireDataId(dataId);
        }
    }

    /**
     * OutLayer's {@code CreateProjectStorageCleanupRequest} (its event monitor's, after a project's
     * ProjectStorageCleanup event): two strings it takes as they are. One PostgreSQL cannot hold is
     * refused (in memory too, so both stores answer alike).
     */
    record CreateProjectCleanupBody(
            @JsonProperty("project_id") String projectId,
            @JsonProperty("project_uuid") String projectUuid) {
        CreateProjectCleanupBody {
            StorageRoutes.required(projectId, "project_id");
            StorageRoutes.required(projectUuid, "project_uuid");
        }
    }

    /** OutLayer's {@code key_hash} is a {@code String}, not an {@code Option}: serde refuses a body without it. */
    private static void requireKeyHash(String keyHash) {
        if (keyHash == null) {
            throw new IllegalArgumentException("key_hash is required");
        }
    }

    private static void requireDataId(String dataId) {
        if (dataId == null || !dataId.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("data_id must be the yield's 32 bytes in lower-case hex");
        }
    }

    /** OutLayer's {@code CompleteTopUpRequest}. */
    record TopUpBody(
            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") Long nonce,
            @JsonProperty("new_initial_balance") String newInitialBalance,
            @JsonProperty("amount") String amount,
            @JsonProperty("key_hash") String keyHash,

            @JsonProperty("project_ids") @JsonDeserialize(using = SerdeFields.Defaulted.class)
            List<String> projectIds,

            @JsonProperty("max_per_call") String maxPerCall) {
        TopUpBody {
            requireKey(owner, nonce);
            if (newInitialBalance == null) {
                throw new IllegalArgumentException("new_initial_balance is required");
            }
            requireKeyHash(keyHash);
            projectIds = projectIds == null ? List.of() : projectIds;
        }
    }

    /** OutLayer's {@code DeletePaymentKeyRequest}. */
    record DeleteKeyBody(
            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") Long nonce) {
        DeleteKeyBody {
            requireKey(owner, nonce);
        }
    }

    record Initialized(
            @JsonProperty("success") boolean success,
            @JsonProperty("created") boolean created) {}

    record ToppedUp(@JsonProperty("success") boolean success) {}

    record Deleted(
            @JsonProperty("success") boolean success,
            @JsonProperty("deleted") boolean deleted) {}

    /** OutLayer's {@code PaymentKeyBalanceResponse} ({@code is_grant} only when authenticated). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BalanceAnswer(
            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") long nonce,
            @JsonProperty("initial_balance") String initialBalance,
            @JsonProperty("spent") String spent,
            @JsonProperty("reserved") String reserved,
            @JsonProperty("available") String available,
            @JsonProperty("last_used_at") String lastUsedAt,
            @JsonProperty("is_grant") Boolean isGrant) {
        static BalanceAnswer of(PaymentKeys.Statement s, Boolean isGrant) {
            Instant used = s.lastUsedAt();
            return new BalanceAnswer(
                    s.owner(),
                    s.nonce(),
                    s.initialBalance().toString(),
                    s.spent().toString(),
                    s.reserved().toString(),
                    s.available().toString(),
                    used == null ? null : used.toString(),
                    isGrant);
        }
    }

    private static void requireKey(String owner, Long nonce) {
        if (owner == null || owner.isEmpty()) {
            throw new IllegalArgumentException("owner is required");
        }
        // OutLayer's worker sends the key's owner from the contract's event: always an account id
        String problem = AccountIds.problem(owner);
        if (problem != null) {
            throw new IllegalArgumentException("owner must be a NEAR account id: " + problem);
        }
        if (nonce == null || nonce < 0 || nonce > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("nonce is required (a u32)");
        }
    }

    // ---- handlers ----

    private void call(HttpServerExchange exchange) {
        String projectOwner = pathParameter(exchange, "project_owner");
        String projectName = pathParameter(exchange, "project_name");
        HttpsCalls.Credentials credentials = new HttpsCalls.Credentials(
                header(exchange, PaymentKeyHeader.NAME),
                header(exchange, "X-Compute-Limit"),
                header(exchange, "X-Attached-Deposit"),
                header(exchange, "X-Wallet-Id"),
                header(exchange, AgentSecretsRef.HEADER));
        bodies.axumJson(
                exchange,
                CallBody.class,
                (ex, body) -> ErrorHandler.dispatch(ex, () -> {
                    CompletableFuture<HttpsCalls.Answer> answer =
                            calls.call(coordinator, projectOwner, projectName, credentials, body.request());
                    if (answer.isDone()) {
                        Responses.json(ex, 200, answer.join());
                        return;
                    }
                    // A sync call: answered when a worker completes it (or it times out), no thread held.
                    // The exchange stays open after this dispatched task returns; the answer is sent from
                    // the IO thread (see Responses.jsonFromWorker).
                    answer.whenComplete((done, failure) -> ex.getIoThread()
                            .execute(() -> Connectors.executeRootHandler(
                                    e -> {
                                        if (failure != null) {
                                            ErrorHandler.answer(e, unwrap(failure));
                                        } else {
                                            Responses.json(e, 200, done);
                                        }
                                    },
                                    ex)));
                }));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * Runs a call of the stores where it may wait: with a database ({@code --jobs-db-url}) on a worker thread, never
     * on the I/O thread whose other connections would wait behind it; in memory here, on the I/O thread, where it
     * cannot wait and a handoff would cost more than the call (GET /calls/{id} is polled).
     */
    private void onStore(HttpServerExchange exchange, ErrorHandler.Task task) {
        if (calls.inDatabase()) {
            ErrorHandler.dispatch(exchange, task);
        } else {
            ErrorHandler.guard(exchange, task);
        }
    }

    private void poll(HttpServerExchange exchange) {
        String callId = pathParameter(exchange, "call_id");
        String paymentKey = header(exchange, PaymentKeyHeader.NAME);
        onStore(exchange, () -> Responses.json(exchange, 200, calls.poll(callId, paymentKey)));
    }

    private void complete(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(
                exchange,
                CompleteBody.class,
                (ex, body) -> ErrorHandler.dispatch(ex, () -> {
                    if (!calls.knows(body.callId())) {
                        throw ApiException.notFound("Call not found");
                    }
                    boolean finalized = calls.complete(new HttpsCallCompletion.Report(
                            body.callId(),
                            body.success(),
                            body.output(),
                            body.error(),
                            body.instructions(),
                            body.timeMs(),
                            body.refundUsd() == null ? 0 : body.refundUsd(),
                            body.jobId()));
                    Responses.json(ex, 200, new Completed(body.callId(), finalized));
                }));
    }

    private void initKey(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(
                exchange,
                InitKeyBody.class,
                (ex, body) -> onStore(ex, () -> {
                    boolean created = calls.keys()
                            .init(
                                    new PaymentKeys.Id(body.owner(), body.nonce()),
                                    body.keyHash(),
                                    body.projectIds(),
                                    body.maxPerCall());
                    Responses.json(ex, 200, new Initialized(true, created));
                }));
    }

    /** OutLayer's {@code create_topup_task}: queued once per event ({@code created: false} after). */
    private void createTopUpTask(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(
                exchange,
                CreateTopUpBody.class,
                (ex, body) -> onStore(
                        ex,
                        () -> Responses.json(
                                ex,
                                200,
                                calls.systemCallbacks()
                                        .orElseThrow()
                                        .createTopUp(
                                                body.dataId(),
                                                body.owner(),
                                                body.nonce(),
                                                body.amount(),
                                                body.encryptedData()))));
    }

    /** OutLayer's {@code create_delete_payment_key_task}. */
    private void createDeleteTask(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(
                exchange,
                CreateDeleteTaskBody.class,
                (ex, body) -> onStore(
                        ex,
                        () -> Responses.json(
                                ex,
                                200,
                                calls.systemCallbacks()
                                        .orElseThrow()
                                        .createDelete(body.dataId(), body.owner(), body.nonce()))));
    }

    /**
     * OutLayer's {@code create_project_storage_cleanup_task}: queued once per project uuid ({@code created:
     * false} after); the worker that takes it clears the project's storage.
     */
    private void createProjectCleanupTask(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(
                exchange,
                CreateProjectCleanupBody.class,
                (ex, body) -> onStore(
                        ex,
                        () -> Responses.json(
                                ex,
                                200,
                                calls.systemCallbacks()
                                        .orElseThrow()
                                        .createProjectCleanup(body.projectId(), body.projectUuid()))));
    }

    private void completeTopUp(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(exchange, TopUpBody.class, (ex, body) -> {
            BigInteger balance = PaymentKeys.parseAmount(body.newInitialBalance(), "new_initial_balance");
            BigInteger amount = body.amount() == null ? null : PaymentKeys.parseAmount(body.amount(), "amount");
            onStore(ex, () -> {
                calls.keys()
                        .completeTopUp(
                                new PaymentKeys.Id(body.owner(), body.nonce()),
                                body.keyHash(),
                                balance,
                                amount,
                                body.projectIds(),
                                body.maxPerCall());
                Responses.json(ex, 200, new ToppedUp(true));
            });
        });
    }

    private void deleteKey(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(
                exchange,
                DeleteKeyBody.class,
                (ex, body) -> onStore(ex, () -> {
                    boolean deleted = calls.keys().delete(new PaymentKeys.Id(body.owner(), body.nonce()));
                    Responses.json(ex, 200, new Deleted(true, deleted));
                }));
    }

    private void publicBalance(HttpServerExchange exchange) {
        PaymentKeys.Id id = paymentKeyInPath(exchange);
        onStore(
                exchange,
                () -> Responses.json(
                        exchange, 200, BalanceAnswer.of(calls.keys().statement(id), null)));
    }

    /** {@code GET /payment-keys/balance}: the presented key's balance, with {@code is_grant}. */
    private void balance(HttpServerExchange exchange) {
        PaymentKeyHeader header = PaymentKeyHeader.parse(header(exchange, PaymentKeyHeader.NAME));
        onStore(exchange, () -> {
            PaymentKeys.Metadata key = calls.keys().validate(header);
            PaymentKeys.Id id = new PaymentKeys.Id(header.owner(), header.nonce());
            Responses.json(exchange, 200, BalanceAnswer.of(calls.keys().statement(id), key.grant()));
        });
    }
}

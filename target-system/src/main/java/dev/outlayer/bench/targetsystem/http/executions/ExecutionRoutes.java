package dev.outlayer.bench.targetsystem.http.executions;

import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.pathParameter;
import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.queryParameter;
import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.requireWorker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.executions.ExecutionCoordinator;
import dev.outlayer.bench.targetsystem.executions.ExecutionTask;
import dev.outlayer.bench.targetsystem.executions.ExecutionWorker;
import dev.outlayer.bench.targetsystem.executions.Job;
import dev.outlayer.bench.targetsystem.executions.JobClaim;
import dev.outlayer.bench.targetsystem.executions.JobOutcome;
import dev.outlayer.bench.targetsystem.executions.JobStatus;
import dev.outlayer.bench.targetsystem.executions.JobType;
import dev.outlayer.bench.targetsystem.executions.Pricing;
import dev.outlayer.bench.targetsystem.executions.SystemCallbacks;
import dev.outlayer.bench.targetsystem.executions.TaskQueue;
import dev.outlayer.bench.targetsystem.executions.WasmFile;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.JsonRejection;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The execution lifecycle on the coordinator: the phase API for clients ({@code GET
 * /executions/{request_id}}) and the worker API in OutLayer's shapes ({@code GET
 * /executions/poll}, {@code POST /executions/create}, {@code POST /jobs/claim|complete}, {@code
 * /wasm/upload}, {@code /wasm/{checksum}}, {@code /wasm/exists/{checksum}}, {@code POST
 * /workers/heartbeat|task-completion}; ours: {@code /jobs/fail|heartbeat} and {@code GET
 * /tasks/poll}, the poll's earlier path), the latter for holders of a worker token; OutLayer's
 * public {@code /public/workers} and {@code /public/wasm/exists/{checksum}} need none.
 */
public final class ExecutionRoutes {
    /** OutLayer's poll caps its long-poll at 120 s; its default is 60 s. */
    static final long MAX_POLL_SECONDS = 120;

    static final long DEFAULT_POLL_SECONDS = 60;

    /**
     * OutLayer's body limit for every worker route (coordinator main.rs: {@code
     * DefaultBodyLimit::max(10 * 1024 * 1024)} on the protected routes), a wasm upload included.
     */
    public static final long WORKER_BODY_LIMIT = 10L * 1024 * 1024;

    private final ExecutionCoordinator coordinator;
    private final WorkerTokens workerTokens;
    private final BodyReader bodies;

    private ExecutionRoutes(ExecutionCoordinator coordinator, WorkerTokens workerTokens, BodyReader bodies) {
        this.coordinator = coordinator;
        this.workerTokens = workerTokens;
        this.bodies = bodies;
    }

    public static void register(
            Routes routes, ExecutionCoordinator coordinator, WorkerTokens workerTokens, BodyReader bodies) {
        ExecutionRoutes api = new ExecutionRoutes(coordinator, workerTokens, bodies);
        routes.route(Methods.GET, "/executions/{request_id}", api::execution);
        // OutLayer's path (coordinator main.rs): Undertow prefers the literal segment to {request_id}.
        routes.route(Methods.GET, "/executions/poll", exchange -> api.poll(exchange, true));
        routes.route(Methods.GET, "/tasks/poll", exchange -> api.poll(exchange, false));
        routes.route(Methods.POST, "/jobs/claim", api::claim);
        routes.route(Methods.POST, "/jobs/complete", api::complete);
        routes.route(Methods.POST, "/jobs/fail", api::fail);
        routes.route(Methods.POST, "/jobs/heartbeat", api::heartbeat);
        routes.route(Methods.POST, "/workers/heartbeat", api::workerHeartbeat);
        routes.route(Methods.POST, "/workers/task-completion", api::taskCompletion);
        routes.route(Methods.GET, "/public/workers", api::workers);
        // OutLayer's handlers/pricing.rs get_pricing: the pricing the claims carry, for anyone (its dashboard)
        routes.route(
                Methods.GET,
                "/public/pricing",
                exchange ->
                        ErrorHandler.dispatch(exchange, () -> Responses.json(exchange, 200, coordinator.pricing())));
        routes.route(Methods.POST, "/executions/create", api::createTask);
        routes.route(Methods.GET, "/system-callbacks/poll", api::pollSystemCallbacks);
        // OutLayer's wasm cache (handlers/wasm.rs): workers share compiled wasm through the coordinator
        routes.route(Methods.POST, "/wasm/upload", api::uploadWasm);
        routes.route(Methods.GET, "/wasm/exists/{checksum}", exchange -> api.wasmExists(exchange, true));
        routes.route(Methods.GET, "/public/wasm/exists/{checksum}", exchange -> api.wasmExists(exchange, false));
        routes.route(Methods.GET, "/wasm/{checksum}", api::downloadWasm);
        routes.health("executions", coordinator::health);
    }

    private void execution(HttpServerExchange exchange) {
        String text = pathParameter(exchange, "request_id");
        long requestId;
        try {
            requestId = Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("request_id must be an unsigned integer");
        }
        Responses.json(
                exchange,
                200,
                coordinator
                        .phases()
                        .view(requestId)
                        .orElseThrow(() -> new ApiException(
                                ApiException.Kind.NOT_FOUND,
                                "no execution request " + Long.toUnsignedString(requestId) + " seen")));
    }

    /**
     * A task for a worker, as OutLayer's {@code poll_task} (handlers/tasks.rs): {@code timeout} in
     * seconds, {@code queue} ({@code compile} or {@code execute}) or {@code capabilities}
     * (comma-separated {@code compilation}, {@code execution}) naming the queues polled: compile
     * for a compiler, execute for an executor, both (compile first) for a worker that does both.
     * OutLayer refuses a poll naming neither (400); {@code /tasks/poll} (the stand-in's earlier
     * path) polls both queues when it names neither.
     */
    private void poll(HttpServerExchange exchange, boolean outlayerPath) {
        requireWorker(exchange, workerTokens);
        String queue = queryParameter(exchange, "queue");
        Set<TaskQueue> queues;
        if (queue != null) {
            if (!queue.equals("compile") && !queue.equals("execute")) {
                throw ApiException.invalid("queue must be 'compile' or 'execute'");
            }
            queues = EnumSet.of(TaskQueue.ofWire(queue));
        } else {
            String capabilities = queryParameter(exchange, "capabilities");
            List<String> named = capabilities == null
                    ? List.of()
                    : Arrays.stream(capabilities.split(",")).map(String::trim).toList();
            queues = TaskQueue.forCapabilities(named.contains("compilation"), named.contains("execution"));
            if (queues.isEmpty()) {
                if (outlayerPath) {
                    throw ApiException.invalid(
                            "capabilities must include 'compilation' or 'execution' (comma-separated), or queue"
                                    + " must be named");
                }
                queues = TaskQueue.ALL;
            }
        }
        Duration wait = Duration.ofSeconds(pollSeconds(exchange));
        Set<TaskQueue> polled = queues;
        ErrorHandler.dispatch(exchange, () -> {
            Optional<ExecutionTask> task = coordinator.pollTask(polled, wait);
            if (task.isPresent()) {
                Responses.json(exchange, 200, task.get());
            } else {
                exchange.setStatusCode(204);
                exchange.endExchange();
            }
        });
    }

    /** How long a poll may wait: the query's {@code timeout} in seconds, at most {@link #MAX_POLL_SECONDS}. */
    private static long pollSeconds(HttpServerExchange exchange) {
        long seconds = DEFAULT_POLL_SECONDS;
        String timeout = queryParameter(exchange, "timeout");
        if (timeout != null) {
            try {
                seconds = Long.parseLong(timeout);
            } catch (NumberFormatException e) {
                throw ApiException.invalid("timeout must be a whole number of seconds");
            }
            if (seconds < 0) {
                throw ApiException.invalid("timeout must not be negative");
            }
        }
        return Math.min(seconds, MAX_POLL_SECONDS);
    }

    /**
     * OutLayer's JobInfo (coordinator models.rs, handlers/jobs.rs {@code claim_job}): an execute
     * job carries what the request's compile job left, {@code compile_error} when it failed (the
     * executor reports it to the contract instead of running anything), {@code compile_time_ms}
     * when it succeeded (charged in the resolution) and {@code compile_cost_yocto} as the compile's
     * worker reported it; {@code created_at}, the job's creation in unix seconds (OutLayer's worker
     * reads it, default 0, for its attestation); plus {@code attempt}, ours: the claim's number,
     * which complete and heartbeat name. OutLayer's {@code project_uuid} and {@code project_id}
     * are absent (an HTTPS call's task carries them).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JobInfo(
            @JsonProperty("job_id") long jobId,
            @JsonProperty("job_type") JobType jobType,
            @JsonProperty("wasm_checksum") String wasmChecksum,
            @JsonProperty("allowed") boolean allowed,
            @JsonProperty("compile_cost_yocto") String compileCostYocto,
            @JsonProperty("compile_error") String compileError,
            @JsonProperty("compile_time_ms") Long compileTimeMs,
            @JsonProperty("created_at") long createdAt,
            @JsonProperty("attempt") int attempt) {}

    /** OutLayer's ClaimJobResponse: the jobs (none, or one) and the contract's pricing. */
    record ClaimAnswer(
            @JsonProperty("jobs") List<JobInfo> jobs,
            @JsonProperty("pricing") Pricing pricing) {}

    private void claim(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        // The job store may be a database: its calls run on a worker thread, never on the I/O thread
        // every other connection of this thread waits behind (so do complete, fail and heartbeat).
        bodies.axumJson(
                exchange,
                WorkerRequests.Claim.class,
                (ex, request) -> ErrorHandler.dispatch(ex, () -> {
                    boolean canCompile = request.capabilities().contains("compilation");
                    boolean canExecute = request.capabilities().contains("execution");
                    if (!canCompile && !canExecute) {
                        throw ApiException.invalid("capabilities must include 'compilation' or 'execution'");
                    }
                    Optional<JobClaim> claim = coordinator.claimForWorker(
                            request.requestId(),
                            request.dataId(),
                            request.workerId(),
                            request.codeSource(),
                            canCompile,
                            canExecute,
                            request.forceRebuild(),
                            request.compileOnly(),
                            request.hasCompileResult());
                    String checksum = request.codeSource().wasmChecksum();
                    List<JobInfo> jobs =
                            claim.map(c -> List.of(jobInfo(c, checksum))).orElse(List.of());
                    Responses.json(ex, 200, new ClaimAnswer(jobs, coordinator.pricing()));
                }));
    }

    private JobInfo jobInfo(JobClaim claim, String checksum) {
        String compileError = null;
        Long compileTimeMs = null;
        String compileCost = null;
        if (claim.jobType() == JobType.EXECUTE) {
            Optional<Job> compile = coordinator.finishedCompile(claim.requestId(), claim.dataId());
            if (compile.isPresent() && compile.get().status() == JobStatus.FAILED) {
                compileError =
                        compile.get().errorDetails() != null ? compile.get().errorDetails() : "Compilation failed";
            } else if (compile.isPresent()) {
                compileTimeMs = compile.get().timeMs();
            }
            // OutLayer sends the compile job's cost whether it succeeded or not (a failed compile has none)
            compileCost = compile.map(Job::compileCostYocto).orElse(null);
        }
        long createdAt = coordinator
                .store()
                .job(claim.jobId())
                .map(job -> job.createdAt().getEpochSecond())
                .orElse(0L);
        return new JobInfo(
                claim.jobId(),
                claim.jobType(),
                checksum,
                true,
                compileCost,
                compileError,
                compileTimeMs,
                createdAt,
                claim.attempt());
    }

    private void complete(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(exchange, WorkerRequests.Complete.class, (ex, request) -> {
            if (request.success() == null) {
                // OutLayer's CompleteJobRequest has `success: bool`: serde refuses the body without it
                throw JsonRejection.data("success is required (true or false)");
            }
            ErrorHandler.dispatch(ex, () -> finish(ex, request, request.success()));
        });
    }

    /** {@code POST /jobs/fail}: complete with success false (OutLayer reports failures through complete). */
    private void fail(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.json(
                exchange,
                WorkerRequests.Complete.class,
                (ex, request) -> ErrorHandler.dispatch(ex, () -> finish(ex, request, false)));
    }

    private void finish(HttpServerExchange exchange, WorkerRequests.Complete request, boolean success) {
        JobClaim claim = request.workerId() != null
                ? claimOf(request.jobId(), request.workerId(), request.attempt())
                : firstClaimOf(request.jobId());
        String category = request.errorCategory() == null ? "failed" : request.errorCategory();
        JobOutcome outcome = success
                ? new JobOutcome(
                        true,
                        null,
                        null,
                        request.timeMs(),
                        request.instructions(),
                        request.wasmChecksum(),
                        request.compileCostYocto(),
                        request.compileResult())
                : new JobOutcome(
                        false,
                        request.error(),
                        category,
                        request.timeMs(),
                        request.instructions(),
                        null,
                        request.compileCostYocto(),
                        null);
        if (!coordinator.complete(claim, outcome)) {
            throw new ApiException(
                    ApiException.Kind.CONFLICT,
                    "job " + request.jobId() + " is not in progress under this claim (finished, or taken over"
                            + " after the claim went stale)");
        }
        // the job's status as OutLayer's jobs table has it: completed, or the failure's category
        Responses.json(exchange, 200, new Finished(request.jobId(), success ? "completed" : category));
    }

    /**
     * The claim a complete without {@code worker_id} (OutLayer's worker sends none) finishes: the
     * job's only claim. Once the job was taken over, such a complete cannot say whether it comes
     * from the first worker or the new one, and is refused (409) rather than guessed.
     */
    private JobClaim firstClaimOf(long jobId) {
        Job job = coordinator
                .store()
                .job(jobId)
                .orElseThrow(() -> new ApiException(ApiException.Kind.NOT_FOUND, "no job " + jobId));
        if (job.attempt() > 1 || job.workerId() == null) {
            throw new ApiException(
                    ApiException.Kind.CONFLICT,
                    "job " + jobId + " was taken over after its first claim went stale: name worker_id and attempt"
                            + " to complete it");
        }
        return new JobClaim(job.jobId(), job.requestId(), job.dataId(), job.jobType(), job.workerId(), job.attempt());
    }

    record Finished(
            @JsonProperty("job_id") long jobId,
            @JsonProperty("status") String status) {}

    record Alive(
            @JsonProperty("job_id") long jobId,
            @JsonProperty("alive") boolean alive) {}

    private void heartbeat(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.json(
                exchange,
                WorkerRequests.Heartbeat.class,
                (ex, request) -> ErrorHandler.dispatch(ex, () -> {
                    JobClaim claim = claimOf(request.jobId(), request.workerId(), request.attempt());
                    if (!coordinator.store().heartbeat(claim)) {
                        throw new ApiException(
                                ApiException.Kind.CONFLICT,
                                "job " + request.jobId()
                                        + " is not in progress under this claim (finished, or taken over"
                                        + " after the claim went stale)");
                    }
                    Responses.json(ex, 200, new Alive(request.jobId(), true));
                }));
    }

    record WorkerAlive(
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("jobs_alive") int jobsAlive) {}

    /**
     * OutLayer's {@code POST /workers/heartbeat}: its worker says it is alive every 30 s, naming
     * itself, not a job (it has no job heartbeat). Here that keeps every claim the worker holds
     * live, so its long compile is not taken over as stale; a worker reporting {@code offline}
     * keeps nothing.
     */
    private void workerHeartbeat(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(
                exchange,
                WorkerRequests.WorkerHeartbeat.class,
                (ex, request) -> ErrorHandler.dispatch(ex, () -> {
                    // OutLayer's worker_status row (name, status, current task, last heartbeat)
                    coordinator
                            .store()
                            .recordWorkerHeartbeat(
                                    request.workerId(),
                                    request.workerName() != null ? request.workerName() : request.workerId(),
                                    request.status() != null ? request.status() : "online",
                                    request.currentTaskId());
                    int alive = "offline".equals(request.status())
                            ? 0
                            : coordinator.store().heartbeatWorker(request.workerId());
                    Responses.json(ex, 200, new WorkerAlive(request.workerId(), alive));
                }));
    }

    /**
     * OutLayer's {@code upload_wasm}: a multipart form with {@code checksum}, {@code repo_url},
     * {@code commit_hash} (each required, else 400), {@code build_target} and the bytes as {@code
     * wasm_file} (required, else 400); 201 with no body. The wasm is stored under its checksum and
     * enters the cache, whose LRU eviction is then checked; a refused upload stores nothing.
     */
    private void uploadWasm(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        bodies.bytes(
                exchange,
                WORKER_BODY_LIMIT,
                (ex, body) -> ErrorHandler.dispatch(ex, () -> {
                    WasmFile file;
                    try {
                        Map<String, MultipartForm.Part> form = MultipartForm.parse(contentType, body);
                        MultipartForm.Part wasm = form.get("wasm_file");
                        file = new WasmFile(
                                text(form, "checksum"),
                                wasm == null ? null : wasm.data(),
                                text(form, "repo_url"),
                                text(form, "commit_hash"),
                                text(form, "build_target"));
                    } catch (IllegalArgumentException e) {
                        throw ApiException.invalid("wasm upload refused: " + e.getMessage());
                    }
                    coordinator.uploadWasm(file);
                    ex.setStatusCode(201);
                    ex.endExchange();
                }));
    }

    private static String text(Map<String, MultipartForm.Part> form, String name) {
        MultipartForm.Part part = form.get(name);
        return part == null ? null : part.text();
    }

    /** OutLayer's {@code get_wasm}: the bytes, 404 when none are stored under the checksum. */
    private void downloadWasm(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        String checksum = checksumParameter(exchange);
        ErrorHandler.dispatch(exchange, () -> {
            byte[] wasm = coordinator
                    .store()
                    .wasmBytes(checksum)
                    .orElseThrow(() -> ApiException.notFound("no wasm stored under checksum " + checksum));
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
            exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(wasm));
        });
    }

    /**
     * OutLayer's {@code WasmExistsResponse}: whether the wasm's bytes are stored, and when it
     * entered the cache (RFC 3339, as chrono's {@code to_rfc3339}), null when not stored.
     */
    record WasmExists(
            @JsonProperty("exists") boolean exists,

            @JsonProperty("created_at") @JsonInclude(JsonInclude.Include.ALWAYS)
            String createdAt) {}

    /** OutLayer's {@code wasm_exists}, for workers and (as {@code /public/wasm/exists}) for anyone. */
    private void wasmExists(HttpServerExchange exchange, boolean workersOnly) {
        if (workersOnly) {
            requireWorker(exchange, workerTokens);
        }
        String checksum = checksumParameter(exchange);
        ErrorHandler.dispatch(exchange, () -> {
            Optional<Instant> stored = coordinator.store().wasmStoredAt(checksum);
            Responses.json(
                    exchange,
                    200,
                    new WasmExists(
                            stored.isPresent(),
                            stored.map(ExecutionWorker::cachedAt).orElse(null)));
        });
    }

    private static String checksumParameter(HttpServerExchange exchange) {
        String checksum = pathParameter(exchange, "checksum");
        try {
            return WasmFile.requireChecksum(checksum);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }

    /**
     * OutLayer's {@code notify_task_completion}: the worker's completed (or failed) task counted,
     * the worker online with no current task; 200 with no body, also for a worker that never
     * heartbeated (OutLayer's UPDATE then changes no row).
     */
    private void taskCompletion(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(
                exchange,
                WorkerRequests.TaskCompletion.class,
                (ex, request) -> ErrorHandler.dispatch(ex, () -> {
                    coordinator.store().recordTaskCompletion(request.workerId(), request.success());
                    ex.setStatusCode(200);
                    ex.endExchange();
                }));
    }

    /** OutLayer's public WorkerInfo (handlers/public.rs {@code list_workers}). */
    record WorkerInfo(
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("worker_name") String workerName,
            @JsonProperty("status") String status,

            @JsonProperty("current_task_id") @JsonInclude(JsonInclude.Include.ALWAYS)
            Long currentTaskId,

            @JsonProperty("last_heartbeat_at") String lastHeartbeatAt,
            @JsonProperty("total_tasks_completed") long totalTasksCompleted,
            @JsonProperty("total_tasks_failed") long totalTasksFailed,
            @JsonProperty("uptime_seconds") long uptimeSeconds) {}

    /** PostgreSQL's {@code to_char(..., 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')}, as OutLayer's list writes a time. */
    static final java.time.format.DateTimeFormatter MILLIS_Z = java.time.format.DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private void workers(HttpServerExchange exchange) {
        ErrorHandler.dispatch(exchange, () -> {
            Instant now = Instant.now();
            List<WorkerInfo> workers = coordinator.store().workers().stream()
                    .map(w -> new WorkerInfo(
                            w.workerId(),
                            w.workerName(),
                            w.status(),
                            w.currentTaskId(),
                            MILLIS_Z.format(w.lastHeartbeatAt()),
                            w.totalTasksCompleted(),
                            w.totalTasksFailed(),
                            Math.max(0, Duration.between(w.createdAt(), now).toSeconds())))
                    .toList();
            Responses.json(exchange, 200, workers);
        });
    }

    /**
     * OutLayer's {@code poll_system_callback_task} (handlers/topup.rs), which its workers poll beside
     * the execution queue: the next TopUp or DeletePaymentKey task (OutLayer's {@code
     * SystemCallbackTask}), waiting up to {@code timeout} seconds (default 60, at most 120), else
     * {@code null}; 403 for a worker that names capabilities without {@code execution}. The wait
     * rechecks the queue every 100 ms ({@link #lookForSystemCallback}). The in-process system-callback
     * worker takes from the same queue.
     */
    private void pollSystemCallbacks(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        String capabilities = queryParameter(exchange, "capabilities");
        List<String> named = capabilities == null || capabilities.isEmpty()
                ? List.of()
                : Arrays.stream(capabilities.split(",")).map(String::trim).toList();
        if (!named.isEmpty() && !named.contains("execution")) {
            throw new ApiException(
                    ApiException.Kind.FORBIDDEN, "system callbacks are for workers with the 'execution' capability");
        }
        long wait = pollSeconds(exchange);
        Optional<SystemCallbacks> queue = coordinator.systemCallbacks();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(wait);
        ErrorHandler.dispatch(exchange, () -> lookForSystemCallback(exchange, queue, deadline));
    }

    /**
     * One look at the queue, on a worker thread: the queue may be a database, and on the I/O thread its wait
     * would hold up every connection of that thread. Between looks the wait holds no thread.
     */
    private static void lookForSystemCallback(
            HttpServerExchange exchange, Optional<SystemCallbacks> queue, long deadline) {
        Optional<SystemCallbacks.Task> task = queue.flatMap(SystemCallbacks::poll);
        long left = deadline - System.nanoTime();
        if (task.isPresent()) {
            Responses.json(exchange, 200, task.get());
        } else if (left <= 0) {
            Responses.json(exchange, 200, NO_TASK);
        } else {
            exchange.getIoThread()
                    .executeAfter(
                            () -> ErrorHandler.dispatch(
                                    exchange, () -> lookForSystemCallback(exchange, queue, deadline)),
                            Math.min(left, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100)),
                            java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** JSON {@code null}: OutLayer's {@code Json(None)}. */
    private static final byte[] NO_TASK = "null".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** OutLayer's CreateTaskResponse. */
    record Created(
            @JsonProperty("request_id") long requestId,
            @JsonProperty("created") boolean created) {}

    /**
     * OutLayer's {@code create_task}: 201 {@code {request_id, created: true}} when queued, 200 with
     * {@code created: false} when the task is known. Ours: 409 when it is not the contract's
     * pending request (see {@link ExecutionCoordinator#createTask}).
     */
    private void createTask(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(
                exchange,
                WorkerRequests.CreateTask.class,
                (ex, request) -> ErrorHandler.dispatch(ex, () -> {
                    boolean created = coordinator.createTask(request.task());
                    Responses.json(ex, created ? 201 : 200, new Created(request.requestId(), created));
                }));
    }

    private JobClaim claimOf(long jobId, String workerId, Integer attempt) {
        return coordinator
                .claimOf(jobId, workerId, attempt)
                .orElseThrow(() -> new ApiException(ApiException.Kind.NOT_FOUND, "no job " + jobId));
    }
}

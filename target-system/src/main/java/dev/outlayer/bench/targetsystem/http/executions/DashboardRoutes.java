package dev.outlayer.bench.targetsystem.http.executions;

import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.pathParameter;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.executions.CoordinatorHealth;
import dev.outlayer.bench.targetsystem.executions.ExecutionCoordinator;
import dev.outlayer.bench.targetsystem.executions.Job;
import dev.outlayer.bench.targetsystem.executions.JobHistoryEntry;
import dev.outlayer.bench.targetsystem.executions.JobOrigin;
import dev.outlayer.bench.targetsystem.executions.JobStats;
import dev.outlayer.bench.targetsystem.executions.Pricing;
import dev.outlayer.bench.targetsystem.executions.PublicDashboard;
import dev.outlayer.bench.targetsystem.executions.RepoStats;
import dev.outlayer.bench.targetsystem.executions.WasmInfo;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.persistence.StorableText;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * OutLayer's public dashboard reads (coordinator handlers/public.rs, pricing.rs, health.rs), in its
 * paths, query members and shapes: {@code GET /public/jobs}, {@code /public/stats}, {@code
 * /public/repos/popular}, {@code /public/wasm/info}, {@code /public/users/{user_account_id}/earnings},
 * {@code POST /public/pricing/refresh} and {@code GET /health/detailed}; none needs a token.
 */
public final class DashboardRoutes {
    private final PublicDashboard dashboard;
    private final ExecutionCoordinator coordinator;
    private final CoordinatorHealth health;

    private DashboardRoutes(PublicDashboard dashboard, ExecutionCoordinator coordinator, CoordinatorHealth health) {
        this.dashboard = dashboard;
        this.coordinator = coordinator;
        this.health = health;
    }

    public static void register(
            Routes routes, PublicDashboard dashboard, ExecutionCoordinator coordinator, CoordinatorHealth health) {
        DashboardRoutes api = new DashboardRoutes(dashboard, coordinator, health);
        routes.route(Methods.GET, "/public/jobs", api::jobs);
        routes.route(Methods.GET, "/public/stats", api::stats);
        routes.route(Methods.GET, "/public/repos/popular", api::popularRepos);
        routes.route(Methods.GET, "/public/wasm/info", api::wasmInfo);
        routes.route(Methods.GET, "/public/users/{user_account_id}/earnings", api::userEarnings);
        routes.route(Methods.POST, "/public/pricing/refresh", api::refreshPricing);
        routes.route(Methods.GET, "/health/detailed", api::detailedHealth);
    }

    /**
     * OutLayer's {@code JobHistoryEntry}: an {@code execution_history} row with its job's status and
     * error, its HTTPS call and project. {@code id} is the job's id (a job's one history row);
     * {@code resolve_tx_id} is null, as OutLayer's {@code complete_job} never writes it; {@code
     * actual_cost_yocto} is null: the stand-in's workers report no NEAR cost of a run.
     */
    record JobHistoryRow(
            @JsonProperty("id") long id,
            @JsonProperty("job_id") Long jobId,
            @JsonProperty("request_id") long requestId,
            @JsonProperty("data_id") String dataId,
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("success") boolean success,
            @JsonProperty("status") String status,
            @JsonProperty("error_details") String errorDetails,
            @JsonProperty("job_type") String jobType,
            @JsonProperty("execution_time_ms") Long executionTimeMs,
            @JsonProperty("compile_time_ms") Long compileTimeMs,
            @JsonProperty("instructions_used") Long instructionsUsed,
            @JsonProperty("resolve_tx_id") String resolveTxId,
            @JsonProperty("user_account_id") String userAccountId,
            @JsonProperty("near_payment_yocto") String nearPaymentYocto,
            @JsonProperty("actual_cost_yocto") String actualCostYocto,
            @JsonProperty("compile_cost_yocto") String compileCostYocto,
            @JsonProperty("github_repo") String githubRepo,
            @JsonProperty("github_commit") String githubCommit,
            @JsonProperty("transaction_hash") String transactionHash,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("is_https_call") boolean isHttpsCall,
            @JsonProperty("call_id") String callId,
            @JsonProperty("project_id") String projectId,
            @JsonProperty("compute_cost_usd") String computeCostUsd) {
        static JobHistoryRow of(PublicDashboard.JobRow row) {
            JobHistoryEntry entry = row.entry();
            Job job = entry.job();
            JobOrigin origin = entry.origin();
            return new JobHistoryRow(
                    job.jobId(),
                    job.jobId(),
                    job.requestId(),
                    job.dataId(),
                    job.workerId(),
                    entry.success(),
                    entry.status(),
                    job.errorDetails(),
                    job.jobType().wire(),
                    entry.executionTimeMs(),
                    entry.compileTimeMs(),
                    job.instructions(),
                    null,
                    origin.userAccountId(),
                    origin.nearPaymentYocto(),
                    null,
                    job.compileCostYocto(),
                    origin.githubRepo(),
                    origin.githubCommit(),
                    origin.transactionHash(),
                    ExecutionRoutes.MILLIS_Z.format(job.completedAt()),
                    entry.httpsCall(),
                    entry.callId(),
                    origin.projectId(),
                    row.computeCostUsd());
        }
    }

    /** The counts by outcome that OutLayer's {@code ExecutionStats} and {@code PopularRepo} both have. */
    record OutcomeCounts(
            @JsonProperty("total_executions") long totalExecutions,
            @JsonProperty("successful_executions") long successfulExecutions,
            @JsonProperty("failed_executions") long failedExecutions,
            @JsonProperty("access_denied_executions") long accessDeniedExecutions,
            @JsonProperty("compilation_failed_executions") long compilationFailedExecutions,
            @JsonProperty("execution_failed_executions") long executionFailedExecutions,
            @JsonProperty("insufficient_payment_executions") long insufficientPaymentExecutions,
            @JsonProperty("custom_executions") long customExecutions) {
        static OutcomeCounts of(JobStats.Outcomes o) {
            return new OutcomeCounts(
                    o.total(),
                    o.successful(),
                    o.failed(),
                    o.accessDenied(),
                    o.compilationFailed(),
                    o.executionFailed(),
                    o.insufficientPayment(),
                    o.custom());
        }
    }

    /** OutLayer's {@code ExecutionStats}. */
    record ExecutionStats(
            @JsonUnwrapped OutcomeCounts outcomes,
            @JsonProperty("total_instructions_used") long totalInstructionsUsed,
            @JsonProperty("average_execution_time_ms") long averageExecutionTimeMs,
            @JsonProperty("total_near_paid_yocto") String totalNearPaidYocto,
            @JsonProperty("unique_users") long uniqueUsers,
            @JsonProperty("active_workers") long activeWorkers) {
        static ExecutionStats of(PublicDashboard.Stats stats) {
            JobStats jobs = stats.jobs();
            return new ExecutionStats(
                    OutcomeCounts.of(jobs.outcomes()),
                    jobs.totalInstructions(),
                    jobs.averageExecutionTimeMs(),
                    jobs.totalNearPaidYocto().toString(),
                    jobs.uniqueUsers(),
                    stats.activeWorkers());
        }
    }

    /** OutLayer's {@code PopularRepo}. */
    record PopularRepo(
            @JsonProperty("github_repo") String githubRepo,
            @JsonUnwrapped OutcomeCounts outcomes,
            @JsonProperty("last_commit") String lastCommit) {
        static PopularRepo of(RepoStats repo) {
            return new PopularRepo(repo.githubRepo(), OutcomeCounts.of(repo.outcomes()), repo.lastCommit());
        }
    }

    /** OutLayer's {@code WasmInfoResponse}: the members null when the wasm does not exist. */
    record WasmInfoResponse(
            @JsonProperty("exists") boolean exists,
            @JsonProperty("checksum") String checksum,
            @JsonProperty("file_size") Long fileSize,
            @JsonProperty("created_at") String createdAt) {}

    /** OutLayer's {@code UserEarnings}. */
    record UserEarnings(
            @JsonProperty("user_account_id") String userAccountId,
            @JsonProperty("total_executions") long totalExecutions,
            @JsonProperty("successful_executions") long successfulExecutions,
            @JsonProperty("total_near_spent_yocto") String totalNearSpentYocto,
            @JsonProperty("total_instructions_used") long totalInstructionsUsed,
            @JsonProperty("average_execution_time_ms") long averageExecutionTimeMs) {}

    /**
     * OutLayer's {@code list_jobs}: {@code limit} (default 50, at most 100), {@code offset} (default
     * 0), {@code user_account_id}. Ours: a negative limit or offset is 400 (OutLayer's query fails, 500).
     */
    private void jobs(HttpServerExchange exchange) {
        Long limit = AxumQuery.integer(exchange, "limit");
        Long offset = AxumQuery.integer(exchange, "offset");
        String user = text(exchange, "user_account_id", false);
        if (limit != null && limit < 0) {
            throw ApiException.invalid("limit must not be negative");
        }
        if (offset != null && offset < 0) {
            throw ApiException.invalid("offset must not be negative");
        }
        ErrorHandler.dispatch(exchange, () -> {
            List<JobHistoryRow> rows = dashboard
                    .jobs(user, limit == null ? PublicDashboard.DEFAULT_LIMIT : limit, offset == null ? 0 : offset)
                    .stream()
                    .map(JobHistoryRow::of)
                    .toList();
            Responses.json(exchange, 200, rows);
        });
    }

    private void stats(HttpServerExchange exchange) {
        ErrorHandler.dispatch(exchange, () -> Responses.json(exchange, 200, ExecutionStats.of(dashboard.stats())));
    }

    private void popularRepos(HttpServerExchange exchange) {
        ErrorHandler.dispatch(
                exchange,
                () -> Responses.json(
                        exchange,
                        200,
                        dashboard.popularRepos().stream().map(PopularRepo::of).toList()));
    }

    /** OutLayer's {@code get_wasm_info}: {@code repo_url} and {@code commit_hash} required, {@code build_target} {@code wasm32-wasip1} unless named. */
    private void wasmInfo(HttpServerExchange exchange) {
        String repoUrl = text(exchange, "repo_url", true);
        String commitHash = text(exchange, "commit_hash", true);
        String named = text(exchange, "build_target", false);
        String buildTarget = named == null ? "wasm32-wasip1" : named;
        ErrorHandler.dispatch(exchange, () -> {
            Optional<WasmInfo> info = dashboard.wasmInfo(repoUrl, commitHash, buildTarget);
            Responses.json(
                    exchange,
                    200,
                    info.map(i -> new WasmInfoResponse(true, i.checksum(), i.fileSize(), postgresText(i.createdAt())))
                            .orElse(new WasmInfoResponse(false, null, null, null)));
        });
    }

    private void userEarnings(HttpServerExchange exchange) {
        String user = pathParameter(exchange, "user_account_id");
        requireStorable("user_account_id", user);
        ErrorHandler.dispatch(exchange, () -> {
            JobStats stats = dashboard.userEarnings(user);
            Responses.json(
                    exchange,
                    200,
                    new UserEarnings(
                            user,
                            stats.outcomes().total(),
                            stats.outcomes().successful(),
                            stats.totalNearPaidYocto().toString(),
                            stats.totalInstructions(),
                            stats.averageExecutionTimeMs()));
        });
    }

    /**
     * OutLayer's {@code refresh_pricing}: the pricing as it now stands (read anew from the contract at
     * most once an hour); 500 when the contract's pricing cannot be read (OutLayer's bare 500, here with
     * our error body).
     */
    private void refreshPricing(HttpServerExchange exchange) {
        ErrorHandler.dispatch(exchange, () -> {
            Optional<Pricing> pricing = coordinator.refreshPricing();
            if (pricing.isPresent()) {
                Responses.json(exchange, 200, pricing.get());
            } else {
                Responses.error(exchange, 500, "the contract's pricing could not be read");
            }
        });
    }

    private void detailedHealth(HttpServerExchange exchange) {
        ErrorHandler.dispatch(exchange, () -> {
            CoordinatorHealth.Report report = health.check();
            Responses.json(exchange, report.httpStatus(), report);
        });
    }

    /** A query member as axum's {@code Query} reads it; refused when the store could not hold it. */
    private static String text(HttpServerExchange exchange, String name, boolean required) {
        String value = required ? AxumQuery.required(exchange, name) : AxumQuery.value(exchange, name);
        requireStorable(name, value);
        return value;
    }

    /** Ours: text PostgreSQL cannot hold is refused, whatever store the jobs are in (a NUL is in no row). */
    private static void requireStorable(String name, String value) {
        String problem = value == null ? null : StorableText.problem(value);
        if (problem != null) {
            throw ApiException.invalid(name + " holds " + problem);
        }
    }

    /**
     * PostgreSQL's {@code timestamp::TEXT}, as OutLayer's {@code get_wasm_info} gives {@code created_at}:
     * {@code 2026-12-04 05:00:00.123456}, the fraction's trailing zeros (and a zero fraction) left out.
     */
    static String postgresText(Instant at) {
        Instant micros = at.truncatedTo(ChronoUnit.MICROS);
        String seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").format(micros.atOffset(ZoneOffset.UTC));
        int nanos = micros.getNano();
        if (nanos == 0) {
            return seconds;
        }
        String fraction = String.format("%06d", nanos / 1_000).replaceAll("0+$", "");
        return seconds + "." + fraction;
    }
}

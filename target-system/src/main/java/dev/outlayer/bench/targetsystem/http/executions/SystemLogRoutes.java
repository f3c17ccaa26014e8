package dev.outlayer.bench.targetsystem.http.executions;

import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.pathParameter;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.http.admin.AdminAuth;
import dev.outlayer.bench.targetsystem.persistence.StorableText;
import dev.outlayer.bench.targetsystem.systemlogs.SystemLogs;
import io.undertow.util.Methods;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * OutLayer's hidden system logs (coordinator handlers/internal.rs): {@code POST /internal/system-logs}, where
 * workers store a failed compile's raw output (no token: OutLayer serves it to its workers' internal network
 * only), and the admin read {@code GET /admin/compile-logs/{job_id}} behind the admin bearer token ({@link
 * AdminAuth}): the job's logs, newest first, 404 when it has none.
 */
public final class SystemLogRoutes {
    /** axum's default body limit, which OutLayer's internal router keeps (only its worker routes raise it). */
    public static final long BODY_LIMIT = 2L * 1024 * 1024;

    private SystemLogRoutes() {}

    /** OutLayer's {@code StoreSystemLogRequest}: {@code request_id} and {@code log_type} required. */
    record StoreBody(
            @JsonProperty("request_id") long requestId,
            @JsonProperty("job_id") Long jobId,
            @JsonProperty("log_type") String logType,
            @JsonProperty("stderr") String stderr,
            @JsonProperty("stdout") String stdout,
            @JsonProperty("exit_code") Integer exitCode,
            @JsonProperty("execution_error") String executionError) {
        StoreBody {
            if (logType == null) {
                throw new IllegalArgumentException("missing field `log_type`");
            }
            storable(logType, "log_type");
            storable(stderr, "stderr");
            storable(stdout, "stdout");
            storable(executionError, "execution_error");
        }

        /** Text PostgreSQL cannot hold (a NUL) is refused in memory too, so that both stores answer alike. */
        private static void storable(String value, String name) {
            String problem = value == null ? null : StorableText.problem(value);
            if (problem != null) {
                throw new IllegalArgumentException("'" + name + "' cannot hold " + problem);
            }
        }

        SystemLogs.Entry entry() {
            return new SystemLogs.Entry(requestId, jobId, logType, stderr, stdout, exitCode, executionError);
        }
    }

    record StoredId(@JsonProperty("id") long id) {}

    /** OutLayer's {@code SystemHiddenLog}: every member written, null or not. */
    record Log(
            @JsonProperty("id") long id,
            @JsonProperty("request_id") long requestId,
            @JsonProperty("job_id") Long jobId,
            @JsonProperty("log_type") String logType,
            @JsonProperty("stderr") String stderr,
            @JsonProperty("stdout") String stdout,
            @JsonProperty("exit_code") Integer exitCode,
            @JsonProperty("execution_error") String executionError,
            @JsonProperty("created_at") String createdAt) {
        static Log of(SystemLogs.Stored stored) {
            SystemLogs.Entry e = stored.entry();
            return new Log(
                    stored.id(),
                    e.requestId(),
                    e.jobId(),
                    e.logType(),
                    e.stderr(),
                    e.stdout(),
                    e.exitCode(),
                    e.executionError(),
                    postgresText(stored.createdAt()));
        }
    }

    /** @param bodies at most {@link #BODY_LIMIT} */
    public static void register(Routes routes, SystemLogs logs, AdminAuth admin, BodyReader bodies) {
        routes.route(
                Methods.POST,
                "/internal/system-logs",
                exchange -> bodies.axumJson(
                        exchange,
                        StoreBody.class,
                        (ex, body) -> ErrorHandler.dispatch(
                                ex, () -> Responses.json(ex, 201, new StoredId(logs.store(body.entry()))))));
        routes.route(Methods.GET, "/admin/compile-logs/{job_id}", exchange -> {
            // OutLayer's admin middleware runs before the handler's Path extractor
            admin.require(exchange);
            long jobId = jobIdInPath(pathParameter(exchange, "job_id"));
            ErrorHandler.dispatch(exchange, () -> {
                List<Log> found = logs.forJob(jobId).stream().map(Log::of).toList();
                if (found.isEmpty()) {
                    throw ApiException.notFound("no system logs for job " + jobId);
                }
                Responses.json(exchange, 200, found);
            });
        });
    }

    /** axum's {@code Path<i64>}: Rust's integer parse ({@code +} or {@code -} allowed), in axum's words when refused. */
    static long jobIdInPath(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("Invalid URL: Cannot parse `" + text + "` to a `i64`");
        }
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    /**
     * OutLayer's {@code created_at::TEXT} of a {@code TIMESTAMP}: PostgreSQL's text, {@code 2026-01-02 03:04:05.12}
     * (microseconds, trailing zeros dropped, none when whole); UTC, the stand-in's clock.
     */
    static String postgresText(Instant at) {
        LocalDateTime time = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        String text = SECONDS.format(time);
        int micros = time.getNano() / 1000;
        if (micros == 0) {
            return text;
        }
        String fraction = String.format("%06d", micros);
        int end = fraction.length();
        while (fraction.charAt(end - 1) == '0') {
            end--;
        }
        return text + "." + fraction.substring(0, end);
    }
}

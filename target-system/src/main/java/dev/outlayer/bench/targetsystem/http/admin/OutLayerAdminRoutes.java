package dev.outlayer.bench.targetsystem.http.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.executions.JobStore;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.json.RustDebug;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OutLayer's admin router on the coordinator (coordinator main.rs, every route behind {@link
 * AdminAuth}): grant keys (handlers/grant_keys.rs) {@code POST /admin/grant-payment-key}, {@code GET
 * /admin/grant-keys}, {@code DELETE /admin/grant-keys/{owner}/{nonce}}, and worker management
 * (handlers/workers.rs) {@code DELETE /admin/workers/{worker_id}}. A grant funds a payment key its
 * owner created (the admin never creates a key, so never knows one) and marks it {@code is_grant}: the
 * HTTPS call path then refuses it an {@code X-Attached-Deposit}.
 */
public final class OutLayerAdminRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(OutLayerAdminRoutes.class);

    /** PostgreSQL's text of a UTC {@code TIMESTAMPTZ} ({@code created_at::TEXT}), before the fraction. */
    private static final DateTimeFormatter POSTGRES_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final AdminAuth auth;
    private final PaymentKeys keys;
    private final JobStore workers;
    private final BodyReader bodies;

    private OutLayerAdminRoutes(AdminAuth auth, PaymentKeys keys, JobStore workers, BodyReader bodies) {
        this.auth = auth;
        this.keys = keys;
        this.workers = workers;
        this.bodies = bodies;
    }

    /**
     * @param keys the HTTPS API's payment keys
     * @param workers the store whose {@code worker_status} rows {@code GET /public/workers} lists
     */
    public static void register(Routes routes, AdminAuth auth, PaymentKeys keys, JobStore workers, BodyReader bodies) {
        OutLayerAdminRoutes api = new OutLayerAdminRoutes(auth, keys, workers, bodies);
        routes.route(Methods.POST, "/admin/grant-payment-key", auth.guard(api::grant));
        routes.route(Methods.GET, "/admin/grant-keys", auth.guard(api::listGrants));
        routes.route(Methods.DELETE, "/admin/grant-keys/{owner}/{nonce}", auth.guard(api::deleteGrant));
        routes.route(Methods.DELETE, "/admin/workers/{worker_id}", auth.guard(api::deleteWorker));
    }

    /** OutLayer's {@code GrantPaymentKeyRequest}: owner, nonce (a u32) and amount (a string) required; note optional. */
    record GrantBody(
            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") Long nonce,
            @JsonProperty("amount") String amount,
            @JsonProperty("note") String note) {
        GrantBody {
            if (owner == null) {
                throw new IllegalArgumentException("owner is required");
            }
            if (nonce == null || nonce < 0 || nonce > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("nonce is required (a u32)");
            }
            if (amount == null) {
                throw new IllegalArgumentException("amount is required (a string of minimal units)");
            }
        }
    }

    /** OutLayer's {@code GrantPaymentKeyResponse}. */
    record Granted(
            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") long nonce,
            @JsonProperty("initial_balance") String initialBalance,
            @JsonProperty("is_grant") boolean isGrant) {}

    /** OutLayer's {@code GrantKeyInfo} ({@code max_per_call} null when the key has none). */
    record GrantKeyInfo(
            @JsonProperty("owner") String owner,
            @JsonProperty("nonce") long nonce,
            @JsonProperty("initial_balance") String initialBalance,
            @JsonProperty("spent") String spent,
            @JsonProperty("reserved") String reserved,
            @JsonProperty("available") String available,
            @JsonProperty("project_ids") List<String> projectIds,

            @JsonProperty("max_per_call") @JsonInclude(JsonInclude.Include.ALWAYS)
            String maxPerCall,

            @JsonProperty("created_at") String createdAt) {
        static GrantKeyInfo of(PaymentKeys.GrantKey key) {
            return new GrantKeyInfo(
                    key.id().owner(),
                    key.id().nonce(),
                    key.initialBalance().toString(),
                    key.spent().toString(),
                    key.reserved().toString(),
                    key.available().toString(),
                    key.projectIds(),
                    key.maxPerCall(),
                    postgresText(key.createdAt()));
        }
    }

    /**
     * OutLayer's {@code grant_payment_key}: the amount added to an existing key nobody funded yet, or to
     * a grant key, which is (or stays) a grant. 400 {@code Invalid amount format} / {@code Amount must be
     * greater than 0}, 404 for an unknown or deleted key, 409 for a key its owner funded.
     */
    private void grant(HttpServerExchange exchange) {
        bodies.axumJson(
                exchange,
                GrantBody.class,
                (ex, body) -> ErrorHandler.dispatch(ex, () -> {
                    PaymentKeys.Id id = new PaymentKeys.Id(body.owner(), body.nonce());
                    BigInteger balance = keys.grant(id, body.amount());
                    LOG.info(
                            "Granted to payment key: owner={}, nonce={}, amount={}, new_balance={}, note={}",
                            id.owner(),
                            id.nonce(),
                            body.amount(),
                            balance,
                            body.note());
                    Responses.json(ex, 200, new Granted(id.owner(), id.nonce(), balance.toString(), true));
                }));
    }

    /** OutLayer's {@code list_grant_keys}: every live grant key with its balance, newest first. */
    private void listGrants(HttpServerExchange exchange) {
        ErrorHandler.dispatch(
                exchange,
                () -> Responses.json(
                        exchange,
                        200,
                        keys.grantKeys().stream().map(GrantKeyInfo::of).toList()));
    }

    /**
     * OutLayer's {@code delete_grant_key}: a live grant key soft-deleted, 204 with no body; 404 {@code
     * Grant key not found or already deleted} for any other key. The nonce is read as axum's {@code
     * Path<(String, i32)>} reads it.
     */
    private void deleteGrant(HttpServerExchange exchange) {
        String owner = pathParameter(exchange, "owner");
        int nonce = pathI32(pathParameter(exchange, "nonce"), 1);
        ErrorHandler.dispatch(exchange, () -> {
            if (!keys.deleteGrant(new PaymentKeys.Id(owner, nonce))) {
                throw ApiException.notFound("Grant key not found or already deleted");
            }
            LOG.info("Deleted grant key: owner={}, nonce={}", owner, nonce);
            exchange.setStatusCode(204);
            exchange.endExchange();
        });
    }

    /**
     * OutLayer's {@code delete_worker}: the worker's {@code worker_status} row deleted, 200 with no body,
     * so that {@code GET /public/workers} no longer lists it; 404 when there was none.
     */
    private void deleteWorker(HttpServerExchange exchange) {
        String workerId = pathParameter(exchange, "worker_id");
        ErrorHandler.dispatch(exchange, () -> {
            if (!workers.deleteWorker(workerId)) {
                throw ApiException.notFound("worker " + workerId + " not found");
            }
            LOG.info("Admin: deleted worker {}", workerId);
            exchange.setStatusCode(200);
            exchange.endExchange();
        });
    }

    private static String pathParameter(HttpServerExchange exchange, String name) {
        return exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY)
                .getParameters()
                .get(name);
    }

    /**
     * A path segment as axum's {@code Path} reads an {@code i32} at {@code index} of its tuple (Rust's
     * {@code i32::from_str}: an optional sign, decimal digits, in range), else its 400 {@code Invalid URL:
     * Cannot parse value at index N with value `"…"` to a `i32`}.
     */
    static int pathI32(String text, int index) {
        if (text != null && text.matches("[+-]?[0-9]+")) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException outOfRange) {
                // refused below, as Rust refuses it
            }
        }
        throw ApiException.invalid("Invalid URL: Cannot parse value at index " + index + " with value `"
                + RustDebug.string(text == null ? "" : text) + "` to a `i32`");
    }

    /**
     * How OutLayer's {@code created_at::TEXT} reads for a {@code TIMESTAMPTZ} in a UTC session:
     * microseconds with trailing zeros dropped (none when whole), then {@code +00}, e.g. {@code
     * 2026-01-21 10:30:00.1234+00}.
     */
    static String postgresText(Instant at) {
        Instant micros = at.truncatedTo(ChronoUnit.MICROS);
        StringBuilder text = new StringBuilder(POSTGRES_SECONDS.format(micros));
        int fraction = micros.getNano() / 1000;
        if (fraction != 0) {
            String digits = String.format("%06d", fraction).replaceFirst("0+$", "");
            text.append('.').append(digits);
        }
        return text.append("+00").toString();
    }
}

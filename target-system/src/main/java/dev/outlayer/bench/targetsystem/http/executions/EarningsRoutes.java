package dev.outlayer.bench.targetsystem.http.executions;

import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.pathParameter;
import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.paymentKeyInPath;
import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.queryParameter;
import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.requireWorker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import dev.outlayer.bench.targetsystem.payments.Page;
import dev.outlayer.bench.targetsystem.payments.PaymentKeyUsage;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.payments.ProjectEarnings;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The HTTPS API's earnings, histories and payouts: OutLayer's {@code GET
 * /public/project-earnings/{owner}}, {@code .../history} and {@code GET
 * /public/payment-keys/{owner}/{nonce}/usage} (handlers/public.rs, call.rs), in its shapes; and,
 * ours (OutLayer keeps {@code project_owner_withdrawals} but serves no route for it yet), the
 * withdrawal of HTTPS earnings: an operator with the worker token takes an amount from the owner's
 * balance ({@code POST /project-earnings/withdraw}), pays it out on chain and reports it ({@code
 * POST /project-earnings/withdrawals/complete}, a failed payout giving the amount back), and anyone
 * can list an owner's withdrawals ({@code GET /public/project-earnings/{owner}/withdrawals}).
 */
public final class EarningsRoutes {
    private final ProjectEarnings earnings;
    private final PaymentKeyUsage usage;
    private final WorkerTokens workerTokens;
    private final BodyReader bodies;

    private EarningsRoutes(
            ProjectEarnings earnings, PaymentKeyUsage usage, WorkerTokens workerTokens, BodyReader bodies) {
        this.earnings = earnings;
        this.usage = usage;
        this.workerTokens = workerTokens;
        this.bodies = bodies;
    }

    public static void register(
            Routes routes,
            ProjectEarnings earnings,
            PaymentKeyUsage usage,
            WorkerTokens workerTokens,
            BodyReader bodies) {
        EarningsRoutes api = new EarningsRoutes(earnings, usage, workerTokens, bodies);
        routes.route(Methods.GET, "/public/project-earnings/{owner}", api::projectEarnings);
        routes.route(Methods.GET, "/public/project-earnings/{owner}/history", api::history);
        routes.route(Methods.GET, "/public/project-earnings/{owner}/withdrawals", api::withdrawals);
        routes.route(Methods.GET, "/public/payment-keys/{owner}/{nonce}/usage", api::usage);
        routes.route(Methods.POST, "/project-earnings/withdraw", api::withdraw);
        routes.route(Methods.POST, "/project-earnings/withdrawals/complete", api::complete);
    }

    /** OutLayer's {@code EarningRecord}: the blockchain-only and HTTPS-only members absent when null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EarningRecord(
            @JsonProperty("id") long id,
            @JsonProperty("project_id") String projectId,
            @JsonProperty("attached_usd") String attachedUsd,
            @JsonProperty("refund_usd") String refundUsd,
            @JsonProperty("amount") String amount,
            @JsonProperty("source") String source,
            @JsonProperty("call_id") String callId,
            @JsonProperty("payment_key_owner") String paymentKeyOwner,
            @JsonProperty("payment_key_nonce") Long paymentKeyNonce,
            @JsonProperty("created_at") long createdAt) {
        static EarningRecord of(ProjectEarnings.Earning e) {
            return new EarningRecord(
                    e.id(),
                    e.projectId(),
                    e.attachedUsd().toString(),
                    e.refundUsd().toString(),
                    e.amount().toString(),
                    e.source(),
                    e.callId(),
                    e.paymentKeyOwner(),
                    e.paymentKeyNonce(),
                    e.createdAt().getEpochSecond());
        }
    }

    /** OutLayer's {@code EarningsHistoryResponse}. */
    record EarningsHistory(
            @JsonProperty("project_owner") String projectOwner,
            @JsonProperty("earnings") List<EarningRecord> earnings,
            @JsonProperty("total_count") long totalCount) {}

    /** OutLayer's {@code PaymentKeyUsageItem} ({@code id} a string, {@code created_at} RFC 3339). */
    record UsageItem(
            @JsonProperty("id") String id,
            @JsonProperty("call_id") String callId,
            @JsonProperty("job_id") Long jobId,
            @JsonProperty("project_id") String projectId,
            @JsonProperty("compute_cost") String computeCost,
            @JsonProperty("attached_deposit") String attachedDeposit,
            @JsonProperty("status") String status,
            @JsonProperty("created_at") String createdAt) {
        static UsageItem of(PaymentKeyUsage.Usage u) {
            return new UsageItem(
                    Long.toString(u.id()),
                    u.callId(),
                    u.jobId(),
                    u.projectId(),
                    u.computeCost().toString(),
                    u.attachedDeposit().toString(),
                    u.status(),
                    u.createdAt().toString());
        }
    }

    /** OutLayer's {@code PaymentKeyUsageResponse}. */
    record UsageAnswer(
            @JsonProperty("usage") List<UsageItem> usage,
            @JsonProperty("total") long total,
            @JsonProperty("offset") long offset,
            @JsonProperty("limit") long limit) {}

    /** A {@code project_owner_withdrawals} row; times in unix seconds, as OutLayer's earnings routes give them. */
    record WithdrawalAnswer(
            @JsonProperty("id") long id,
            @JsonProperty("project_owner") String projectOwner,
            @JsonProperty("amount") String amount,
            @JsonProperty("status") String status,
            @JsonProperty("tx_hash") String txHash,
            @JsonProperty("created_at") long createdAt,
            @JsonProperty("completed_at") Long completedAt) {
        static WithdrawalAnswer of(ProjectEarnings.Withdrawal w) {
            return new WithdrawalAnswer(
                    w.id(),
                    w.projectOwner(),
                    w.amount().toString(),
                    w.status(),
                    w.txHash(),
                    w.createdAt().getEpochSecond(),
                    w.completedAt() == null ? null : w.completedAt().getEpochSecond());
        }
    }

    record Withdrawals(
            @JsonProperty("project_owner") String projectOwner,
            @JsonProperty("withdrawals") List<WithdrawalAnswer> withdrawals,
            @JsonProperty("total_count") long totalCount) {}

    record WithdrawBody(
            @JsonProperty("project_owner") String projectOwner,
            @JsonProperty("amount") String amount) {
        WithdrawBody {
            if (projectOwner == null || projectOwner.isEmpty()) {
                throw new IllegalArgumentException("project_owner is required");
            }
            String problem = AccountIds.problem(projectOwner);
            if (problem != null) {
                throw new IllegalArgumentException("project_owner must be a NEAR account id: " + problem);
            }
            if (amount == null) {
                throw new IllegalArgumentException("amount is required (a decimal u128)");
            }
        }
    }

    record CompleteBody(
            @JsonProperty("withdrawal_id") Long withdrawalId,
            @JsonProperty("success") Boolean success,
            @JsonProperty("tx_hash") String txHash) {
        CompleteBody {
            if (withdrawalId == null) {
                throw new IllegalArgumentException("withdrawal_id is required");
            }
            if (success == null) {
                throw new IllegalArgumentException("success is required (true or false)");
            }
            if (success && (txHash == null || txHash.isBlank())) {
                throw new IllegalArgumentException("tx_hash is required for a completed withdrawal");
            }
        }
    }

    record Completed(
            @JsonProperty("withdrawal") WithdrawalAnswer withdrawal,
            @JsonProperty("finalized") boolean finalized) {}

    /** OutLayer's {@code ProjectOwnerEarningsResponse}: amounts as decimal strings, {@code updated_at} in seconds. */
    record EarningsAnswer(
            @JsonProperty("project_owner") String projectOwner,
            @JsonProperty("balance") String balance,
            @JsonProperty("total_earned") String totalEarned,
            @JsonProperty("updated_at") Long updatedAt) {}

    /** OutLayer's {@code get_project_owner_earnings}: an owner that never earned has 0 and no update time. */
    private void projectEarnings(HttpServerExchange exchange) {
        String owner = pathParameter(exchange, "owner");
        answerFromStore(
                exchange,
                () -> earnings.of(owner)
                        .map(e -> new EarningsAnswer(
                                owner,
                                e.balance().toString(),
                                e.totalEarned().toString(),
                                e.updatedAt().getEpochSecond()))
                        .orElse(new EarningsAnswer(owner, "0", "0", null)));
    }

    /** OutLayer's {@code get_project_owner_earnings_history}: {@code limit} 50 by default, at most 100. */
    private void history(HttpServerExchange exchange) {
        String owner = pathParameter(exchange, "owner");
        String source = queryParameter(exchange, "source");
        if (source != null && !source.equals("https") && !source.equals("blockchain")) {
            throw ApiException.invalid("source must be 'blockchain' or 'https'");
        }
        Page.Request request = paging(exchange, 50);
        answerFromStore(exchange, () -> {
            Page<ProjectEarnings.Earning> page = earnings.history(owner, source, request);
            return new EarningsHistory(
                    owner, page.items().stream().map(EarningRecord::of).toList(), page.total());
        });
    }

    /** OutLayer's {@code get_payment_key_usage}: {@code limit} 20 by default, 1 to 100. */
    private void usage(HttpServerExchange exchange) {
        PaymentKeys.Id key = paymentKeyInPath(exchange);
        Page.Request request = paging(exchange, 20);
        answerFromStore(exchange, () -> {
            Page<PaymentKeyUsage.Usage> page = usage.of(key, request);
            return new UsageAnswer(
                    page.items().stream().map(UsageItem::of).toList(), page.total(), request.offset(), request.limit());
        });
    }

    private void withdrawals(HttpServerExchange exchange) {
        String owner = pathParameter(exchange, "owner");
        Page.Request request = paging(exchange, 50);
        answerFromStore(exchange, () -> {
            Page<ProjectEarnings.Withdrawal> page = earnings.withdrawals(owner, request);
            return new Withdrawals(
                    owner, page.items().stream().map(WithdrawalAnswer::of).toList(), page.total());
        });
    }

    private void withdraw(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.json(exchange, WithdrawBody.class, (ex, body) -> {
            BigInteger amount = PaymentKeys.parseAmount(body.amount(), "amount");
            answerFromStore(
                    ex, () -> WithdrawalAnswer.of(earnings.withdraw(body.projectOwner(), amount, Instant.now())));
        });
    }

    private void complete(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.json(
                exchange,
                CompleteBody.class,
                (ex, body) -> answerFromStore(ex, () -> {
                    ProjectEarnings.Completion completion = earnings.complete(
                                    body.withdrawalId(), body.success(), body.txHash(), Instant.now())
                            .orElseThrow(() -> ApiException.notFound("Withdrawal not found: " + body.withdrawalId()));
                    return new Completed(WithdrawalAnswer.of(completion.withdrawal()), completion.finalized());
                }));
    }

    /**
     * Answers 200 with what {@code read} returns, read on a worker thread: with {@code --jobs-db-url} the stores
     * are PostgreSQL, and a query on the I/O thread would hold up every other connection of that thread while it
     * waits. The request's own checks stay before this, on the I/O thread.
     */
    private static void answerFromStore(HttpServerExchange exchange, Callable<Object> read) {
        ErrorHandler.dispatch(exchange, () -> Responses.json(exchange, 200, read.call()));
    }

    /** {@code limit} and {@code offset} of the query; 400 when either is not an integer. */
    private static Page.Request paging(HttpServerExchange exchange, int defaultLimit) {
        Long limit = integer(exchange, "limit");
        return Page.Request.of(
                limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit)),
                integer(exchange, "offset"),
                defaultLimit);
    }

    private static Long integer(HttpServerExchange exchange, String name) {
        String text = queryParameter(exchange, name);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name + " must be an integer");
        }
    }
}

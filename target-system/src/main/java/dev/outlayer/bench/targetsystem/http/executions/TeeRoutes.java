package dev.outlayer.bench.targetsystem.http.executions;

import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.pathParameter;
import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.requireWorker;
import static dev.outlayer.bench.targetsystem.http.executions.CoordinatorRequests.requireWorkerTokenHash;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.http.BodyReader;
import dev.outlayer.bench.targetsystem.http.ErrorHandler;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.json.SerdeFields;
import dev.outlayer.bench.targetsystem.keystore.WorkerTokens;
import dev.outlayer.bench.targetsystem.tee.Attestations;
import dev.outlayer.bench.targetsystem.tee.TeeRegistration;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.util.Base64;
import java.util.UUID;

/**
 * OutLayer's TEE routes on the coordinator (handlers/attestations.rs, handlers/workers.rs): for workers (worker
 * token) {@code POST /attestations}, which stores a task's TDX quote and context as given (OutLayer verifies no
 * quote there either), {@code POST /workers/tee-challenge} and {@code POST /workers/register-tee}, the session
 * handshake; for anyone {@code GET /attestations/{job_id}}.
 */
public final class TeeRoutes {
    private final Attestations attestations;
    private final TeeRegistration registration;
    private final WorkerTokens workerTokens;
    private final BodyReader bodies;

    private TeeRoutes(
            Attestations attestations, TeeRegistration registration, WorkerTokens workerTokens, BodyReader bodies) {
        this.attestations = attestations;
        this.registration = registration;
        this.workerTokens = workerTokens;
        this.bodies = bodies;
    }

    /** @param bodies the worker routes' body limit (OutLayer's protected router takes 10 MB) */
    public static void register(
            Routes routes,
            Attestations attestations,
            TeeRegistration registration,
            WorkerTokens workerTokens,
            BodyReader bodies) {
        TeeRoutes api = new TeeRoutes(attestations, registration, workerTokens, bodies);
        routes.route(Methods.POST, "/attestations", api::store);
        routes.route(Methods.GET, "/attestations/{job_id}", api::get);
        routes.route(Methods.POST, "/workers/tee-challenge", api::challenge);
        routes.route(Methods.POST, "/workers/register-tee", api::registerTee);
    }

    /** OutLayer's {@code AttestationResponse}: the quote in base64, {@code timestamp} in unix seconds. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AttestationAnswer(
            @JsonProperty("id") long id,
            @JsonProperty("task_id") long taskId,
            @JsonProperty("task_type") String taskType,
            @JsonProperty("tdx_quote") String tdxQuote,
            @JsonProperty("worker_measurement") String workerMeasurement,
            @JsonProperty("request_id") Long requestId,
            @JsonProperty("caller_account_id") String callerAccountId,
            @JsonProperty("transaction_hash") String transactionHash,
            @JsonProperty("block_height") Long blockHeight,
            @JsonProperty("call_id") String callId,
            @JsonProperty("payment_key_owner") String paymentKeyOwner,
            @JsonProperty("payment_key_nonce") Integer paymentKeyNonce,
            @JsonProperty("repo_url") String repoUrl,
            @JsonProperty("commit_hash") String commitHash,
            @JsonProperty("build_target") String buildTarget,
            @JsonProperty("wasm_hash") String wasmHash,
            @JsonProperty("input_hash") String inputHash,
            @JsonProperty("output_hash") String outputHash,
            @JsonProperty("project_id") String projectId,
            @JsonProperty("secrets_ref") String secretsRef,
            @JsonProperty("attached_usd") String attachedUsd,
            @JsonProperty("timestamp") long timestamp) {
        static AttestationAnswer of(Attestations.Stored stored) {
            Attestations.Entry e = stored.entry();
            return new AttestationAnswer(
                    stored.id(),
                    e.taskId(),
                    e.taskType(),
                    Base64.getEncoder().encodeToString(e.tdxQuote()),
                    e.workerMeasurement(),
                    e.requestId(),
                    e.callerAccountId(),
                    e.transactionHash(),
                    e.blockHeight(),
                    e.callId() == null ? null : e.callId().toString(),
                    e.paymentKeyOwner(),
                    e.paymentKeyNonce(),
                    e.repoUrl(),
                    e.commitHash(),
                    e.buildTarget(),
                    e.wasmHash(),
                    e.inputHash(),
                    e.outputHash(),
                    e.projectId(),
                    e.secretsRef(),
                    e.attachedUsd(),
                    stored.createdAt().getEpochSecond());
        }
    }

    /** OutLayer's {@code TeeChallenge}. */
    record ChallengeAnswer(@JsonProperty("challenge") String challenge) {}

    /** OutLayer's {@code RegisterTeeRequest}: three strings, all required. */
    record RegisterTeeBody(
            @JsonProperty("public_key") String publicKey,
            @JsonProperty("challenge") String challenge,
            @JsonProperty("signature") String signature) {
        RegisterTeeBody {
            SerdeFields.required(publicKey, "public_key");
            SerdeFields.required(challenge, "challenge");
            SerdeFields.required(signature, "signature");
        }
    }

    /** OutLayer's {@code RegisterTeeResponse}. */
    record Registered(@JsonProperty("session_id") UUID sessionId) {}

    /** {@code store_attestation}: 201 without a body once stored; each refusal before anything is stored. */
    private void store(HttpServerExchange exchange) {
        requireWorker(exchange, workerTokens);
        bodies.axumJson(exchange, Attestations.Submission.class, (ex, submission) -> {
            Attestations.Entry entry = submission.entry();
            ErrorHandler.dispatch(ex, () -> {
                attestations.store(entry, submission.time());
                ex.setStatusCode(201);
                ex.endExchange();
            });
        });
    }

    /** {@code get_attestation}: the job's first attestation, 404 when it has none. */
    private void get(HttpServerExchange exchange) {
        long jobId = SystemLogRoutes.jobIdInPath(pathParameter(exchange, "job_id"));
        ErrorHandler.dispatch(
                exchange,
                () -> Responses.json(
                        exchange,
                        200,
                        AttestationAnswer.of(attestations
                                .first(jobId)
                                .orElseThrow(() -> ApiException.notFound("no attestation for job " + jobId)))));
    }

    private void challenge(HttpServerExchange exchange) {
        String tokenHash = requireWorkerTokenHash(exchange, workerTokens);
        ErrorHandler.dispatch(
                exchange, () -> Responses.json(exchange, 200, new ChallengeAnswer(registration.challenge(tokenHash))));
    }

    /** {@code register_tee}: a session id, or OutLayer's refusal (400, 403 or 500) in its words. */
    private void registerTee(HttpServerExchange exchange) {
        String tokenHash = requireWorkerTokenHash(exchange, workerTokens);
        bodies.axumJson(
                exchange,
                RegisterTeeBody.class,
                (ex, body) -> ErrorHandler.dispatch(ex, () -> {
                    TeeRegistration.Outcome outcome =
                            registration.register(tokenHash, body.publicKey(), body.challenge(), body.signature());
                    if (outcome.refusal() == null) {
                        Responses.json(ex, 200, new Registered(outcome.sessionId()));
                        return;
                    }
                    int status = switch (outcome.refusal()) {
                        case BAD_CHALLENGE -> 400;
                        case FORBIDDEN -> 403;
                        case NOT_CONFIGURED -> 500;
                    };
                    // OutLayer answers its line in text/plain; here it is the error body's message, as every error is
                    Responses.error(ex, status, outcome.message());
                }));
    }
}

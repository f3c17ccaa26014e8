package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.results.names.Measured.ExecutionLifecycle;
import dev.outlayer.bench.results.recorder.NoSamplesException;
import dev.outlayer.bench.simulations.support.BenchSimulation;
import dev.outlayer.bench.simulations.support.Json;
import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.NearRpc;
import dev.outlayer.bench.simulations.support.Observed;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Phases;
import dev.outlayer.bench.simulations.support.SetupHttp;
import dev.outlayer.bench.simulations.support.SignedCall;
import dev.outlayer.bench.simulations.support.SteppedLoad;
import dev.outlayer.bench.simulations.support.Target;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Session;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 13, OutLayer's execution lifecycle end to end, as a dApp's users drive it: each request is a
 * {@code request_execution} transaction to the OutLayer contract ({@code -Dlifecycle.contract}, default the
 * stand-in's {@code outlayer.test.near}), signed in the client with an ed25519 key of the signer feeder
 * ({@code -Dlifecycle.signers}, default the {@code user*} rows of {@code feeders/accounts.csv}) and sent with
 * {@code send_tx} (wait_until INCLUDED), then followed with {@code EXPERIMENTAL_tx_status}: EXECUTED_OPTIMISTIC
 * until the yield's callback has returned (the end-to-end time the client sees: transaction to callback
 * result), then FINAL (the final outcome). The request id comes from the {@code execution_requested} event in
 * the outcome's logs; the callback's value is the program's output.
 *
 * <p>Against the stand-in ({@code -Dlifecycle.phaseApi}, default on when the target is embedded) each request's
 * phases come from {@code GET /executions/{request_id}} and are recorded as the phases of the end-to-end time
 * (tx included, event seen, job created, claimed, compile, execute, resolve tx, callback done), and the
 * coordinator's {@code /metrics} counter of executions completed twice must stay 0. Against OutLayer on
 * testnet (an RPC URL, the contract id and a signer feeder, see docs/execution-lifecycle.md) only the chain is
 * seen: the breakdown is then the chain's (included, callback result, final), and "executed once" is checked
 * as one {@code execution_completed} event per request, which is all the chain shows.
 *
 * <p>Load: a closed model ({@code lifecycle.closedUsers} users, each sending its next request when the last one
 * resolved, for {@code lifecycle.closedSeconds}), an open model ({@code lifecycle.openRps} arrivals per second
 * for {@code lifecycle.openSeconds}), then the suite's capacity method ({@link SteppedLoad}): arrival rate
 * stepped up until the end-to-end p99 passes {@code lifecycle.sloMs} or 1% fail; the knee is the worker pool's
 * throughput at saturation. Asserted: every request resolves (the callback returned the program's output),
 * end-to-end p95 under {@code lifecycle.maxP95Ms}, no request executed twice, a knee exists.
 */
public class ExecutionLifecycleSimulation extends BenchSimulation {
    private static final String CONTRACT = Params.string("lifecycle.contract", "outlayer.test.near");
    private static final String SIGNERS = Params.string("lifecycle.signers", "accounts.csv");
    private static final String SIGNER_PREFIX = Params.string("lifecycle.signerPrefix", "user");
    private static final int SIGNER_COUNT = Params.integer("lifecycle.signerCount", 16, 8);
    private static final boolean PHASE_API = Boolean.parseBoolean(Params.string(
            "lifecycle.phaseApi",
            String.valueOf(System.getProperty("target.url", "").isBlank())));
    private static final String SOURCE = Params.string("lifecycle.source", "");
    private static final String RESPONSE_FORMAT = Params.string("lifecycle.responseFormat", "Json");
    private static final long MAX_INSTRUCTIONS =
            Long.parseLong(Params.string("lifecycle.maxInstructions", "100000000"));
    private static final int MAX_SECONDS = Params.integer("lifecycle.maxExecutionSeconds", 10);
    private static final BigInteger DEPOSIT =
            new BigInteger(Params.string("lifecycle.depositYocto", "10000000000000000000000")); // 0.01 NEAR
    private static final long GAS = 300_000_000_000_000L; // the callback alone is given 50 Tgas by the contract
    private static final int CLOSED_USERS = Params.integer("lifecycle.closedUsers", 4, 2);
    private static final int CLOSED_SECONDS = Params.integer("lifecycle.closedSeconds", 60, 5);
    private static final double OPEN_RPS = Params.decimal("lifecycle.openRps", 2);
    private static final int OPEN_SECONDS = Params.integer("lifecycle.openSeconds", 60, 5);
    private static final boolean CAPACITY = Boolean.parseBoolean(Params.string("lifecycle.capacity", "true"));
    private static final double MAX_P95_MS = Params.decimal("lifecycle.maxP95Ms", 15_000);
    /** How long one request's status is asked for, per wait level, before it counts as not resolved. */
    private static final Duration POLL_BUDGET = Duration.ofSeconds(Params.integer("lifecycle.pollSeconds", 60));
    /**
     * The pause before asking again after an answer without a final status. nearcore orders
     * INCLUDED_FINAL above EXECUTED_OPTIMISTIC, so a wait for EXECUTED_OPTIMISTIC is answered at
     * once, status Started, when the transaction's block is final before its receipts ran
     * (nearcore#13872): asking again at once would spin. The end-to-end time can then be late by up to
     * this pause.
     */
    private static final Duration POLL_PAUSE = Duration.ofMillis(Params.integer("lifecycle.pollPauseMs", 100));

    private static final String EXECUTED_TWICE_METRIC =
            Params.string("lifecycle.executedTwiceMetric", "outlayer_execution_executed_twice_total");

    private static final SteppedLoad LOAD = new SteppedLoad(
            "lifecycle",
            Params.decimal("lifecycle.capacity.startRps", Params.ci() ? 1 : 2),
            Params.decimal("lifecycle.capacity.factor", Params.ci() ? 1.5 : 1.25),
            Params.integer("lifecycle.capacity.steps", 10, 4),
            Duration.ofSeconds(Params.integer("lifecycle.capacity.stepSeconds", 20, 3)),
            Params.decimal("lifecycle.sloMs", MAX_P95_MS),
            Params.decimal("lifecycle.capacity.maxErrorPercent", 1));

    private static final String SEND_TX = ExecutionLifecycle.SEND_TX.name();
    private static final String END_TO_END = ExecutionLifecycle.END_TO_END.name();
    private static final String FINAL = ExecutionLifecycle.FINAL.name();
    private static final String POLL = "lifecycle: EXPERIMENTAL_tx_status";
    private static final String PHASES = "lifecycle: GET /executions/{id}";
    /** The stand-in's phases, in order (lifecycle-api.md), as the end-to-end time's Server-Timing. */
    private static final List<String> PHASE_NAMES =
            List.of("event_seen", "job_created", "claimed", "compile", "execute", "resolve_tx", "callback_done");

    /** The RPC endpoint: -Dlifecycle.rpcUrl, else the embedded target's emulator, else the coordinator's proxy. */
    private static final String RPC_URL = Params.string("lifecycle.rpcUrl", "");

    private static final NearRpc RPC = NearRpc.at(RPC_URL.isBlank() ? NearRpc.targetUrl() : RPC_URL);

    /** Signer keys not in use: a request holds one from signing until send_tx answered (nonces are per key). */
    private static final ConcurrentLinkedQueue<Signer> FREE = new ConcurrentLinkedQueue<>();

    /**
     * The final block hash requests are signed with, re-read every {@code lifecycle.blockHashEvery} requests:
     * the emulator's head runs ahead of the clock under load, and a hash read once passes its 86,400 blocks
     * of validity on a long run (near-api-js reads one before every transaction).
     */
    private static volatile String blockHash;

    private static final int BLOCK_HASH_EVERY = Params.integer("lifecycle.blockHashEvery", 1_000);
    private static final AtomicLong SIGNED_SINCE_BLOCK_HASH = new AtomicLong();
    private static final String FINAL_BLOCK = "lifecycle: block final";
    private static volatile String codeSource;

    private static final AtomicLong SENT = new AtomicLong();
    private static final AtomicLong RESOLVED = new AtomicLong();
    private static final AtomicLong UNRESOLVED = new AtomicLong();
    private static final AtomicLong NOT_ONCE = new AtomicLong();
    private static final AtomicLong WRONG_OUTPUT = new AtomicLong();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** One signer key and the last nonce it used. */
    private static final class Signer {
        final TransactionSigner signer;
        long nonce;

        Signer(TransactionSigner signer) {
            this.signer = signer;
        }
    }

    private final List<Map<String, Object>> signerRows = signerRows();

    {
        List<PopulationBuilder> phases = new ArrayList<>();
        phases.add(scenario("lifecycle: closed model")
                .exec(request())
                .injectClosed(constantConcurrentUsers(CLOSED_USERS).during(Duration.ofSeconds(CLOSED_SECONDS))));
        phases.add(scenario("lifecycle: open model")
                .exec(request())
                .injectOpen(constantUsersPerSec(OPEN_RPS).during(Duration.ofSeconds(OPEN_SECONDS))));
        if (CAPACITY) {
            phases.add(scenario("lifecycle: capacity")
                    .exec(LOAD.measured(request()))
                    .injectOpen(LOAD.injection()));
            verdicts.atLeast(
                    "lifecycle knee (resolved requests per second)",
                    () -> LOAD.knee().completedRps(),
                    Params.decimal("lifecycle.minKneeRps", 0.1),
                    "rps");
        }
        verdicts.between("requests that did not resolve", () -> counted(UNRESOLVED, SENT), 0, 0, "")
                .atLeast("requests resolved", () -> RESOLVED.get(), 1, "")
                .atMost(
                        "end-to-end p95 (transaction to callback result)",
                        () -> recorded().clientMillis(END_TO_END, 95),
                        MAX_P95_MS,
                        "ms")
                .between(
                        "requests whose outcome has not exactly one execution_completed",
                        () -> counted(NOT_ONCE, SENT),
                        0,
                        0,
                        "")
                .between(
                        "callbacks whose output does not name the signer",
                        () -> counted(WRONG_OUTPUT, RESOLVED),
                        0,
                        0,
                        "");
        if (PHASE_API) {
            verdicts.between(
                    "executions completed twice (coordinator's " + EXECUTED_TWICE_METRIC + ")",
                    ExecutionLifecycleSimulation::executedTwice,
                    0,
                    0,
                    "");
        }
        phases.add(verdicts.population());
        setUp(Phases.inOrder(phases))
                .protocols(JsonRpc.protocol().shareConnections())
                // the end-to-end time is the run's own measurement, not a Gatling request: its verdicts judge it
                .assertions(verdicts.assertions(
                        details(SEND_TX).successfulRequests().percent().is(100.0)));
    }

    @Override
    public void before() {
        super.before();
        blockHash = RPC.finalBlockHash();
        for (Map<String, Object> row : signerRows) {
            Signer signer = new Signer(SignedCall.signer(row));
            signer.nonce = RPC.nonce(signer.signer);
            FREE.add(signer);
        }
        codeSource = SOURCE.isBlank() ? SetupHttp.registerEchoProgram() : SOURCE;
        System.out.println("lifecycle: " + FREE.size() + " signers, contract " + CONTRACT + ", RPC " + RPC.url()
                + ", code source " + codeSource + (PHASE_API ? ", phases from the stand-in's API" : ", chain only"));
    }

    /** One request, start to final outcome; its end-to-end time is the user's last observation. */
    private static ChainBuilder request() {
        return doIf(session -> SIGNED_SINCE_BLOCK_HASH.get() >= BLOCK_HASH_EVERY)
                .then(exec(session -> {
                            SIGNED_SINCE_BLOCK_HASH.set(0); // one request re-reads it for all
                            return session;
                        })
                        .exec(RPC.finalBlockHash(FINAL_BLOCK, "finalBlockHash"))
                        .exec(session -> {
                            if (session.contains("finalBlockHash")) {
                                blockHash = session.getString("finalBlockHash");
                            }
                            return session.remove("finalBlockHash");
                        }))
                .exec(session -> session.set("start", System.nanoTime()).remove("signer"))
                .asLongAs(session -> !session.contains("signer"))
                .on(exec(ExecutionLifecycleSimulation::takeSigner)
                        .doIf(session -> !session.contains("signer"))
                        .then(pause(Duration.ofMillis(20))))
                .exec(ExecutionLifecycleSimulation::sign)
                .exec(Observed.send(
                        SEND_TX,
                        RPC.sendTx(SEND_TX, "INCLUDED")
                                .check(jsonPath("$.error").notExists())))
                .exec(ExecutionLifecycleSimulation::releaseSigner)
                .exec(session -> session.set("sent", Observed.last(session).ok())
                        .set("pollUntil", System.nanoTime() + POLL_BUDGET.toNanos())
                        .set("outcome", ""))
                .doIf(session -> session.getBoolean("sent"))
                .then(exec(session -> {
                            SENT.incrementAndGet();
                            return session;
                        })
                        .asLongAs(ExecutionLifecycleSimulation::stillPolling)
                        .on(poll("EXECUTED_OPTIMISTIC"))
                        .exec(ExecutionLifecycleSimulation::judge)
                        .exec(session -> session.set("resultNanos", System.nanoTime())
                                .set("outcome", "")
                                .set("pollUntil", System.nanoTime() + POLL_BUDGET.toNanos()))
                        .asLongAs(ExecutionLifecycleSimulation::stillPolling)
                        .on(poll("FINAL"))
                        .exec(session -> {
                            boolean ok = !session.getString("outcome").isEmpty();
                            recorded()
                                    .record(FINAL, ok ? 200 : 0, ok, session.getLong("start"), System.nanoTime(), null);
                            return session;
                        })
                        .doIf(session -> PHASE_API && session.contains("requestId"))
                        .then(Observed.send(
                                PHASES,
                                http(PHASES)
                                        .get(session -> Target.coordinatorUrl() + "/executions/"
                                                + session.getString("requestId"))
                                        .check(status().is(200), bodyString().saveAs("phases"))))
                        // last: the end-to-end time is the observation the capacity steps judge
                        .exec(ExecutionLifecycleSimulation::recordEndToEnd));
    }

    private static boolean stillPolling(Session session) {
        return session.getString("outcome").isEmpty() && System.nanoTime() < session.getLong("pollUntil");
    }

    /**
     * A status query until the transaction reaches {@code waitUntil}; an answer without a final
     * status (TIMEOUT_ERROR, or Started: see {@link #POLL_PAUSE}) means ask again, after a pause.
     */
    private static ChainBuilder poll(String waitUntil) {
        return exec(Observed.send(
                        POLL,
                        RPC.txStatus(POLL, "EXPERIMENTAL_tx_status", waitUntil)
                                .check(bodyString().saveAs("pollBody"))))
                .exec(session -> {
                    JsonNode status = Json.read(session.getString("pollBody"))
                            .path("result")
                            .path("status");
                    return session.set("outcome", NearRpc.isFinal(status) ? session.getString("pollBody") : "");
                })
                .doIf(session -> session.getString("outcome").isEmpty())
                .then(pause(POLL_PAUSE));
    }

    /** What the outcome says: the request id, the callback's value, one completion; counted once per request. */
    private static Session judge(Session session) {
        String outcome = session.getString("outcome");
        if (outcome.isEmpty()) {
            UNRESOLVED.incrementAndGet();
            return session.set("resolved", false);
        }
        JsonNode result = Json.read(outcome).path("result");
        int completions = 0;
        boolean succeeded = false;
        String error = null;
        String requestId = null;
        for (JsonNode receipt : result.path("receipts_outcome")) {
            for (JsonNode log : receipt.path("outcome").path("logs")) {
                String text = log.asText();
                if (!text.startsWith("EVENT_JSON:")) {
                    continue;
                }
                JsonNode event = Json.read(text.substring("EVENT_JSON:".length()));
                JsonNode data = event.path("data").path(0);
                if (event.path("event").asText().equals("execution_requested")) {
                    requestId = Json.read(data.path("request_data").asText())
                            .path("request_id")
                            .asText();
                } else if (event.path("event").asText().equals("execution_completed")) {
                    completions++;
                    succeeded = data.path("success").asBoolean();
                    error = data.path("error_message").asText(null);
                }
            }
        }
        String value = result.path("status").has("SuccessValue")
                ? new String(
                        Base64.getDecoder()
                                .decode(result.path("status")
                                        .path("SuccessValue")
                                        .asText()),
                        StandardCharsets.UTF_8)
                : null;
        boolean resolved = succeeded && value != null && !value.isBlank() && !value.equals("null");
        (resolved ? RESOLVED : UNRESOLVED).incrementAndGet();
        if (!resolved && UNRESOLVED.get() <= 5) {
            // what a failed request's outcome said, for the first few: the run's totals do not say why
            System.out.printf(
                    "lifecycle: request %s of %s not resolved: %d execution_completed, error %s, callback value %s%n",
                    requestId, session.getString("sender"), completions, error, value);
        }
        if (completions != 1) {
            NOT_ONCE.incrementAndGet();
        }
        if (resolved && SOURCE.isBlank()) {
            // echo_json's output names the sender the worker ran it for: the transaction's signer.
            JsonNode output = Json.read(value);
            if (!output.path("sender").asText().equals(session.getString("sender"))) {
                WRONG_OUTPUT.incrementAndGet();
            }
        }
        Session next = session.set("resolved", resolved);
        return requestId == null ? next : next.set("requestId", requestId);
    }

    /** The end-to-end time (transaction sent to callback result), with the stand-in's phases when it has them. */
    private static Session recordEndToEnd(Session session) {
        String serverTiming = null;
        if (session.contains("phases")) {
            JsonNode phases = Json.read(session.getString("phases")).path("phases_ms");
            StringJoiner header = new StringJoiner(", ");
            for (String phase : PHASE_NAMES) {
                if (phases.has(phase)) {
                    header.add(phase + ";dur=" + phases.path(phase).asDouble());
                }
            }
            serverTiming = header.toString();
        }
        long start = session.getLong("start");
        long done = session.getLong("resultNanos");
        return Observed.span(session, END_TO_END, session.getBoolean("resolved"), start, done, serverTiming)
                .remove("phases");
    }

    private static Session takeSigner(Session session) {
        Signer signer = FREE.poll();
        return signer == null ? session : session.set("signer", signer);
    }

    private static Session releaseSigner(Session session) {
        FREE.add(session.get("signer"));
        return session.remove("signer");
    }

    /** The next request_execution, signed with the held key's next nonce. */
    private static Session sign(Session session) {
        Signer held = session.get("signer");
        held.nonce++;
        long n = SEQUENCE.incrementAndGet();
        SIGNED_SINCE_BLOCK_HASH.incrementAndGet();
        String args = "{\"source\":" + codeSource + ",\"resource_limits\":{\"max_instructions\":" + MAX_INSTRUCTIONS
                + ",\"max_memory_mb\":128,\"max_execution_seconds\":" + MAX_SECONDS + "},\"input_data\":"
                + Json.write("{\"request\":" + n + "}") + ",\"response_format\":\"" + RESPONSE_FORMAT + "\"}";
        SignedCall signed =
                SignedCall.sign(held.signer, CONTRACT, held.nonce, blockHash, "request_execution", args, GAS, DEPOSIT);
        return session.set("tx", signed.base64()).set("txHash", signed.hash()).set("sender", held.signer.signerId());
    }

    /** {@code count}, or NaN (a failed verdict) when there was nothing to count it over: no check passes on no data. */
    private static double counted(AtomicLong count, AtomicLong over) {
        return over.get() == 0 ? Double.NaN : count.get();
    }

    /** The coordinator's counter of executions completed twice; NaN (a failed verdict) when it is not exported. */
    private static double executedTwice() {
        String metrics = SetupHttp.send(HttpRequest.newBuilder(URI.create(Target.coordinatorUrl() + "/metrics"))
                        .GET()
                        .build())
                .body();
        double total = Double.NaN;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(EXECUTED_TWICE_METRIC + " ") || line.startsWith(EXECUTED_TWICE_METRIC + "{")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                total = Double.isNaN(total) ? value : total + value;
            }
        }
        if (Double.isNaN(total)) {
            throw new NoSamplesException(EXECUTED_TWICE_METRIC + " in the coordinator's /metrics");
        }
        return total;
    }

    /** The signer rows: account_id and private_key, the first lifecycle.signerCount whose id starts with the prefix. */
    private static List<Map<String, Object>> signerRows() {
        List<Map<String, Object>> rows = SignedCall.signerRows(SIGNERS, SIGNER_PREFIX).stream()
                .limit(SIGNER_COUNT)
                .toList();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(SIGNERS + " has no " + SIGNER_PREFIX
                    + "* row with a private_key (-Dlifecycle.signers, -Dlifecycle.signerPrefix)");
        }
        return rows;
    }

    @Override
    protected void report() {
        System.out.printf(
                Locale.ROOT,
                "lifecycle: %d requests sent, %d resolved, %d not resolved, %d without exactly one completion%n",
                SENT.get(),
                RESOLVED.get(),
                UNRESOLVED.get(),
                NOT_ONCE.get());
        Phases.print(SEND_TX);
        Phases.print(END_TO_END, PHASE_NAMES.toArray(String[]::new));
        Phases.print(FINAL);
        if (!PHASE_API) {
            System.out.println("    (no phase API: the chain shows only included, callback result and final)");
        }
        recorded().value(ExecutionLifecycle.END_TO_END_P95_MS, recorded().clientMillis(END_TO_END, 95));
        if (CAPACITY) {
            System.out.print(LOAD.table());
            try {
                SteppedLoad.Step knee = LOAD.knee();
                SteppedLoad.Step broke = LOAD.breakingStep();
                System.out.printf(
                        Locale.ROOT,
                        "lifecycle knee: %.2f resolved requests/s at %.2f offered (p99 %.0f ms); %s%n",
                        knee.completedRps(),
                        knee.offeredRps(),
                        knee.p99Ms(),
                        broke == null
                                ? "it never broke: the knee is at least this (raise -Dlifecycle.capacity.steps)"
                                : String.format(Locale.ROOT, "broke at %.2f offered rps", broke.offeredRps()));
                recorded().value(ExecutionLifecycle.KNEE_RPS, knee.completedRps());
            } catch (NoSamplesException e) {
                System.out.println("lifecycle: no knee, " + e.getMessage());
            }
        }
    }
}

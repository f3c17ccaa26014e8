package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.results.names.Measured.HttpsCall;
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
import dev.outlayer.bench.simulations.support.Target;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * OutLayer's HTTPS API (coordinator handlers/call.rs; docs/executions.md "HTTPS calls"): a project's code run by a
 * plain {@code POST /call/{project_owner}/{project_name}} (the path OutLayer's router and clients use) paid with a payment key ({@code X-Payment-Key:
 * owner:nonce:key}, {@code X-Compute-Limit}), answered at once (sync) or polled with {@code GET /calls/{call_id}}
 * (async), with no NEAR transaction.
 *
 * <p>Setup, against the embedded stand-in: the echo program registered with {@code PUT /programs} as
 * ExecutionLifecycleSimulation registers it, a project made of it by a signed {@code create_project} of a
 * {@code feeders/accounts.csv} key ({@code https.signer}), and a payment key made as OutLayer's owner makes one:
 * the key with its metadata encrypted to the keystore's System {@code payment_key} scope and stored with
 * {@code PUT /secrets/{owner}/{nonce}} (the owner's API key of {@code feeders/api-keys.csv}), then funded with
 * {@code POST /topup/complete} (the worker route OutLayer's worker calls after a top-up on chain; the embedded
 * target's worker token). Against a deployment ({@code -Dtarget.url}) the project and key are parameters
 * ({@code https.project}, {@code https.paymentKey}) and nothing is set up. One warm-up call compiles the code
 * before anything is measured.
 *
 * <p>Load: a closed phase of sync calls ({@code https.closedUsers} users, each pausing {@code https.closedPauseMs}
 * after its call, so the key stays under its 1,000 calls per minute), then an open phase ({@code https.openRps}
 * arrivals per second) mixing sync calls and async calls polled until done ({@code https.asyncShare} of them).
 * Each call's end-to-end time (a sync call's answer; an async call from its submission to the poll that saw the
 * result, late by at most {@code https.pollPauseMs}) is recorded as {@link HttpsCall#END_TO_END}.
 *
 * <p>Clients: OutLayer limits the HTTPS API to 100 requests a minute per client address, the first entry of {@code
 * X-Forwarded-For} (else {@code X-Real-IP}, else {@code unknown}: its server has no connection address). Each
 * virtual user is a client of its own: its requests name an address of its own in {@code X-Forwarded-For} ({@code
 * https.clientAddresses=per-user}, the default), as many users behind one proxy would. {@code
 * https.clientAddresses=one} sends no such header, so every request is one client's (this machine's address behind
 * a deployment's proxy, {@code unknown} without one): past 100 requests a minute a deployment answers 429, which
 * this run then counts as failed calls. The audit's reads of each call name an address per read for the same reason.
 *
 * <p>Asserted: every call succeeded (200, {@code status: completed}, the output is the echo of its input),
 * end-to-end p95 under {@code https.maxP95Ms}, billing exact (the key's {@code available} balance afterwards is
 * the balance before less the sum of the {@code compute_cost}s the answers reported), no call charged twice (no
 * call id answered twice, and each call read again after the run reports the charge it answered with).
 */
public class HttpsCallSimulation extends BenchSimulation {
    private static final boolean EMBEDDED = System.getProperty("target.url", "").isBlank();
    private static final String PROJECT = Params.string("https.project", "");
    private static final String PAYMENT_KEY = Params.string("https.paymentKey", "");
    private static final String PROJECT_NAME = Params.string("https.projectName", "https-echo");
    private static final String SIGNER = Params.string("https.signer", "alice.test.near");
    private static final String KEY_OWNER = Params.string("https.keyOwner", "alice.test.near");
    private static final int KEY_NONCE = Params.integer("https.keyNonce", 1);
    /** What the embedded setup funds the key with: $1,000 in the stablecoin's minimal units (6 decimals). */
    private static final BigInteger TOP_UP = new BigInteger(Params.string("https.topUp", "1000000000"));

    private static final long COMPUTE_LIMIT = Long.parseLong(Params.string("https.computeLimit", "10000"));
    private static final int CLOSED_USERS = Params.integer("https.closedUsers", 4, 2);
    private static final int CLOSED_SECONDS = Params.integer("https.closedSeconds", 60, 5);
    private static final Duration CLOSED_PAUSE = Duration.ofMillis(Params.integer("https.closedPauseMs", 500));
    private static final double OPEN_RPS = Params.decimal("https.openRps", 4);
    private static final int OPEN_SECONDS = Params.integer("https.openSeconds", 60, 5);
    private static final double ASYNC_SHARE = Params.decimal("https.asyncShare", 0.5);
    private static final Duration POLL_PAUSE = Duration.ofMillis(Params.integer("https.pollPauseMs", 20));
    /** How long an async call is polled before it counts as not done. */
    private static final Duration POLL_BUDGET = Duration.ofSeconds(Params.integer("https.pollSeconds", 60));

    private static final double MAX_P95_MS = Params.decimal("https.maxP95Ms", 2_000);

    private static final boolean ADDRESS_PER_USER = switch (Params.string("https.clientAddresses", "per-user")) {
        case "per-user" -> true;
        case "one" -> false;
        default -> throw new IllegalArgumentException("-Dhttps.clientAddresses is per-user or one");
    };
    /** The audit's reads name addresses after the users': 10.128.0.0 and up. */
    private static final long AUDIT_ADDRESSES = 1L << 23;

    private static final String SYNC_CALL = HttpsCall.SYNC_CALL.name();
    private static final String ASYNC_SUBMIT = HttpsCall.ASYNC_SUBMIT.name();
    private static final String POLL = HttpsCall.POLL.name();
    private static final String END_TO_END = HttpsCall.END_TO_END.name();

    private static final String OUTLAYER_CONTRACT = Params.string("https.contract", "outlayer.test.near");
    private static final BigInteger PROJECT_DEPOSIT = new BigInteger("10000000000000000000000"); // 0.01 NEAR
    private static final long GAS = 300_000_000_000_000L;

    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final AtomicLong CALLS = new AtomicLong();
    private static final AtomicLong SUCCEEDED = new AtomicLong();
    private static final AtomicLong FAILED = new AtomicLong();
    private static final AtomicLong ASYNC_CALLS = new AtomicLong();
    /** Completed answers without a readable compute_cost: the billing cannot be checked then. */
    private static final AtomicLong COST_MISSING = new AtomicLong();
    /** Each answered call id and the compute_cost its answer reported. */
    private static final Map<String, BigInteger> COSTS = new ConcurrentHashMap<>();
    /** Call ids answered to more than one call. */
    private static final AtomicLong ANSWERED_TWICE = new AtomicLong();

    /** The project ({@code owner/name}) and the key ({@code owner:nonce:key}) the calls use, once set up. */
    private static volatile String project;

    private static volatile String paymentKey;
    /** The key's balance after setup and warm-up: what the billing verdict starts from. */
    private static volatile Balance before;

    private static final AtomicReference<Audit> AUDIT = new AtomicReference<>();

    /** The balance route's numbers (minimal units of the stablecoin). */
    private record Balance(BigInteger available, BigInteger spent, BigInteger reserved) {}

    /** What the run's answers and the key's balance afterwards say about its billing. */
    private record Audit(double billingDifference, double chargedTwice, String summary) {}

    {
        setUp(Phases.inOrder(List.of(
                        scenario("https: closed model (sync)")
                                .exec(syncCall())
                                .exec(pause(CLOSED_PAUSE))
                                .injectClosed(constantConcurrentUsers(CLOSED_USERS)
                                        .during(Duration.ofSeconds(CLOSED_SECONDS))),
                        scenario("https: open model (sync and async)")
                                .exec(doIfOrElse(session -> nextIsAsync())
                                        .then(asyncCall())
                                        .orElse(syncCall()))
                                .injectOpen(constantUsersPerSec(OPEN_RPS).during(Duration.ofSeconds(OPEN_SECONDS))),
                        verdicts.between(
                                        "calls that did not succeed (200, completed, the echo of the input)",
                                        () -> counted(FAILED, CALLS),
                                        0,
                                        0,
                                        "")
                                .atLeast("calls that succeeded", () -> SUCCEEDED.get(), 1, "")
                                .atMost(
                                        "end-to-end p95 (call to result)",
                                        () -> recorded().clientMillis(END_TO_END, 95),
                                        MAX_P95_MS,
                                        "ms")
                                .between(
                                        "billing: available before - available after - sum of compute_cost",
                                        () -> audit().billingDifference(),
                                        0,
                                        0,
                                        "")
                                .between(
                                        "calls charged twice (a call id answered twice, or a charge that changed)",
                                        () -> audit().chargedTwice(),
                                        0,
                                        0,
                                        "")
                                .population())))
                .protocols(JsonRpc.protocol().shareConnections())
                .assertions(
                        verdicts.assertions(global().failedRequests().count().is(0L)));
    }

    @Override
    public void before() {
        super.before();
        if (EMBEDDED) {
            String source = SetupHttp.registerEchoProgram();
            project = createProject(source);
            paymentKey = createPaymentKey();
        } else {
            if (PROJECT.isBlank() || PAYMENT_KEY.isBlank()) {
                throw new IllegalArgumentException("against -Dtarget.url, name the project and the payment key:"
                        + " -Dhttps.project=owner/name -Dhttps.paymentKey=owner:nonce:key");
            }
            if (PAYMENT_KEY.split(":", 3).length != 3 || PROJECT.split("/", 2).length != 2) {
                throw new IllegalArgumentException(
                        "-Dhttps.project is owner/name and -Dhttps.paymentKey is owner:nonce:key (64 hex digits)");
            }
            project = PROJECT;
            paymentKey = PAYMENT_KEY;
        }
        JsonNode warmUp = Json.read(post(
                        "/call/" + project,
                        "{\"input\":{\"warm_up\":true}}",
                        "X-Payment-Key",
                        paymentKey,
                        "X-Compute-Limit",
                        String.valueOf(COMPUTE_LIMIT))
                .body());
        if (!"completed".equals(warmUp.path("status").asText())) {
            throw new IllegalStateException("the warm-up call of " + project + " did not complete: " + warmUp);
        }
        before = balance()
                .orElseThrow(() -> new IllegalStateException(
                        "the balance route does not answer for the key " + keyId() + " (GET " + balancePath() + ")"));
        System.out.println("https: project " + project + ", payment key " + keyId() + ", available "
                + before.available() + (EMBEDDED ? " (set up on the embedded stand-in)" : " (given)"));
    }

    /** A sync call: its answer is its result. */
    private static ChainBuilder syncCall() {
        return exec(session -> start(session, false))
                .exec(Observed.send(SYNC_CALL, callRequest(SYNC_CALL, false)))
                .exec(session -> finish(session, session.getString("answer")));
    }

    /** An async call: submitted, answered pending, then polled until it is no longer pending. */
    private static ChainBuilder asyncCall() {
        return exec(session -> start(session, true))
                .exec(Observed.send(ASYNC_SUBMIT, callRequest(ASYNC_SUBMIT, true)))
                .exec(session -> {
                    JsonNode pending = readOrNull(session.getString("answer"));
                    boolean submitted = Observed.last(session).ok()
                            && pending != null
                            && "pending".equals(pending.path("status").asText())
                            && !pending.path("call_id").asText().isEmpty();
                    return session.set(
                                    "callId",
                                    submitted ? pending.path("call_id").asText() : "")
                            .set("result", submitted ? "" : session.getString("answer"))
                            .set("pollUntil", System.nanoTime() + POLL_BUDGET.toNanos());
                })
                .asLongAs(session -> !session.getString("callId").isEmpty()
                        && session.getString("result").isEmpty()
                        && System.nanoTime() < session.getLong("pollUntil"))
                .on(exec(Observed.send(
                                POLL,
                                fromClient(http(POLL)
                                        .get(session -> "/calls/" + session.getString("callId"))
                                        .header("X-Payment-Key", session -> paymentKey)
                                        .check(status().is(200), bodyString().saveAs("polled")))))
                        .exec(session -> {
                            JsonNode polled = readOrNull(session.getString("polled"));
                            boolean done = !Observed.last(session).ok()
                                    || polled == null
                                    || !"pending".equals(polled.path("status").asText());
                            return session.set("result", done ? session.getString("polled") : "");
                        })
                        .doIf(session -> session.getString("result").isEmpty())
                        .then(pause(POLL_PAUSE)))
                .exec(session -> finish(session, session.getString("result")));
    }

    private static HttpRequestActionBuilder callRequest(String name, boolean async) {
        return fromClient(http(name)
                .post(session -> "/call/" + project)
                .header("X-Payment-Key", session -> paymentKey)
                .header("X-Compute-Limit", String.valueOf(COMPUTE_LIMIT))
                .body(StringBody(
                        session -> "{\"input\":" + session.getString("input") + (async ? ",\"async\":true" : "") + "}"))
                .check(status().is(200), bodyString().saveAs("answer")));
    }

    /** The request as its virtual user's own client address sends it (see the class comment). */
    private static HttpRequestActionBuilder fromClient(HttpRequestActionBuilder request) {
        return ADDRESS_PER_USER
                ? request.header("X-Forwarded-For", session -> clientAddress(session.userId()))
                : request;
    }

    /** Address {@code n} of 10.0.0.0/8, as a proxy in front of the API would name a client in X-Forwarded-For. */
    private static String clientAddress(long n) {
        return "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
    }

    /** A new call: its own input (so its echo proves it ran this call), and the clock started. */
    private static Session start(Session session, boolean async) {
        long n = SEQUENCE.incrementAndGet();
        CALLS.incrementAndGet();
        if (async) {
            ASYNC_CALLS.incrementAndGet();
        }
        String input = Json.write(Map.of("call", n, "mode", async ? "async" : "sync", "user", session.userId()));
        return session.set("input", input).set("answer", "").set("polled", "").set("start", System.nanoTime());
    }

    /** Judges the call's result, keeps its charge, records its end-to-end time. */
    private static Session finish(Session session, String body) {
        long done = System.nanoTime();
        JsonNode answer = readOrNull(body);
        boolean completed =
                answer != null && "completed".equals(answer.path("status").asText());
        boolean echoed = completed && answer.path("output").path("input").equals(Json.read(session.getString("input")));
        if (completed) {
            charge(answer);
        }
        boolean ok = Observed.last(session).ok() && completed && echoed;
        (ok ? SUCCEEDED : FAILED).incrementAndGet();
        if (!ok && FAILED.get() <= 5) {
            // the run's totals do not say why a call failed: the first few answers do
            System.out.printf(
                    "https: call %s failed (HTTP %d): %s%n",
                    session.getString("input"),
                    Observed.last(session).status(),
                    body == null || body.isEmpty() ? "no answer" : body);
        }
        return Observed.span(session, END_TO_END, ok, session.getLong("start"), done, null);
    }

    /** The answer's call id and compute_cost, kept once; a call id seen before was answered twice. */
    private static void charge(JsonNode answer) {
        String callId = answer.path("call_id").asText();
        BigInteger cost;
        try {
            cost = new BigInteger(answer.path("compute_cost").asText());
        } catch (NumberFormatException e) {
            COST_MISSING.incrementAndGet();
            return;
        }
        if (callId.isEmpty()) {
            COST_MISSING.incrementAndGet();
        } else if (COSTS.putIfAbsent(callId, cost) != null) {
            ANSWERED_TWICE.incrementAndGet();
        }
    }

    /** Every {@code 1/asyncShare}-th arrival of the open phase is async, evenly spread. */
    private static boolean nextIsAsync() {
        long n = SEQUENCE.get() + 1;
        return Math.floor(n * ASYNC_SHARE) != Math.floor((n - 1) * ASYNC_SHARE);
    }

    /**
     * The billing, judged once after the load: the balance read again, and each call read again with {@code GET
     * /calls/{id}}. NaN (a failed verdict) when any number is missing: a balance not read, a completed answer
     * without its compute_cost, no call answered at all.
     */
    private static Audit audit() {
        Audit known = AUDIT.get();
        if (known != null) {
            return known;
        }
        if (paymentKey == null) {
            throw new IllegalStateException("no payment key: the setup did not run");
        }
        Optional<Balance> after = balance();
        double difference = Double.NaN;
        String summary;
        BigInteger sum = COSTS.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
        if (before == null || after.isEmpty() || COSTS.isEmpty() || COST_MISSING.get() > 0) {
            summary = "billing not checked: balance before " + (before == null ? "not read" : before.available())
                    + ", after " + after.map(b -> b.available().toString()).orElse("not read") + ", "
                    + COSTS.size() + " charges reported, " + COST_MISSING.get() + " completed answers without one";
        } else {
            difference = before.available()
                    .subtract(after.get().available())
                    .subtract(sum)
                    .doubleValue();
            summary = String.format(
                    Locale.ROOT,
                    "billing: available %s -> %s (spent %s -> %s, reserved after %s); %d calls reported"
                            + " compute_cost summing to %s",
                    before.available(),
                    after.get().available(),
                    before.spent(),
                    after.get().spent(),
                    after.get().reserved(),
                    COSTS.size(),
                    sum);
        }
        long changed = 0;
        long unread = 0;
        long limited = 0;
        long reads = 0;
        for (Map.Entry<String, BigInteger> call : COSTS.entrySet()) {
            HttpResponse<String> reread = ADDRESS_PER_USER
                    ? get(
                            "/calls/" + call.getKey(),
                            "X-Payment-Key",
                            paymentKey,
                            "X-Forwarded-For",
                            clientAddress(AUDIT_ADDRESSES + reads++))
                    : get("/calls/" + call.getKey(), "X-Payment-Key", paymentKey);
            JsonNode body = reread.statusCode() == 200 ? readOrNull(reread.body()) : null;
            if (body == null) {
                unread++;
                limited += reread.statusCode() == 429 ? 1 : 0;
            } else if (!call.getValue()
                    .toString()
                    .equals(body.path("compute_cost").asText())) {
                changed++;
            }
        }
        double twice = COSTS.isEmpty() || unread > 0 ? Double.NaN : ANSWERED_TWICE.get() + changed;
        summary += String.format(
                Locale.ROOT,
                "; read again: %d calls, %d with another charge, %d not readable%s; call ids answered twice: %d",
                COSTS.size(),
                changed,
                unread,
                limited == 0
                        ? ""
                        : " (" + limited + " answered 429: the API's limit per client address, see"
                                + " -Dhttps.clientAddresses)",
                ANSWERED_TWICE.get());
        AUDIT.compareAndSet(null, new Audit(difference, twice, summary));
        return AUDIT.get();
    }

    /** The key's balance from the public route OutLayer serves ({@code GET /public/payment-keys/{owner}/{nonce}/balance}). */
    private static Optional<Balance> balance() {
        HttpResponse<String> response = get(balancePath());
        JsonNode body = response.statusCode() == 200 ? readOrNull(response.body()) : null;
        if (body == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Balance(
                    new BigInteger(body.path("available").asText()),
                    new BigInteger(body.path("spent").asText()),
                    new BigInteger(body.path("reserved").asText())));
        } catch (NumberFormatException e) {
            return Optional.empty(); // a member missing: no balance to judge by
        }
    }

    private static String balancePath() {
        String[] parts = paymentKey.split(":", 3);
        return "/public/payment-keys/" + parts[0] + "/" + parts[1] + "/balance";
    }

    /** The key as {@code owner:nonce}, never its secret part. */
    private static String keyId() {
        String[] parts = paymentKey.split(":", 3);
        return parts[0] + ":" + parts[1];
    }

    /**
     * {@code create_project {name, source}} signed by {@code https.signer}'s key of feeders/accounts.csv and sent
     * to the embedded NEAR RPC; its final outcome must succeed. Returns the project id, {@code signer/name}.
     */
    private static String createProject(String source) {
        TransactionSigner signer = SignedCall.signerRows("accounts.csv", SIGNER).stream()
                .filter(row ->
                        SIGNER.equals(String.valueOf(row.get("account_id")).strip()))
                .findFirst()
                .map(SignedCall::signer)
                .orElseThrow(() -> new IllegalArgumentException("feeders/accounts.csv has no row " + SIGNER));
        NearRpc rpc = new NearRpc(Target.upstreamUrl() + "/", null);
        String args = "{\"name\":\"" + PROJECT_NAME + "\",\"source\":" + source + "}";
        SignedCall tx = SignedCall.sign(
                signer,
                OUTLAYER_CONTRACT,
                rpc.nonce(signer) + 1,
                rpc.finalBlockHash(),
                "create_project",
                args,
                GAS,
                PROJECT_DEPOSIT);
        JsonNode outcome = rpc.sendAndAwaitFinal(tx, SIGNER, 50, Duration.ofMillis(100));
        if (!outcome.path("status").has("SuccessValue")) {
            throw new IllegalStateException("create_project " + PROJECT_NAME + " did not succeed: " + outcome);
        }
        return SIGNER + "/" + PROJECT_NAME;
    }

    /**
     * A payment key as OutLayer's owner makes one: a random 64-hex key with its metadata (this project only, no
     * per-call cap) encrypted to the keystore's System payment_key scope for the nonce and stored with the owner's
     * API key; the keystore tells the coordinator, which knows it by its hash with balance 0; then funded with
     * {@code POST /topup/complete}, as OutLayer's worker reports a top-up. Returns {@code owner:nonce:key}.
     *
     * <p>A payment key is written once per nonce (OutLayer's contract refuses a second store), so against a kept
     * data directory ({@code -Dtarget.dataDir}) whose keystore already holds {@code https.keyNonce} the next free
     * nonce is taken: a rerun sets up as the first run did.
     */
    private static String createPaymentKey() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String key = HexFormat.of().formatHex(random);
        String apiKey = csv("api-keys.csv").readRecords().stream()
                .filter(r -> KEY_OWNER.equals(String.valueOf(r.get("owner")).strip()))
                .map(r -> String.valueOf(r.get("api_key")).strip())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("feeders/api-keys.csv has no key of " + KEY_OWNER));
        int nonce = KEY_NONCE;
        HttpResponse<String> stored = storePaymentKey(nonce, key, apiKey);
        while (stored.statusCode() == 400
                && stored.body().contains("Payment key already exists")
                && nonce < KEY_NONCE + 100) {
            stored = storePaymentKey(++nonce, key, apiKey);
        }
        if (stored.statusCode() != 200 && stored.statusCode() != 201) {
            throw new IllegalStateException(
                    "PUT /secrets/" + KEY_OWNER + "/" + nonce + " -> " + stored.statusCode() + " " + stored.body());
        }
        String token = Target.workerToken()
                .orElseThrow(() -> new IllegalStateException("no worker token to fund the key with"));
        String keyHash = HexFormat.of().formatHex(SignedCall.sha256(key.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> funded = post(
                "/topup/complete",
                "{\"owner\":\"" + KEY_OWNER + "\",\"nonce\":" + nonce + ",\"new_initial_balance\":\"" + TOP_UP
                        + "\",\"amount\":\"" + TOP_UP + "\",\"key_hash\":\"" + keyHash + "\",\"project_ids\":[\""
                        + project + "\"]}",
                "Authorization",
                "Bearer " + token);
        SetupHttp.expect(funded, 200, "POST /topup/complete");
        return KEY_OWNER + ":" + nonce + ":" + key;
    }

    /** {@code key} sealed to the keystore's System payment_key scope for {@code nonce} and stored with the owner's API key. */
    private static HttpResponse<String> storePaymentKey(int nonce, String key, String apiKey) {
        String accessor = "{\"type\":\"System\",\"secret_type\":\"payment_key\"}";
        HttpResponse<String> pubkey =
                SetupHttp.send(HttpRequest.newBuilder(URI.create(Target.keystoreUrl() + "/pubkey"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"owner\":\"" + KEY_OWNER + "\",\"profile\":\""
                                + nonce + "\",\"accessor\":" + accessor + "}"))
                        .build());
        SetupHttp.expect(pubkey, 200, "POST /pubkey");
        String plaintext = "{\"key\":\"" + key + "\",\"project_ids\":[\"" + project
                + "\"],\"max_per_call\":null,\"initial_balance\":\"0\"}";
        byte[] sealed = Ecies.encrypt(
                HexFormat.of().parseHex(Json.read(pubkey.body()).path("pubkey").asText()),
                plaintext.getBytes(StandardCharsets.UTF_8));
        return SetupHttp.send(
                HttpRequest.newBuilder(URI.create(Target.keystoreUrl() + "/secrets/" + KEY_OWNER + "/" + nonce))
                        .header("Content-Type", "application/json")
                        .header("X-API-Key", apiKey)
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"accessor\":" + accessor
                                + ",\"encrypted_secrets_base64\":\""
                                + Base64.getEncoder().encodeToString(sealed)
                                + "\",\"access\":\"AllowAll\"}"))
                        .build());
    }

    private static HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(Target.coordinatorUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return SetupHttp.send(request.build());
    }

    private static HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(Target.coordinatorUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return SetupHttp.send(request.build());
    }

    private static JsonNode readOrNull(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return Json.read(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code count}, or NaN (a failed verdict) when there was nothing to count it over. */
    private static double counted(AtomicLong count, AtomicLong over) {
        return over.get() == 0 ? Double.NaN : count.get();
    }

    @Override
    protected void report() {
        System.out.printf(
                Locale.ROOT,
                "https: %d calls (%d async), %d succeeded, %d failed; %d charges reported%n",
                CALLS.get(),
                ASYNC_CALLS.get(),
                SUCCEEDED.get(),
                FAILED.get(),
                COSTS.size());
        Phases.print(SYNC_CALL);
        Phases.print(ASYNC_SUBMIT);
        Phases.print(POLL);
        Phases.print(END_TO_END);
        System.out.println(audit().summary());
        try {
            recorded().value(HttpsCall.END_TO_END_P95_MS, recorded().clientMillis(END_TO_END, 95));
        } catch (NoSamplesException e) {
            System.out.println("https: no end-to-end time, " + e.getMessage());
        }
    }
}

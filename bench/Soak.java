import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.keystore.Ecies;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak test's load and sampler (issue 15, "Keep it held"); bench/soak.sh starts the target and
 * runs this with the JDK's source launcher, the target's jar on the class path (the lifecycle lane
 * signs with its TransactionSigner, the HTTPS lane seals payment keys with its Ecies). Mixed load on
 * loopback only: proxied JSON-RPC, contract calls (direct and linux mode), Linux program runs with
 * secrets, keystore reads and writes, OutLayer's on-chain execution lifecycle (signed
 * request_execution to the callback's result) and its HTTPS API (payment-key calls). Every sample
 * interval: heap after a full GC (/admin/gc), RSS, threads and open file descriptors of the target's
 * process; at the end of the first quarter and at the end, a class histogram of the target (jcmd)
 * and their difference. At the end: per lane counts, statuses and latency percentiles, and a verdict.
 *
 * <p>Usage: java -cp TARGET_JAR bench/Soak.java COORDINATOR_URL RPC_URL KEYSTORE_URL PID SECONDS
 * SAMPLE_SECONDS CIPHERTEXT OUT_DIR, with SOAK_ADMIN_TOKEN (the coordinator's --admin-token) in the
 * environment; SOAK_LANES=name,name runs only those lanes (all by default).
 */
public final class Soak {
    static final String KEY = "bench-unlimited-key"; // owner bench.test.near (feeders/api-keys.csv)
    static final String OWNER = "bench.test.near";
    static final String REPO = "github.com/outlayer-bench/soak";
    static final long MAX_SECONDS = 4 * 3600;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * {@code --short} (SOAK_SHORT=1) checks the script: the lifecycle and HTTPS lanes then send from one client
     * each, 4 requests a second. At full rate their first minute fills the target's bounded windows (the chain
     * emulator's 4,096 transactions and 65,536 receipts, the job store's and phase clock's 100,000 requests:
     * about 25 KB a lifecycle request at first), and the heap rule would judge that fill, not a leak.
     */
    static final boolean SHORT = "1".equals(System.getenv("SOAK_SHORT"));
    /** The lifecycle lane: requests in flight, each from an account of its own (user0.. of feeders/accounts.csv). */
    static final int LIFECYCLE_CLIENTS = SHORT ? 1 : 8;
    /** The HTTPS lane: calls in flight, spread over payment keys so that none passes its 1,000 calls a minute. */
    static final int HTTPS_CLIENTS = SHORT ? 1 : 4;
    /** The pause of a lifecycle or HTTPS client after each request. */
    static final long CHECKED_PAUSE_MS = SHORT ? 250 : 0;
    /** Set when the target stops answering the sampler (it died): the lanes stop, the verdict fails. */
    static volatile boolean targetGone;
    static final int PAYMENT_KEYS = 16;
    static final String CONTRACT = "outlayer.test.near";
    static final String PROJECT_SIGNER = "alice.test.near";
    static final String PROJECT_NAME = "soak-echo";
    static final long GAS = 300_000_000_000_000L;
    static final BigInteger DEPOSIT = new BigInteger("10000000000000000000000"); // 0.01 NEAR, the unused part refunded
    static final String COMPUTE_LIMIT = "10000"; // $0.01, OutLayer's default
    static final String GRANT = "1000000000000"; // $1,000,000 per key: no soak spends it
    /** How long a request's result is waited for before it counts as not run. */
    static final Duration RESULT_BUDGET = Duration.ofSeconds(120);

    /** What a request got: the HTTP status of its (last) answer, and whether it succeeded as its lane judges. */
    record Answer(int status, boolean ok) {
        static Answer of(int status) {
            return new Answer(status, status >= 200 && status <= 299);
        }
    }

    /** One kind of traffic: counts by status and a millisecond histogram (1 ms buckets to 10 s). */
    static final class Lane {
        final String name;
        final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        final AtomicLongArray millis = new AtomicLongArray(10_001);
        final AtomicLong failures = new AtomicLong();
        final AtomicLong succeeded = new AtomicLong();

        Lane(String name) {
            this.name = name;
        }

        void record(Answer answer, long nanos) {
            statuses.computeIfAbsent(answer.status(), s -> new AtomicLong()).incrementAndGet();
            if (answer.ok()) {
                succeeded.incrementAndGet();
            }
            millis.incrementAndGet((int) Math.min(10_000, nanos / 1_000_000));
        }

        long total() {
            return statuses.values().stream().mapToLong(AtomicLong::get).sum();
        }

        long count(int fromStatus, int toStatus) {
            return statuses.entrySet().stream()
                    .filter(e -> e.getKey() >= fromStatus && e.getKey() <= toStatus)
                    .mapToLong(e -> e.getValue().get())
                    .sum();
        }

        long percentile(double p) {
            long total = 0;
            for (int i = 0; i < millis.length(); i++) {
                total += millis.get(i);
            }
            long rank = (long) Math.ceil(total * p / 100.0);
            long seen = 0;
            for (int i = 0; i < millis.length(); i++) {
                seen += millis.get(i);
                if (seen >= rank && rank > 0) {
                    return i;
                }
            }
            return 0;
        }
    }

    public static void main(String[] args) throws Exception {
        String coordinator = loopback(args[0]);
        String rpc = loopback(args[1]);
        String keystore = loopback(args[2]);
        long pid = Long.parseLong(args[3]);
        long seconds = Long.parseLong(args[4]);
        long sampleSeconds = Long.parseLong(args[5]);
        String ciphertext = args[6];
        Path out = Path.of(args[7]);
        String adminToken = System.getenv().getOrDefault("SOAK_ADMIN_TOKEN", "");
        Set<String> only = Set.of(System.getenv().getOrDefault("SOAK_LANES", "").split(","));
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("duration must be 1.." + MAX_SECONDS + " seconds, not " + seconds);
        }
        Files.createDirectories(out);

        upload(coordinator + "/programs/printenv", Path.of("resources/programs/printenv.wasm"));
        String echoSource = upload(coordinator + "/programs/echo_json", Path.of("resources/programs/echo_json.wasm"));
        Chain chain = new Chain(rpc);
        Lifecycle lifecycle = new Lifecycle(chain, echoSource, signers("user", LIFECYCLE_CLIENTS));
        Https https = new Https(coordinator, Https.setUp(chain, coordinator, keystore, adminToken, echoSource));
        lifecycle.warmUp();
        https.warmUp();

        String secrets = "{\"owner\":\"" + OWNER + "\",\"profile\":\"soak\",\"repo\":\"" + REPO + "\"}";
        List<Lane> lanes = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        Map<String, Plan> plan = new LinkedHashMap<>();
        plan.put("proxy", new Plan(1, 0, c -> i -> post(
                coordinator + "/near-rpc", "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"status\",\"params\":[]}")));
        plan.put("contract-call", new Plan(1, 0, c -> i -> post(
                coordinator + "/contracts/counter.test.near/call", i % 5 == 0 ? "{\"method\":\"get_num\"}" : "{\"method\":\"increment\"}")));
        plan.put("linux-run", new Plan(1, 0, c -> i -> post(
                coordinator + "/programs/printenv/run", "{\"argv\":[\"SOAK_SECRET\"],\"secrets\":" + secrets + "}")));
        plan.put("linux-contract", new Plan(1, 0, c -> i -> post(
                coordinator + "/contracts/counter.test.near/call", "{\"method\":\"increment\",\"mode\":\"linux\",\"secrets\":" + secrets + "}")));
        plan.put("keystore", new Plan(1, 0, c -> i -> switch ((int) (i % 3)) {
            case 0 -> send("GET", keystore + "/secrets/" + OWNER, null);
            case 1 -> send("PUT", keystore + "/secrets/" + OWNER + "/soak-" + (i % 20),
                    "{\"repo\":\"" + REPO + "\",\"encrypted_secrets_base64\":\"" + ciphertext + "\",\"access\":\"AllowAll\"}");
            default -> post(keystore + "/pubkey", "{\"repo\":\"" + REPO + "\",\"owner\":\"" + OWNER + "\"}");
        }));
        plan.put("lifecycle", new Plan(LIFECYCLE_CLIENTS, CHECKED_PAUSE_MS, c -> i -> lifecycle.request(c)));
        plan.put("https-call", new Plan(HTTPS_CLIENTS, CHECKED_PAUSE_MS, c -> i -> https.call()));
        plan.forEach((name, lane) -> {
            if (only.contains("") || only.contains(name)) {
                threads.addAll(lane(lanes, name, end, lane));
            }
        });

        List<String> samples = new ArrayList<>();
        samples.add("time,elapsed_s,heap_after_gc_mb,rss_mb,threads,fds,requests");
        long start = System.nanoTime();
        Histograms histograms = new Histograms(pid, out, lanes);
        List<String> quarters = List.of("quarter", "half", "three-quarters");
        while (System.nanoTime() < end && sampled(samples, coordinator, pid, start, lanes)) {
            for (int q = 0; q < quarters.size(); q++) {
                if (System.nanoTime() - start >= (end - start) * (q + 1) / 4) {
                    histograms.take(quarters.get(q));
                }
            }
            Thread.sleep(Math.min(sampleSeconds * 1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (sampled(samples, coordinator, pid, start, lanes)) {
            histograms.take("end");
        }
        Files.write(out.resolve("samples.csv"), samples);
        histograms.diff("quarter");
        System.exit(report(lanes, samples, out) ? 0 : 1);
    }

    interface Call {
        Answer run(long i) throws Exception;
    }

    /** A lane's clients: how many send at once, the pause after each request, and each one's calls (given its index). */
    record Plan(int clients, long pauseMillis, IntFunction<Call> calls) {}

    /** One sample added to {@code samples}; false (and the lanes stopped) when the target no longer answers. */
    static boolean sampled(List<String> samples, String coordinator, long pid, long start, List<Lane> lanes)
            throws InterruptedException {
        try {
            samples.add(sample(coordinator, pid, start, lanes));
            System.out.println(samples.get(samples.size() - 1));
            return true;
        } catch (IOException e) {
            targetGone = true;
            System.err.println("the target stopped answering after " + (System.nanoTime() - start) / 1_000_000_000L + " s: " + e);
            return false;
        }
    }

    /** The plan's clients, threads sending one request after another until {@code end}, each with its own Call. */
    static List<Thread> lane(List<Lane> lanes, String name, long end, Plan plan) {
        Lane lane = new Lane(name);
        lanes.add(lane);
        AtomicLong sequence = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < plan.clients(); c++) {
            Call call = plan.calls().apply(c);
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end && !targetGone) {
                    long t0 = System.nanoTime();
                    try {
                        lane.record(call.run(sequence.getAndIncrement()), System.nanoTime() - t0);
                    } catch (Exception e) {
                        // no answer at all: connection refused, reset, timeout
                        if (lane.failures.incrementAndGet() <= 5) {
                            System.err.println(name + ": no answer: " + e);
                        }
                    }
                    if (plan.pauseMillis() > 0) {
                        try {
                            Thread.sleep(plan.pauseMillis());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "soak-" + name + "-" + c);
            thread.start();
            threads.add(thread);
        }
        return threads;
    }

    static Answer post(String url, String body) throws Exception {
        return send("POST", url, body);
    }

    static Answer send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("X-API-Key", KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return Answer.of(HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    /** {@code PUT /programs/{name}}; returns the program as a WasmUrl code source named by its sha256. */
    static String upload(String url, Path wasm) throws Exception {
        int status = HTTP.send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofFile(wasm)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 201) {
            throw new IllegalStateException("uploading " + wasm + " answered " + status);
        }
        return "{\"WasmUrl\":{\"url\":\"" + url + "\",\"hash\":\"" + HexFormat.of().formatHex(sha256(Files.readAllBytes(wasm)))
                + "\",\"build_target\":\"wasm32-wasip1\"}}";
    }

    static HttpResponse<String> exchange(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder json(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static void expect(HttpResponse<String> response, String what, int... statuses) {
        if (Arrays.stream(statuses).noneMatch(s -> s == response.statusCode())) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code count} accounts of feeders/accounts.csv whose id starts with {@code prefix}, with their keys. */
    static List<TransactionSigner> signers(String prefix, int count) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("feeders/accounts.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int id = header.indexOf("account_id");
        int key = header.indexOf("private_key");
        List<TransactionSigner> signers = lines.stream().skip(1).map(l -> l.split(","))
                .filter(row -> row.length > key && row[id].strip().startsWith(prefix) && !row[key].isBlank())
                .limit(count)
                .map(row -> new TransactionSigner(row[id].strip(), row[key].strip()))
                .toList();
        if (signers.size() < count) {
            throw new IllegalStateException("feeders/accounts.csv has " + signers.size() + " " + prefix + "* signers, not " + count);
        }
        return signers;
    }

    /**
     * The RPC emulator as a client signing its own transactions uses it: access-key nonces, the final block's
     * hash (read again every minute: the emulator's head runs ahead of the clock under load, and a hash is
     * valid for 86,400 blocks), {@code send_tx} and {@code tx}.
     */
    static final class Chain {
        final String url;
        private volatile String blockHash;
        private volatile long blockHashRead;

        Chain(String url) {
            this.url = url;
        }

        HttpResponse<String> call(String method, Object params) throws IOException, InterruptedException {
            return exchange(json(url, write(Map.of("jsonrpc", "2.0", "id", "soak", "method", method, "params", params))));
        }

        JsonNode result(String method, Object params) throws IOException, InterruptedException {
            HttpResponse<String> answer = call(method, params);
            JsonNode body = read(answer.body());
            if (answer.statusCode() != 200 || !body.has("result")) {
                throw new IllegalStateException(method + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return body.path("result");
        }

        long nonce(TransactionSigner signer) throws IOException, InterruptedException {
            return result("query", Map.of("request_type", "view_access_key", "finality", "optimistic",
                    "account_id", signer.signerId(), "public_key", signer.publicKey().toString())).path("nonce").asLong();
        }

        byte[] blockHash() throws IOException, InterruptedException {
            if (blockHash == null || System.nanoTime() - blockHashRead > 60_000_000_000L) {
                synchronized (this) {
                    if (blockHash == null || System.nanoTime() - blockHashRead > 60_000_000_000L) {
                        blockHash = result("block", Map.of("finality", "final")).path("header").path("hash").asText();
                        blockHashRead = System.nanoTime();
                    }
                }
            }
            return Base58.decode(blockHash);
        }

        /** {@code method(args)} on {@code receiver} signed with the signer's next nonce. */
        byte[] sign(TransactionSigner signer, long nonce, String receiver, String method, String args, BigInteger deposit)
                throws IOException, InterruptedException {
            return signer.sign(receiver, nonce, blockHash(),
                    List.of(new Action.FunctionCall(method, args.getBytes(StandardCharsets.UTF_8), GAS, deposit)));
        }

        /**
         * {@code send_tx} waiting for EXECUTED_OPTIMISTIC, then {@code tx} until the outcome's status is final
         * (a SuccessValue or a Failure): nearcore answers such a wait at once, status Started, once the
         * transaction's block is final while its receipts (here the yield awaiting its worker) still run.
         * Returns the HTTP status of the last answer and the final outcome, or a missing node when there was none
         * (an RPC error other than a timeout, or no final status within {@link #RESULT_BUDGET}).
         */
        Outcome sendAndAwait(byte[] signed, String sender) throws IOException, InterruptedException {
            String hash = Base58.encode(sha256(Arrays.copyOf(signed, signed.length - 65)));
            HttpResponse<String> answer = call("send_tx",
                    Map.of("signed_tx_base64", Base64.getEncoder().encodeToString(signed), "wait_until", "EXECUTED_OPTIMISTIC"));
            long deadline = System.nanoTime() + RESULT_BUDGET.toNanos();
            while (true) {
                JsonNode body = read(answer.body());
                JsonNode status = body.path("result").path("status");
                if (answer.statusCode() != 200 || status.has("SuccessValue") || status.has("Failure")) {
                    return new Outcome(answer.statusCode(), body.path("result"), answer.body());
                }
                boolean waiting = body.has("result") || "TIMEOUT_ERROR".equals(body.path("error").path("name").asText());
                if (!waiting || System.nanoTime() > deadline) {
                    return new Outcome(answer.statusCode(), JSON.missingNode(), answer.body());
                }
                Thread.sleep(20);
                answer = call("tx", Map.of("tx_hash", hash, "sender_account_id", sender, "wait_until", "EXECUTED_OPTIMISTIC"));
            }
        }
    }

    record Outcome(int status, JsonNode result, String body) {
        /** The transaction's value (the callback's return), decoded; null when it failed. */
        String value() {
            JsonNode success = result.path("status").path("SuccessValue");
            return success.isTextual() ? new String(Base64.getDecoder().decode(success.asText()), StandardCharsets.UTF_8) : null;
        }
    }

    /**
     * OutLayer's on-chain path end to end: a user's signed {@code request_execution} of echo_json on the bundled
     * contract, sent with {@code send_tx}; the event monitor queues it, a worker runs it and resolves it on chain,
     * and the contract's callback returns the program's output as the transaction's value. A request succeeds
     * when that value is echo_json's output for this request (its input and the signer as the sender) and the
     * outcome has exactly one {@code execution_completed} event, with {@code success: true}.
     */
    static final class Lifecycle {
        final Chain chain;
        final String source;
        final List<TransactionSigner> signers;
        final long[] nonces;
        final AtomicLong sequence = new AtomicLong();
        final AtomicLong reported = new AtomicLong();

        Lifecycle(Chain chain, String source, List<TransactionSigner> signers) {
            this.chain = chain;
            this.source = source;
            this.signers = signers;
            this.nonces = new long[signers.size()];
            Arrays.fill(nonces, -1);
        }

        /** One request from client {@code c}'s account (only that client signs with it, so nonces never race). */
        Answer request(int c) throws Exception {
            TransactionSigner signer = signers.get(c);
            if (nonces[c] < 0) {
                nonces[c] = chain.nonce(signer);
            }
            long n = sequence.incrementAndGet();
            String input = "{\"soak\":" + n + "}";
            String args = "{\"source\":" + source
                    + ",\"resource_limits\":{\"max_instructions\":100000000,\"max_memory_mb\":128,\"max_execution_seconds\":10}"
                    + ",\"input_data\":" + write(input) + ",\"response_format\":\"Json\"}";
            Outcome outcome;
            try {
                outcome = chain.sendAndAwait(
                        chain.sign(signer, ++nonces[c], CONTRACT, "request_execution", args, DEPOSIT), signer.signerId());
            } catch (IOException e) {
                nonces[c] = -1; // whether the chain took the nonce is not known: read it again
                throw e;
            }
            if (outcome.result().isMissingNode()) {
                nonces[c] = -1;
            }
            String why = judge(outcome, signer.signerId(), input);
            if (why != null && reported.incrementAndGet() <= 5) {
                System.err.println("lifecycle: request " + n + " of " + signer.signerId() + " did not run: " + why);
            }
            return new Answer(outcome.status(), why == null);
        }

        /** Null when the outcome is the program's output for this request, else what is wrong with it. */
        static String judge(Outcome outcome, String sender, String input) {
            if (outcome.result().isMissingNode()) {
                return "no final outcome: " + abbreviate(outcome.body());
            }
            int completions = 0;
            boolean success = false;
            for (JsonNode receipt : outcome.result().path("receipts_outcome")) {
                for (JsonNode log : receipt.path("outcome").path("logs")) {
                    String text = log.asText();
                    if (text.startsWith("EVENT_JSON:")) {
                        JsonNode event = read(text.substring("EVENT_JSON:".length()));
                        if ("execution_completed".equals(event.path("event").asText())) {
                            completions++;
                            success = event.path("data").path(0).path("success").asBoolean();
                        }
                    }
                }
            }
            String value = outcome.value();
            JsonNode output = value == null ? JSON.missingNode() : read(value);
            if (completions != 1 || !success) {
                return completions + " execution_completed events (success " + success + "), value " + abbreviate(value);
            }
            if (!sender.equals(output.path("sender").asText()) || !output.path("input").equals(read(input))) {
                return "the callback's value is not echo_json's output for this request: " + abbreviate(value);
            }
            return null;
        }

        void warmUp() throws Exception {
            Answer first = request(0); // compiles echo_json: the lane's requests then hit the compile cache
            if (!first.ok()) {
                throw new IllegalStateException("the lifecycle's warm-up request did not run (HTTP " + first.status() + ")");
            }
        }
    }

    /**
     * OutLayer's HTTPS API: {@code POST /call/{owner}/{project}} paid with a payment key ({@code X-Payment-Key}),
     * every fourth call async and polled with {@code GET /calls/{call_id}}. A call succeeds when its answer is
     * {@code completed} with echo_json's output for its input.
     */
    static final class Https {
        final String coordinator;
        final String project;
        final List<String> keys;
        final AtomicLong sequence = new AtomicLong();
        final AtomicLong reported = new AtomicLong();

        Https(String coordinator, Map.Entry<String, List<String>> projectAndKeys) {
            this.coordinator = coordinator;
            this.project = projectAndKeys.getKey();
            this.keys = projectAndKeys.getValue();
        }

        /**
         * A project of echo_json made by a signed {@code create_project} of {@value #PROJECT_SIGNER}, and
         * {@value #PAYMENT_KEYS} payment keys of {@value #OWNER} as a user makes them: the key and its metadata
         * sealed to the keystore's System payment_key scope and stored with the owner's API key (the keystore tells
         * the coordinator, which knows the key with balance 0), then funded by the operator's admin grant
         * ({@code POST /admin/grant-payment-key}, the coordinator's --admin-token).
         */
        static Map.Entry<String, List<String>> setUp(
                Chain chain, String coordinator, String keystore, String adminToken, String source) throws Exception {
            TransactionSigner signer = signers(PROJECT_SIGNER, 1).get(0);
            String args = "{\"name\":\"" + PROJECT_NAME + "\",\"source\":" + source + "}";
            Outcome created = chain.sendAndAwait(
                    chain.sign(signer, chain.nonce(signer) + 1, CONTRACT, "create_project", args, DEPOSIT), signer.signerId());
            if (!created.result().path("status").has("SuccessValue")) {
                throw new IllegalStateException("create_project did not succeed: " + abbreviate(created.body()));
            }
            String project = PROJECT_SIGNER + "/" + PROJECT_NAME;
            String accessor = "{\"type\":\"System\",\"secret_type\":\"payment_key\"}";
            SecureRandom random = new SecureRandom();
            List<String> keys = new ArrayList<>();
            for (int nonce = 1; nonce <= PAYMENT_KEYS; nonce++) {
                byte[] secret = new byte[32];
                random.nextBytes(secret);
                String key = HexFormat.of().formatHex(secret);
                HttpResponse<String> pubkey = exchange(json(keystore + "/pubkey",
                        "{\"owner\":\"" + OWNER + "\",\"profile\":\"" + nonce + "\",\"accessor\":" + accessor + "}"));
                expect(pubkey, "POST /pubkey (payment key)", 200);
                String plaintext = "{\"key\":\"" + key + "\",\"project_ids\":[\"" + project
                        + "\"],\"max_per_call\":null,\"initial_balance\":\"0\"}";
                byte[] sealed = Ecies.encrypt(HexFormat.of().parseHex(read(pubkey.body()).path("pubkey").asText()),
                        plaintext.getBytes(StandardCharsets.UTF_8));
                expect(exchange(HttpRequest.newBuilder(URI.create(keystore + "/secrets/" + OWNER + "/" + nonce))
                                .header("Content-Type", "application/json")
                                .header("X-API-Key", KEY)
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"accessor\":" + accessor
                                        + ",\"encrypted_secrets_base64\":\"" + Base64.getEncoder().encodeToString(sealed)
                                        + "\",\"access\":\"AllowAll\"}"))),
                        "PUT /secrets/" + OWNER + "/" + nonce, 200, 201);
                expect(exchange(json(coordinator + "/admin/grant-payment-key",
                                "{\"owner\":\"" + OWNER + "\",\"nonce\":" + nonce + ",\"amount\":\"" + GRANT + "\"}")
                                .header("Authorization", "Bearer " + adminToken)),
                        "POST /admin/grant-payment-key", 200);
                keys.add(OWNER + ":" + nonce + ":" + key);
            }
            return Map.entry(project, keys);
        }

        Answer call() throws Exception {
            long n = sequence.incrementAndGet();
            String key = keys.get((int) (n % keys.size()));
            boolean async = n % 4 == 0;
            String input = "{\"soak\":" + n + "}";
            HttpResponse<String> answer = exchange(json(coordinator + "/call/" + project,
                            "{\"input\":" + input + (async ? ",\"async\":true" : "") + "}")
                    .header("X-Payment-Key", key)
                    .header("X-Compute-Limit", COMPUTE_LIMIT));
            JsonNode body = read(answer.body());
            long deadline = System.nanoTime() + RESULT_BUDGET.toNanos();
            while (answer.statusCode() == 200 && "pending".equals(body.path("status").asText())
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
                answer = exchange(HttpRequest.newBuilder(URI.create(coordinator + "/calls/" + body.path("call_id").asText()))
                        .header("X-Payment-Key", key)
                        .GET());
                body = read(answer.body());
            }
            boolean ok = answer.statusCode() == 200 && "completed".equals(body.path("status").asText())
                    && body.path("output").path("input").equals(read(input));
            if (!ok && reported.incrementAndGet() <= 5) {
                System.err.println("https-call: call " + n + (async ? " (async)" : "") + " answered "
                        + answer.statusCode() + ": " + abbreviate(answer.body()));
            }
            return new Answer(answer.statusCode(), ok);
        }

        void warmUp() throws Exception {
            Answer first = call();
            if (!first.ok()) {
                throw new IllegalStateException("the HTTPS lane's warm-up call did not run (HTTP " + first.status() + ")");
            }
        }
    }

    static String abbreviate(String text) {
        return text == null ? "null" : text.length() <= 400 ? text : text.substring(0, 400) + "...";
    }

    /**
     * Class histograms of the target ({@code jcmd PID GC.class_histogram}, live objects: it runs a full GC) with
     * the lanes' request counts when each was taken, and the difference of two: the classes that grew most.
     */
    static final class Histograms {
        final long pid;
        final Path out;
        final List<Lane> lanes;
        final Map<String, Map<String, Long>> requests = new LinkedHashMap<>();

        Histograms(long pid, Path out, List<Lane> lanes) {
            this.pid = pid;
            this.out = out;
            this.lanes = lanes;
        }

        void take(String name) {
            if (requests.containsKey(name)) {
                return;
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            lanes.forEach(lane -> counts.put(lane.name, lane.total()));
            requests.put(name, counts);
            try {
                Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.class_histogram")
                        .redirectErrorStream(true)
                        .redirectOutput(out.resolve("histogram-" + name + ".txt").toFile())
                        .start();
                if (jcmd.waitFor() != 0) {
                    System.err.println("jcmd GC.class_histogram exited " + jcmd.exitValue());
                }
            } catch (IOException | InterruptedException e) {
                System.err.println("no class histogram (" + name + "): " + e);
            }
        }

        /** {@code class -> [instances, bytes]} of a histogram file. */
        Map<String, long[]> parse(String name) throws IOException {
            Map<String, long[]> classes = new TreeMap<>();
            Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
            for (String line : Files.readAllLines(out.resolve("histogram-" + name + ".txt"))) {
                Matcher m = row.matcher(line);
                if (m.find()) {
                    classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
                }
            }
            return classes;
        }

        /** The 40 classes whose bytes grew most from {@code from} to the last histogram taken, per request too. */
        void diff(String from) {
            if (!requests.containsKey(from) || requests.size() < 2) {
                return;
            }
            String to = List.copyOf(requests.keySet()).get(requests.size() - 1);
            try {
                Map<String, long[]> before = parse(from);
                Map<String, long[]> after = parse(to);
                Map<String, Long> requestsBetween = new LinkedHashMap<>();
                requests.get(to).forEach((lane, n) -> requestsBetween.put(lane, n - requests.get(from).getOrDefault(lane, 0L)));
                long lifecycle = Math.max(1, requestsBetween.getOrDefault("lifecycle", 0L));
                long https = Math.max(1, requestsBetween.getOrDefault("https-call", 0L));
                List<String> lines = new ArrayList<>();
                lines.add("requests between " + from + " and " + to + ": " + requestsBetween);
                long total = after.values().stream().mapToLong(v -> v[1]).sum() - before.values().stream().mapToLong(v -> v[1]).sum();
                lines.add(String.format(Locale.ROOT, "live bytes %+d (%.1f per lifecycle request, %.1f per https call)",
                        total, total / (double) lifecycle, total / (double) https));
                lines.add(String.format(Locale.ROOT, "%14s %12s %10s %10s  %s", "bytes", "instances", "B/lifecycle", "B/https", "class"));
                after.entrySet().stream()
                        .map(e -> Map.entry(e.getKey(), new long[] {
                                e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
                                e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
                        .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed())
                        .limit(40)
                        .forEach(e -> lines.add(String.format(Locale.ROOT, "%+14d %+12d %10.1f %10.1f  %s",
                                e.getValue()[1], e.getValue()[0], e.getValue()[1] / (double) lifecycle,
                                e.getValue()[1] / (double) https, e.getKey())));
                Files.write(out.resolve("histogram-diff.txt"), lines);
            } catch (IOException | RuntimeException e) {
                System.err.println("no histogram difference: " + e);
            }
        }
    }

    static String sample(String coordinator, long pid, long start, List<Lane> lanes)
            throws IOException, InterruptedException {
        HttpResponse<String> gc = HTTP.send(HttpRequest.newBuilder(URI.create(coordinator + "/admin/gc"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher used = Pattern.compile("\"heap_used_bytes\":(\\d+)").matcher(gc.body());
        double heapMb = used.find() ? Long.parseLong(used.group(1)) / 1048576.0 : -1;
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        long fds;
        try (var entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = entries.count();
        }
        long requests = lanes.stream().mapToLong(Lane::total).sum();
        return String.format(Locale.ROOT, "%s,%d,%.1f,%.1f,%d,%d,%d", Instant.now(),
                (System.nanoTime() - start) / 1_000_000_000L, heapMb, field(status, "VmRSS") / 1024.0,
                field(status, "Threads"), fds, requests);
    }

    static long field(String procStatus, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(\\d+)").matcher(procStatus);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * Passes when every lane was answered and succeeded (no 5xx but the 503 of back pressure, no request
     * without an answer, no answered request that failed its lane's check: a lifecycle request or HTTPS call
     * whose answer lacks the program's output), and neither the heap after GC nor the descriptors grew
     * between the first quarter and the end (25 % + 8 MB and 32 descriptors of slack).
     */
    static boolean report(List<Lane> lanes, List<String> samples, Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean ok = true;
        for (Lane lane : lanes) {
            long total = lane.total();
            long success = lane.succeeded.get();
            long serverErrors = lane.count(500, 599) - lane.count(503, 503);
            long backPressure = lane.count(503, 503) + lane.count(429, 429);
            long failedChecks = total - success - serverErrors - backPressure;
            Map<Integer, Long> statuses = new TreeMap<>();
            lane.statuses.forEach((s, n) -> statuses.put(s, n.get()));
            lines.add(String.format(Locale.ROOT,
                    "%-15s requests %7d  ok %7d  statuses %s  failed %d  unanswered %d  p50 %d ms  p99 %d ms",
                    lane.name, total, success, statuses, failedChecks, lane.failures.get(), lane.percentile(50),
                    lane.percentile(99)));
            if (success == 0 || serverErrors > 0 || failedChecks > 0 || lane.failures.get() > 0) {
                ok = false;
                lines.add("  FAIL " + lane.name + ": " + (success == 0 ? "no success" : serverErrors + " server errors, "
                        + failedChecks + " failed, " + lane.failures.get() + " unanswered"));
            }
        }
        List<String[]> rows = samples.stream().skip(1).map(s -> s.split(",")).toList();
        String[] early = rows.get(Math.max(0, rows.size() / 4));
        String[] last = rows.get(rows.size() - 1);
        double heapEarly = Double.parseDouble(early[2]);
        double heapLast = Double.parseDouble(last[2]);
        long fdsEarly = Long.parseLong(early[5]);
        long fdsLast = Long.parseLong(last[5]);
        lines.add(String.format(Locale.ROOT, "heap after GC %.1f -> %.1f MB, fds %d -> %d, rss %s -> %s MB, threads %s -> %s",
                heapEarly, heapLast, fdsEarly, fdsLast, early[3], last[3], early[4], last[4]));
        if (heapLast > heapEarly * 1.25 + 8 || fdsLast > fdsEarly + 32) {
            ok = false;
            lines.add("  FAIL: heap or file descriptors grew");
        }
        if (targetGone) {
            ok = false;
            lines.add("  FAIL: the target stopped answering (see target.log)");
        }
        lines.add(ok ? "SOAK PASSED" : "SOAK FAILED");
        lines.forEach(System.out::println);
        Files.write(out.resolve("summary.txt"), lines);
        return ok;
    }

    /** Only loopback: a soak is never pointed at somebody else's machine by mistake. */
    static String loopback(String url) throws IOException {
        String host = URI.create(url).getHost();
        if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("the soak runs against loopback only, not " + url);
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.http.admin.AdminAuth;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the coordinator and the keystore, as registered, against generated requests: path
 * segments, query strings, bodies (bytes, JSON of any shape, JSON with the API's field names and values
 * of the wrong types) and credentials (a valid worker token and API key, garbage, none). Whatever comes,
 * the answer is not a 500, carries no internal exception text, and both services keep serving. Each run
 * draws new requests; a failure names its seed and the request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteRobustnessTest {
    /** 600 per run in CI; {@code -Droutes.requests=20000} for a longer hunt on a quiet machine. */
    private static final int REQUESTS = Integer.getInteger("routes.requests", 600);

    private static final String TOKEN = "robustness-worker-token-01234567";
    /** Field names the API's bodies use, so that generated bodies reach past "missing field" now and then. */
    private static final List<String> FIELDS = List.of(
            "owner",
            "nonce",
            "key_hash",
            "project_uuid",
            "project_id",
            "account_id",
            "request_id",
            "job_id",
            "call_id",
            "amount",
            "input",
            "async",
            "accessor",
            "secrets_json",
            "profile",
            "repo",
            "commit",
            "branch",
            "wasm_hash",
            "encrypted_key",
            "encrypted_value",
            "keys",
            "key",
            "value",
            "status",
            "success",
            "worker_id",
            "checksum",
            "code",
            "method",
            "params",
            "id",
            "jsonrpc",
            "args",
            "gas",
            "deposit",
            "new_initial_balance",
            "project_ids",
            "resource_limits",
            "max_instructions",
            "seed",
            "data",
            "ciphertext",
            "encrypted_secrets_base64",
            "access",
            "version_key",
            "secrets_ref",
            "task_id",
            "task_type",
            "tdx_quote",
            "output_hash",
            "public_key",
            "challenge",
            "signature",
            "timeout");
    /** Text that only an internal exception would put in an answer. */
    private static final Pattern INTERNAL = Pattern.compile(
            "Exception|java\\.|javax\\.|\\bat dev\\.|dev\\.outlayer|com\\.fasterxml|io\\.undertow|org\\.postgresql"
                    + "|com\\.dylibso|NullPointer|ClassCast|IndexOutOfBounds|StackOverflow");
    /** Routes whose valid call waits by design (OutLayer's long polls: up to 60 s with no task). */
    private static final Pattern WAITS = Pattern.compile(".*/poll$");

    /** The keystore's data and the compiled contracts, deleted after the class. */
    @TempDir
    static Path dir;

    private TargetSystem system;
    private String apiKey;
    private List<Target> targets;

    /** A route with the base URL of the service that serves it. */
    private record Target(String baseUrl, Routes.Route route) {}

    /** The options of the system under test: in memory here, a subclass's store otherwise. */
    protected TargetOptions options() {
        TargetOptions options = LifecycleClient.options(0);
        LifecycleClient.withKeystore(options, dir.resolve("ks"));
        options.compileCacheDir = dir.resolve("compiled").toString();
        options.workerToken = TOKEN;
        return options;
    }

    @BeforeAll
    void start() throws Exception {
        TargetOptions options = options();
        system = TargetSystem.start(options);
        apiKey = Files.readAllLines(options.apiKeysFile).get(1).split(",")[0].strip();
        targets = new ArrayList<>();
        system.coordinatorRoutes().stream()
                .filter(r -> !WAITS.matcher(r.template()).matches())
                .forEach(r -> targets.add(new Target(system.coordinatorUrl(), r)));
        system.keystoreRoutes().stream()
                .filter(r -> !WAITS.matcher(r.template()).matches())
                .forEach(r -> targets.add(new Target(system.keystoreUrl(), r)));
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    protected String coordinatorUrl() {
        return system.coordinatorUrl();
    }

    @Test
    void noRequestGetsA500OrInternalTextAndTheServicesKeepServing() throws Exception {
        assertThat(targets).as("the registered routes").hasSizeGreaterThan(50);
        long first = new Random().nextLong();
        for (int i = 0; i < REQUESTS; i++) {
            send(first + i);
            if (i % 25 == 24) {
                assertServing("seeds " + (first + i - 24) + " to " + (first + i));
            }
        }
    }

    private void assertServing(String after) throws Exception {
        for (String service : List.of(system.coordinatorUrl(), system.keystoreUrl())) {
            HttpResponse<String> health = LifecycleClient.HTTP.send(
                    HttpRequest.newBuilder(URI.create(service + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as("%s after %s", service, after).isEqualTo(200);
        }
    }

    private void send(long seed) throws Exception {
        Random random = new Random(seed);
        Target target = targets.get(random.nextInt(targets.size()));
        String path = fill(target.route().template(), random) + query(random);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(target.baseUrl() + path)).timeout(Duration.ofSeconds(30));
        String body = body(random);
        String contentType = pick(random, "application/json", "text/plain", null, "application/json; charset=utf-8");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        String credentials = credentials(random, request);
        String method = target.route().method();
        request.method(
                method,
                method.equals("GET") || method.equals("DELETE") && random.nextBoolean()
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> answer = LifecycleClient.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String sent = "seed " + seed + ": " + method + " " + target.baseUrl() + path + " [" + credentials + ", "
                + contentType + "] " + body;
        assertThat(answer.statusCode()).as("%s -> %s", sent, answer.body()).isNotEqualTo(500);
        Matcher internal = INTERNAL.matcher(answer.body());
        assertThat(internal.find())
                .as("%s -> %d %s", sent, answer.statusCode(), answer.body())
                .isFalse();
    }

    /** The template's {name} segments filled with generated text, percent-encoded. */
    private static String fill(String template, Random random) {
        Matcher placeholder = Pattern.compile("\\{[^}]+}").matcher(template);
        StringBuilder path = new StringBuilder();
        while (placeholder.find()) {
            String value = text(random);
            placeholder.appendReplacement(
                    path,
                    Matcher.quoteReplacement(
                            URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        placeholder.appendTail(path);
        return path.toString();
    }

    private static String query(Random random) {
        if (random.nextInt(3) == 0) {
            return "";
        }
        StringBuilder query = new StringBuilder("?");
        for (int i = random.nextInt(4); i >= 0; i--) {
            query.append(URLEncoder.encode(pick(random, FIELDS.toArray(String[]::new)), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(text(random), StandardCharsets.UTF_8))
                    .append('&');
        }
        return query.substring(0, query.length() - 1);
    }

    private String credentials(Random random, HttpRequest.Builder request) {
        return switch (random.nextInt(6)) {
            case 0 -> {
                request.header("Authorization", "Bearer " + TOKEN);
                yield "worker token";
            }
            case 1 -> {
                request.header("X-API-Key", apiKey);
                yield "API key";
            }
            case 2 -> {
                request.header("Authorization", "Bearer " + text(random).replaceAll("[^ -~]", "x"));
                request.header("X-Payment-Key", text(random).replaceAll("[^ -~]", "x"));
                yield "garbage";
            }
            case 3 -> {
                request.header("Authorization", "Bearer " + TOKEN);
                request.header("X-Payment-Key", "alice.test.near:1:" + "0".repeat(64));
                request.header("X-Compute-Limit", Long.toString(random.nextLong()));
                yield "worker token and an unknown payment key";
            }
            case 4 -> {
                request.header("Authorization", "Bearer " + AdminAuth.OUTLAYER_DEFAULT_TOKEN);
                yield "admin token";
            }
            default -> "none";
        };
    }

    /** Bytes, any JSON, or an object of the API's field names with values of any type. */
    private static String body(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> text(random);
            case 1 -> json(random, 3);
            default -> {
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(6); i >= 0; i--) {
                    object.append('"')
                            .append(pick(random, FIELDS.toArray(String[]::new)))
                            .append("\":")
                            .append(json(random, 2))
                            .append(',');
                }
                object.setCharAt(object.length() - 1, '}');
                yield object.toString();
            }
        };
    }

    private static String json(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 9 : 7);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> Boolean.toString(random.nextBoolean());
            case 2 -> Long.toString(random.nextLong() >> random.nextInt(64));
            case 3 ->
                pick(random, "1e400", "-0", "1.5", "18446744073709551616", "340282366920938463463374607431768211456");
            case 4 ->
                '"' + text(random).replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\x00-\\x1f]", " ") + '"';
            case 5 ->
                '"'
                        + pick(
                                random,
                                "0".repeat(64),
                                "ab".repeat(32),
                                "alice.test.near",
                                "alice.test.near/echo",
                                "p0000000000000001",
                                "",
                                "AllowAll",
                                "Repo",
                                "System")
                        + '"';
            case 6 -> "\"" + Long.toUnsignedString(random.nextLong()) + "\"";
            case 7 -> {
                StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.append(json(random, depth - 1)).append(i > 1 ? "," : "");
                }
                yield array.append(']').toString();
            }
            default -> {
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.append('"')
                            .append(pick(random, FIELDS.toArray(String[]::new)))
                            .append("\":")
                            .append(json(random, depth - 1))
                            .append(i > 1 ? "," : "");
                }
                yield object.append('}').toString();
            }
        };
    }

    /** Short text of any kind: empty, ASCII, digits, Unicode, control characters, path tricks, long. */
    private static String text(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> "";
            case 1 -> Long.toString(random.nextLong());
            case 2 -> pick(random, "..", "../..", "%00", "a/b", " ", "null", "-1", "0", "alice.test.near", "é☃😀");
            case 3 -> "x".repeat(1 + random.nextInt(3000));
            default -> {
                StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(24); i > 0; i--) {
                    text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x2FFF) : 0x20 + random.nextInt(0x5F));
                }
                yield text.toString().replaceAll("[\\uD800-\\uDFFF]", "?");
            }
        };
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }
}

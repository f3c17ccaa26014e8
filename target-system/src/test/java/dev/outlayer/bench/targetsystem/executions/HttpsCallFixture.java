package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the HTTPS call tests share: the contract's views of one project ({@code bob.near/echo}, its
 * active version a WasmUrl) and OutLayer's prices and limits, alice.near's payment key 1, and a
 * call of the project with an input.
 */
final class HttpsCallFixture {
    static final String KEY = "ab".repeat(32);
    static final String OWNER = "alice.near";
    static final PaymentKeys.Id KEY_ID = new PaymentKeys.Id(OWNER, 1);
    static final String HASH = "cd".repeat(32);
    private static final String PROJECT = "{\"uuid\":\"p0000000000000001\",\"owner\":\"bob.near\",\"name\":\"echo\","
            + "\"project_id\":\"bob.near/echo\",\"active_version\":\"" + HASH + "\",\"created_at\":1,"
            + "\"storage_deposit\":\"1\"}";
    private static final String VERSION = "{\"wasm_hash\":\"" + HASH + "\",\"source\":{\"WasmUrl\":{\"url\":"
            + "\"https://example.org/echo.wasm\",\"hash\":\"" + HASH + "\",\"build_target\":null}},\"added_at\":1,"
            + "\"is_active\":true}";

    private HttpsCallFixture() {}

    /** The contract's views while {@code readable}; none (a contract that cannot be read) otherwise. */
    static ContractViews views(AtomicBoolean readable) {
        return (method, args) -> {
            if (!readable.get()) {
                return Optional.empty();
            }
            JsonNode a = read(args.isEmpty() ? "{}" : args);
            String json = switch (method) {
                case "get_project" -> a.path("project_id").asText().equals("bob.near/echo") ? PROJECT : "null";
                case "get_version" -> a.path("version_key").asText().equals(HASH) ? VERSION : "null";
                case "get_pricing" -> "[\"1\",\"1\",\"1\",\"1\"]";
                case "get_max_limits" -> "[500000000000,180,300]";
                case "get_pricing_full" ->
                    "{\"base_fee_usd\":\"1000\",\"per_million_instructions_fee_usd\":\"1\","
                            + "\"per_sec_fee_usd\":\"1\"}";
                default -> null;
            };
            return json == null ? Optional.empty() : Optional.of(read(json));
        };
    }

    static JsonNode read(String json) {
        try {
            return JsonCodec.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** alice.near's key 1 made (init_payment_key) and topped up with {@code amount}. */
    static void fund(PaymentKeys keys, long amount, List<String> projects, String maxPerCall) {
        keys.init(KEY_ID, PaymentKeys.keyHash(KEY), projects, maxPerCall);
        keys.completeTopUp(
                KEY_ID,
                PaymentKeys.keyHash(KEY),
                BigInteger.valueOf(amount),
                BigInteger.valueOf(amount),
                projects,
                maxPerCall);
    }

    /** A call of {@code owner/name} with the input {@code {"answer":42}}. */
    static CompletableFuture<HttpsCalls.Answer> call(
            HttpsCalls calls,
            ExecutionCoordinator coordinator,
            String owner,
            String name,
            String key,
            String computeLimit,
            String deposit,
            boolean async,
            String version) {
        return calls.call(
                coordinator,
                owner,
                name,
                new HttpsCalls.Credentials(key, computeLimit, deposit),
                new HttpsCalls.Request(read("{\"answer\":42}"), null, async, null, version));
    }
}

package dev.outlayer.bench.simulations.support;

import io.gatling.javaapi.core.Body;
import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.http.HttpDsl.http;

/** The shared HTTP protocol, JSON-RPC 2.0 bodies and API keys of the simulations. */
public final class JsonRpc {
    /** The coordinator's throttled JSON-RPC proxy. */
    public static final String PROXY_PATH = "/near-rpc";
    /** Session attribute holding the API key a feeder put there. */
    public static final String API_KEY = "api_key";

    private static final AtomicLong IDS = new AtomicLong();

    private JsonRpc() {
    }

    /** JSON over keep-alive connections to the coordinator; no caching, no redirects to follow. */
    public static HttpProtocolBuilder protocol() {
        return http.baseUrl(Target.coordinatorUrl())
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                .userAgentHeader("outlayer-bench-gatling")
                .disableCaching()
                .disableFollowRedirect();
    }

    /** A JSON-RPC 2.0 call of {@code method} with {@code params}, each with a fresh string id. */
    public static Body call(String method, String paramsJson) {
        return StringBody(session -> "{\"jsonrpc\":\"2.0\",\"id\":\"bench-" + IDS.incrementAndGet()
                + "\",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}");
    }

    /** NEAR's {@code status} call: the cheapest request the upstream answers. */
    public static Body status() {
        return call("status", "[]");
    }

    /** The keys of {@code tier} from {@code feeders/api-keys.csv} (api_key,tier,owner), cycled. */
    public static FeederBuilder<Object> apiKeyFeeder(String tier) {
        List<Map<String, Object>> keys = csv("api-keys.csv").readRecords().stream()
                .filter(row -> tier.equals(String.valueOf(row.get("tier")).strip()))
                .collect(Collectors.toList());
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("feeders/api-keys.csv has no key of tier '" + tier + "'");
        }
        return listFeeder(keys).circular();
    }
}

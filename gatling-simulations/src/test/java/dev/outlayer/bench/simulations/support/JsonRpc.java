package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.ElFileBody;
import static io.gatling.javaapi.core.CoreDsl.csv;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.FeederBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The shared HTTP protocol, the proxy's JSON-RPC requests and the API keys of the simulations. */
public final class JsonRpc {
    /** The coordinator's throttled JSON-RPC proxy. */
    public static final String PROXY_PATH = "/near-rpc";
    /** Session attribute holding the API key a feeder put there. */
    public static final String API_KEY = "api_key";

    private JsonRpc() {}

    /** JSON over keep-alive connections to the coordinator; no caching, no redirects to follow. */
    public static HttpProtocolBuilder protocol() {
        return http.baseUrl(Target.coordinatorUrl())
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                .userAgentHeader("outlayer-bench-gatling")
                .disableCaching()
                .disableFollowRedirect();
    }

    /** NEAR's {@code status} (the cheapest call the upstream answers) to {@code url}, with a fresh id. */
    public static HttpRequestActionBuilder status(String name, String url) {
        return http(name).post(url).body(ElFileBody("bodies/near-status.json"));
    }

    /** NEAR's {@code status} through the proxy, without a key: the anonymous tier. */
    public static HttpRequestActionBuilder status(String name) {
        return status(name, PROXY_PATH);
    }

    /** NEAR's {@code status} through the proxy with the key an {@link #apiKeyFeeder} put in the session. */
    public static HttpRequestActionBuilder keyedStatus(String name) {
        return status(name).header("Authorization", "Bearer #{" + API_KEY + "}");
    }

    /** The keys of {@code tier} from {@code feeders/api-keys.csv} (api_key,tier,owner), cycled. */
    public static FeederBuilder<Object> apiKeyFeeder(String tier) {
        return listFeeder(keys(tier)).circular();
    }

    /** The first key of {@code tier} from {@code feeders/api-keys.csv}. */
    public static String apiKey(String tier) {
        return String.valueOf(keys(tier).get(0).get("api_key")).strip();
    }

    private static List<Map<String, Object>> keys(String tier) {
        List<Map<String, Object>> keys = csv("api-keys.csv").readRecords().stream()
                .filter(row -> tier.equals(String.valueOf(row.get("tier")).strip()))
                .collect(Collectors.toList());
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("feeders/api-keys.csv has no key of tier '" + tier + "'");
        }
        return keys;
    }
}

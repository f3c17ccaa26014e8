package dev.outlayer.bench.simulations;

import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Latencies;
import dev.outlayer.bench.simulations.support.Observed;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.results.Results;
import dev.outlayer.bench.simulations.support.Target;
import dev.outlayer.bench.simulations.support.Verdicts;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Spec "Test: Throttle Middleware Overhead": the same NEAR {@code status} call sent directly to the upstream
 * RPC and through the coordinator's throttled proxy, alternately from one client, with a key of a tier that
 * never rejects ({@code unlimited} in feeders/api-keys.csv). Reports the overhead the proxy adds (client-side
 * p50/p95 in microseconds, and the {@code throttle} phase the proxy reports in {@code Server-Timing});
 * asserts the spec's RPC proxy latency target (p95 < 20 ms through the proxy) and that every call succeeds.
 */
public class ThrottleOverheadSimulation extends Simulation {
    /** The spec's 50 per path; the CI form takes 500 so that a few scheduling hiccups of a shared machine do not make the p95. */
    private static final int CALLS = Params.integer("overhead.calls", 50, 500);
    private static final int WARM_UP = Params.integer("overhead.warmUp", 200);
    private static final String TIER = Params.string("overhead.tier", "unlimited");
    private static final int MAX_PROXIED_P95_MS = Params.integer("overhead.maxProxiedP95Ms", 20);
    private static final double MAX_OVERHEAD_MS = Params.decimal("overhead.maxP50Ms", 20);

    private static final String DIRECT = "status direct";
    private static final String PROXIED = "status proxied";

    private static final HttpProtocolBuilder PROTOCOL = JsonRpc.protocol();
    /** Null when a deployment was named with -Dtarget.url but no -Dtarget.upstreamUrl: no baseline then. */
    private static final String UPSTREAM = Target.upstreamUrl();
    private static final Latencies LATENCIES = new Latencies("throttle", "upstream");

    static {
        Observed.listen(LATENCIES);
    }

    private static ChainBuilder direct(String name) {
        return Observed.send(name, http(name).post(UPSTREAM + "/").body(JsonRpc.status())
                .check(status().is(200), jsonPath("$.result").exists()));
    }

    private static ChainBuilder proxied(String name) {
        return Observed.send(name, http(name).post(JsonRpc.PROXY_PATH)
                .header("Authorization", "Bearer #{" + JsonRpc.API_KEY + "}")
                .body(JsonRpc.status())
                .check(status().is(200), jsonPath("$.result").exists()));
    }

    /** One direct call then one proxied call, so that drift in the machine's load hits both alike. */
    private static ChainBuilder pair(String directName, String proxiedName) {
        return UPSTREAM == null ? proxied(proxiedName) : exec(direct(directName), proxied(proxiedName));
    }

    private static final ScenarioBuilder COMPARE = scenario("direct vs proxied")
            .feed(JsonRpc.apiKeyFeeder(TIER))
            .repeat(WARM_UP).on(pair("warm-up direct", "warm-up proxied"))
            .repeat(CALLS).on(pair(DIRECT, PROXIED));

    private static final Verdicts VERDICTS = UPSTREAM == null ? new Verdicts() : new Verdicts()
            .atMost("proxy overhead p50", () -> overheadMillis(50), MAX_OVERHEAD_MS, "ms");

    {
        List<Assertion> assertions = new ArrayList<>(List.of(VERDICTS.assertions()));
        assertions.add(details(PROXIED).responseTime().percentile(95.0).lt(MAX_PROXIED_P95_MS));
        assertions.add(details(PROXIED).successfulRequests().percent().is(100.0));
        if (UPSTREAM != null) {
            assertions.add(details(DIRECT).successfulRequests().percent().is(100.0));
        }
        setUp(UPSTREAM == null ? COMPARE.injectOpen(atOnceUsers(1))
                : COMPARE.injectOpen(atOnceUsers(1)).andThen(VERDICTS.population()))
                .protocols(PROTOCOL)
                .assertions(assertions);
    }

    /** Proxied minus direct at {@code percentile}, client-side, in ms with microsecond precision. */
    private static double overheadMillis(double percentile) {
        return (LATENCIES.elapsed(PROXIED).getValueAtPercentile(percentile)
                - LATENCIES.elapsed(DIRECT).getValueAtPercentile(percentile)) / 1000.0;
    }

    @Override
    public void after() {
        System.out.println("Parameters: " + Params.describe());
        if (UPSTREAM == null) {
            System.out.println("No -Dtarget.upstreamUrl: no direct baseline, so no overhead figure.");
        } else {
            System.out.println(line("direct", LATENCIES.elapsed(DIRECT)));
            System.out.println(line("proxied", LATENCIES.elapsed(PROXIED)));
            System.out.printf(Locale.ROOT, "proxy overhead (proxied - direct): p50 %.3f ms, p95 %.3f ms%n",
                    overheadMillis(50), overheadMillis(95));
        }
        System.out.println(line("proxy's Server-Timing throttle phase", LATENCIES.phase(PROXIED, "throttle")));
        System.out.println(line("proxy's Server-Timing upstream phase", LATENCIES.phase(PROXIED, "upstream")));
        Results.finish(getClass(), Target.coordinatorUrl(), Params.describe());
        Target.stop();
    }

    private static String line(String what, Histogram micros) {
        return String.format(Locale.ROOT, "%s: %d calls, p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms", what,
                micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(95) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0);
    }
}

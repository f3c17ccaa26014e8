package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.outlayer.bench.results.names.Measured.ThrottleOverhead;
import dev.outlayer.bench.results.names.ServerPhase;
import dev.outlayer.bench.simulations.support.BenchSimulation;
import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Observed;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Phases;
import dev.outlayer.bench.simulations.support.Target;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.util.List;
import java.util.Locale;

/**
 * Spec "Test: Throttle Middleware Overhead": the same NEAR {@code status} call sent directly to the upstream
 * RPC and through the coordinator's throttled proxy, alternately from one client, with a key of a tier that
 * never rejects ({@code unlimited} in feeders/api-keys.csv). Reports the overhead the proxy adds (client-side
 * p50/p95 in microseconds, and the {@code throttle} phase the proxy reports in {@code Server-Timing});
 * asserts the spec's RPC proxy latency target (p95 < 20 ms through the proxy), its throttle check time
 * (the {@code throttle} phase's p95 < 5 ms, Acceptable) and that every call succeeds.
 */
public class ThrottleOverheadSimulation extends BenchSimulation {
    /** The spec's 50 per path; the CI form takes 500 so that a few scheduling hiccups of a shared machine do not make the p95. */
    private static final int CALLS = Params.integer("overhead.calls", 50, 500);

    private static final int WARM_UP = Params.integer("overhead.warmUp", 200);
    private static final String TIER = Params.string("overhead.tier", "unlimited");
    private static final int MAX_PROXIED_P95_MS = Params.integer("overhead.maxProxiedP95Ms", 20);
    private static final double MAX_OVERHEAD_MS = Params.decimal("overhead.maxP50Ms", 20);
    private static final double MAX_OVERHEAD_MEAN_MS = Params.decimal("overhead.maxMeanMs", 20);
    /** The spec's "Throttle check time": Target < 1 ms (the report colours it), Acceptable < 5 ms (asserted). */
    private static final double MAX_THROTTLE_P95_MS = Params.decimal("overhead.maxThrottleP95Ms", 5);

    private static final String DIRECT = ThrottleOverhead.DIRECT.name();
    private static final String PROXIED = ThrottleOverhead.PROXIED.name();
    /** Null when a deployment was named with -Dtarget.url but no -Dtarget.upstreamUrl: no baseline then. */
    private static final String UPSTREAM = Target.upstreamUrl();

    private final HttpProtocolBuilder protocol = JsonRpc.protocol();

    private final ScenarioBuilder compare = scenario("direct vs proxied")
            .feed(JsonRpc.apiKeyFeeder(TIER))
            .repeat(WARM_UP)
            .on(pair("warm-up direct", "warm-up proxied"))
            .repeat(CALLS)
            .on(pair(DIRECT, PROXIED));

    {
        if (UPSTREAM != null) {
            verdicts.atMost("proxy overhead p50", () -> overheadMillis(50), MAX_OVERHEAD_MS, "ms");
            // The spec's test and the report's "RPC throttle" row take the difference of the means.
            verdicts.atMost(
                    "proxy overhead mean",
                    () -> recorded().clientMeanMillis(PROXIED) - recorded().clientMeanMillis(DIRECT),
                    MAX_OVERHEAD_MEAN_MS,
                    "ms");
        }
        verdicts.atMost(
                "throttle check p95 (the proxy's Server-Timing throttle phase)",
                () -> recorded().phaseMillis(PROXIED, ServerPhase.THROTTLE, 95),
                MAX_THROTTLE_P95_MS,
                "ms");
        List<Assertion> assertions = verdicts.assertions(
                details(PROXIED).responseTime().percentile(95.0).lt(MAX_PROXIED_P95_MS),
                details(PROXIED).successfulRequests().percent().is(100.0));
        if (UPSTREAM != null) {
            assertions.add(details(DIRECT).successfulRequests().percent().is(100.0));
        }

        setUp(Phases.inOrder(compare.injectOpen(atOnceUsers(1)), verdicts.population()))
                .protocols(protocol)
                .assertions(assertions);
    }

    /** One direct call then one proxied call, so that drift in the machine's load hits both alike. */
    private static ChainBuilder pair(String directName, String proxiedName) {
        ChainBuilder proxied = Observed.send(
                proxiedName,
                JsonRpc.keyedStatus(proxiedName)
                        .check(status().is(200), jsonPath("$.result").exists()));
        return UPSTREAM == null
                ? proxied
                : exec(
                        Observed.send(
                                directName,
                                JsonRpc.status(directName, UPSTREAM + "/")
                                        .check(
                                                status().is(200),
                                                jsonPath("$.result").exists())),
                        proxied);
    }

    /** Proxied minus direct at {@code percentile}, client-side, in ms with microsecond precision. */
    private static double overheadMillis(double percentile) {
        return recorded().clientMillis(PROXIED, percentile) - recorded().clientMillis(DIRECT, percentile);
    }

    @Override
    protected void report() {
        if (UPSTREAM == null) {
            System.out.println("No -Dtarget.upstreamUrl: no direct baseline, so no overhead figure.");
        } else {
            Phases.print(DIRECT);
            System.out.printf(
                    Locale.ROOT,
                    "proxy overhead (proxied - direct): p50 %.3f ms, p95 %.3f ms%n",
                    overheadMillis(50),
                    overheadMillis(95));
        }
        Phases.print(PROXIED, ServerPhase.THROTTLE, ServerPhase.UPSTREAM);
    }
}

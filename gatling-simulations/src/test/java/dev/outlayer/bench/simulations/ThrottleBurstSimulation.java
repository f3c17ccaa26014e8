package dev.outlayer.bench.simulations;

import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.results.Results;
import dev.outlayer.bench.simulations.support.Tally;
import dev.outlayer.bench.simulations.support.Target;
import dev.outlayer.bench.simulations.support.Throttled;
import dev.outlayer.bench.simulations.support.Tiers;
import dev.outlayer.bench.simulations.support.Verdicts;
import dev.outlayer.bench.simulations.support.WarmUp;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

/**
 * Spec Scenario 4, "RPC Throttling Burst": one anonymous client (5 rps, burst 10) sends 50 requests within
 * one second. About 10 pass at once, the rest get 429 and retry after {@code Retry-After} until the bucket
 * admits them at 5 rps: all succeed in the end, 35 to 42 first attempts are throttled, and the whole takes
 * 7 to 11 seconds.
 */
public class ThrottleBurstSimulation extends Simulation {
    private static final int REQUESTS = Params.integer("burst.requests", 50);
    private static final int WITHIN_MS = Params.integer("burst.withinMs", 1000);
    private static final int MIN_THROTTLED = Params.integer("burst.throttled.min", 35);
    private static final int MAX_THROTTLED = Params.integer("burst.throttled.max", 42);
    private static final double MIN_SECONDS = Params.decimal("burst.totalSeconds.min", 7);
    private static final double MAX_SECONDS = Params.decimal("burst.totalSeconds.max", 11);

    private static final Tally ANONYMOUS = new Tally("anonymous");
    private static final HttpProtocolBuilder PROTOCOL = JsonRpc.protocol();

    private static final ScenarioBuilder BURST = scenario("anonymous burst")
            .exec(Throttled.call("status", ANONYMOUS,
                    name -> http(name).post(JsonRpc.PROXY_PATH).body(JsonRpc.status())));

    private static final Verdicts VERDICTS = new Verdicts()
            .between("calls finally admitted", ANONYMOUS::callsAdmitted, REQUESTS, REQUESTS, "calls")
            .between("total time", ANONYMOUS::totalSeconds, MIN_SECONDS, MAX_SECONDS, "s");

    {
        List<Assertion> assertions = new ArrayList<>(List.of(VERDICTS.assertions()));
        assertions.add(details("status (first attempt)").failedRequests().count().between((long) MIN_THROTTLED, (long) MAX_THROTTLED));
        setUp(WarmUp.before(BURST.injectOpen(rampUsers(REQUESTS).during(Duration.ofMillis(WITHIN_MS)))
                .andThen(VERDICTS.population())))
                .protocols(PROTOCOL)
                .assertions(assertions);
    }

    @Override
    public void after() {
        System.out.println("Parameters: " + Params.describe());
        System.out.println(ANONYMOUS.summary());
        Results.finish(getClass(), Target.coordinatorUrl(), Params.describe());
        Target.stop();
    }
}

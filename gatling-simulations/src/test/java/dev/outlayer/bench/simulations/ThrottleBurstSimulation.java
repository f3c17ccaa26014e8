package dev.outlayer.bench.simulations;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.outlayer.bench.simulations.support.BenchSimulation;
import dev.outlayer.bench.simulations.support.ExpectedThrottle;
import dev.outlayer.bench.simulations.support.JsonRpc;
import dev.outlayer.bench.simulations.support.Params;
import dev.outlayer.bench.simulations.support.Tally;
import dev.outlayer.bench.simulations.support.Throttled;
import dev.outlayer.bench.simulations.support.Tiers;
import dev.outlayer.bench.simulations.support.WarmUp;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;

/**
 * Spec Scenario 4, "RPC Throttling Burst": one anonymous client (5 rps, burst 10) sends 50 requests within
 * one second. About 10 pass at once, the rest get 429 and retry after {@code Retry-After} until the bucket
 * admits them at 5 rps: all succeed in the end, 35 to 42 first attempts are throttled, and the whole takes
 * 7 to 11 seconds. With {@code -Dthrottle.keying=outlayer} (OutLayer's coordinator: shared bucket, retries after a
 * fixed 5 s) the first attempts are throttled alike, and the whole takes at least 8 s and at most a wave of
 * retries every 5 s admitting at least the in-flight cap ({@link ExpectedThrottle#outlayerBurst}).
 */
public class ThrottleBurstSimulation extends BenchSimulation {
    private static final int REQUESTS = Params.integer("burst.requests", 50);
    private static final int WITHIN_MS = Params.integer("burst.withinMs", 1000);
    private static final long MIN_THROTTLED = Params.integer("burst.throttled.min", 35);
    private static final long MAX_THROTTLED = Params.integer("burst.throttled.max", 42);
    private static final double MIN_SECONDS = Params.decimal("burst.totalSeconds.min", 7);
    private static final double MAX_SECONDS = Params.decimal("burst.totalSeconds.max", 11);

    private final Tally anonymous = new Tally("anonymous");

    private final HttpProtocolBuilder protocol = JsonRpc.protocol();

    private final ScenarioBuilder burst =
            scenario("anonymous burst").exec(Throttled.call("status", anonymous, JsonRpc::status));

    {
        if (ExpectedThrottle.outlayer()) {
            // Retries come back 5 s later in waves as spread as the burst; each admits at least the in-flight cap.
            ExpectedThrottle.outlayerBurst(
                    verdicts, anonymous, REQUESTS, Tiers.ANONYMOUS_IN_FLIGHT, WITHIN_MS / 1000.0);
        } else {
            verdicts.between("calls finally admitted", anonymous::callsAdmitted, REQUESTS, REQUESTS, "calls")
                    .between("total time", anonymous::totalSeconds, MIN_SECONDS, MAX_SECONDS, "s");
        }

        setUp(WarmUp.then(
                        burst.injectOpen(rampUsers(REQUESTS).during(Duration.ofMillis(WITHIN_MS))),
                        verdicts.population()))
                .protocols(protocol)
                .assertions(verdicts.assertions(details("status (first attempt)")
                        .failedRequests()
                        .count()
                        .between(MIN_THROTTLED, MAX_THROTTLED)));
    }

    @Override
    protected void report() {
        System.out.println(anonymous.summary());
    }
}

package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Warm-up before the measured load, as the spec's methodology asks: a few clients call the proxy with a key
 * of a tier that never refuses ({@code unlimited} in feeders/api-keys.csv), so that both JVMs have compiled
 * the hot paths before the first measured call. That key has its own bucket: the measured clients' buckets
 * are untouched. {@code -DwarmUp.calls=0} skips it.
 */
public final class WarmUp {
    private static final int CLIENTS = 4;
    /** None by default under OutLayer's keying: every keyed caller shares one bucket, which a warm-up would drain. */
    private static final int CALLS =
            ExpectedThrottle.outlayer() ? Params.integer("warmUp.calls", 0) : Params.integer("warmUp.calls", 400, 200);

    private static final String TIER = Params.string("warmUp.tier", "unlimited");

    private WarmUp() {}

    /** The warm-up (unless it is switched off), then {@code phases} one after another. */
    public static PopulationBuilder then(PopulationBuilder... phases) {
        List<PopulationBuilder> all = new ArrayList<>();
        if (CALLS > 0) {
            all.add(scenario("warm-up")
                    .feed(JsonRpc.apiKeyFeeder(TIER))
                    .repeat(Math.max(1, CALLS / CLIENTS))
                    .on(Observed.send(
                            "warm-up",
                            JsonRpc.keyedStatus("warm-up")
                                    .check(
                                            status().is(200),
                                            jsonPath("$.result").exists())))
                    .injectOpen(atOnceUsers(CLIENTS)));
        }
        all.addAll(List.of(phases));
        return Phases.inOrder(all);
    }
}

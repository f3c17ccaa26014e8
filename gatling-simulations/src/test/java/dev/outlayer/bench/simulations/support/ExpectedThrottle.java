package dev.outlayer.bench.simulations.support;

import java.util.Locale;

/**
 * Which throttle behaviour the throttling simulations expect, {@code -Dthrottle.keying=per-client|outlayer}:
 * the stand-in's default (a bucket per client, JSON-RPC 429s whose {@code Retry-After} is the bucket's own
 * wait) or OutLayer's coordinator (one bucket per route and class, anonymous or keyed, shared by all callers;
 * plain-text 429s with a fixed {@code Retry-After: 5}). The embedded target is started with the matching
 * {@code --throttle-keying}; with {@code -Dtarget.url} it says what the deployment at that URL does, so the
 * simulations can be pointed at a real OutLayer coordinator.
 */
public enum ExpectedThrottle {
    PER_CLIENT("per-client"),
    OUTLAYER("outlayer");

    /** The behaviour this run expects. */
    public static final ExpectedThrottle EXPECTED = named(Params.string("throttle.keying", "per-client"));

    /** OutLayer's fixed Retry-After, seconds. */
    public static final int OUTLAYER_RETRY_AFTER_SECONDS = 5;

    private final String flag;

    ExpectedThrottle(String flag) {
        this.flag = flag;
    }

    /** The target system's {@code --throttle-keying} value for this behaviour. */
    public String flag() {
        return flag;
    }

    public static boolean outlayer() {
        return EXPECTED == OUTLAYER;
    }

    static ExpectedThrottle named(String name) {
        for (ExpectedThrottle keying : values()) {
            if (keying.flag.equals(name.toLowerCase(Locale.ROOT))) {
                return keying;
            }
        }
        throw new IllegalArgumentException("-Dthrottle.keying must be 'per-client' or 'outlayer', not '" + name + "'");
    }

    /** The refusal's reason from OutLayer's plain-text body: "concurrency" for the in-flight cap, else "rate". */
    static String outlayerReason(String body) {
        return body != null && body.contains("Concurrency limit reached") ? "concurrency" : "rate";
    }

    /** The verdicts of {@code requests} anonymous calls fired at once, for the throttle this run expects. */
    public static Verdicts anonymousAtOnce(Verdicts verdicts, Tally anonymous, int requests) {
        if (outlayer()) {
            // A wave of retries arriving together admits at least the in-flight cap.
            return outlayerBurst(verdicts, anonymous, requests, Tiers.ANONYMOUS_IN_FLIGHT, 0);
        }
        return verdicts.between("calls finally admitted", anonymous::callsAdmitted, requests, requests, "calls")
                .near("rate after the burst", anonymous::rateAfterBurst, Tiers.ANONYMOUS_RATE, Tiers.TOLERANCE, "rps")
                .between(
                        "total time",
                        anonymous::totalSeconds,
                        Tiers.leastSeconds(requests, Tiers.ANONYMOUS_RATE, Tiers.ANONYMOUS_BURST),
                        Tiers.specSecondsWithSlack(requests, Tiers.ANONYMOUS_RATE),
                        "s");
    }

    /**
     * The verdicts of {@code requests} anonymous calls fired together (within {@code spreadSeconds}) under
     * OutLayer's keying: every call admitted in the end; the shared bucket never admits more than its rate
     * (refused clients come back only after 5 s, so less is expected); the whole takes at least what the
     * bucket needs and at most a wave of retries every 5 s admitting {@code leastPerWave}.
     */
    public static Verdicts outlayerBurst(
            Verdicts verdicts, Tally anonymous, int requests, double leastPerWave, double spreadSeconds) {
        return verdicts.between("calls finally admitted", anonymous::callsAdmitted, requests, requests, "calls")
                .atMost(
                        "rate after the burst (shared bucket)",
                        anonymous::rateAfterBurst,
                        Tiers.ANONYMOUS_RATE * (1 + Tiers.TOLERANCE),
                        "rps")
                .between(
                        "total time",
                        anonymous::totalSeconds,
                        Tiers.leastSeconds(requests, Tiers.ANONYMOUS_RATE, Tiers.ANONYMOUS_BURST),
                        Tiers.outlayerMostSeconds(requests, Tiers.ANONYMOUS_BURST, leastPerWave, spreadSeconds),
                        "s");
    }
}

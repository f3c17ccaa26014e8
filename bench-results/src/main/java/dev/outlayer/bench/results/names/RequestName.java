package dev.outlayer.bench.results.names;

/** A request as {@code simulation} names it in Gatling's report and in results.json. */
public record RequestName(SimulationName simulation, String name) {

    /** A throttled call's first attempt is named {@code <name> (first attempt)}. */
    public static final String FIRST_ATTEMPT = " (first attempt)";
    /** A retry is named {@code <name> (retry)}; results.json keeps it as the retry metric of {@code <name>}. */
    public static final String RETRY = " (retry)";

    public String firstAttempt() {
        return name + FIRST_ATTEMPT;
    }
}

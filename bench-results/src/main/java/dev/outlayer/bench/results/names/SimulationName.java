package dev.outlayer.bench.results.names;

/**
 * The simulations of gatling-simulations, by the class name that results.json carries as its
 * {@code simulation}. A test there checks that each names a simulation class of that module.
 */
public enum SimulationName {
    API_KEY_TIER("ApiKeyTierSimulation"),
    BURST_CAPACITY("BurstCapacitySimulation"),
    CAPACITY("CapacitySimulation"),
    COUNTER("CounterSimulation"),
    EXECUTION_LIFECYCLE("ExecutionLifecycleSimulation"),
    EXECUTION_MODE("ExecutionModeSimulation"),
    HTTPS_CALL("HttpsCallSimulation"),
    MEMORY_PROFILE("MemoryProfileSimulation"),
    NFT_MINT("NftMintSimulation"),
    RATE_LIMIT_ENFORCEMENT("RateLimitEnforcementSimulation"),
    SECRETS("SecretsSimulation"),
    SUSTAINED_LOAD("SustainedLoadSimulation"),
    THROTTLE_BURST("ThrottleBurstSimulation"),
    THROTTLE_OVERHEAD("ThrottleOverheadSimulation"),
    TRANSACTIONS("TransactionSimulation");

    private final String className;

    SimulationName(String className) {
        this.className = className;
    }

    /** The simulation's simple class name, e.g. {@code CounterSimulation}. */
    public String className() {
        return className;
    }
}

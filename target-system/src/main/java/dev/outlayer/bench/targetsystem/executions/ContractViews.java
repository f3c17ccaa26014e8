package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Read-only calls of the OutLayer contract's view methods (no arguments), as the coordinator makes them. */
@FunctionalInterface
public interface ContractViews {
    ContractViews NONE = method -> Optional.empty();

    /** The view's JSON result; empty when the call failed or its result is not JSON. */
    Optional<JsonNode> view(String method);
}

package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Read-only calls of the OutLayer contract's view methods, as the coordinator and its event monitor make them. */
@FunctionalInterface
public interface ContractViews {
    ContractViews NONE = (method, argsJson) -> Optional.empty();

    /**
     * The view's JSON result for these arguments; JSON null when the contract's call failed for them
     * (they name nothing it holds); empty when the contract could not be read or its result is not JSON.
     */
    Optional<JsonNode> view(String method, String argsJson);

    /** A view without arguments. */
    default Optional<JsonNode> view(String method) {
        return view(method, "");
    }
}

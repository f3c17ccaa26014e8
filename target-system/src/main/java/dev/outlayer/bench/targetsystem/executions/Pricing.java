package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * OutLayer's {@code PricingConfig} (coordinator models.rs), which {@code POST /jobs/claim} sends
 * beside the jobs: the contract's NEAR prices as yoctoNEAR strings and its hard limits, read as
 * OutLayer's coordinator reads them (near_client.rs {@code fetch_pricing_from_contract}: the
 * contract's pricing view and {@code get_max_limits}).
 */
public record Pricing(
        @JsonProperty("base_fee") String baseFee,
        @JsonProperty("per_instruction_fee") String perInstructionFee,
        @JsonProperty("per_ms_fee") String perMsFee,
        @JsonProperty("per_compile_ms_fee") String perCompileMsFee,
        @JsonProperty("max_compilation_seconds") long maxCompilationSeconds,
        @JsonProperty("max_instructions") long maxInstructions,
        @JsonProperty("max_execution_seconds") long maxExecutionSeconds) {

    /** OutLayer's {@code get_default_pricing}: what its coordinator sends when the contract cannot be read. */
    public static final Pricing DEFAULT = new Pricing(
            "10000000000000000000000",
            "1000000000000000",
            "1000000000000000000",
            "2000000000000000000",
            300,
            100_000_000_000L,
            60);

    /**
     * The pricing of the contract's views: {@code get_pricing} ({@code [base_fee,
     * per_million_instructions_fee, per_ms_fee, per_compile_ms_fee]}) and {@code get_max_limits}
     * ({@code [max_instructions, max_execution_seconds, max_compilation_seconds]}); empty when
     * either is missing or not of that shape.
     */
    public static Optional<Pricing> of(JsonNode pricing, JsonNode limits) {
        if (pricing == null || limits == null || pricing.size() != 4 || limits.size() != 3) {
            return Optional.empty();
        }
        for (JsonNode fee : pricing) {
            if (!fee.isTextual()) {
                return Optional.empty();
            }
        }
        for (JsonNode limit : limits) {
            if (!limit.canConvertToLong()) {
                return Optional.empty();
            }
        }
        return Optional.of(new Pricing(
                pricing.get(0).asText(),
                pricing.get(1).asText(),
                pricing.get(2).asText(),
                pricing.get(3).asText(),
                limits.get(2).asLong(),
                limits.get(0).asLong(),
                limits.get(1).asLong()));
    }
}

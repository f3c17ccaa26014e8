package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a request may spend, as the contract's {@code resource_limits}: OutLayer's coordinator ResourceLimits, every
 * member required (a request that leaves one out or sends null is refused, not read as 0).
 */
public record ResourceLimits(
        @JsonProperty("max_instructions") long maxInstructions,
        @JsonProperty("max_memory_mb") long maxMemoryMb,
        @JsonProperty("max_execution_seconds") long maxExecutionSeconds) {}

package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a request may spend, as the contract's {@code resource_limits}. */
public record ResourceLimits(
        @JsonProperty("max_instructions") long maxInstructions,
        @JsonProperty("max_memory_mb") long maxMemoryMb,
        @JsonProperty("max_execution_seconds") long maxExecutionSeconds) {}

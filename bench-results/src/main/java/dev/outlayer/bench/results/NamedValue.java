package dev.outlayer.bench.results;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A free-form number a simulation measured itself (e.g. {@code sustained_rate_rps},
 * {@code memory_per_contract_mb}). {@code merge} says how values from several load generators
 * combine: rates add up, a memory reading of the shared target does not.
 */
public record NamedValue(String name, String unit, double value, Merge merge) {

    public enum Merge {
        SUM,
        MAX,
        MIN;

        @JsonValue
        public String json() {
            return name().toLowerCase();
        }
    }

    public NamedValue {
        merge = merge == null ? Merge.MAX : merge;
    }

    public NamedValue mergedWith(NamedValue other) {
        double combined = switch (merge) {
            case SUM -> value + other.value;
            case MAX -> Math.max(value, other.value);
            case MIN -> Math.min(value, other.value);
        };
        return new NamedValue(name, unit, combined, merge);
    }
}

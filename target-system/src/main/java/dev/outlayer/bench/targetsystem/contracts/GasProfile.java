package dev.outlayer.bench.targetsystem.contracts;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where one call's gas went, as nearcore's outcome profile ({@code ProfileDataV3}) tells it: gas per
 * {@link ExtCost} kind, the wasm operations (WASM_INSTRUCTION) and the trie nodes storage touched.
 * Filled by {@link VmLogic} as it charges; read once the call is over.
 */
public final class GasProfile {
    private static final ExtCost[] COSTS = ExtCost.values();

    private final long[] gasByCost = new long[COSTS.length];
    private long wasmGas;
    private long trieNodesTouched;

    void add(ExtCost cost, long gas) {
        gasByCost[cost.ordinal()] += gas;
    }

    void finish(long wasmGas, long trieNodesTouched) {
        this.wasmGas = wasmGas;
        this.trieNodesTouched = trieNodesTouched;
    }

    /** Gas charged for {@code cost} (its unit price times what was counted). */
    public long gas(ExtCost cost) {
        return gasByCost[cost.ordinal()];
    }

    /** Gas of the metered wasm operations. */
    public long wasmGas() {
        return wasmGas;
    }

    /** Trie nodes this call's storage reads and writes touched (each charged touching_trie_node). */
    public long trieNodesTouched() {
        return trieNodesTouched;
    }

    /** Each cost's profile name, upper-cased once rather than on every call's answer. */
    private static final String[] PROFILE_NAMES = java.util.Arrays.stream(ExtCost.values())
            .map(cost -> cost.name().toUpperCase(Locale.ROOT))
            .toArray(String[]::new);

    /** nearcore's profile entries with gas: WASM_INSTRUCTION and the host costs by their upper-case names. */
    public Map<String, Long> entries() {
        Map<String, Long> out = new LinkedHashMap<>(64);
        if (wasmGas > 0) {
            out.put("WASM_INSTRUCTION", wasmGas);
        }
        for (ExtCost cost : COSTS) {
            long gas = gasByCost[cost.ordinal()];
            if (gas > 0) {
                out.put(PROFILE_NAMES[cost.ordinal()], gas);
            }
        }
        return out;
    }
}

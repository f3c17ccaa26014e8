package dev.outlayer.bench.targetsystem.wasm;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;

/**
 * One call's gas budget. With an instrumented module the budget lives in the module's metering
 * global (so wasm blocks and host functions draw on the same counter); without one (the
 * unmetered baseline) only host charges are counted, in a plain field.
 *
 * <p>Not thread-safe: one meter belongs to one call on one thread, like its instance.
 */
public final class GasMeter {
    private final long limit;
    private final long maxBurnt;
    private boolean chargeOverMaxBurnt;
    private GlobalInstance global;
    private GlobalInstance stack;
    private long remaining;
    private long hostGas;
    private long prepaid;
    /** Burnt gas once a host charge or a prepay ran out of budget (nearcore's process_gas_limit), else -1. */
    private long burntAtExhaustion = -1;

    public GasMeter(long limit) {
        this(limit, Long.MAX_VALUE);
    }

    /**
     * A budget of {@code prepaid} gas of which at most {@code maxBurnt} may be burnt (nearcore's
     * max_gas_burnt): the meter runs to the lower of the two, and {@link #overMaxBurnt()} tells
     * which one was hit, as nearcore tells GasLimitExceeded from GasExceeded.
     */
    public GasMeter(long prepaid, long maxBurnt) {
        if (prepaid < 0 || maxBurnt < 0) {
            throw new IllegalArgumentException("gas limit must not be negative");
        }
        this.limit = Math.min(prepaid, maxBurnt);
        this.maxBurnt = maxBurnt;
        this.remaining = limit;
    }

    /** Moves the budget into the instance's metering global; call before running any wasm code. */
    public void attach(Instance instance, int gasGlobalIndex) {
        GlobalInstance g = instance.global(gasGlobalIndex);
        g.setValue(remaining);
        this.global = g;
    }

    /**
     * Puts nearcore's max_stack_height into the instance's stack-limit global (GasInstrumenter
     * with a StackAnalysis.Limit); call again after a start function to start the method afresh.
     */
    public void attachStack(Instance instance, int stackGlobalIndex, long maxStackHeight) {
        GlobalInstance g = instance.global(stackGlobalIndex);
        g.setValue(maxStackHeight);
        this.stack = g;
    }

    /** True when a function entry found too little stack left: nearcore's WasmTrap StackOverflow. */
    public boolean stackExhausted() {
        return stack != null && stack.getValue() < 0;
    }

    public long limit() {
        return limit;
    }

    public long remaining() {
        return global != null ? global.getValue() : remaining;
    }

    /** Burnt plus gas handed on to promises (nearcore's used_gas); never more than the limit. */
    public long used() {
        long left = remaining();
        return left < 0 ? limit : limit - left;
    }

    /**
     * Gas burnt by this call itself, wasm and host. Once the budget ran out, nearcore's
     * process_gas_limit: what was burnt plus the charge that did not fit, at most the limit; so a
     * call that prepaid gas for promises burns less than its whole prepaid gas, and a prepay that
     * did not fit burns nothing more.
     */
    public long burnt() {
        if (!exhausted()) {
            return used() - prepaid;
        }
        return burntAtExhaustion >= 0 ? burntAtExhaustion : Math.min(burntPastWasmCharge(), limit);
    }

    /**
     * What wasm code's failed charge would have burnt: the metering global holds what was left
     * minus the block's cost (GasInstrumenter), so the burnt gas plus that cost.
     */
    private long burntPastWasmCharge() {
        long over = -remaining(); // the part of the charge past the budget
        long burnt = limit - prepaid;
        return over > Long.MAX_VALUE - burnt ? Long.MAX_VALUE : burnt + over;
    }

    /** What host functions charged (the rest of {@link #burnt()} is wasm operations). */
    public long hostGas() {
        return hostGas;
    }

    /** Gas of metered wasm operations: what neither host functions nor promises took. */
    public long wasmGas() {
        return Math.max(0, burnt() - hostGas);
    }

    /** True once wasm code or a host charge went past the limit. */
    public boolean exhausted() {
        return remaining() < 0;
    }

    /**
     * True once the call stopped for going over max_gas_burnt (GasLimitExceeded) rather than over
     * its prepaid gas (GasExceeded); nearcore prefers the first when both are crossed.
     */
    public boolean overMaxBurnt() {
        if (!exhausted()) {
            return false;
        }
        return burntAtExhaustion >= 0 ? chargeOverMaxBurnt : burntPastWasmCharge() > maxBurnt;
    }

    /** Charges {@code gas}; throws {@link OutOfGasException} when the budget cannot cover it. */
    public void charge(long gas) {
        long left = remaining();
        if (gas > left) {
            exhaust(gas);
        }
        hostGas += gas;
        setRemaining(left - gas);
    }

    /**
     * Charges {@code gas} of wasm operations a host function reports (nearcore's
     * gas_seen_from_wasm): as {@link #charge}, but it counts as wasm gas, not host gas.
     */
    public void chargeWasm(long gas) {
        long host = hostGas;
        try {
            charge(gas);
        } finally {
            hostGas = host;
        }
    }

    /**
     * nearcore's process_gas_limit for a charge of {@code burn} that does not fit: the burnt gas
     * becomes burnt + burn, at most the limit; GasLimitExceeded when that passes max_gas_burnt.
     */
    private void exhaust(long burn) {
        long before = burntSoFar(remaining());
        long wanted = burn > Long.MAX_VALUE - before ? Long.MAX_VALUE : before + burn;
        if (burntAtExhaustion < 0) {
            chargeOverMaxBurnt = wanted > maxBurnt;
            burntAtExhaustion = Math.min(wanted, limit);
            hostGas += burntAtExhaustion - before;
        }
        setRemaining(-1);
        throw new OutOfGasException();
    }

    private void setRemaining(long value) {
        if (global != null) {
            global.setValue(value);
        } else {
            remaining = value;
        }
    }

    private long burntSoFar(long left) {
        return Math.max(0, limit - Math.max(left, 0) - prepaid);
    }

    /** Reserves gas for a promise this call creates: it counts as used, not burnt. */
    public void prepay(long gas) {
        long left = remaining();
        if (gas < 0 || gas > left) {
            exhaust(0); // nearcore's deduct_gas: used over the prepaid gas, nothing more burnt: GasExceeded
        }
        setRemaining(left - gas);
        prepaid += gas;
    }

    /** Thrown by a charge past the limit; also what an out-of-gas trap in wasm code means. */
    public static final class OutOfGasException extends RuntimeException {
        public OutOfGasException() {
            super("Exceeded the prepaid gas.", null, false, false);
        }
    }
}

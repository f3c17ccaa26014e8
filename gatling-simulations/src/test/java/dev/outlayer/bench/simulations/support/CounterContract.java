package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.doIfOrElse;

import dev.outlayer.bench.results.recorder.NoSamplesException;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The near-examples counter interface ({@code get_num}, {@code increment}, {@code decrement}, {@code reset})
 * as the contract simulations use it. {@code -Dcounter.account} points them at any deployed contract with
 * that interface (default: the bundled {@code counter.test.near}). The real near-examples counter holds an
 * {@code i8}, so the simulations reset it before each phase and keep a phase's net count within 127.
 */
public final class CounterContract {
    /** The counter the warm phases, the sustained load and the memory profile call. */
    public static final String ACCOUNT = Params.string("counter.account", "counter.test.near");
    /** Whether {@code -Dcounter.account} named a contract other than the bundled one. */
    public static final boolean EXTERNAL = System.getProperty("counter.account") != null;
    /** The largest value an {@code i8} counter holds. */
    public static final int I8_MAX = 127;

    /** The last {@code get_num} per label, as read by {@link #read}. */
    private static final Map<String, Long> READINGS = new ConcurrentHashMap<>();

    private CounterContract() {}

    public static ChainBuilder increment(String name, String account) {
        return ContractApi.call(name, account, "increment", ContractApi.noArgs());
    }

    public static ChainBuilder decrement(String name, String account) {
        return ContractApi.call(name, account, "decrement", ContractApi.noArgs());
    }

    public static ChainBuilder reset(String name, String account) {
        return ContractApi.call(name, account, "reset", ContractApi.noArgs());
    }

    /**
     * {@code increment} (named {@code incrementName}) when {@code increment} holds for the virtual user, else
     * {@code decrement}: calls that alternate keep an {@code i8} counter near zero however many there are.
     */
    public static ChainBuilder incrementOrDecrement(
            Function<Session, Boolean> increment, String incrementName, String decrementName, String account) {
        return incrementOrDecrement(increment, incrementName, decrementName, account, "direct");
    }

    /** The same in {@code mode} ({@code direct} or {@code linux}: the Linux emulator runs the call as a process). */
    public static ChainBuilder incrementOrDecrement(
            Function<Session, Boolean> increment,
            String incrementName,
            String decrementName,
            String account,
            String mode) {
        return doIfOrElse(increment)
                .then(inMode(incrementName, account, "increment", mode))
                .orElse(inMode(decrementName, account, "decrement", mode));
    }

    /** A call of {@code method} (no arguments) in {@code mode}, by {@link ContractApi#CALLER}. */
    public static ChainBuilder inMode(String name, String account, String method, String mode) {
        return ContractApi.call(
                name, account, method, ContractApi.noArgs(), ContractApi.CALLER, BigInteger.ZERO, mode, false);
    }

    /** Views {@code get_num} and remembers the value under {@code label}. */
    public static ChainBuilder read(String name, String account, String label) {
        return read(name, account, label, false);
    }

    /** Views {@code get_num} and adds the value to the sum under {@code label} (a phase over many accounts). */
    public static ChainBuilder readAndAdd(String name, String account, String label) {
        return read(name, account, label, true);
    }

    private static ChainBuilder read(String name, String account, String label, boolean add) {
        return ContractApi.view(
                name,
                account,
                "get_num",
                ContractApi.noArgs(),
                ContractApi.result()
                        .transform(value -> {
                            if (!value.isIntegralNumber()) {
                                throw new IllegalStateException("get_num returned " + value + ", not an integer");
                            }
                            if (add) {
                                READINGS.merge(label, value.asLong(), Long::sum);
                            } else {
                                READINGS.put(label, value.asLong());
                            }
                            return value.asLong();
                        })
                        .exists());
    }

    /** The value {@link #read} saw (or the sum {@link #readAndAdd} made) under {@code label}. */
    public static double reading(String label) {
        Long value = READINGS.get(label);
        if (value == null) {
            throw new NoSamplesException("the counter reading '" + label + "'");
        }
        return value;
    }

    /** A warning line when a phase could overflow the real near-examples counter; null when it cannot. */
    public static String i8Warning(String phase, long netIncrements) {
        return EXTERNAL && Math.abs(netIncrements) > I8_MAX
                ? "WARNING: the " + phase + " phase moves the counter by " + netIncrements
                        + "; a near-examples counter (an i8) panics past " + I8_MAX
                : null;
    }
}

package dev.outlayer.bench.simulations.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * Simulation parameters: {@code -Dname=value} system properties with the spec's numbers as defaults.
 * {@code -Dci=true} switches to each parameter's short CI default where it has one. Every value read is
 * remembered so that a run can print exactly what it used.
 */
public final class Params {
    private static final Map<String, String> USED = new ConcurrentSkipListMap<>();

    private Params() {}

    /** True for the short CI form of the simulations. */
    public static boolean ci() {
        return Boolean.getBoolean("ci");
    }

    public static int integer(String name, int defaultValue) {
        return integer(name, defaultValue, defaultValue);
    }

    /** An integer parameter with a smaller default for {@code -Dci=true}. */
    public static int integer(String name, int defaultValue, int ciDefault) {
        return read(name, ci() ? ciDefault : defaultValue, Integer::valueOf, "an integer");
    }

    public static double decimal(String name, double defaultValue) {
        return read(name, defaultValue, Double::valueOf, "a number");
    }

    private static <T> T read(String name, T defaultValue, Function<String, T> parse, String what) {
        String raw = System.getProperty(name);
        try {
            T value = raw == null ? defaultValue : parse.apply(raw.strip());
            USED.put(name, value.toString());
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + " must be " + what + ", got '" + raw + "'");
        }
    }

    public static String string(String name, String defaultValue) {
        String value = System.getProperty(name, defaultValue).strip();
        USED.put(name, value);
        return value;
    }

    /** Every parameter read so far, {@code ci} first when set. */
    public static Map<String, String> used() {
        Map<String, String> used = new LinkedHashMap<>();
        if (ci()) {
            used.put("ci", "true");
        }
        used.putAll(USED);
        return used;
    }

    /** Every parameter read so far as {@code name=value} pairs. */
    public static String describe() {
        StringJoiner line = new StringJoiner(" ");
        used().forEach((name, value) -> line.add(name + "=" + value));
        return line.toString();
    }
}

package dev.outlayer.bench.simulations.support;

import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Simulation parameters: {@code -Dname=value} system properties with the spec's numbers as defaults.
 * {@code -Dci=true} switches to each parameter's short CI default where it has one. Every value read is
 * remembered so that a run can print exactly what it used.
 */
public final class Params {
    private static final Map<String, String> USED = new ConcurrentSkipListMap<>();

    private Params() {
    }

    /** True for the short CI form of the simulations. */
    public static boolean ci() {
        return Boolean.getBoolean("ci");
    }

    public static int integer(String name, int defaultValue) {
        return integer(name, defaultValue, defaultValue);
    }

    /** An integer parameter with a smaller default for {@code -Dci=true}. */
    public static int integer(String name, int defaultValue, int ciDefault) {
        String raw = System.getProperty(name);
        int value;
        try {
            value = raw == null ? (ci() ? ciDefault : defaultValue) : Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + " must be an integer, got '" + raw + "'");
        }
        USED.put(name, Integer.toString(value));
        return value;
    }

    public static double decimal(String name, double defaultValue) {
        String raw = System.getProperty(name);
        double value;
        try {
            value = raw == null ? defaultValue : Double.parseDouble(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + " must be a number, got '" + raw + "'");
        }
        USED.put(name, Double.toString(value));
        return value;
    }

    public static String string(String name, String defaultValue) {
        String value = System.getProperty(name, defaultValue).strip();
        USED.put(name, value);
        return value;
    }

    /** Every parameter read so far as {@code name=value} pairs. */
    public static String describe() {
        StringJoiner line = new StringJoiner(" ");
        USED.forEach((name, value) -> line.add(name + "=" + value));
        return (ci() ? "ci=true " : "") + line;
    }
}

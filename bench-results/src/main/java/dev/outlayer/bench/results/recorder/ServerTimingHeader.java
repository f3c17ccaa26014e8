package dev.outlayer.bench.results.recorder;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a {@code Server-Timing} header (W3C Server Timing): {@code name;dur=0.004, name2;desc="x";dur=0.3}.
 * Durations are milliseconds with a fraction; the target writes microsecond precision.
 */
public final class ServerTimingHeader {

    /** One server phase and its duration in microseconds (rounded). */
    public record Phase(String name, long micros) {}

    private ServerTimingHeader() {}

    /** The phases that carry a {@code dur}; malformed entries are skipped, never fatal. */
    public static List<Phase> parse(String header) {
        List<Phase> phases = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return phases;
        }
        for (String entry : splitOutsideQuotes(header, ',')) {
            List<String> parts = splitOutsideQuotes(entry, ';');
            String name = parts.get(0).strip();
            if (name.isEmpty()) {
                continue;
            }
            for (String param : parts.subList(1, parts.size())) {
                int eq = param.indexOf('=');
                if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("dur")) {
                    try {
                        double millis = Double.parseDouble(
                                unquote(param.substring(eq + 1).strip()));
                        if (millis >= 0 && Double.isFinite(millis)) {
                            phases.add(new Phase(name, Math.round(millis * 1000.0)));
                        }
                    } catch (NumberFormatException ignored) {
                        // A phase without a readable duration says nothing measurable.
                    }
                    break;
                }
            }
        }
        return phases;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}

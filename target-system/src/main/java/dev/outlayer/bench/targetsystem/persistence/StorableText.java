package dev.outlayer.bench.targetsystem.persistence;

/**
 * What PostgreSQL's {@code text} can hold. It refuses U+0000 (SQLState 22021), and the JDBC driver
 * writes an unpaired UTF-16 surrogate as {@code ?}, so two different names (a JSON string may
 * hold {@code "\ud800"} or {@code "\udfff"}) would be stored as the same one.
 */
public final class StorableText {
    private StorableText() {}

    /** Why {@code text} cannot be stored as it is, or null when it can. */
    public static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "a NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a pair: one character outside the Basic Multilingual Plane
            } else if (Character.isSurrogate(c)) {
                return "an unpaired surrogate (U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + ")";
            }
        }
        return null;
    }

    /** {@code text} with each character {@link #problem} names replaced by U+FFFD (null stays null). */
    public static String replacingUnstorable(String text) {
        if (text == null || problem(text) == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(c == '\0' || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}

package dev.outlayer.bench.targetsystem.json;

/**
 * A string as Rust's {@code Debug} ({@code {:?}}) writes one, for refusals that quote a caller's value in the
 * words of OutLayer's Rust services: within double quotes, with quotes, backslashes and control characters
 * escaped as Rust escapes them (a newline as backslash-n, other control characters as backslash-u and the code
 * point in hex within braces).
 */
public final class RustDebug {
    private RustDebug() {}

    public static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0 -> out.append("\\0");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append("\\u{").append(Integer.toHexString(c)).append('}');
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}

package dev.outlayer.bench.targetsystem.json;

/**
 * A string or a character as Rust's {@code Debug} ({@code {:?}}) writes one, for refusals that quote a caller's
 * value in the words of OutLayer's Rust services: within double quotes (a string, its {@code "} escaped) or single
 * quotes (a char, its {@code '} escaped), with backslashes, {@code \n}, {@code \r}, {@code \t} and {@code \0} escaped
 * as Rust escapes them and the characters Rust does not print ({@code is_printable}) as backslash-u and the code
 * point in hex within braces. Of those, the Latin-1 ones are known here (U+0000-U+001F, U+007F-U+00A0, U+00AD);
 * the rest of Rust's table (U+200B, U+2028, unassigned code points, ...) and its escape of a grapheme extender are
 * not, and are written as they are.
 */
public final class RustDebug {
    private RustDebug() {}

    /** {@code "text"}, as Rust's {@code <str as Debug>}. */
    public static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(c -> escape(c, '"', out));
        return out.append('"').toString();
    }

    /**
     * A caller-written value as OutLayer's refusals quote it: cut to {@code most} characters ({@link #cut}), then
     * {@link #string} (the worker's {@code shown}, the keystore's {@code truncate_for_message}, before {@code {:?}}).
     */
    public static String shown(String text, int most) {
        return string(cut(text, most));
    }

    /** {@code text}, cut to at most {@code most} characters (code points), with {@code …} where it was cut. */
    public static String cut(String text, int most) {
        int end = text.offsetByCodePoints(0, Math.min(most, text.codePointCount(0, text.length())));
        return end < text.length() ? text.substring(0, end) + "…" : text;
    }

    /** {@code 'c'}, as Rust's {@code <char as Debug>} (a char made of a byte, as the hex and bs58 crates name one). */
    public static String character(int c) {
        return escape(c, '\'', new StringBuilder("'")).append('\'').toString();
    }

    private static StringBuilder escape(int c, char quote, StringBuilder out) {
        switch (c) {
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            case 0 -> out.append("\\0");
            default -> {
                if (c == quote) {
                    out.append('\\').append(quote);
                } else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c == 0xad) {
                    out.append("\\u{").append(Integer.toHexString(c)).append('}');
                } else {
                    out.appendCodePoint(c);
                }
            }
        }
        return out;
    }
}

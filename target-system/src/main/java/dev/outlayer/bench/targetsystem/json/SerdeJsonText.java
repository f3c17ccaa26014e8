package dev.outlayer.bench.targetsystem.json;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A JSON tree as {@code serde_json::to_string(&serde_json::Value)} writes it, where OutLayer turns a value it
 * read back into text: the HTTPS call's {@code input} that a program reads (coordinator handlers/call.rs), and a
 * program's {@code Json} output as the worker puts it in its resolution and its HTTPS completion and the
 * coordinator keeps it ({@code output_data}) and answers it. serde_json (without its {@code preserve_order}
 * feature, which neither OutLayer's coordinator nor its worker asks for) keeps an object in a {@code BTreeMap}:
 * its members come out sorted by their keys' UTF-8 bytes, not in the order sent. A number is a u64 or an i64 when it is an integer that fits one (not {@code -0}), else an f64
 * written as the {@code ryu} crate writes it: the shortest digits that read back, {@code 1.0}, {@code
 * 2000.0}, {@code 1e-7}, {@code 1e20}, {@code 1.5e300}. A string escapes {@code "}, {@code \}, and the
 * control characters below U+0020 ({@code \b \t \n \f \r}, else {@code \}{@code u00xx} in lower case);
 * everything else, U+007F and non-ASCII included, is written as it is. Jackson's {@code toString} keeps
 * the order sent and writes {@code 2000.0} as {@code 2000.0} but {@code 1e-7} as {@code 1.0E-7}.
 */
public final class SerdeJsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private SerdeJsonText() {}

    /** {@code value} in serde_json's compact form. */
    public static String of(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** {@link #of}, to be written into a Jackson document unchanged. */
    public static RawJson raw(JsonNode value) {
        return RawJson.written(of(value));
    }

    private static void write(JsonNode value, StringBuilder out) {
        switch (value.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>(value.properties());
                members.sort((a, b) -> compareUtf8(a.getKey(), b.getKey()));
                out.append('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(members.get(i).getKey(), out);
                    out.append(':');
                    write(members.get(i).getValue(), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < value.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(value.get(i), out);
                }
                out.append(']');
            }
            case STRING -> string(value.textValue(), out);
            case NUMBER -> number(value, out);
            case BOOLEAN -> out.append(value.booleanValue());
            default -> out.append("null"); // NULL; MISSING and POJO never come out of a parsed body
        }
    }

    /** Rust's {@code Ord} of {@code String}: byte by byte of UTF-8, which is code point order (not UTF-16's). */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void number(JsonNode value, StringBuilder out) {
        if (value.isIntegralNumber()) {
            BigInteger integer = value.bigIntegerValue();
            // serde_json's parse: a u64, or a negative i64; past either it reads the integer as an f64
            if (integer.signum() >= 0 ? integer.compareTo(U64_MAX) <= 0 : integer.bitLength() <= 63) {
                out.append(integer);
                return;
            }
            f64(integer.doubleValue(), out);
            return;
        }
        f64(value.doubleValue(), out);
    }

    /**
     * The shortest decimal that reads back as {@code value} (positive), the closest of them when there are
     * several, as ryu finds it. Java's shortest (Schubfach, Jackson's fast writer) is that one, except that
     * where one digit would do it may keep two that lie closer ({@code 4.9e-324} for ryu's {@code 5e-324}):
     * then the one-digit neighbours that read back are taken instead.
     */
    private static BigDecimal shortest(double value) {
        BigDecimal java = new BigDecimal(NumberOutput.toString(value, true)).stripTrailingZeros();
        if (java.precision() != 2) {
            return java;
        }
        BigDecimal exact = new BigDecimal(value);
        BigDecimal best = null;
        BigDecimal down = java.setScale(java.scale() - 1, RoundingMode.FLOOR);
        for (BigDecimal candidate : new BigDecimal[] {down, down.add(BigDecimal.ONE.movePointLeft(down.scale()))}) {
            if (candidate.doubleValue() == value
                    && (best == null
                            || candidate
                                            .subtract(exact)
                                            .abs()
                                            .compareTo(best.subtract(exact).abs())
                                    < 0)) {
                best = candidate;
            }
        }
        return best == null ? java : best.stripTrailingZeros();
    }

    /** ryu's {@code format_finite} (its {@code pretty} module): the layout depends on where the point falls. */
    static void f64(double value, StringBuilder out) {
        if (value == 0) {
            out.append(1 / value < 0 ? "-0.0" : "0.0");
            return;
        }
        if (value < 0) {
            out.append('-');
            value = -value;
        }
        BigDecimal shortest = shortest(value);
        String digits = shortest.unscaledValue().toString();
        int length = digits.length();
        int k = -shortest.scale();
        int kk = length + k; // 10^(kk-1) <= value < 10^kk
        if (k >= 0 && kk <= 16) {
            out.append(digits).append("0".repeat(k)).append(".0");
        } else if (kk > 0 && kk <= 16) {
            out.append(digits, 0, kk).append('.').append(digits, kk, length);
        } else if (kk > -5 && kk <= 0) {
            out.append("0.").append("0".repeat(-kk)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (length > 1) {
                out.append('.').append(digits, 1, length);
            }
            out.append('e').append(kk - 1);
        }
    }
}

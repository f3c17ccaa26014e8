package dev.outlayer.bench.targetsystem.json;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** JSON-RPC ids as a client may write them: the exact JSON text, including forms a double or a tree would change. */
public final class JsonRpcIdArbitraries {
    /** What a Java library's message gives away and neither nearcore nor serde_json ever says. */
    public static final String JAVA_WORDS =
            "(?i)jackson|java|feature|\\[source|redacted|exception|unexpected character|duplicate field '|illegal"
                    + "|marker|end-of-input";

    private JsonRpcIdArbitraries() {}

    /** Any JSON scalar id: big integers, numbers with exponents, escaped strings, null. */
    public static Arbitrary<String> idTokens() {
        return Arbitraries.oneOf(
                bigIntegers(),
                decimals(),
                escapedStrings(),
                Arbitraries.of("null", "0", "-0", "1e999999999", "-1E-999999999", "18446744073709551616", "\"\""));
    }

    /**
     * Near-valid JSON-RPC bodies: objects of the given members and generated ids, cut short, with
     * input after them, wrapped in a batch, and arbitrary text.
     */
    public static Arbitrary<String> bodies(String... members) {
        Arbitrary<String> member =
                Arbitraries.oneOf(Arbitraries.of(members), idTokens().map(id -> "\"id\":" + id));
        Arbitrary<String> object = member.list().ofMaxSize(6).map(list -> "{" + String.join(",", list) + "}");
        Arbitrary<String> trailing = Arbitraries.of("", " ", "x", "{}", "]", "\n\n", "null", "\u0000");
        return Arbitraries.oneOf(
                object,
                object.flatMap(
                        o -> Arbitraries.integers().between(0, o.length()).map(n -> o.substring(0, n))),
                object.flatMap(o -> trailing.map(t -> o + t)),
                object.map(o -> "[" + o + "]"),
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.of("", "null", "[]", "{}", "\"x\"", "1e999999999", "{\"a\":" + "[".repeat(300)));
    }

    static Arbitrary<String> bigIntegers() {
        return Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40))
                .map(BigInteger::toString);
    }

    static Arbitrary<String> decimals() {
        return Combinators.combine(
                        Arbitraries.of("", "-"),
                        Arbitraries.longs().between(0, Long.MAX_VALUE),
                        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12),
                        Arbitraries.of("e", "E", "e+", "e-", "E-"),
                        Arbitraries.integers().between(0, 999_999_999))
                .as((sign, whole, fraction, e, exponent) -> sign + whole + "." + fraction + e + exponent);
    }

    /** A JSON string literal with every escape form JSON allows, and raw non-ASCII text. */
    static Arbitrary<String> escapedStrings() {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\u024F')
                .withChars('\u4E2D', '\u00E9', '/', '"', '\\')
                .ofMaxLength(24)
                .map(JsonRpcIdArbitraries::quote);
    }

    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '/' -> json.append(i % 2 == 0 ? "\\/" : "/");
                case '\n' -> json.append("\\n");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || (c > 0x7E && i % 3 == 0)) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}

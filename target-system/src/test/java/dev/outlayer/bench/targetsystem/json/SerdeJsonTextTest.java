package dev.outlayer.bench.targetsystem.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * JSON trees written as {@code serde_json::to_string(&Value)} writes them (serde_json 1.x without {@code
 * preserve_order}, ryu for f64), on the trees the request reader builds.
 */
class SerdeJsonTextTest {
    private static String written(String json) throws Exception {
        JsonNode tree = JsonCodec.requestReader(JsonNode.class).readValue(json);
        return SerdeJsonText.of(tree);
    }

    @Test
    void scalarsAndEmptyContainersAreWrittenCompactly() throws Exception {
        assertThat(written("null")).isEqualTo("null");
        assertThat(written("true")).isEqualTo("true");
        assertThat(written(" \"abc\" ")).isEqualTo("\"abc\"");
        assertThat(written("{ }")).isEqualTo("{}");
        assertThat(written("[ 1 , [ ] , { } ]")).isEqualTo("[1,[],{}]");
    }

    @Test
    void membersComeOutSortedByTheirKeysUtf8BytesAsABTreeMapKeepsThem() throws Exception {
        assertThat(written("{\"b\":1,\"a\":{\"z\":null,\"y\":[{\"d\":1,\"c\":2}]}}"))
                .isEqualTo("{\"a\":{\"y\":[{\"c\":2,\"d\":1}],\"z\":null},\"b\":1}");
        // code point order: U+1F600 (a surrogate pair in UTF-16, D83D...) sorts after U+E000, as its UTF-8 bytes do
        assertThat(written("{\"\\ud83d\\ude00\":1,\"\\ue000\":2,\"\u00e9\":3,\"b\":4,\"a\":5,\"A\":6,\"ab\":7}"))
                .isEqualTo("{\"A\":6,\"a\":5,\"ab\":7,\"b\":4,\"\u00e9\":3,\"\ue000\":2,\"\ud83d\ude00\":1}");
    }

    @Test
    void integersThatFitAU64OrAnI64StayIntegersAndOthersAreF64s() throws Exception {
        assertThat(written("[0,-1,18446744073709551615,-9223372036854775808]"))
                .isEqualTo("[0,-1,18446744073709551615,-9223372036854775808]");
        assertThat(written("[18446744073709551616,-9223372036854775809,100000000000000000000]"))
                .isEqualTo("[1.8446744073709552e19,-9.223372036854776e18,1e20]");
    }

    @Test
    void f64sAreWrittenAsRyuWritesThem() throws Exception {
        assertThat(written("[1.0,2e3,-2.5,0.1,123.456,1e15,1e16,1234e13,0.001,1e-5,1e-6,1.5e-6,1e-7,1.5e300]"))
                .isEqualTo("[1.0,2000.0,-2.5,0.1,123.456,1000000000000000.0,1e16,1.234e16,0.001,0.00001,1e-6,"
                        + "1.5e-6,1e-7,1.5e300]");
        assertThat(written("[0.0,-0.0,5e-324,1.7976931348623157e308]"))
                .isEqualTo("[0.0,-0.0,5e-324,1.7976931348623157e308]");
    }

    @Test
    void stringsEscapeQuotesBackslashesAndControlCharactersOnly() throws Exception {
        assertThat(written("\"\\\"\\\\\\/\\b\\t\\n\\f\\r\\u0000\\u001F\\u007f\u00e9\\ud83d\\ude00\""))
                .isEqualTo("\"\\\"\\\\/\\b\\t\\n\\f\\r\\u0000\\u001f\u007f\u00e9\ud83d\ude00\"");
    }

    /**
     * Any finite double: the text reads back as the same double, has no more digits than Java's shortest, and is
     * laid out as ryu lays it out (an exponent only outside 1e-5 .. 1e16).
     */
    @Property(tries = 2000)
    void anyF64ReadsBackFromItsShortestText(@ForAll long bits) {
        double value = Double.longBitsToDouble(bits);
        Assume.that(Double.isFinite(value));
        StringBuilder out = new StringBuilder();
        SerdeJsonText.f64(value, out);
        String text = out.toString();
        assertThat(Double.parseDouble(text)).as(text).isEqualTo(value);
        assertThat(new BigDecimal(text).stripTrailingZeros().precision())
                .as(text)
                .isLessThanOrEqualTo(new BigDecimal(Double.toString(Math.abs(value)))
                        .stripTrailingZeros()
                        .precision());
        BigDecimal magnitude = new BigDecimal(text).abs();
        assertThat(text.contains("e"))
                .as(text)
                .isEqualTo(magnitude.signum() != 0
                        && (magnitude.compareTo(new BigDecimal("1e-5")) < 0
                                || magnitude.compareTo(new BigDecimal("1e16")) >= 0));
        assertThat(text.contains(".") || text.contains("e")).as(text).isTrue();
    }
}

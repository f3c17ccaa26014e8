package dev.outlayer.bench.targetsystem.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A program's stdout read as OutLayer's executor reads it ({@code serde_json::from_slice::<Value>}) and written
 * back as its worker writes it ({@link SerdeJsonText}); refusals in serde_json's words at its positions.
 */
class SerdeJsonValueTest {
    private static String roundTrip(String json) throws SerdeJsonValue.Refused {
        return SerdeJsonText.of(SerdeJsonValue.read(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static void refused(byte[] json, String serde) {
        assertThatThrownBy(() -> SerdeJsonValue.read(json))
                .as(new String(json, StandardCharsets.UTF_8))
                .isInstanceOf(SerdeJsonValue.Refused.class)
                .hasMessage(serde);
    }

    private static void refused(String json, String serde) {
        refused(json.getBytes(StandardCharsets.UTF_8), serde);
    }

    @Test
    void aValueIsReadAsSerdeJsonReadsOneAndWrittenAsItWritesOne() throws Exception {
        assertThat(roundTrip(" {\"b\":2e3,\"a\":[1e-7,1.50,-0.0,18446744073709551615,18446744073709551616]}\n"))
                .isEqualTo("{\"a\":[1e-7,1.5,-0.0,18446744073709551615,1.8446744073709552e19],\"b\":2000.0}");
        assertThat(roundTrip("{\"a\":1,\"b\":{\"c\":2,\"c\":{\"d\":3}},\"a\":[4]}"))
                .as("a member given twice keeps its last value, as serde_json's map insert does")
                .isEqualTo("{\"a\":[4],\"b\":{\"c\":{\"d\":3}}}");
        assertThat(roundTrip("\"\\u00e9\\/\\u001F\\ud83d\\ude00\"")).isEqualTo("\"\u00e9/\\u001f\uD83D\uDE00\"");
        assertThat(roundTrip("1e-400")).as("underflow is 0, as serde_json's").isEqualTo("0.0");
        assertThat(roundTrip("[" + "[".repeat(125) + "]".repeat(126))).startsWith("[[[");
    }

    @Test
    void whatSerdeJsonRefusesIsRefusedInItsWordsAndAtItsPosition() {
        refused("", "EOF while parsing a value at line 1 column 0");
        refused(" \n  ", "EOF while parsing a value at line 2 column 2");
        refused("not json", "expected ident at line 1 column 2");
        refused("{\"a\":1} x", "trailing characters at line 1 column 9");
        refused("[1e400]", "number out of range at line 1 column 6");
        refused("[" + "[".repeat(127) + "]".repeat(128), "recursion limit exceeded at line 1 column 128");
        // what Jackson alone would take: an escaped lone surrogate, an overlong UTF-8 form of '/'
        refused("\"\\ud800\"", "unexpected end of hex escape at line 1 column 8");
        refused(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}, "invalid unicode code point at line 1 column 4");
    }
}

package dev.outlayer.bench.targetsystem.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** serde_json's words and positions (serde_json de.rs: peek errors at the byte looked at, others after it). */
class SerdeJsonErrorsTest {
    private static String error(String body) {
        return SerdeJsonErrors.syntaxError(body.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "{|EOF while parsing an object at line 1 column 1",
                "NaN|expected value at line 1 column 1",
                "[1,|EOF while parsing a value at line 1 column 3",
                "[|EOF while parsing a list at line 1 column 1",
                "[1 2]|expected `,` or `]` at line 1 column 4",
                "[1,]|trailing comma at line 1 column 4",
                "{1:2}|key must be a string at line 1 column 2",
                "{,}|key must be a string at line 1 column 2",
                "{\"a\" 1}|expected `:` at line 1 column 6",
                "{\"a\":1,}|trailing comma at line 1 column 8",
                "{\"a\":1 \"b\":2}|expected `,` or `}` at line 1 column 8",
                "{\"a\"|EOF while parsing an object at line 1 column 4",
                "{\"a\":|EOF while parsing a value at line 1 column 5",
                "tru|EOF while parsing a value at line 1 column 3",
                "trux|expected ident at line 1 column 4",
                "-|EOF while parsing a value at line 1 column 1",
                "-x|invalid number at line 1 column 2",
                "01|invalid number at line 1 column 2",
                "1.|EOF while parsing a value at line 1 column 2",
                "1.x|invalid number at line 1 column 3",
                "1e|EOF while parsing a value at line 1 column 2",
                "1e+x|invalid number at line 1 column 4",
                "1e400|number out of range at line 1 column 5",
                "[1e99999999999]|number out of range at line 1 column 13",
                "\"abc|EOF while parsing a string at line 1 column 4",
                "\"\\q\"|invalid escape at line 1 column 3",
                "\"\\u12G4\"|invalid escape at line 1 column 7",
                "\"\\u12|EOF while parsing a string at line 1 column 5",
                "\"\\uDC00\"|lone leading surrogate in hex escape at line 1 column 7",
                "\"\\uD800\"|unexpected end of hex escape at line 1 column 8",
                "\"\\uD800\\u0041\"|lone leading surrogate in hex escape at line 1 column 13",
                "{\"a\":1}x|trailing characters at line 1 column 8",
                "~~|EOF while parsing a value at line 1 column 0",
                "~ \n {~|EOF while parsing an object at line 2 column 2",
            })
    void answersInSerdeJsonsWordsAndPositions(String body, String expected) {
        assertThat(error(body)).isEqualTo(expected);
    }

    @Test
    void controlCharactersInvalidUtf8AndDepthAreSerdesToo() {
        assertThat(error("\"a\u0001\""))
                .isEqualTo("control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3");
        byte[] invalidUtf8 = {'[', '"', (byte) 0xEF, (byte) 0xBF, '"', ']'};
        assertThat(SerdeJsonErrors.syntaxError(invalidUtf8)).isEqualTo("invalid unicode code point at line 1 column 5");
        // Columns count bytes: the two bytes of "é" are two columns.
        assertThat(error("[\"é\" 1]")).isEqualTo("expected `,` or `]` at line 1 column 7");
        assertThat(error("[".repeat(200))).isEqualTo("recursion limit exceeded at line 1 column 128");
        assertThat(error("[".repeat(127) + "]".repeat(127))).isNull();
    }

    @Test
    void whatSerdeReadsHasNoSyntaxErrorAndADuplicateKeyIsNamedWithItsDepth() {
        assertThat(error("{\"a\":[1,-2.5e3,\"\\ud83d\\ude00\",true,false,null,{}]}"))
                .isNull();

        SerdeJsonErrors.Refusal top = SerdeJsonErrors.refusal(
                "{\"jsonrpc\":\"2.0\",\"method\":\"status\",\"method\":\"block\",\"id\":1}".getBytes(), 40);
        assertThat(top.message()).isEqualTo("duplicate field `method` at line 1 column 43");
        assertThat(top.duplicateDepth()).isEqualTo(1);

        SerdeJsonErrors.Refusal nested = SerdeJsonErrors.refusal("{\"params\":{\"a\":1,\"a\" :2}}".getBytes(), 20);
        assertThat(nested.message()).isEqualTo("duplicate field `a` at line 1 column 21");
        assertThat(nested.duplicateDepth()).isEqualTo(2);

        // A syntax error comes first even after a duplicate: serde reads on past a repeated key.
        assertThat(SerdeJsonErrors.refusal("{\"a\":1,\"a\":2,".getBytes(), 12).message())
                .isEqualTo("EOF while parsing a value at line 1 column 13");
    }
}

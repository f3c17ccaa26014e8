package dev.outlayer.bench.targetsystem.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.rpc.StandardBase64.Padding;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Rust base64 crate's (0.21) refusals, at the offsets it reports them. */
class StandardBase64Test {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "AAA-AAAA|CANONICAL|Invalid byte 45, offset 3.",
                "AAAAAAAAAA-AAAAA|CANONICAL|Invalid byte 45, offset 10.",
                "AA=AAAAAAAAAAAAA|CANONICAL|Invalid byte 61, offset 2.",
                "A=AA|INDIFFERENT|Invalid byte 61, offset 1.",
                "AA=A|INDIFFERENT|Invalid byte 61, offset 2.",
                "é=|CANONICAL|Invalid byte 195, offset 0.",
                "AAAAA|CANONICAL|Encoded text cannot have a 6-bit remainder.",
                "-AAAA|CANONICAL|Encoded text cannot have a 6-bit remainder.",
                "~AAAA ~|CANONICAL|Invalid byte 32, offset 4.",
                "AA|CANONICAL|Invalid padding",
                "AAA|CANONICAL|Invalid padding",
                "AA=|CANONICAL|Invalid padding",
                "AB==|CANONICAL|Invalid last symbol 66, offset 1.",
                "AB|INDIFFERENT|Invalid last symbol 66, offset 1.",
                "AAAAAAAAAAB=|CANONICAL|Invalid last symbol 66, offset 10.",
            })
    void refusesInTheCratesWords(String text, Padding padding, String expected) {
        assertThatThrownBy(() -> StandardBase64.decode(text, padding))
                .isInstanceOf(StandardBase64.InvalidBase64.class)
                .hasMessage(expected);
    }

    @Property(tries = 300)
    void decodesWhatAnEncoderWrites(@ForAll byte[] bytes) {
        String padded = Base64.getEncoder().encodeToString(bytes);
        assertThat(StandardBase64.decode(padded, Padding.CANONICAL)).isEqualTo(bytes);
        assertThat(StandardBase64.decode(padded, Padding.INDIFFERENT)).isEqualTo(bytes);
        String unpadded = Base64.getEncoder().withoutPadding().encodeToString(bytes);
        assertThat(StandardBase64.decode(unpadded, Padding.INDIFFERENT)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"SGVsbG8=,Hello", "SGVsbG8,Hello", "'',''"})
    void decodesIndifferentToPadding(String text, String plain) {
        assertThat(StandardBase64.decode(text, Padding.INDIFFERENT)).isEqualTo(plain.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.outlayer.bench.targetsystem.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Request bodies as every HTTP route reads them ({@link JsonCodec#read}). */
class JsonCodecReadTest {
    record Owner(String owner) {}

    private static byte[] bodyWith(byte... inside) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"owner\":\"a".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(inside);
        out.writeBytes("b\"}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNotDecodedToAnotherCharacter() {
        // C0 AF is an overlong '/': a lenient decoder reads "a/b", which a check on the text never saw
        for (byte[] body : new byte[][] {
            bodyWith((byte) 0xC0, (byte) 0xAF), bodyWith((byte) 0xFF), bodyWith((byte) 0xED, (byte) 0xA0, (byte) 0x80)
        }) {
            assertThatThrownBy(() -> JsonCodec.read(body, Owner.class))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.kind()).isEqualTo(ApiException.Kind.INVALID))
                    .hasMessage("the request body is not valid UTF-8");
        }
    }

    @Test
    void anEscapedLoneSurrogateIsRefusedAsSerdeJsonRefusesItAndAnEscapedPairIsRead() {
        // a lone surrogate reaches no UTF-8 output and no PostgreSQL text intact
        for (String lone : new String[] {"\\ud800", "\\uDFFF", "\\ud800x"}) {
            byte[] body = ("{\"owner\":\"a" + lone + "\"}").getBytes(StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> JsonCodec.read(body, Owner.class))
                    .isInstanceOf(ApiException.class)
                    .hasMessageStartingWith("the request body is not valid JSON: ")
                    .hasMessageContaining("hex escape at line 1 column "); // serde_json's words
        }
        byte[] pair = "{\"owner\":\"\\ud83d\\ude00\"}".getBytes(StandardCharsets.US_ASCII);
        assertThat(JsonCodec.read(pair, Owner.class).owner()).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void validUtf8IsReadAsItIs() {
        assertThat(JsonCodec.read(bodyWith("é😀".getBytes(StandardCharsets.UTF_8)), Owner.class)
                        .owner())
                .isEqualTo("aé😀b");
    }
}

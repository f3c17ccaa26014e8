package dev.outlayer.bench.targetsystem.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Rust's {@code {:?}} of a str and of a char (core::fmt, char::escape_debug, unicode::printable). */
class RustDebugTest {
    @Test
    void aStringEscapesItsDoubleQuotesACharItsSingleQuote() {
        assertThat(RustDebug.string("it's \"x\"\\")).isEqualTo("\"it's \\\"x\\\"\\\\\"");
        assertThat(RustDebug.character('\'')).isEqualTo("'\\''");
        assertThat(RustDebug.character('"')).isEqualTo("'\"'");
        assertThat(RustDebug.string("a\n\r\t\0b")).isEqualTo("\"a\\n\\r\\t\\0b\"");
        assertThat(RustDebug.character('\t')).isEqualTo("'\\t'");
    }

    @Test
    void whatRustDoesNotPrintIsAnEscapedCodePoint() {
        assertThat(RustDebug.string("\u001f\u007f\u0085\u00a0\u00ad"))
                .isEqualTo("\"\\u{1f}\\u{7f}\\u{85}\\u{a0}\\u{ad}\"");
        // a byte the hex crate names as a char: 0xC3 is printable
        assertThat(RustDebug.character(0xc3)).isEqualTo("'\u00c3'");
        assertThat(RustDebug.character(0x9f)).isEqualTo("'\\u{9f}'");
        assertThat(RustDebug.string("\u00e9\uD83D\uDE00")).isEqualTo("\"\u00e9\uD83D\uDE00\"");
    }
}

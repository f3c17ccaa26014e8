package dev.outlayer.bench.targetsystem.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorableTextTest {
    @Test
    void namesWhatPostgresTextCannotHold() {
        assertThat(StorableText.problem("alice.near")).isNull();
        assertThat(StorableText.problem("emoji \uD83D\uDE00 is a pair")).isNull();
        assertThat(StorableText.problem("a\u0000b")).isEqualTo("a NUL character (U+0000)");
        assertThat(StorableText.problem("sur\uD800.near")).isEqualTo("an unpaired surrogate (U+D800)");
        assertThat(StorableText.problem("sur\uDFFF.near")).isEqualTo("an unpaired surrogate (U+DFFF)");
        assertThat(StorableText.problem("ends high \uD83D")).isEqualTo("an unpaired surrogate (U+D83D)");
    }

    @Test
    void replacesOnlyWhatCannotBeHeldAndKeepsPairs() {
        assertThat(StorableText.replacingUnstorable(null)).isNull();
        assertThat(StorableText.replacingUnstorable("fine \uD83D\uDE00")).isEqualTo("fine \uD83D\uDE00");
        assertThat(StorableText.replacingUnstorable("a\u0000b\uDFFF\uD83D\uDE00\uD800"))
                .isEqualTo("a\uFFFDb\uFFFD\uD83D\uDE00\uFFFD");
    }
}

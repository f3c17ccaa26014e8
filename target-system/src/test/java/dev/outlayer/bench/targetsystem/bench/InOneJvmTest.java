package dev.outlayer.bench.targetsystem.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench/contract-calls.sh --quick runs its probes through {@link InOneJvm}: steps, their stdout, failures. */
class InOneJvmTest {
    /** A step: prints its arguments. */
    public static final class Echo {
        public static void main(String[] args) {
            System.out.println("echo " + String.join(" ", args));
        }
    }

    /** A step that fails, as a probe whose figure cannot be measured. */
    public static final class Fails {
        public static void main(String[] args) {
            throw new IllegalStateException("no figure");
        }
    }

    @Test
    void eachStepWritesItsOwnFileAndTheConsoleIsRestored(@TempDir Path dir) throws Exception {
        PrintStream console = System.out;
        Path first = dir.resolve("first.txt");
        Path second = dir.resolve("second.txt");

        InOneJvm.main(new String[] {
            first.toString(), "InOneJvmTest$Echo", "a", "b", ";", second.toString(), "InOneJvmTest$Echo", "c"
        });

        assertThat(Files.readString(first)).isEqualTo("echo a b" + System.lineSeparator());
        assertThat(Files.readString(second)).isEqualTo("echo c" + System.lineSeparator());
        assertThat(System.out).isSameAs(console);
    }

    @Test
    void aFailingStepEndsTheRunBeforeTheNextStep(@TempDir Path dir) {
        PrintStream console = System.out;
        Path after = dir.resolve("after.txt");

        assertThatThrownBy(() -> InOneJvm.main(new String[] {
                    dir.resolve("fails.txt").toString(),
                    "InOneJvmTest$Fails",
                    ";",
                    after.toString(),
                    "InOneJvmTest$Echo"
                }))
                .isInstanceOf(InvocationTargetException.class)
                .hasRootCauseMessage("no figure");
        assertThat(after).doesNotExist();
        assertThat(System.out).isSameAs(console);
    }

    @Test
    void aStepWithoutAMainClassIsRefused(@TempDir Path dir) {
        assertThatThrownBy(
                        () -> InOneJvm.main(new String[] {dir.resolve("x.txt").toString()}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<stdout file> <main class or jmh>");
    }
}

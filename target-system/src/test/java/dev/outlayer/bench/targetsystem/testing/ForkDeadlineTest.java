package dev.outlayer.bench.targetsystem.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** A test JVM that hangs past its deadline ends itself, saying what ran and where every thread was. */
class ForkDeadlineTest {
    /** Seconds from the child's test plan start: far above the milliseconds its one test takes to start. */
    private static final int DEADLINE_SECONDS = 5;

    /** Hangs: run only in the child JVM below (surefire skips nested classes). */
    static class Hanging {
        @Test
        void sleepsForever() throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** The child JVM's main: the JUnit launcher on {@link Hanging}, as a surefire fork runs its classes. */
    static final class HangingRun {
        public static void main(String[] args) {
            LauncherFactory.create()
                    .execute(LauncherDiscoveryRequestBuilder.request()
                            .selectors(DiscoverySelectors.selectClass(Hanging.class))
                            .build());
        }
    }

    @Test
    void aTestJvmStillRunningAtItsDeadlineEndsItselfWithWhatRanAndItsThreads(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("output.txt");
        Process child = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m",
                        "-D" + ForkDeadline.PROPERTY + "=" + DEADLINE_SECONDS,
                        "-Dbasedir=" + dir,
                        "-cp",
                        System.getProperty("java.class.path"),
                        HangingRun.class.getName()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            assertThat(child.waitFor(HangGuard.BOUND_SECONDS, TimeUnit.SECONDS))
                    .as("the JVM ended by itself")
                    .isTrue();
            assertThat(child.exitValue()).isEqualTo(ForkDeadline.EXIT_CODE);
        } finally {
            child.destroyForcibly();
        }

        String report =
                Files.readString(dir.resolve("target/fork-deadline/" + child.pid() + ".txt"), StandardCharsets.UTF_8);
        assertThat(report)
                .contains("still running " + DEADLINE_SECONDS + " s after its tests started")
                .contains("[method:sleepsForever()]")
                .contains("ForkDeadlineTest$Hanging.sleepsForever");
        assertThat(Files.readString(output, StandardCharsets.UTF_8))
                .as("printed for the build log too")
                .contains("[fork-deadline] test JVM " + child.pid());
    }
}

package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.errors.FatalErrors;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Shutdown ends by its deadline whatever state the process is in; a fatal error ends the process. */
class ShutdownDeadlineTest {

    @Test
    void aCloseThatNeverReturnsMeetsTheDeadline() {
        AtomicBoolean expired = new AtomicBoolean();
        CountDownLatch never = new CountDownLatch(1);
        boolean inTime = ShutdownDeadline.run(
                () -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                200,
                () -> expired.set(true));
        assertThat(inTime).isFalse();
        assertThat(expired).isTrue();
        never.countDown();
    }

    @Test
    void aCloseThatEndsIsNotCutShort() {
        AtomicBoolean expired = new AtomicBoolean();
        AtomicBoolean closed = new AtomicBoolean();
        assertThat(ShutdownDeadline.run(() -> closed.set(true), 10_000, () -> expired.set(true)))
                .isTrue();
        assertThat(closed).isTrue();
        assertThat(expired).isFalse();
    }

    @Test
    void sigtermWithAHangingCloseHaltsTheJvmAtTheDeadline() throws Exception {
        Process child = probe("hang", 500);
        child.destroy(); // SIGTERM
        assertHalted(child);
    }

    @Test
    void aThreadDyingOfOutOfMemoryHaltsTheJvm() throws Exception {
        assertHalted(probe("oom", 60_000));
    }

    /** The child JVM ends by itself, with the fatal status, not by our SIGKILL. */
    private static void assertHalted(Process child) throws InterruptedException {
        try {
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the JVM ended").isTrue();
            assertThat(child.exitValue()).isEqualTo(FatalErrors.EXIT_CODE);
        } finally {
            child.destroyForcibly();
        }
    }

    /** Starts ShutdownProbe in its own JVM and waits for its READY line. */
    private static Process probe(String mode, long deadlineMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(
                        java,
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ShutdownProbe.class.getName(),
                        mode,
                        Long.toString(deadlineMillis)))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
            // skip log lines until READY
        }
        return child;
    }
}

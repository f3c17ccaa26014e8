package dev.outlayer.bench.results.recorder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a run's results go. Gatling creates its run folder ({@code <simulation lowercase>-<timestamp>})
 * with {@code simulation.log} when the run starts and adds the HTML after {@code after()} returns,
 * so the newest such folder written since this run began is this run's. If there is none (Gatling
 * configured elsewhere), the results go to {@code results/<Simulation>-<timestamp>/} under the
 * Gatling root and the reports tool pairs them by simulation and time.
 */
public record RunFolder(Path path, String runId) {

    public static final String FALLBACK_DIR = "results";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

    /** {@code -Doutlayer.gatling.results}, else the module's target/gatling. */
    public static Path gatlingResultsRoot() {
        String configured = System.getProperty("outlayer.gatling.results");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String root = System.getProperty("outlayer.root");
        return root != null ? Path.of(root, "gatling-simulations", "target", "gatling") : Path.of("target", "gatling");
    }

    public static RunFolder find(Path gatlingRoot, String simulation, Instant runStarted) {
        String prefix = simulation.toLowerCase(Locale.ROOT) + "-";
        // A little slack: the run folder may be created a moment before before() is called.
        long since = runStarted.minusSeconds(60).toEpochMilli();
        Optional<Path> gatlingRun = Optional.empty();
        if (Files.isDirectory(gatlingRoot)) {
            try (Stream<Path> dirs = Files.list(gatlingRoot)) {
                gatlingRun = dirs.filter(Files::isDirectory)
                        .filter(dir -> dir.getFileName().toString().startsWith(prefix))
                        .filter(dir -> Files.exists(dir.resolve("simulation.log")))
                        .filter(dir -> modified(dir.resolve("simulation.log")) >= since)
                        .max(Comparator.comparing(dir -> dir.getFileName().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (gatlingRun.isPresent()) {
            return new RunFolder(
                    gatlingRun.get(), gatlingRun.get().getFileName().toString());
        }
        String runId = simulation + "-" + STAMP.format(runStarted);
        return new RunFolder(gatlingRoot.resolve(FALLBACK_DIR).resolve(runId), runId);
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}

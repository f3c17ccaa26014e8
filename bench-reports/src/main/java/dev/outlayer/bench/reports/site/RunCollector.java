package dev.outlayer.bench.reports.site;

import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunResults;
import dev.outlayer.bench.results.recorder.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Copies runs from Gatling's results folder into the report site as
 * {@code reports/<Simulation>/<timestamp>/}: the Gatling HTML (without the raw simulation.log)
 * plus results.json/csv. Results the recorder had to write apart
 * ({@code target/gatling/results/<Simulation>-<stamp>/}) are paired with the Gatling run of the
 * same simulation whose simulation.log was last written during that run. Collecting twice is
 * harmless: a run folder is rewritten with the same content.
 */
public final class RunCollector {

    private static final String FALLBACK_DIR = RunFolder.FALLBACK_DIR;
    private static final String SIMULATION_LOG = "simulation.log";

    private RunCollector() {}

    /** @return the site folders written, e.g. {@code CounterSimulation/20261128053012345} */
    public static List<String> collect(Path gatlingRoot, Path reportsRoot) {
        List<String> written = new ArrayList<>();
        if (!Files.isDirectory(gatlingRoot)) {
            return written;
        }
        List<Path> gatlingRuns = list(gatlingRoot).stream()
                .filter(dir -> !dir.getFileName().toString().equals(FALLBACK_DIR))
                .filter(dir -> dir.getFileName().toString().contains("-"))
                .toList();
        List<Path> pairedRuns = new ArrayList<>();
        for (Path apart : list(gatlingRoot.resolve(FALLBACK_DIR))) {
            if (!Files.exists(apart.resolve(ResultsFiles.JSON))) {
                continue;
            }
            RunResults results = ResultsFiles.read(apart.resolve(ResultsFiles.JSON));
            Optional<Path> gatlingRun = pair(results, gatlingRuns);
            gatlingRun.ifPresent(pairedRuns::add);
            String stamp = gatlingRun.map(RunCollector::stampOf).orElse(stampOf(apart));
            Path target = reportsRoot.resolve(results.simulation()).resolve(stamp);
            gatlingRun.ifPresent(run -> copyTree(run, target));
            copyTree(apart, target);
            written.add(results.simulation() + "/" + stamp);
        }
        for (Path run : gatlingRuns) {
            if (pairedRuns.contains(run)) {
                continue;
            }
            Path json = run.resolve(ResultsFiles.JSON);
            if (!Files.exists(json) && !Files.exists(run.resolve("index.html"))) {
                continue; // still running, or Gatling failed before writing anything readable
            }
            String simulation = Files.exists(json) ? ResultsFiles.read(json).simulation() : simulationOf(run);
            Path target = reportsRoot.resolve(simulation).resolve(stampOf(run));
            copyTree(run, target);
            written.add(simulation + "/" + stampOf(run));
        }
        return written;
    }

    /**
     * Keeps the newest {@code keep} runs of each simulation in the site and deletes older ones
     * (0 keeps everything), so that a site cached across CI runs stays small.
     *
     * @return how many run folders were deleted
     */
    public static int prune(Path reportsRoot, int keep) {
        if (keep <= 0) {
            return 0;
        }
        int deleted = 0;
        for (Path simulation : SiteLoader.simulationFolders(reportsRoot)) {
            // Only run folders (what the site shows): anything else in the tree, such as the render
            // check's node_modules, is never a run and never pruned.
            List<Path> runs = list(simulation).stream()
                    .filter(RunCollector::isRun)
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString())
                            .reversed())
                    .toList();
            for (Path old : runs.subList(Math.min(keep, runs.size()), runs.size())) {
                deleteTree(old);
                deleted++;
            }
        }
        return deleted;
    }

    private static boolean isRun(Path dir) {
        return Files.exists(dir.resolve(ResultsFiles.JSON)) || Files.exists(dir.resolve("index.html"));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The Gatling run of the same simulation whose log was last written within the recorded run. A
     * Gatling run with results.json of its own is another run's (e.g. the next repetition of a suite
     * whose previous one died and was recorded apart), never this one's.
     */
    static Optional<Path> pair(RunResults results, List<Path> gatlingRuns) {
        String prefix = results.simulation().toLowerCase(Locale.ROOT) + "-";
        Instant from = Instant.parse(results.startedAt()).minusSeconds(60);
        Instant to = Instant.parse(results.endedAt()).plusSeconds(600);
        return gatlingRuns.stream()
                .filter(run -> run.getFileName().toString().startsWith(prefix))
                .filter(run -> !Files.exists(run.resolve(ResultsFiles.JSON)))
                .filter(run -> Files.exists(run.resolve(SIMULATION_LOG)))
                .filter(run -> {
                    Instant written = modified(run.resolve(SIMULATION_LOG));
                    return !written.isBefore(from) && !written.isAfter(to);
                })
                .min(Comparator.comparing(
                        run -> Math.abs(modified(run.resolve(SIMULATION_LOG)).toEpochMilli()
                                - Instant.parse(results.endedAt()).toEpochMilli())));
    }

    /** {@code counterSimulation-20261128053012345} -> {@code 20261128053012345}. */
    static String stampOf(Path run) {
        String name = run.getFileName().toString();
        return name.substring(name.lastIndexOf('-') + 1);
    }

    /** A Gatling run without results.json: its folder name is all we know (lowercase). */
    static String simulationOf(Path run) {
        String name = run.getFileName().toString();
        return name.substring(0, name.lastIndexOf('-'));
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    // The raw log is large and binary; the HTML and results.json carry what readers need.
                    if (!file.getFileName().toString().equals(SIMULATION_LOG)) {
                        Files.copy(
                                file,
                                to.resolve(from.relativize(file).toString()),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}

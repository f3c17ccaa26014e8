package dev.outlayer.bench.reports.results;

import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunResults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Finds results: a results.json file itself, or every results.json under a folder (a report site). */
public final class ResultsFinder {

    private ResultsFinder() {}

    public static List<RunResults> load(Path fileOrFolder) {
        if (Files.isRegularFile(fileOrFolder)) {
            return List.of(ResultsFiles.read(fileOrFolder));
        }
        if (!Files.isDirectory(fileOrFolder)) {
            throw new IllegalArgumentException(fileOrFolder + ": no such results.json or folder");
        }
        try (Stream<Path> files = Files.walk(fileOrFolder, 6)) {
            return files.filter(f -> f.getFileName().toString().equals(ResultsFiles.JSON))
                    .filter(f -> !f.toString().contains("node_modules"))
                    .sorted()
                    .map(ResultsFiles::read)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest run of each simulation among {@code runs}. */
    public static Map<String, RunResults> latestPerSimulation(List<RunResults> runs) {
        return runs.stream()
                .collect(Collectors.toMap(
                        RunResults::simulation,
                        r -> r,
                        (a, b) -> Comparator.comparing(RunResults::started).compare(a, b) >= 0 ? a : b,
                        TreeMap::new));
    }
}

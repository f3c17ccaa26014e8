package dev.outlayer.bench.reports.site;

import dev.outlayer.bench.reports.results.CollectedRun;
import dev.outlayer.bench.reports.results.RunCatalog;
import dev.outlayer.bench.results.ResultsFiles;
import dev.outlayer.bench.results.RunResults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the runs stored in a report site: {@code <root>/<Simulation>/<timestamp>/}. */
public final class SiteLoader {

    private SiteLoader() {}

    public static RunCatalog load(Path reportsRoot) {
        List<CollectedRun> runs = new ArrayList<>();
        for (Path simulation : simulationFolders(reportsRoot)) {
            for (Path run : directories(simulation)) {
                Path json = run.resolve(ResultsFiles.JSON);
                boolean html = Files.exists(run.resolve("index.html"));
                if (!html && !Files.exists(json)) {
                    continue;
                }
                RunResults results = Files.exists(json) ? ResultsFiles.read(json) : null;
                String folder = simulation.getFileName() + "/" + run.getFileName();
                runs.add(new CollectedRun(
                        simulation.getFileName().toString(), run.getFileName().toString(), folder, results, html));
            }
        }
        return new RunCatalog(runs);
    }

    /** The site's simulation folders: every folder of the root but hidden ones and {@code node_modules}. */
    static List<Path> simulationFolders(Path reportsRoot) {
        return directories(reportsRoot);
    }

    private static List<Path> directories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !p.getFileName().toString().equals("node_modules"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

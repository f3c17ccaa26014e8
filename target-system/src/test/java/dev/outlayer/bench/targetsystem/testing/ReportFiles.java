package dev.outlayer.bench.targetsystem.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where the test JVM's own reports go: one file per JVM under the module's target/. */
final class ReportFiles {
    private ReportFiles() {}

    /** {@code target/<folder>/<pid>.txt} of the module under test. */
    static Path ofThisJvm(String folder) {
        return Path.of(
                System.getProperty("basedir", "."),
                "target",
                folder,
                ProcessHandle.current().pid() + ".txt");
    }

    /** Appends {@code report} to this JVM's file in {@code folder}; the file it wrote. */
    static Path append(String folder, String report) throws IOException {
        Path file = ofThisJvm(folder);
        Files.createDirectories(file.getParent());
        Files.writeString(file, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return file;
    }
}

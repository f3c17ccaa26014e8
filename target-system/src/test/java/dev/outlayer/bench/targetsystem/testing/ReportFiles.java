package dev.outlayer.bench.targetsystem.testing;

import java.nio.file.Path;

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
}

package dev.outlayer.bench.targetsystem.contracts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The committed test contracts match their WAT sources (checked when wabt's wat2wasm is installed). */
class WatBinariesTest {
    @TempDir
    Path out;

    @Test
    void committedWasmMatchesItsWat() throws Exception {
        assumeTrue(onPath("wat2wasm"), "wat2wasm not installed (apt-get install wabt)");
        Path dir = Path.of(System.getProperty("outlayer.root", ".."), "target-system", "src", "test", "resources", "wat");
        List<Path> sources;
        try (Stream<Path> files = Files.list(dir)) {
            sources = files.filter(p -> p.toString().endsWith(".wat")).sorted().toList();
        }
        assertThat(sources).isNotEmpty();
        for (Path wat : sources) {
            String name = wat.getFileName().toString().replace(".wat", ".wasm");
            Path built = out.resolve(name);
            Process process = new ProcessBuilder("wat2wasm", wat.toString(), "-o", built.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(output).isZero();
            assertThat(Files.readAllBytes(built)).as(name + " is stale: run target-system/src/test/resources/wat/build.sh")
                    .isEqualTo(Files.readAllBytes(dir.resolve(name)));
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The committed test contracts match their WAT sources (wabt's wat2wasm rebuilds them). */
@Tag(RequiredTools.WAT2WASM)
@ExtendWith(RequiredTools.class)
class WatBinariesTest {
    @TempDir
    Path out;

    @Test
    void committedWasmMatchesItsWat() throws Exception {
        Path dir =
                Path.of(System.getProperty("outlayer.root", ".."), "target-system", "src", "test", "resources", "wat");
        List<Path> sources;
        try (Stream<Path> files = Files.list(dir)) {
            sources = files.filter(p -> p.toString().endsWith(".wat")).sorted().toList();
        }
        assertThat(sources).isNotEmpty();
        for (Path wat : sources) {
            String name = wat.getFileName().toString().replace(".wat", ".wasm");
            Path built = out.resolve(name);
            Process process = new ProcessBuilder("wat2wasm", wat.toString(), "-o", built.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(output).isZero();
            assertThat(Files.readAllBytes(built))
                    .as(name + " is stale: run target-system/src/test/resources/wat/build.sh")
                    .isEqualTo(Files.readAllBytes(dir.resolve(name)));
        }
    }
}

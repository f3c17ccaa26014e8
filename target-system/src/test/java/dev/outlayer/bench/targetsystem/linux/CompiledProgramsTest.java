package dev.outlayer.bench.targetsystem.linux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.wasm.CompiledCodeCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program's compiled classes kept in the compiled-code cache, as a contract's are, across emulators (restarts). */
class CompiledProgramsTest {
    private static final byte[] NOT_CLASSES = "not compiled classes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path cacheDir;

    @Test
    void aProgramCompiledByOneEmulatorRunsFromTheCacheInTheNext() throws Exception {
        CompiledCodeCache cache = new CompiledCodeCache(cacheDir);
        assertThat(uploadAndEcho(cache)).isEqualTo(3);
        List<Path> entries = entries();
        assertThat(entries).hasSize(1);
        byte[] stored = Files.readAllBytes(entries.get(0));

        assertThat(uploadAndEcho(cache)).isEqualTo(3);
        assertThat(entries()).isEqualTo(entries);
        assertThat(Files.readAllBytes(entries.get(0))).isEqualTo(stored);
    }

    @Test
    void aDamagedEntryIsDroppedAndTheProgramCompiledAndKeptAgain() throws Exception {
        CompiledCodeCache cache = new CompiledCodeCache(cacheDir);
        uploadAndEcho(cache);
        Path entry = entries().get(0);
        Files.write(entry, NOT_CLASSES);

        // Had the upload not read the entry, the damaged file would still be there: storing skips a kept entry.
        assertThat(uploadAndEcho(cache)).isEqualTo(3);
        assertThat(entries()).containsExactly(entry);
        assertThat(Files.readAllBytes(entry)).isNotEqualTo(NOT_CLASSES);
        assertThat(uploadAndEcho(cache)).isEqualTo(3);
    }

    /** A fresh emulator keeping compiled code in {@code cache} uploads echo_json and runs it: the echoed {@code a[2]}. */
    private static int uploadAndEcho(CompiledCodeCache cache) throws Exception {
        try (LinuxEmulator emulator =
                new LinuxEmulator(LinuxEmulator.Options.defaults(), BlockClock.startingNow(1000))) {
            emulator.keepCompiledCodeIn(cache);
            emulator.deploy("echo_json", TestPrograms.wasm("echo_json"));
            Execution execution = emulator.run(
                    "echo_json",
                    LinuxEmulatorTest.request("{\"a\":[1,2,3]}", List.of(), Map.of(), ProcessLimits.DEFAULT));
            assertThat(execution.outcome().exitCode()).isZero();
            JsonNode out = JsonCodec.MAPPER.readTree(execution.stdout());
            return out.path("input").path("a").get(2).asInt();
        }
    }

    private List<Path> entries() throws Exception {
        try (Stream<Path> files = Files.list(cacheDir)) {
            return files.filter(f -> f.toString().endsWith(".classes")).sorted().toList();
        }
    }
}

package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.wasm.CompiledCodeCache;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed test programs (resources/programs/*.wasm) and an emulator to run them. */
public final class TestPrograms {
    private TestPrograms() {}

    public static Path root() {
        return Path.of(System.getProperty("outlayer.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    public static byte[] wasm(String name) {
        try {
            return Files.readAllBytes(root().resolve("resources/programs/" + name + ".wasm"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code wasm} with one more custom section {@code name} holding {@code data}. */
    public static byte[] withCustomSection(byte[] wasm, String name, byte[] data) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        leb128(payload, nameBytes.length);
        payload.writeBytes(nameBytes);
        payload.writeBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(wasm);
        out.write(0);
        leb128(out, payload.size());
        out.writeBytes(payload.toByteArray());
        return out.toByteArray();
    }

    private static void leb128(ByteArrayOutputStream out, int value) {
        do {
            int b = value & 0x7f;
            value >>>= 7;
            out.write(value == 0 ? b : b | 0x80);
        } while (value != 0);
    }

    public static LinuxEmulator emulator(int workers) {
        return emulator(workers, Kernel.table());
    }

    /** As above on another syscall table. */
    static LinuxEmulator emulator(int workers, SyscallTable table) {
        var defaults = LinuxEmulator.Options.defaults();
        LinuxEmulator emulator = new LinuxEmulator(
                new LinuxEmulator.Options(
                        workers,
                        1,
                        defaults.maxInstructionsCap(),
                        defaults.maxMemoryMbCap(),
                        defaults.maxSecondsCap(),
                        defaults.maxOutputBytes(),
                        5_000),
                BlockClock.startingNow(1000),
                0,
                table);
        // The build's compiled-code cache, as a target system started by the tests uses it (TargetOptions'
        // default): each program compiles once per build, not once per emulator.
        String cacheDir = System.getenv("OUTLAYER_COMPILE_CACHE_DIR");
        if (cacheDir != null && !cacheDir.isBlank()) {
            emulator.keepCompiledCodeIn(new CompiledCodeCache(Path.of(cacheDir)));
        }
        for (String name : new String[] {"echo_json", "fsenv", "compute", "misbehave", "tools"}) {
            emulator.deploy(name, wasm(name));
        }
        return emulator;
    }
}

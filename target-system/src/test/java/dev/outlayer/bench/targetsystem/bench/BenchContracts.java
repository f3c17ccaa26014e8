package dev.outlayer.bench.targetsystem.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the bundled contracts from the repository root or the target-system module directory. */
final class BenchContracts {
    private BenchContracts() {}

    static byte[] bundled(String name) {
        String root = System.getProperty("outlayer.root");
        Path[] candidates = {
            root == null ? null : Path.of(root, "resources", "contracts", name),
            Path.of("resources", "contracts", name),
            Path.of("..", "resources", "contracts", name)
        };
        for (Path candidate : candidates) {
            if (candidate != null && Files.isRegularFile(candidate)) {
                try {
                    return Files.readAllBytes(candidate);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("resources/contracts/" + name + " not found; run from the repository root");
    }

    /** The same code with a custom section appended, so it hashes (and compiles) as a new contract. */
    static byte[] distinct(byte[] code, int salt) {
        byte[] name = "salt".getBytes();
        byte[] out = new byte[code.length + 3 + name.length + 4];
        System.arraycopy(code, 0, out, 0, code.length);
        int at = code.length;
        out[at++] = 0; // custom section
        out[at++] = (byte) (1 + name.length + 4);
        out[at++] = (byte) name.length;
        System.arraycopy(name, 0, out, at, name.length);
        at += name.length;
        out[at++] = (byte) salt;
        out[at++] = (byte) (salt >> 8);
        out[at++] = (byte) (salt >> 16);
        out[at] = (byte) (salt >> 24);
        return out;
    }
}

package dev.outlayer.bench.simulations.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Contract binaries for the simulations that deploy one. */
public final class ContractCode {
    private ContractCode() {}

    /** A path as given, relative paths resolved against the repository root ({@code -Doutlayer.root}). */
    public static Path resolve(String path) {
        Path root = Path.of(System.getProperty("outlayer.root", "."))
                .toAbsolutePath()
                .normalize();
        return root.resolve(path).normalize();
    }

    public static byte[] read(Path wasm) {
        try {
            return Files.readAllBytes(wasm);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contract " + wasm + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code wasm} with a custom section {@code outlayer-bench} holding {@code tag} appended. Custom sections
     * have no effect on execution, but they change the code hash, so that a deploy compiles afresh instead of
     * finding the module a runtime cached for the same bytes: a true cold start.
     */
    public static byte[] tagged(byte[] wasm, String tag) {
        byte[] name = "outlayer-bench".getBytes(StandardCharsets.UTF_8);
        byte[] payload = tag.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        writeUnsignedLeb128(content, name.length);
        content.writeBytes(name);
        content.writeBytes(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream(wasm.length + content.size() + 6);
        out.writeBytes(wasm);
        out.write(0); // custom section id
        writeUnsignedLeb128(out, content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static void writeUnsignedLeb128(ByteArrayOutputStream out, int value) {
        int rest = value;
        do {
            int bits = rest & 0x7f;
            rest >>>= 7;
            out.write(rest == 0 ? bits : bits | 0x80);
        } while (rest != 0);
    }
}

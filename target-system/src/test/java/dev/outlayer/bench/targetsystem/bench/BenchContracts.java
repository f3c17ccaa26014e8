package dev.outlayer.bench.targetsystem.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the bundled contracts from the repository root or the target-system module directory. */
public final class BenchContracts {
    private BenchContracts() {}

    /** {@code outcome}, or a failure naming what went wrong: a benchmark must not time failed calls. */
    static dev.outlayer.bench.targetsystem.contracts.Outcome succeeded(
            dev.outlayer.bench.targetsystem.contracts.Outcome outcome) {
        if (!outcome.success()) {
            throw new IllegalStateException(outcome.errorKind() + ": " + outcome.errorMessage());
        }
        return outcome;
    }

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

    /** Writes the 213 KiB synthetic contract to {@code args[0]}, for the V8 anchor of bench/contract-calls. */
    public static void main(String[] args) throws IOException {
        Files.write(Path.of(args[0]), synthetic(2000, 0));
    }

    /** A test contract of target-system/src/test/resources/wat (e.g. nearsdk_layout). */
    static byte[] testContract(String name) {
        try (var in = BenchContracts.class.getResourceAsStream("/wat/" + name + ".wasm")) {
            if (in == null) {
                throw new IllegalStateException("test contract " + name + " not found");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A contract of about {@code functions * 108} bytes of code (2,000: 213 KiB, the size of a
     * real near-sdk-rs contract) for deploy and compile timings: {@code increment} calls a chain of
     * arithmetic functions, and {@code loop} burns gas until GasExceeded. No imports, 17 pages.
     */
    public static byte[] synthetic(int functions, int salt) {
        var types = new java.io.ByteArrayOutputStream();
        types.write(2);
        types.writeBytes(new byte[] {0x60, 0, 0}); // 0: () -> ()
        types.writeBytes(new byte[] {0x60, 1, 0x7e, 1, 0x7e}); // 1: (i64) -> i64
        var funcs = new java.io.ByteArrayOutputStream();
        leb(funcs, functions + 2);
        funcs.write(0); // increment
        funcs.write(0); // loop
        for (int i = 0; i < functions; i++) {
            funcs.write(1);
        }
        var exports = new java.io.ByteArrayOutputStream();
        exports.write(2);
        name(exports, "increment");
        exports.write(0);
        exports.write(0);
        name(exports, "loop");
        exports.write(0);
        exports.write(1);
        var code = new java.io.ByteArrayOutputStream();
        leb(code, functions + 2);
        // increment: drop(f0(salt)) and store it at 1 MiB - 8 (the stack top, like a Rust frame)
        body(code, new byte[] {
            0x41, (byte) 0xf8, (byte) 0xff, 0x3f, 0x42, (byte) (salt & 0x3f), 0x10, 2, 0x37, 3, 0, 0x0b
        });
        body(code, new byte[] {0x03, 0x40, 0x0c, 0, 0x0b, 0x0b}); // loop: (loop br 0)
        for (int i = 0; i < functions; i++) {
            var b = new java.io.ByteArrayOutputStream();
            b.write(0); // no locals
            for (int k = 0; k < 10; k++) {
                b.writeBytes(new byte[] {0x20, 0, 0x42, (byte) (k + 1), 0x7c, 0x42, 3, 0x7e, 0x21, 0}); // x = (x+k)*3
            }
            b.writeBytes(new byte[] {0x20, 0});
            if (i + 1 < functions && i % 50 != 49) {
                b.write(0x10);
                leb(b, i + 3); // tail into the next function of the chain
            }
            b.write(0x0b);
            byte[] bytes = b.toByteArray();
            leb(code, bytes.length);
            code.writeBytes(bytes);
        }
        var out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0x61, 0x73, 0x6d, 1, 0, 0, 0});
        section(out, 1, types.toByteArray());
        section(out, 3, funcs.toByteArray());
        section(out, 5, new byte[] {1, 0, 17}); // memory: 17 pages
        section(out, 7, exports.toByteArray());
        section(out, 10, code.toByteArray());
        return out.toByteArray();
    }

    private static void body(java.io.ByteArrayOutputStream code, byte[] instructions) {
        leb(code, instructions.length + 1);
        code.write(0); // no locals
        code.writeBytes(instructions);
    }

    private static void name(java.io.ByteArrayOutputStream out, String name) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        leb(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void section(java.io.ByteArrayOutputStream out, int id, byte[] content) {
        out.write(id);
        leb(out, content.length);
        out.writeBytes(content);
    }

    private static void leb(java.io.ByteArrayOutputStream out, int value) {
        do {
            int b = value & 0x7f;
            value >>>= 7;
            out.write(value == 0 ? b : b | 0x80);
        } while (value != 0);
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

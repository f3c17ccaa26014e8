package dev.outlayer.bench.targetsystem.linux;

import java.util.function.BiConsumer;

/**
 * Where uploaded programs are kept across restarts (a port: the root wires a durable store for
 * {@code --data-dir}, or {@link #NONE}).
 */
public interface ProgramArchive {
    /** Keeps {@code wasm} under {@code name}, replacing any earlier one, durably before it returns. */
    void putProgram(String name, byte[] wasm);

    /** Every kept program. */
    void forEachProgram(BiConsumer<String, byte[]> program);

    /** Moves a kept program that no longer loads aside. */
    void quarantineProgram(String name, String reason);

    /** Keeps nothing: the in-memory default. */
    ProgramArchive NONE = new ProgramArchive() {
        @Override
        public void putProgram(String name, byte[] wasm) {}

        @Override
        public void forEachProgram(BiConsumer<String, byte[]> program) {}

        @Override
        public void quarantineProgram(String name, String reason) {}
    };
}

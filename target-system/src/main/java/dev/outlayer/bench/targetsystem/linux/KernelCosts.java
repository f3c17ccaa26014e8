package dev.outlayer.bench.targetsystem.linux;

/**
 * What the emulated kernel charges a process, in wasm-instruction equivalents, for the work it
 * does on the process's behalf. The figures are in line with what each call costs the JVM here
 * relative to one compiled wasm instruction (a syscall is a few hundred nanoseconds; a simple
 * wasm instruction is around one).
 */
final class KernelCosts {
    /** Reading a clock, argv or env; fd bookkeeping. */
    static final long SIMPLE = 100;
    /** read, write, seek, poll on an open descriptor. */
    static final long IO = 250;
    /** Anything that resolves a path. */
    static final long PATH = 500;
    /** Per byte copied between the process and the kernel: one instruction per 8 bytes. */
    static final int BYTES_PER_INSTRUCTION = 8;
    /**
     * Per byte random_get makes: the DRBG gives about 300 MB/s here, some 3 ns a byte, 25 times
     * what a byte of copy costs (so a process cannot buy 25 times its instruction budget's worth of
     * work with random_get).
     */
    static final int INSTRUCTIONS_PER_RANDOM_BYTE = 3;
    /** Translating one NEAR host-function import into a kernel syscall (linux mode). */
    static final long NEAR_TRANSLATION = 150;

    private KernelCosts() {}

    static long copy(long bytes) {
        return bytes / BYTES_PER_INSTRUCTION;
    }

    static long random(long bytes) {
        return bytes * INSTRUCTIONS_PER_RANDOM_BYTE;
    }
}

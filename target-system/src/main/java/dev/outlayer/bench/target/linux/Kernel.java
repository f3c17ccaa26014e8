package dev.outlayer.bench.target.linux;

/** Assembles the emulated kernel's one syscall table from its syscall families. */
final class Kernel {
    private Kernel() {
    }

    /** The WASI preview1 table: what a WASI program may import. */
    static SyscallTable wasiTable() {
        SyscallTable.Builder table = SyscallTable.builder();
        registerWasi(table);
        return table.build();
    }

    static void registerWasi(SyscallTable.Builder table) {
        WasiProcessCalls.register(table);
        WasiFdCalls.register(table);
        WasiPathCalls.register(table);
        WasiSocketCalls.register(table);
    }
}

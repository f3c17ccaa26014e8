package dev.outlayer.bench.targetsystem.linux;

/** Assembles the emulated kernel's one syscall table from its syscall families. */
final class Kernel {
    private Kernel() {}

    /** WASI preview1 (what a WASI program imports) and the NEAR syscalls (what a contract imports). */
    static SyscallTable table() {
        return builder().build();
    }

    /** Every family registered, for a table with more (tests add syscalls that misbehave). */
    static SyscallTable.Builder builder() {
        SyscallTable.Builder table = SyscallTable.builder();
        WasiProcessCalls.register(table);
        WasiFdCalls.register(table);
        WasiPathCalls.register(table);
        WasiSocketCalls.register(table);
        NearSyscalls.register(table);
        return table;
    }
}

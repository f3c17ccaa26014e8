package dev.outlayer.bench.targetsystem.linux;

import java.util.Map;

/**
 * How a process ended: its exit code (or the limit that killed it, or the trap that crashed it),
 * what it cost, and its syscall statistics. {@code procExit}: it ended by calling
 * {@code proc_exit} rather than returning from its entry point.
 */
public record ProcessOutcome(
        int pid,
        int exitCode,
        ProcessKilled.Reason killedBy,
        String trap,
        long wasmInstructions,
        long kernelInstructions,
        Map<String, Long> syscalls,
        Map<String, Double> syscallTimesMicros,
        long wallNanos,
        boolean procExit) {

    /** Linux's exit status for a process killed by a signal: 128 + signal number. */
    static final int SIGKILL_STATUS = 137;

    static final int SIGABRT_STATUS = 134;

    /** Wasm instructions plus the kernel's syscall costs: what the limit counts. */
    public long instructions() {
        return wasmInstructions + kernelInstructions;
    }

    public boolean limitHit() {
        return killedBy != null;
    }

    /** The limit that killed the process, as the API names it ({@code max_instructions}, ...); null if none did. */
    public String limitName() {
        return killedBy == null ? null : killedBy.limitName;
    }
}

package dev.outlayer.bench.targetsystem.linux;

import java.util.Map;

/**
 * How a process ended: its exit code (or the limit that killed it, or the trap that crashed it),
 * what it cost, and its syscall statistics.
 */
record ProcessOutcome(int pid, int exitCode, ProcessKilled.Reason killedBy, String trap,
                      long wasmInstructions, long kernelInstructions, Map<String, Long> syscalls,
                      Map<String, Double> syscallTimesMicros, long wallNanos) {

    /** Linux's exit status for a process killed by a signal: 128 + signal number. */
    static final int SIGKILL_STATUS = 137;
    static final int SIGABRT_STATUS = 134;

    long instructions() {
        return wasmInstructions + kernelInstructions;
    }

    boolean limitHit() {
        return killedBy != null;
    }
}

package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.errors.ApiException;

/**
 * The limits a process runs under, as OutLayer's worker names them. The defaults are the
 * worker's defaults; a request may lower or raise them up to the server's caps.
 */
public record ProcessLimits(long maxInstructions, int maxMemoryMb, double maxSeconds) {
    static final ProcessLimits DEFAULT = new ProcessLimits(1_000_000_000L, 128, 60);

    public ProcessLimits {
        if (maxInstructions <= 0 || maxMemoryMb <= 0 || !(maxSeconds > 0)) {
            throw ApiException.invalid("limits must be positive: max_instructions, max_memory_mb, max_seconds");
        }
    }

    /** Wasm pages (64 KiB) allowed by max_memory_mb. */
    int maxPages() {
        return (int) Math.min(65_536L, maxMemoryMb * 16L);
    }

    long maxNanos() {
        return (long) (maxSeconds * 1_000_000_000L);
    }

    /** The tighter of this and the server's caps. */
    ProcessLimits cappedBy(ProcessLimits caps) {
        return new ProcessLimits(
                Math.min(maxInstructions, caps.maxInstructions),
                Math.min(maxMemoryMb, caps.maxMemoryMb),
                Math.min(maxSeconds, caps.maxSeconds));
    }
}

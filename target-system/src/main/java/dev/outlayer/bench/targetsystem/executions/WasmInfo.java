package dev.outlayer.bench.targetsystem.executions;

import java.time.Instant;

/**
 * A compiled wasm in the cache as OutLayer's {@code get_wasm_info} finds it by where it was built
 * from: its checksum, its size in bytes and when it entered the cache.
 */
public record WasmInfo(String checksum, long fileSize, Instant createdAt) {}

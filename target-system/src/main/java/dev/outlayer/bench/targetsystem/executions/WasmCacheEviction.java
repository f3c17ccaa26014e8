package dev.outlayer.bench.targetsystem.executions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OutLayer's LRU eviction of the coordinator's wasm cache (coordinator storage/lru_eviction.rs
 * {@code check_and_evict}): when the uploaded wasm total more than the limit ({@code
 * WASM_CACHE_MAX_SIZE_GB}, 50 GB by default, GB being 1024^3 bytes as OutLayer multiplies it), the
 * least recently accessed (uploaded or downloaded) go first, until the total is within the limit. An
 * evicted checksum is gone from the cache: {@code GET /wasm/{checksum}} 404, {@code GET
 * /wasm/exists/{checksum}} false, and its next request compiles it again. OutLayer checks after each
 * upload ({@link #afterUpload}) and every {@code LRU_EVICTION_CHECK_INTERVAL_SECONDS} (3,600 by
 * default; the coordinator's wiring runs {@link #checkAndEvict} on that interval).
 */
public final class WasmCacheEviction {
    private static final Logger LOG = LoggerFactory.getLogger(WasmCacheEviction.class);

    /** OutLayer's {@code wasm_cache_max_size_gb * 1024 * 1024 * 1024}. */
    public static final long BYTES_PER_GB = 1024L * 1024 * 1024;

    /** OutLayer's config.rs: {@code WASM_CACHE_MAX_SIZE_GB} 50. */
    public static final long DEFAULT_MAX_SIZE_GB = 50;

    /** OutLayer's config.rs: {@code LRU_EVICTION_CHECK_INTERVAL_SECONDS} 3600. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(3600);

    /** A stored wasm the eviction removed: its checksum and size in bytes. */
    public record Evicted(String checksum, long bytes) {}

    private final JobStore store;
    private final long maxBytes;

    public WasmCacheEviction(JobStore store, long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("the wasm cache's limit must not be negative");
        }
        this.store = store;
        this.maxBytes = maxBytes;
    }

    /** {@code gb} GB (fractions allowed) in bytes, 1 GB = 1024^3 bytes as OutLayer counts it, rounded down. */
    public static long bytesOfGb(BigDecimal gb) {
        if (gb.signum() < 0) {
            throw new IllegalArgumentException("--wasm-cache-max-size-gb must not be negative, not " + gb);
        }
        try {
            return gb.multiply(BigDecimal.valueOf(BYTES_PER_GB))
                    .setScale(0, RoundingMode.FLOOR)
                    .longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("--wasm-cache-max-size-gb is too large: " + gb, e);
        }
    }

    /** The limit in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /** One check (OutLayer's {@code check_and_evict}): what it evicted, least recently accessed first. */
    public List<Evicted> checkAndEvict() {
        List<Evicted> evicted = store.evictWasm(maxBytes);
        if (!evicted.isEmpty()) {
            long freed = evicted.stream().mapToLong(Evicted::bytes).sum();
            LOG.info(
                    "wasm cache over its limit of {} bytes: evicted {} ({} bytes freed)",
                    maxBytes,
                    evicted.stream().map(Evicted::checksum).toList(),
                    freed);
        }
        return evicted;
    }

    /**
     * The check OutLayer's {@code upload_wasm} starts after storing an upload: a failure is logged, the
     * upload stands (OutLayer spawns it and logs its error). Ours runs before the upload is answered.
     */
    public void afterUpload() {
        try {
            checkAndEvict();
        } catch (RuntimeException e) {
            LOG.error("LRU eviction after an upload failed: {}", e.toString());
        }
    }
}

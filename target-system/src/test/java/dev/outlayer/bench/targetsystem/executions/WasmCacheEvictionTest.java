package dev.outlayer.bench.targetsystem.executions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OutLayer's LRU eviction of the coordinator's wasm cache (storage/lru_eviction.rs): over the limit, the
 * uploaded wasm least recently uploaded or downloaded go first until the rest fits, and an evicted
 * checksum is gone (nothing to download, not stored, not cached). Every access is at a time the test
 * sets. In memory here, on PostgreSQL in {@link PostgresWasmCacheEvictionTest}.
 */
class WasmCacheEvictionTest {
    private static final String A = "a1".repeat(32);
    private static final String B = "b2".repeat(32);
    private static final String C = "c3".repeat(32);

    protected final ManualClock clock = new ManualClock(Instant.parse("2026-12-04T05:00:00Z"));
    protected JobStore store;

    /** A fresh, empty store on {@code clock}. */
    protected JobStore newStore(ManualClock clock) {
        return new InMemoryJobStore(Duration.ofSeconds(30), clock);
    }

    @BeforeEach
    void open() {
        store = newStore(clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Uploads {@code bytes} bytes under {@code checksum}, a second after the previous access. */
    private void upload(String checksum, int bytes) {
        clock.advance(Duration.ofSeconds(1));
        store.storeWasm(new WasmFile(checksum, new byte[bytes], "https://github.com/a/b", "c0ffee", "wasm32-wasip1"));
    }

    /** Downloads it a second after the previous access (OutLayer's GET /wasm/{checksum}). */
    private void download(String checksum) {
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.wasmBytes(checksum)).isPresent();
    }

    private List<WasmCacheEviction.Evicted> evict(long maxBytes) {
        return new WasmCacheEviction(store, maxBytes).checkAndEvict();
    }

    private void gone(String checksum) {
        assertThat(store.wasmBytes(checksum)).as("GET /wasm/{checksum}: 404").isEmpty();
        assertThat(store.wasmStoredAt(checksum)).as("GET /wasm/exists: false").isEmpty();
        assertThat(store.wasmCached(checksum))
                .as("not cached: its next request compiles it")
                .isFalse();
        assertThat(store.wasmCachedAt(checksum)).isEmpty();
    }

    private void kept(String checksum) {
        assertThat(store.wasmStoredAt(checksum)).isPresent();
        assertThat(store.wasmCached(checksum)).isTrue();
    }

    @Test
    void outLayersDefaultsAreFiftyGbOf1024CubedBytesCheckedHourly() {
        assertThat(WasmCacheEviction.bytesOfGb(BigDecimal.valueOf(WasmCacheEviction.DEFAULT_MAX_SIZE_GB)))
                .isEqualTo(50L * 1024 * 1024 * 1024);
        assertThat(WasmCacheEviction.DEFAULT_CHECK_INTERVAL).isEqualTo(Duration.ofHours(1));
        assertThat(WasmCacheEviction.bytesOfGb(new BigDecimal("0.5"))).isEqualTo(512L * 1024 * 1024);
        assertThat(WasmCacheEviction.bytesOfGb(new BigDecimal("0.000001")))
                .as("rounded down")
                .isEqualTo(1073);
        assertThat(WasmCacheEviction.bytesOfGb(BigDecimal.ZERO)).isZero();
        assertThatThrownBy(() -> WasmCacheEviction.bytesOfGb(new BigDecimal("-1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WasmCacheEviction.bytesOfGb(new BigDecimal("1e12")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withinTheLimitNothingIsEvicted() {
        upload(A, 100);
        upload(B, 100);
        upload(C, 100);
        assertThat(store.wasmCacheBytes()).isEqualTo(300);
        assertThat(evict(300)).isEmpty();
        kept(A);
        kept(B);
        kept(C);
    }

    @Test
    void overTheLimitTheLeastRecentlyDownloadedOrUploadedGoesFirst() {
        upload(A, 100);
        upload(B, 100);
        download(A); // A is used again: B is now the least recently used
        upload(C, 100);

        assertThat(evict(250)).containsExactly(new WasmCacheEviction.Evicted(B, 100));
        gone(B);
        kept(A);
        kept(C);
        assertThat(store.wasmCacheBytes()).isEqualTo(200);
        assertThat(evict(250)).as("within the limit now").isEmpty();
    }

    @Test
    void asManyGoInThatOrderAsFreeTheExcessAndTheFreshestWhenItAloneIsTooLarge() {
        upload(A, 50);
        upload(B, 300);
        upload(C, 100);
        // 450 bytes, 250 over: A (50) is not enough, A and B (350) are
        assertThat(evict(200))
                .containsExactly(new WasmCacheEviction.Evicted(A, 50), new WasmCacheEviction.Evicted(B, 300));
        gone(A);
        gone(B);
        kept(C);
        // as OutLayer's, a limit below the newest upload evicts it too
        assertThat(evict(99)).containsExactly(new WasmCacheEviction.Evicted(C, 100));
        gone(C);
        assertThat(store.wasmCacheBytes()).isZero();
    }

    @Test
    void aSecondUploadIsAnAccessAnExistsCheckIsNot() {
        upload(A, 100);
        upload(B, 100);
        upload(C, 100);
        upload(A, 100); // uploaded again: last accessed now (OutLayer's ON CONFLICT ... last_accessed_at = NOW())
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.wasmStoredAt(B)).isPresent(); // GET /wasm/exists does not touch last_accessed_at

        assertThat(evict(100)).extracting(WasmCacheEviction.Evicted::checksum).containsExactly(B, C);
        kept(A);
    }

    @Test
    void entriesAccessedAtTheSameTimeGoInChecksumOrder() {
        store.storeWasm(new WasmFile(C, new byte[100], "https://github.com/a/b", "c0ffee", null));
        store.storeWasm(new WasmFile(A, new byte[100], "https://github.com/a/b", "c0ffee", null));
        store.storeWasm(new WasmFile(B, new byte[100], "https://github.com/a/b", "c0ffee", null));
        assertThat(evict(100)).extracting(WasmCacheEviction.Evicted::checksum).containsExactly(A, B);
        kept(C);
    }

    @Test
    void aWasmCachedWithoutBytesTakesNoRoomAndStays() {
        String inProcess = "d4".repeat(32);
        store.cacheWasm(inProcess); // compiled in-process from the program registry: no upload
        upload(A, 100);
        upload(B, 100);
        assertThat(store.wasmCacheBytes()).isEqualTo(200);

        assertThat(evict(100)).extracting(WasmCacheEviction.Evicted::checksum).containsExactly(A);
        assertThat(store.wasmCached(inProcess)).isTrue();
        kept(B);
    }

    @Test
    void theNextRequestOfAnEvictedWasmGoesToTheCompileQueueAgain() throws Exception {
        upload(A, 100);
        store.enqueue(JobStoreContractTest.variant(41, A, false, false));
        assertThat(store.queueOf(41, "data-41")).contains(TaskQueue.EXECUTE);

        assertThat(evict(0)).extracting(WasmCacheEviction.Evicted::checksum).containsExactly(A);
        store.enqueue(JobStoreContractTest.variant(42, A, false, false));
        assertThat(store.queueOf(42, "data-42")).contains(TaskQueue.COMPILE);
        // uploaded again after its compile: cached and counted again
        upload(A, 120);
        kept(A);
        assertThat(store.wasmCacheBytes()).isEqualTo(120);
    }

    @Test
    void aFailedCheckAfterAnUploadIsLoggedAndTheUploadStands() {
        JobStore failing = new ForwardingJobStore(store) {
            @Override
            public List<WasmCacheEviction.Evicted> evictWasm(long maxBytes) {
                throw new IllegalStateException("the database is down for a while");
            }
        };
        WasmCacheEviction eviction = new WasmCacheEviction(failing, 0);
        upload(A, 100);
        eviction.afterUpload(); // does not throw
        kept(A);
        assertThatThrownBy(eviction::checkAndEvict).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new WasmCacheEviction(store, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}

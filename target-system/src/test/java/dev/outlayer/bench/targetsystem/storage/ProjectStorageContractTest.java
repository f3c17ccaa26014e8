package dev.outlayer.bench.targetsystem.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.storage.ProjectStorage.Entry;
import dev.outlayer.bench.targetsystem.storage.ProjectStorage.Slot;
import dev.outlayer.bench.targetsystem.storage.ProjectStorage.Stored;
import dev.outlayer.bench.targetsystem.storage.ProjectStorage.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules every {@link ProjectStorage} keeps (OutLayer's handlers/storage.rs), run against each implementation. */
public abstract class ProjectStorageContractTest {
    private static final String P1 = "p0000000000000001";
    private static final String P2 = "p0000000000000002";
    private static final String ALICE = "alice.near";
    private static final String BOB = "bob.near";
    private static final String V1 = "a".repeat(64);
    private static final String V2 = "b".repeat(64);

    protected ProjectStorage storage;

    /** A fresh, empty store. */
    protected abstract ProjectStorage newStorage();

    @BeforeEach
    void open() {
        storage = newStorage();
    }

    private static Slot slot(String project, String account, String keyHash) {
        return new Slot(project, account, keyHash);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private void set(Slot slot, String version, byte[] key, byte[] value) {
        storage.set(new Entry(slot, version, key, value, true));
    }

    @Test
    void anUpsertKeepsTheFirstKeyAndTakesTheNewValueAndVersion() {
        Slot k = slot(P1, ALICE, "k1");
        set(k, V1, bytes(1, 2), bytes(3));
        set(k, V2, bytes(9, 9, 9), bytes(4, 255));
        Stored row = storage.get(k).orElseThrow();
        assertThat(row.encryptedKey()).containsExactly(bytes(1, 2));
        assertThat(row.encryptedValue()).containsExactly(bytes(4, 255));
        assertThat(row.wasmHash()).isEqualTo(V2);
        assertThat(row.encrypted()).isTrue();
        assertThat(storage.usage(P1, ALICE)).isEqualTo(new Usage(4, 1));
    }

    @Test
    void aPublicWriteIsMarkedAndAnEncryptedOneMakesItPrivateAgain() {
        Slot k = slot(P1, ProjectStorage.WORKER_ACCOUNT, "price");
        storage.set(new Entry(k, V1, "price".getBytes(), bytes(42), false));
        assertThat(storage.get(k).orElseThrow().encrypted()).isFalse();
        storage.set(new Entry(k, V1, bytes(1), bytes(43), true));
        assertThat(storage.get(k).orElseThrow().encrypted()).isTrue();
    }

    @Test
    void setIfAbsentInsertsOnceAndAlwaysEncrypted() {
        Slot k = slot(P1, ALICE, "k");
        assertThat(storage.setIfAbsent(new Entry(k, V1, bytes(1), bytes(2), false)))
                .isTrue();
        assertThat(storage.setIfAbsent(new Entry(k, V2, bytes(7), bytes(8), true)))
                .isFalse();
        Stored row = storage.get(k).orElseThrow();
        assertThat(row.encryptedValue()).containsExactly(bytes(2));
        assertThat(row.wasmHash()).isEqualTo(V1);
        assertThat(row.encrypted())
                .as("OutLayer's insert leaves is_encrypted at its default")
                .isTrue();
        assertThat(storage.usage(P1, ALICE)).isEqualTo(new Usage(2, 1));
    }

    @Test
    void compareAndSwapReplacesKeyValueAndVersionOnAMatch() {
        Slot k = slot(P1, ALICE, "counter");
        set(k, V1, bytes(1), bytes(5));
        ProjectStorage.Swap swap = storage.setIfEquals(k, V2, bytes(5), bytes(2, 2), bytes(6, 6, 6));
        assertThat(swap.updated()).isTrue();
        assertThat(swap.current()).isEmpty();
        Stored row = storage.get(k).orElseThrow();
        assertThat(row.encryptedKey()).containsExactly(bytes(2, 2));
        assertThat(row.encryptedValue()).containsExactly(bytes(6, 6, 6));
        assertThat(row.wasmHash()).isEqualTo(V2);
        assertThat(storage.usage(P1, ALICE)).isEqualTo(new Usage(5, 1));
    }

    @Test
    void compareAndSwapOnAMismatchChangesNothingAndTellsTheCurrentRow() {
        Slot k = slot(P1, ALICE, "counter");
        set(k, V1, bytes(1), bytes(5));
        ProjectStorage.Swap swap = storage.setIfEquals(k, V2, bytes(4), bytes(2), bytes(6));
        assertThat(swap.updated()).isFalse();
        assertThat(swap.current().orElseThrow().encryptedValue()).containsExactly(bytes(5));
        assertThat(swap.current().orElseThrow().encryptedKey()).containsExactly(bytes(1));
        assertThat(storage.get(k).orElseThrow().wasmHash()).isEqualTo(V1);

        ProjectStorage.Swap absent = storage.setIfEquals(slot(P1, ALICE, "none"), V2, bytes(), bytes(2), bytes(6));
        assertThat(absent.updated()).isFalse();
        assertThat(absent.current()).isEmpty();
        assertThat(storage.get(slot(P1, ALICE, "none"))).isEmpty();
    }

    @Test
    void getByVersionFindsTheRowByItsWriterInAnyProject() {
        set(slot(P2, ALICE, "k"), V1, bytes(1), bytes(10));
        set(slot(P1, ALICE, "k"), V2, bytes(1), bytes(20));
        assertThat(storage.getByVersion(V1, ALICE, "k").orElseThrow().encryptedValue())
                .containsExactly(bytes(10));
        assertThat(storage.getByVersion(V2, ALICE, "k").orElseThrow().encryptedValue())
                .containsExactly(bytes(20));
        assertThat(storage.getByVersion(V1, BOB, "k")).isEmpty();
        assertThat(storage.getByVersion(V1, ALICE, "other")).isEmpty();

        set(slot(P1, ALICE, "k"), V1, bytes(1), bytes(30)); // both projects' rows now by V1: the oldest answers
        assertThat(storage.getByVersion(V1, ALICE, "k").orElseThrow().encryptedValue())
                .containsExactly(bytes(10));
    }

    @Test
    void aRowDeletedAndStoredAgainComesLastInTheListing() {
        set(slot(P1, ALICE, "a"), V1, bytes(1), bytes(1));
        set(slot(P1, ALICE, "b"), V1, bytes(1), bytes(1));
        storage.delete(slot(P1, ALICE, "a"));
        set(slot(P1, ALICE, "a"), V1, bytes(1), bytes(1));
        assertThat(storage.list(P1, ALICE, 10, 0).keys())
                .extracting(Stored::keyHash)
                .containsExactly("b", "a");
    }

    @Test
    void deleteSaysWhetherThereWasARowAndRecountsUsage() {
        Slot k = slot(P1, ALICE, "k");
        set(k, V1, bytes(1), bytes(2, 3));
        set(slot(P1, ALICE, "j"), V1, bytes(1), bytes(2));
        assertThat(storage.delete(k)).isTrue();
        assertThat(storage.delete(k)).isFalse();
        assertThat(storage.get(k)).isEmpty();
        assertThat(storage.usage(P1, ALICE)).isEqualTo(new Usage(2, 1));
    }

    @Test
    void aListingPagesOldestFirstAndCountsAll() {
        for (int i = 0; i < 5; i++) {
            set(slot(P1, ALICE, "k" + i), V1, bytes(i), bytes(i));
        }
        set(slot(P1, BOB, "b"), V1, bytes(1), bytes(1));
        set(slot(P2, ALICE, "x"), V1, bytes(1), bytes(1));
        set(slot(P1, ALICE, "k1"), V2, bytes(9), bytes(9)); // an update keeps the row's place

        ProjectStorage.Listing page = storage.list(P1, ALICE, 2, 1);
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.keys()).extracting(Stored::keyHash).containsExactly("k1", "k2");
        assertThat(page.keys().get(0).wasmHash()).isEqualTo(V2);
        assertThat(storage.list(P1, ALICE, 100, 0).keys())
                .extracting(Stored::keyHash)
                .containsExactly("k0", "k1", "k2", "k3", "k4");
        assertThat(storage.list(P1, ALICE, 100, 5).keys()).isEmpty();
        assertThat(storage.list(P1, ALICE, 0, 0).keys()).isEmpty();
        assertThat(storage.list(P2, BOB, 10, 0)).isEqualTo(new ProjectStorage.Listing(List.of(), 0));
    }

    @Test
    void usageIsPerProjectAndAccountAndSumsPerProject() {
        set(slot(P1, ALICE, "a"), V1, bytes(1, 2), bytes(3, 4, 5));
        set(slot(P1, ALICE, "b"), V1, bytes(1), bytes(2));
        set(slot(P1, BOB, "a"), V1, bytes(1), bytes(2, 3));
        set(slot(P2, ALICE, "a"), V1, bytes(1), bytes(1));
        assertThat(storage.usage(P1, ALICE)).isEqualTo(new Usage(7, 2));
        assertThat(storage.usage(P1, BOB)).isEqualTo(new Usage(3, 1));
        assertThat(storage.usage(P2, BOB)).isEqualTo(Usage.NONE);
        assertThat(storage.projectUsage(P1)).isEqualTo(new Usage(10, 3));
        assertThat(storage.projectUsage("p-none")).isEqualTo(Usage.NONE);
    }

    @Test
    void clearAllDeletesTheAccountsRowsInTheProjectAndZeroesItsUsage() {
        set(slot(P1, ALICE, "a"), V1, bytes(1), bytes(1));
        set(slot(P1, ALICE, "b"), V1, bytes(1), bytes(1));
        set(slot(P1, BOB, "a"), V1, bytes(1), bytes(1));
        set(slot(P2, ALICE, "a"), V1, bytes(1), bytes(1));
        storage.clearAll(P1, ALICE);
        assertThat(storage.list(P1, ALICE, 10, 0).total()).isZero();
        assertThat(storage.usage(P1, ALICE)).isEqualTo(Usage.NONE);
        assertThat(storage.get(slot(P1, BOB, "a"))).isPresent();
        assertThat(storage.get(slot(P2, ALICE, "a"))).isPresent();
        assertThat(storage.usage(P1, BOB)).isEqualTo(new Usage(2, 1));
    }

    @Test
    void clearVersionDeletesTheVersionsRowsEverywhereAndLeavesUsageAsItWas() {
        set(slot(P1, ALICE, "a"), V1, bytes(1), bytes(1));
        set(slot(P2, ALICE, "a"), V1, bytes(1), bytes(1));
        set(slot(P1, ALICE, "b"), V2, bytes(1), bytes(1));
        set(slot(P1, BOB, "a"), V1, bytes(1), bytes(1));
        storage.clearVersion(V1, ALICE);
        assertThat(storage.get(slot(P1, ALICE, "a"))).isEmpty();
        assertThat(storage.get(slot(P2, ALICE, "a"))).isEmpty();
        assertThat(storage.get(slot(P1, ALICE, "b"))).isPresent();
        assertThat(storage.get(slot(P1, BOB, "a"))).isPresent();
        assertThat(storage.usage(P1, ALICE))
                .as("OutLayer's clear-version recounts no usage")
                .isEqualTo(new Usage(4, 2));
        set(slot(P1, ALICE, "c"), V2, bytes(1), bytes(1));
        assertThat(storage.usage(P1, ALICE)).as("the next write recounts").isEqualTo(new Usage(4, 2));
        assertThat(storage.list(P1, ALICE, 10, 0).total()).isEqualTo(2);
    }

    @Test
    void clearProjectDeletesEveryAccountsRowsAndUsage() {
        set(slot(P1, ALICE, "a"), V1, bytes(1), bytes(1));
        set(slot(P1, BOB, "a"), V1, bytes(1), bytes(1));
        set(slot(P2, ALICE, "a"), V1, bytes(1), bytes(1));
        storage.clearProject(P1);
        assertThat(storage.get(slot(P1, ALICE, "a"))).isEmpty();
        assertThat(storage.get(slot(P1, BOB, "a"))).isEmpty();
        assertThat(storage.projectUsage(P1)).isEqualTo(Usage.NONE);
        assertThat(storage.get(slot(P2, ALICE, "a"))).isPresent();
        assertThat(storage.projectUsage(P2)).isEqualTo(new Usage(2, 1));
    }

    @Test
    void projectsAndAccountsAreIsolated() {
        set(slot(P1, ALICE, "k"), V1, bytes(1), bytes(1));
        set(slot(P2, ALICE, "k"), V1, bytes(2), bytes(2));
        set(slot(P1, BOB, "k"), V1, bytes(3), bytes(3));
        assertThat(storage.get(slot(P1, ALICE, "k")).orElseThrow().encryptedValue())
                .containsExactly(bytes(1));
        assertThat(storage.get(slot(P2, ALICE, "k")).orElseThrow().encryptedValue())
                .containsExactly(bytes(2));
        assertThat(storage.get(slot(P1, BOB, "k")).orElseThrow().encryptedValue())
                .containsExactly(bytes(3));
        assertThat(storage.delete(slot(P2, BOB, "k"))).isFalse();
        assertThat(storage.setIfEquals(slot(P2, ALICE, "k"), V2, bytes(1), bytes(0), bytes(0))
                        .updated())
                .isFalse();
    }

    @Test
    void aBatchReadFindsTheKeysThatExist() {
        String worker = ProjectStorage.WORKER_ACCOUNT;
        storage.set(new Entry(slot(P1, worker, "h1"), V1, bytes(1), bytes(11), false));
        storage.set(new Entry(slot(P1, worker, "h2"), V1, bytes(1), bytes(12), true));
        storage.set(new Entry(slot(P1, ALICE, "h3"), V1, bytes(1), bytes(13), false));
        Map<String, Stored> found = storage.getAll(P1, worker, List.of("h1", "h2", "h3", "h4"));
        assertThat(found).containsOnlyKeys("h1", "h2");
        assertThat(found.get("h1").encryptedValue()).containsExactly(bytes(11));
        assertThat(found.get("h1").encrypted()).isFalse();
        assertThat(found.get("h2").encrypted()).isTrue();
        assertThat(storage.getAll(P1, worker, List.of())).isEmpty();
    }
}

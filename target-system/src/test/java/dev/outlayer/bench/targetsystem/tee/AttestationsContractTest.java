package dev.outlayer.bench.targetsystem.tee;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.executions.ManualClock;
import dev.outlayer.bench.targetsystem.tee.Attestations.Entry;
import dev.outlayer.bench.targetsystem.tee.Attestations.Stored;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules every {@link Attestations} store keeps (OutLayer's handlers/attestations.rs), run against each. */
public abstract class AttestationsContractTest {
    protected static final Instant START = Instant.parse("2026-03-01T12:00:00.123456789Z");

    protected ManualClock clock;
    protected Attestations attestations;

    /** A fresh, empty store on {@code clock}. */
    protected abstract Attestations newAttestations(ManualClock clock);

    @BeforeEach
    void open() {
        clock = new ManualClock(START);
        attestations = newAttestations(clock);
    }

    /** A quote of {@code length} bytes whose bytes count up, so RTMR3 is recognisable. */
    static byte[] quote(int length) {
        byte[] quote = new byte[length];
        for (int i = 0; i < length; i++) {
            quote[i] = (byte) i;
        }
        return quote;
    }

    static Entry compile(long taskId) {
        return new Entry(
                taskId,
                Attestations.COMPILE,
                quote(600),
                Attestations.workerMeasurement(quote(600)),
                12L,
                "alice.test.near",
                "9xTx",
                1234L,
                null,
                null,
                null,
                "https://github.com/alice/app",
                "main",
                "wasm32-wasip1",
                null,
                null,
                "c".repeat(64),
                "alice.test.near/app",
                null,
                null);
    }

    static Entry httpsExecute(long taskId, UUID callId) {
        return new Entry(
                taskId,
                Attestations.EXECUTE,
                quote(700),
                Attestations.workerMeasurement(quote(700)),
                null,
                "bob.test.near",
                null,
                null,
                callId,
                "bob.test.near",
                3,
                null,
                null,
                null,
                "a".repeat(64),
                "b".repeat(64),
                "d".repeat(64),
                "bob.test.near/api",
                "bob.test.near/default",
                "2500");
    }

    private static void assertSameContent(Entry actual, Entry expected) {
        assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
    }

    @Test
    void anAttestationComesBackWithEveryMemberAndTheStoresTime() {
        UUID call = UUID.fromString("0b8e7a52-2c1d-4c0e-9d6b-3f1e2a4b5c6d");
        long id = attestations.store(httpsExecute(41, call), null);
        Stored stored = attestations.first(41).orElseThrow();
        assertThat(stored.id()).isEqualTo(id);
        assertSameContent(stored.entry(), httpsExecute(41, call));
        assertThat(stored.entry().tdxQuote()).containsExactly(quote(700));
        assertThat(stored.createdAt())
                .as("the store's clock, to the microsecond as PostgreSQL keeps a timestamp")
                .isEqualTo(Instant.parse("2026-03-01T12:00:00.123456Z"));
    }

    @Test
    void theWorkersTimestampIsTheAttestationsTime() {
        attestations.store(compile(7), Instant.ofEpochSecond(1_767_225_600L));
        assertThat(attestations.first(7).orElseThrow().createdAt()).isEqualTo(Instant.ofEpochSecond(1_767_225_600L));
        assertSameContent(attestations.first(7).orElseThrow().entry(), compile(7));
    }

    @Test
    void aTaskWithSeveralAttestationsAnswersItsFirst() {
        long first = attestations.store(compile(5), null);
        clock.advance(Duration.ofSeconds(3));
        long retry = attestations.store(compile(5), null);
        attestations.store(compile(6), null);
        assertThat(retry).isGreaterThan(first);
        assertThat(attestations.first(5).orElseThrow().id()).isEqualTo(first);
        assertThat(attestations.first(6).orElseThrow().entry().taskId()).isEqualTo(6);
    }

    @Test
    void anUnknownTaskHasNone() {
        attestations.store(compile(1), null);
        assertThat(attestations.first(2)).isEmpty();
        assertThat(attestations.first(-1)).isEmpty();
    }

    @Test
    void aStartupAttestationHasANegativeTaskIdAndLooseHashes() {
        Entry startup = new Entry(
                -1,
                Attestations.EXECUTE,
                quote(600),
                Attestations.workerMeasurement(quote(600)),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "startup",
                null,
                null,
                null,
                "worker_startup",
                null,
                null,
                null);
        attestations.store(startup, null);
        assertSameContent(attestations.first(-1).orElseThrow().entry(), startup);
    }
}

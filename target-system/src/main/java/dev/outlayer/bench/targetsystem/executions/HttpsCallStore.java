package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.payments.PaymentKeyUsage;
import dev.outlayer.bench.targetsystem.payments.PaymentKeys;
import dev.outlayer.bench.targetsystem.payments.ProjectEarnings;
import dev.outlayer.bench.targetsystem.persistence.StorableText;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where the coordinator keeps its HTTPS calls (OutLayer's {@code https_calls}) and charges them:
 * opening a call reserves on its key and records it pending, both or neither; finalizing it records
 * its result, charges the key (reservation released, cost and kept deposit spent), credits the
 * project's owner and records the key's usage, all or nothing, once. In memory ({@link
 * InMemoryHttpsCallStore}: the calls live in {@link HttpsCalls} itself, this process only) or in
 * PostgreSQL ({@link PostgresHttpsCallStore}: a call acknowledged to a client survives a restart and
 * any coordinator sharing the database can finalize it).
 */
public interface HttpsCallStore {

    /**
     * What a call is opened with; {@code maxInFlight}, the key's concurrency limit, is checked by a
     * shared store across coordinators (in memory, {@link HttpsCalls} counts its own calls).
     */
    record NewCall(
            UUID id,
            PaymentKeys.Id key,
            String projectId,
            BigInteger computeLimit,
            BigInteger deposit,
            BigInteger initialBalance,
            int maxInFlight,
            Instant createdAt) {
        public BigInteger reserved() {
            return computeLimit.add(deposit);
        }
    }

    /** A call as stored: what its finalization needs, and its answer so far. */
    record StoredCall(
            UUID id,
            PaymentKeys.Id key,
            String projectId,
            long requestId,
            BigInteger computeLimit,
            BigInteger deposit,
            Instant createdAt,
            HttpsCalls.Answer answer) {
        public BigInteger reserved() {
            return computeLimit.add(deposit);
        }
    }

    /**
     * A call's one finalization: its status and result; {@code spent} (cost + the deposit the
     * program kept) charged to the key, whose reservation is released; {@code developerAmount}
     * credited to the project's owner.
     */
    record Finalization(
            String status,
            RawJson output,
            String error,
            BigInteger cost,
            Long instructions,
            Long timeMs,
            BigInteger spent,
            BigInteger developerAmount,
            Long jobId,
            Instant at) {
        public Finalization {
            error = StorableText.replacingUnstorable(error); // as JobOutcome keeps it
        }

        /** What the call's project owner is credited: the deposit, less the refund the program gave back. */
        public ProjectEarnings.Credit credit(StoredCall call) {
            return new ProjectEarnings.Credit(
                    call.projectId(),
                    call.deposit(),
                    call.deposit().subtract(developerAmount),
                    call.id(),
                    call.key(),
                    at);
        }

        /** The key's usage row of a call that ran (one with a cost). */
        public PaymentKeyUsage.Usage usage(StoredCall call) {
            return new PaymentKeyUsage.Usage(
                    0, call.id().toString(), jobId, call.projectId(), cost, call.deposit(), status, at);
        }
    }

    /**
     * Reserves the call's compute limit + deposit on its key (when initial - spent - reserved covers
     * it) and records the call pending, both or neither. The call's request id; 402 {@code
     * Insufficient balance} when the key does not cover it, and with a shared store 429 {@code Too
     * many concurrent calls} when the key already has {@code maxInFlight} calls pending in any
     * coordinator (nothing changed).
     */
    long open(NewCall call);

    /** The call as stored; empty when this store does not know it (in memory: always). */
    Optional<StoredCall> find(UUID id);

    /**
     * Finalizes a pending call (see {@link Finalization}), all of it or nothing; false, changing
     * nothing, when the call is not pending (another report, coordinator or timeout finalized it).
     */
    boolean finalize(StoredCall call, Finalization finalization);

    /** Pending calls opened before {@code before}, oldest first, at most {@code limit} (none in memory). */
    List<StoredCall> pendingSince(Instant before, int limit);

    /** The answers of those of these calls that are finalized (none in memory). */
    Map<UUID, HttpsCalls.Answer> finalized(Collection<UUID> ids);

    /** Whether calls outlive this process (another process may finalize them). */
    boolean shared();
}

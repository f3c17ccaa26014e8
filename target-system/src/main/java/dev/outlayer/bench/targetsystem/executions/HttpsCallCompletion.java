package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a worker reports an HTTPS call's result: OutLayer worker's {@code complete_https_call}
 * (api_client.rs, {@code POST /https-calls/complete}), which it calls instead of resolving on chain.
 */
@FunctionalInterface
public interface HttpsCallCompletion {
    /** For workers without a coordinator that takes HTTPS calls: every report is refused. */
    HttpsCallCompletion NONE = report -> false;

    /**
     * Finalizes the call with the run's result; false when the call is unknown or was finalized
     * already (by another report, or its timeout), in which case nothing changes.
     */
    boolean complete(Report report);

    /** The coordinator's system-callbacks queue, where its event monitor puts payment-key tasks; none by default. */
    default java.util.Optional<SystemCallbacks> systemCallbacks() {
        return java.util.Optional.empty();
    }

    /**
     * OutLayer's {@code CompleteHttpsCallRequest}: the output as a JSON value (the parsed stdout
     * of a {@code Json} call), the error of a failed run, what it used, the part of the attached
     * deposit to give back ({@code refund_usd}) and the job that ran it.
     */
    record Report(
            String callId,
            boolean success,
            JsonNode output,
            String error,
            long instructions,
            long timeMs,
            long refundUsd,
            Long jobId) {}
}

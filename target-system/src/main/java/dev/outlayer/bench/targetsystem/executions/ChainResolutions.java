package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.executions.ExecutionTask.TaskKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job store reconciled with the chain, by the event monitor: when a request's callback
 * reports the execution ({@code execution_completed}), the resolution transactions the chain
 * accepted for it that a worker of this coordinator sent and has not recorded yet are recorded
 * here, the one whose data reached the callback (the first accepted) with the event's outcome. A
 * worker that dies after the chain took its resolution and before it recorded it would otherwise
 * leave the job to a take-over whose resolution the contract refuses, and the job failed though
 * the chain resolved it. The store knows a resolution by its transaction, so the worker's own
 * record, racing this one or coming back late, counts nothing twice.
 */
final class ChainResolutions {
    private static final Logger LOG = LoggerFactory.getLogger(ChainResolutions.class);
    /** How the contract's resolve_execution (and submit_execution_output_and_resolve) log begins. */
    static final String RESOLVING = "Resolving execution for request_id: ";

    private final String name;
    private final JobStore store;
    private final PhaseClock phases;
    /**
     * The resolution transactions the chain accepted for each request not called back yet, in the
     * order they ran: the first one's data is what reaches the callback.
     */
    private final Map<Long, List<String>> accepted;

    private volatile long recordedFromChain;

    ChainResolutions(String name, JobStore store, PhaseClock phases, int trackedRequests) {
        this.name = name;
        this.store = store;
        this.phases = phases;
        this.accepted = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, List<String>> eldest) {
                return size() > trackedRequests;
            }
        };
    }

    /** A successful receipt on the contract: a resolution the contract accepted if it logs OutLayer's line. */
    void accepted(ReceiptSource.ReceiptOutcome receipt) {
        for (String log : receipt.logs()) {
            if (log.startsWith(RESOLVING)) {
                int end = RESOLVING.length();
                while (end < log.length() && log.charAt(end) >= '0' && log.charAt(end) <= '9') {
                    end++;
                }
                long requestId;
                try {
                    requestId = Long.parseUnsignedLong(log.substring(RESOLVING.length(), end));
                } catch (NumberFormatException e) {
                    return; // not a u64: no request of this contract
                }
                synchronized (accepted) {
                    List<String> txs = accepted.computeIfAbsent(requestId, id -> new ArrayList<>(1));
                    if (!txs.contains(receipt.txHash())) { // the receipt handed in again after a failure
                        txs.add(receipt.txHash());
                    }
                }
                return; // one resolution per receipt (the combined flow logs the line twice)
            }
        }
    }

    /**
     * The request's callback ran, with the data of its {@code execution_completed} event, or null
     * when it has none (the yield timed out: nothing was resolved). Records the accepted
     * resolutions this coordinator's workers sent and have not recorded: the first with the
     * event's outcome, any later one counted only (the chain took a second resume of the yield,
     * whose data never reached the callback). A store failure is thrown: the request's resolutions
     * stay tracked until a later call records them all (what this one recorded counts once).
     */
    void calledBack(TaskKey request, ContractEvents.ExecutionCompleted completed) {
        List<String> txs;
        synchronized (accepted) {
            txs = accepted.get(request.requestId());
            txs = txs == null ? List.of() : List.copyOf(txs);
        }
        if (completed != null) {
            recordUnrecorded(request, txs, completed);
        }
        synchronized (accepted) {
            accepted.remove(request.requestId());
        }
    }

    private void recordUnrecorded(TaskKey request, List<String> txs, ContractEvents.ExecutionCompleted completed) {
        for (int i = 0; i < txs.size(); i++) {
            String txHash = txs.get(i);
            Optional<PhaseClock.SentResolution> sent = phases.sentResolution(txHash);
            if (sent.isEmpty() || sent.get().recorded()) {
                continue; // another coordinator's worker sent it (its monitor records it), or its worker did
            }
            record(request, txHash, sent.get().workerId(), i == 0 ? outcomeOf(completed) : null);
        }
    }

    private void record(TaskKey request, String txHash, String workerId, JobOutcome outcome) {
        AcceptedResolution.Recorded recorded = store.recordResolution(
                AcceptedResolution.readFromChain(request.requestId(), request.dataId(), txHash, workerId, outcome));
        if (recorded.counted()) {
            recordedFromChain++;
            LOG.debug(
                    "{}: recorded {}'s resolution {} of request {} from the chain",
                    name,
                    workerId,
                    txHash,
                    request.requestId());
        }
        if (recorded.executedTwice()) {
            phases.executedTwice();
            LOG.error("request {} was resolved twice (second by {}, {})", request.requestId(), workerId, txHash);
        }
    }

    /**
     * The run as the callback's {@code execution_completed} event reports it. The chain keeps no
     * failure category: a compile failure is told by its note, anything else is {@code failed}.
     */
    static JobOutcome outcomeOf(ContractEvents.ExecutionCompleted completed) {
        long timeMs = completed.resourcesUsed().timeMs();
        if (completed.success()) {
            return JobOutcome.succeeded(timeMs, completed.resourcesUsed().instructions(), null);
        }
        String category = ExecutionWorker.COMPILATION_FAILED.equals(completed.compilationNote())
                ? "compilation_failed"
                : "failed";
        return JobOutcome.failed(category, completed.errorMessage(), timeMs);
    }

    /** Accepted resolutions recorded here before their worker recorded them. */
    long recordedFromChain() {
        return recordedFromChain;
    }
}

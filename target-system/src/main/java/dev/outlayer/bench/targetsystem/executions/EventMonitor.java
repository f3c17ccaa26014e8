package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.errors.TransientFailure;
import dev.outlayer.bench.targetsystem.executions.ContractEvents.DeletePaymentKey;
import dev.outlayer.bench.targetsystem.executions.ContractEvents.EventCodeSource;
import dev.outlayer.bench.targetsystem.executions.ContractEvents.ExecutionCompleted;
import dev.outlayer.bench.targetsystem.executions.ContractEvents.ExecutionContext;
import dev.outlayer.bench.targetsystem.executions.ContractEvents.ExecutionRequested;
import dev.outlayer.bench.targetsystem.executions.ContractEvents.Nep297;
import dev.outlayer.bench.targetsystem.executions.ContractEvents.RequestData;
import dev.outlayer.bench.targetsystem.executions.ContractEvents.SystemEvent;
import dev.outlayer.bench.targetsystem.executions.ContractEvents.TopUpPaymentKey;
import dev.outlayer.bench.targetsystem.executions.ExecutionTask.TaskKey;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.timing.RetryPause;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the chain's receipt outcomes as OutLayer's event monitor does (worker
 * event_monitor.rs): in the outcomes of receipts on the contract, an {@code EVENT_JSON:} log with
 * standard {@code near-outlayer} and event {@code execution_requested} becomes a task in the
 * store (queued once however many monitors see it). Events are bound to records typed as OutLayer's worker
 * types them ({@link ContractEvents}); one that does not bind is logged and skipped, never read as defaults.
 * It also notes, for the phase clock, when a
 * request's resolution transaction and its yield callback ({@code on_execution_response}, the
 * contract's receipt on itself in the request's transaction) ran.
 *
 * The chain is the source of truth for what resolved a request: the resolutions it accepted and
 * the callbacks that reported them go to {@link ChainResolutions}, which records them for a worker
 * that did not.
 */
public final class EventMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventMonitor.class);
    static final String EVENT_PREFIX = "EVENT_JSON:";
    static final String STANDARD = "near-outlayer";
    /** What OutLayer's monitor assumes when a source names no build target. */
    static final String DEFAULT_BUILD_TARGET = "wasm32-wasi";

    private static final int BATCH = 512;
    private static final int TRACKED_REQUESTS = 100_000;
    /**
     * Tries of a receipt whose handling fails other than transiently (TransientFailure) before the
     * monitor gives it up: such a failure comes back the same every time, and the receipt would hold
     * every later request behind it. About 1.5 s of pauses.
     */
    static final int REFUSALS_BEFORE_SKIPPING = 5;

    private final String name;
    private final ReceiptSource source;
    private final String contractId;
    private final JobStore store;
    private final PhaseClock phases;
    private final ContractViews views;
    /** Requests seen, by their request_execution transaction: its yield callback finishes them. */
    private final Map<String, TaskKey> requestsByTx = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TaskKey> eldest) {
            return size() > TRACKED_REQUESTS;
        }
    };
    /** The resolutions the chain accepted, recorded from the callback for a worker that did not. */
    private final ChainResolutions resolutions;

    /** Where the contract's {@code system_event}s go (OutLayer's monitor posts them to /topup/create etc.). */
    private volatile SystemCallbacks systemCallbacks;

    private volatile long cursor;
    private volatile long eventsSeen;
    private volatile long tasksCreated;
    private volatile long missed;
    /** Tries of the receipt at the cursor that failed in a row (the store down): 0 while the monitor keeps up. */
    private volatile int failuresInARow;
    /** The position of the receipt being handled, so that one refused for good can be given up. */
    private volatile long inHand;
    /** Receipts given up: their handling failed {@link #REFUSALS_BEFORE_SKIPPING} times, not transiently. */
    private volatile long skipped;
    /** When the monitor last read the feed and handled all it read (null before its first read). */
    private volatile java.time.Instant lastReadAt;
    /** The height of the block of the last receipt outcome it handled (-1: none yet). */
    private volatile long lastBlockHeight = -1;

    private volatile Thread thread;
    private volatile boolean stopping;

    public EventMonitor(String name, ReceiptSource source, String contractId, JobStore store, PhaseClock phases) {
        this(name, source, contractId, store, phases, ContractViews.NONE);
    }

    /** @param views the contract's views, for a request's input too large for its event ({@code get_request}) */
    public EventMonitor(
            String name,
            ReceiptSource source,
            String contractId,
            JobStore store,
            PhaseClock phases,
            ContractViews views) {
        this.views = views;
        this.name = name;
        this.source = source;
        this.contractId = contractId;
        this.store = store;
        this.phases = phases;
        this.resolutions = new ChainResolutions(name, store, phases, TRACKED_REQUESTS);
    }

    /**
     * Turns the contract's {@code system_event}s into tasks of {@code callbacks}: {@code
     * TopUpPaymentKey} (a key's creation with amount 0, or a top-up's yield) and {@code
     * DeletePaymentKey}, as OutLayer's event monitor creates them on its coordinator.
     */
    public EventMonitor withSystemCallbacks(SystemCallbacks callbacks) {
        this.systemCallbacks = callbacks;
        return this;
    }

    /** Follows the feed from its oldest entry on a thread of its own. */
    public EventMonitor start() {
        Thread t = new Thread(this::follow, name);
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    private void follow() {
        int refusals = 0;
        while (!stopping) {
            try {
                poll(200);
                failuresInARow = 0;
                refusals = 0;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The cursor stays on the receipt that failed (nothing it carries is lost): try it again
                // after a pause, not at once, for as long as the store is down.
                int failures = ++failuresInARow;
                if (!TransientFailure.in(e) && ++refusals >= REFUSALS_BEFORE_SKIPPING) {
                    // Refused for good (the store rejects what it carries, or a bug): holding the cursor
                    // would stop every later request; this one's yield times out and refunds instead.
                    skipped++;
                    LOG.error(
                            "{}: gave up the receipt at position {} after {} refusals; its request gets no task",
                            name,
                            inHand,
                            refusals,
                            e);
                    cursor = inHand;
                    failuresInARow = 0;
                    refusals = 0;
                    continue;
                }
                LOG.warn("{}: {} (failure {} in a row)", name, e.toString(), failures);
                if (!RetryPause.sleep(failures)) {
                    return;
                }
            }
        }
    }

    /** Reads what the feed has after the cursor (waiting up to {@code waitMillis}) and handles it. */
    public void poll(long waitMillis) throws InterruptedException {
        ReceiptSource.Batch batch = source.after(cursor, BATCH, waitMillis);
        if (batch.missed() > 0) {
            missed += batch.missed();
            LOG.warn("{}: fell behind the receipt feed, {} outcomes missed", name, batch.missed());
        }
        for (ReceiptSource.ReceiptOutcome outcome : batch.outcomes()) {
            inHand = outcome.cursor();
            handle(outcome);
            cursor = outcome.cursor();
            lastBlockHeight = Math.max(lastBlockHeight, outcome.blockHeight());
        }
        lastReadAt = java.time.Instant.now();
    }

    /**
     * Where a monitor stands, for OutLayer's {@code GET /health/detailed} (its event monitors report
     * their block height with their heartbeat).
     *
     * @param lastReadAt when it last read the feed and handled all it read (null before its first read)
     * @param lastBlockHeight the block of the last receipt outcome it handled (null when none came)
     */
    public record Progress(String name, java.time.Instant lastReadAt, Long lastBlockHeight) {}

    public Progress progress() {
        long height = lastBlockHeight;
        return new Progress(name, lastReadAt, height < 0 ? null : height);
    }

    private void handle(ReceiptSource.ReceiptOutcome outcome) {
        if (!contractId.equals(outcome.receiverId())) {
            return;
        }
        phases.requestOfResolveTx(outcome.txHash())
                .ifPresent(requestId -> phases.mark(requestId, Phase.RESOLVE_TX_INCLUDED, outcome.executedAtMicros()));
        if (contractId.equals(outcome.predecessorId())) {
            TaskKey request;
            synchronized (requestsByTx) {
                request = requestsByTx.get(outcome.txHash());
            }
            if (request != null) {
                ExecutionCompleted completed = executionCompleted(outcome);
                // OutLayer's callback may log a failed execution and still succeed as a receipt; a yield
                // that timed out also ends in a successful callback, with a refund and no execution_completed
                boolean succeeded = outcome.success() && completed != null && completed.success();
                phases.callbackDone(request.requestId(), succeeded, outcome.executedAtMicros());
                resolutions.calledBack(request, completed);
                // forgotten only once its resolutions are recorded: a store failure hands this callback in again
                synchronized (requestsByTx) {
                    requestsByTx.remove(outcome.txHash());
                }
            }
            return;
        }
        if (outcome.success()) {
            resolutions.accepted(outcome);
        }
        for (String log : outcome.logs()) {
            Nep297 event = log.startsWith(EVENT_PREFIX) ? Nep297.of(log.substring(EVENT_PREFIX.length())) : null;
            if (event == null) {
                continue;
            }
            JsonNode requested = event.dataOf("execution_requested");
            JsonNode system = event.dataOf("system_event");
            if (requested != null) {
                ExecutionTask task = executionRequested(requested, outcome);
                if (task != null) {
                    requested(task, outcome);
                }
            } else if (system != null) {
                systemEvent(system, outcome);
            }
        }
    }

    private void requested(ExecutionTask task, ReceiptSource.ReceiptOutcome outcome) {
        long seen = PhaseClock.nowMicros();
        synchronized (requestsByTx) {
            requestsByTx.put(outcome.txHash(), task.key());
        }
        phases.mark(task.requestId(), Phase.TX_INCLUDED, outcome.executedAtMicros());
        phases.mark(task.requestId(), Phase.EVENT_SEEN, seen);
        // Stamped before the enqueue: a waiting worker may claim the task before enqueue returns.
        long created = PhaseClock.nowMicros();
        boolean createdHere = store.enqueue(task); // a failure is thrown: the monitor hands this receipt in again
        eventsSeen++;
        if (createdHere) {
            tasksCreated++;
            phases.mark(task.requestId(), Phase.JOB_CREATED, created);
        }
    }

    /**
     * A {@code system_event} of the contract (payment.rs {@code SystemEvent}, externally tagged)
     * becomes a system-callback task; other variants are not handled here, and one that does not bind is
     * logged and skipped.
     */
    private void systemEvent(JsonNode data, ReceiptSource.ReceiptOutcome outcome) {
        SystemCallbacks callbacks = systemCallbacks;
        if (callbacks == null) {
            return;
        }
        SystemEvent event;
        try {
            event = ContractEvents.bind(data, SystemEvent.class);
        } catch (ApiException e) {
            unreadable("a system_event", outcome, e);
            return;
        }
        // a store failure is thrown, and the monitor hands this receipt in again
        if (event.topUp() != null) {
            TopUpPaymentKey t = event.topUp();
            callbacks.createTopUp(ContractEvents.hex(t.dataId()), t.owner(), t.nonce(), t.amount(), t.encryptedData());
        } else if (event.delete() != null) {
            DeletePaymentKey d = event.delete();
            callbacks.createDelete(ContractEvents.hex(d.dataId()), d.owner(), d.nonce());
        } else {
            return;
        }
        eventsSeen++;
    }

    /**
     * The data of the callback's {@code execution_completed} event (it ran with a resolution: OutLayer's
     * callback may log a failed execution and still succeed as a receipt), or null when it has none (the
     * yield timed out) or it does not bind (logged).
     */
    private ExecutionCompleted executionCompleted(ReceiptSource.ReceiptOutcome callback) {
        for (String log : callback.logs()) {
            Nep297 event = log.startsWith(EVENT_PREFIX) ? Nep297.of(log.substring(EVENT_PREFIX.length())) : null;
            JsonNode data = event == null ? null : event.dataOf("execution_completed");
            if (data != null) {
                try {
                    return ContractEvents.bind(data, ExecutionCompleted.class);
                } catch (ApiException e) {
                    unreadable("an execution_completed event", callback, e);
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * The task of an {@code execution_requested} event's data, or null when it or its request data does not
     * bind (logged and skipped, as OutLayer's process_log skips it) or its input cannot be read.
     */
    private ExecutionTask executionRequested(JsonNode data, ReceiptSource.ReceiptOutcome outcome) {
        ExecutionRequested event;
        RequestData request;
        try {
            event = ContractEvents.bind(data, ExecutionRequested.class);
            request = ContractEvents.bind(event.requestData(), RequestData.class);
        } catch (ApiException e) {
            unreadable("an execution_requested event", outcome, e);
            return null;
        }
        String input;
        try {
            input = inputData(request);
        } catch (RuntimeException e) {
            // as OutLayer's handle_execution_requested: a request whose input cannot be fetched is logged, not queued
            LOG.warn(
                    "{}: the input of the request in receipt {} cannot be read: {}",
                    name,
                    outcome.receiptId(),
                    e.toString());
            return null;
        }
        ExecutionContext context = new ExecutionContext(
                request.senderId(),
                outcome.blockHeight(),
                event.timestamp(),
                contractId,
                outcome.txHash(),
                outcome.receiptId(),
                outcome.predecessorId(),
                outcome.signerPublicKey(),
                outcome.gasBurnt());
        return new ExecutionTask(
                request.requestId(),
                ContractEvents.hex(event.dataId()),
                request.codeSource().codeSource(),
                request.resourceLimits().resourceLimits(),
                input,
                request.secretsRef(),
                request.responseFormat(),
                JsonCodec.MAPPER.valueToTree(context),
                request.senderId(),
                request.payment(),
                outcome.txHash(),
                outcome.blockHeight(),
                request.compileOnly(),
                request.forceRebuild(),
                request.storeOnFastfs(),
                null,
                request.projectId(),
                request.projectUuid(),
                request.attachedUsd());
    }

    /** An event of ours that does not bind: skipped, as OutLayer's monitor skips it, and said so. */
    private void unreadable(String what, ReceiptSource.ReceiptOutcome outcome, Exception e) {
        LOG.warn("{}: {} in receipt {} does not parse, skipped: {}", name, what, outcome.receiptId(), e.getMessage());
    }

    /**
     * The request's input: in the event, or, when it was too large for the event log ({@code
     * input_data_in_state}), read from the pending request with {@code get_request} as OutLayer's
     * monitor reads it (a request whose input cannot be read is not queued: it would run on none).
     */
    private String inputData(RequestData request) {
        if (!request.inputDataInState()) {
            return request.inputData();
        }
        long requestId = request.requestId();
        JsonNode input = views.view("get_request", "{\"request_id\":" + Long.toUnsignedString(requestId) + "}")
                .map(pending -> pending.path("input_data"))
                .orElse(null);
        if (input == null || !input.isTextual()) {
            throw new IllegalStateException("input_data of request " + Long.toUnsignedString(requestId)
                    + " is in the contract's state, and" + " get_request did not give it");
        }
        return input.asText();
    }

    /**
     * A {@code CodeSource} of the contract's views ({@code {"GitHub": {...}}} or {@code {"WasmUrl": {...}}}),
     * typed as the event's; IllegalArgumentException when it is neither or does not bind.
     */
    static CodeSource codeSource(JsonNode node) {
        try {
            return ContractEvents.bind(node, EventCodeSource.class).codeSource();
        } catch (ApiException e) {
            throw new IllegalArgumentException("code_source must be GitHub or WasmUrl: " + e.getMessage(), e);
        }
    }

    /**
     * Counters for /health: events seen, tasks this monitor created, outcomes missed, accepted
     * resolutions it recorded from the chain before their worker did, how many tries of the
     * receipt at its cursor failed in a row (above 0: the monitor is stalled on its store, nothing lost)
     * and how many receipts it gave up because their handling was refused, not transiently.
     */
    public Map<String, Object> health() {
        return Map.of(
                "events_seen",
                eventsSeen,
                "tasks_created",
                tasksCreated,
                "missed",
                missed,
                "cursor",
                cursor,
                "resolutions_from_chain",
                resolutions.recordedFromChain(),
                "failures_in_a_row",
                failuresInARow,
                "skipped",
                skipped);
    }

    @Override
    public void close() {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

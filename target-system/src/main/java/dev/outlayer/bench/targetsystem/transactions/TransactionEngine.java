package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;
import dev.outlayer.bench.targetsystem.contracts.InvalidTxException;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.contracts.ReceiptRecord;
import dev.outlayer.bench.targetsystem.contracts.SignedActions;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.json.RawJson;
import dev.outlayer.bench.targetsystem.json.RpcJson;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.EmptyObject;
import dev.outlayer.bench.targetsystem.rpc.RpcException;
import dev.outlayer.bench.targetsystem.rpc.TransactionPort;
import dev.outlayer.bench.targetsystem.rpc.TxExecutionStatus;
import dev.outlayer.bench.targetsystem.transactions.TransactionViews.FinalExecutionOutcomeView;
import dev.outlayer.bench.targetsystem.transactions.TransactionViews.FinalExecutionOutcomeWithReceiptView;
import dev.outlayer.bench.targetsystem.transactions.TransactionViews.RpcTransactionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed transactions as a NEAR node takes them: decoded from Borsh, checked in nearcore's order
 * (block hash validity period, size, actions, signature, nonce upper bound), then handed to the
 * receipt engine ({@link TransactionChain#submit}), which checks the access key, nonce, permission,
 * allowance and balance against state, charges the signer and runs the receipts. A refused
 * transaction changes no state. Decoded transactions are kept by hash for {@code tx}.
 *
 * <p>A transaction is included in the head block when submitted (one whose nonce leaves a gap
 * above its key's, in the next block: {@link TransactionPool}); a block is final two blocks later
 * (the emulator's {@code last_final_block}). {@code wait_until} waits, without a thread
 * ({@link TxWaits}), for the status nearcore would report ({@code get_tx_execution_status}):
 * executed or not, final or not. The receipts the trees create are kept as ReceiptViews.
 */
public final class TransactionEngine implements TransactionPort {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionEngine.class);
    /** nearcore's ACCESS_KEY_NONCE_RANGE_MULTIPLIER: a nonce must stay below height times this. */
    static final long NONCE_RANGE_MULTIPLIER = 1_000_000L;
    /** Blocks from inclusion to finality in the emulated chain. */
    static final long FINALITY_LAG = 2;

    private final BlockClock clock;
    private final TransactionChain chain;
    private final TransactionLimits limits;
    private final long waitTimeoutMillis;
    private final OutcomeViews views;
    private final StatePatch patches;
    /**
     * The views of accepted transactions, as many as the chain keeps outcome trees of (both are needed
     * to answer {@code tx}), within {@link #KEPT_BYTES}.
     */
    private final RecentTransactions sent = new RecentTransactions(ContractSimulator.RECENT_OUTCOMES, KEPT_BYTES);
    /** What the kept transaction views may take: 64 MiB (a transaction is at most a request body). */
    static final long KEPT_BYTES = 64L << 20;
    /**
     * The ReceiptViews of the receipts those transactions' trees created, for EXPERIMENTAL_receipt,
     * EXPERIMENTAL_tx_status and chunk: by id and by the height that created them, the newest first
     * in first out, as many as 16 per kept tree and within {@link #KEPT_BYTES} (a function call's
     * arguments are shown whole).
     */
    private final RecentTransactions receipts =
            new RecentTransactions(ContractSimulator.RECENT_OUTCOMES * 16, KEPT_BYTES);
    /**
     * Transactions being checked and run, by hash: a copy sent meanwhile waits for the first and
     * gets its answer (nearcore's pool drops the duplicate and the RPC waits for the outcome), rather
     * than running into the nonce the first has just used; {@code tx} finds them here until they are
     * in {@link #sent}.
     */
    private final ConcurrentHashMap<String, InFlight> submitting = new ConcurrentHashMap<>();
    /** The wait_until waits: none holds a thread while the chain has not reached what it waits for. */
    private final TxWaits waits;
    /** Transactions whose nonce leaves a gap: they wait for the next block (nearcore's pool order). */
    private final TransactionPool pool;

    /** A transaction being checked and run, and its outcome tree (or refusal) once the chain answered. */
    private record InFlight(SignedTransaction tx, CompletableFuture<TxOutcome> outcome) {}

    /** @param waitTimeoutMillis how long a {@code wait_until} may wait before TIMEOUT_ERROR */
    public TransactionEngine(
            BlockClock clock, TransactionChain chain, TransactionLimits limits, long waitTimeoutMillis) {
        this.clock = clock;
        this.chain = chain;
        this.limits = limits;
        this.waitTimeoutMillis = waitTimeoutMillis;
        this.views = new OutcomeViews(clock);
        this.patches = new StatePatch(chain);
        this.waits = new TxWaits(clock);
        // A pooled transaction runs as one sent without waiting: its first receipt, the rest behind.
        this.pool = new TransactionPool(clock, tx -> submit(tx, true, deadline()));
        chain.logReceipts(this::keepReceipt);
    }

    /**
     * A receipt as the chain stored it, rendered now so that its actions' bytes (a deploy's code) are
     * not kept; listed under the chunk after the one that created it, as nearcore's
     * prev_outgoing_receipts, except a yield, which waits in state rather than travelling.
     */
    private void keepReceipt(ReceiptRecord receipt) {
        receipts.add(
                receipt.receiptId(),
                receipt.promiseYield() ? RecentTransactions.UNLISTED : receipt.createdAtHeight() + 1,
                ReceiptViews.view(receipt));
    }

    @Override
    public TransactionLimits limits() {
        return limits;
    }

    @Override
    public Optional<RawJson> receipt(String receiptId) {
        return Optional.ofNullable(receipts.view(receiptId));
    }

    @Override
    public List<RawJson> receiptsArrivingAt(long height) {
        return receipts.includedAt(height);
    }

    /**
     * EXPERIMENTAL_tx_status's {@code receipts}, as nearcore's get_final_transaction_result_with_receipt:
     * the ReceiptView of each receipt outcome, but a local transaction's first receipt, which nearcore
     * never stores. A receipt no longer kept is left out.
     */
    private List<RawJson> receiptViews(TxOutcome tree) {
        List<RawJson> list = new ArrayList<>();
        List<String> converted = tree.transactionOutcome().receiptIds();
        String local = tree.signerId().equals(tree.receiverId()) && !converted.isEmpty() ? converted.get(0) : null;
        for (TxOutcome.ExecutionOutcome outcome : tree.receiptsOutcome()) {
            RawJson view = outcome.id().equals(local) ? null : receipts.view(outcome.id());
            if (view != null) {
                list.add(view);
            }
        }
        return list;
    }

    @Override
    public CompletableFuture<RpcTransactionResponse> send(byte[] signedTransaction, TxExecutionStatus waitUntil) {
        SignedTransaction tx = decode(signedTransaction);
        if (pooled(tx)) {
            // Run at the next block, after any lower nonce of its key that arrives meanwhile.
            if (waitUntil == TxExecutionStatus.NONE) {
                return CompletableFuture.completedFuture(RpcTransactionResponse.NONE);
            }
            return waits.await(() -> statusSoFar(tx.hashText(), null, waitUntil, false, true), deadline());
        }
        if (waitUntil == TxExecutionStatus.NONE) {
            // nearcore's send_tx hands a NONE transaction to the pool as broadcast_tx_async does and
            // answers before it is checked: a refused one is dropped, the answer is the same.
            accept(tx);
            return CompletableFuture.completedFuture(RpcTransactionResponse.NONE);
        }
        boolean includedNow = !sent.contains(tx.hashText()) && !submitting.containsKey(tx.hashText());
        // INCLUDED is answered before the tree has run: only its first receipt runs first.
        CompletableFuture<TxOutcome> tree =
                submit(tx, waitUntil.compareTo(TxExecutionStatus.EXECUTED_OPTIMISTIC) < 0, deadline());
        if (waitUntil == TxExecutionStatus.INCLUDED && includedNow) {
            // nearcore answers once the including block is applied, before a receipt to another account
            // runs in the next one; here that receipt has run already, so the answer is the tree as of then.
            return tree.thenApply(run -> renderAtInclusion(transactionView(tx), run, false));
        }
        // The wait counts from the transaction's acceptance, as nearcore's tx_status_fetch after send_tx_internal.
        return tree.thenCompose(run -> awaitTree(transactionView(tx), run, waitUntil, false, deadline()));
    }

    /** Calls waiting for their wait_until (none of them holds a thread). */
    public int pendingWaits() {
        return waits.pending();
    }

    @Override
    public String sendAsync(byte[] signedTransaction) {
        SignedTransaction tx = decode(signedTransaction);
        accept(tx);
        return tx.hashText();
    }

    /**
     * broadcast_tx_async and send_tx with NONE: nearcore's send_tx_async sends the transaction to its
     * client (ProcessTxRequest) without waiting for the checks, and answers its hash whatever they
     * find; a refused transaction is dropped and `tx` never finds it. Here it is checked and its first
     * receipt run before the answer, which is the same answer. A copy of a transaction in flight is
     * not waited for.
     */
    private void accept(SignedTransaction tx) {
        try {
            if (!pooled(tx)) {
                submit(tx, true, deadline());
            }
        } catch (RpcException refused) {
            LOG.debug("transaction {} sent without waiting is dropped: {}", tx.hashText(), refused.getMessage());
        }
    }

    /**
     * Whether {@code tx} waits in the pool for the next block: a new transaction whose nonce leaves a
     * gap above its access key's nonce, so that a lower nonce of the same key arriving in this block
     * interval runs first, as in nearcore's pool. It is checked first (process_tx validates before
     * the pool takes it): a refusal is thrown at once.
     */
    private boolean pooled(SignedTransaction tx) {
        if (sent.contains(tx.hashText()) || submitting.containsKey(tx.hashText())) {
            return false;
        }
        Optional<AccessKey> key = chain.accessKey(tx.signerId(), tx.publicKey());
        if (key.isEmpty()) {
            return false;
        }
        // A gas key's transaction follows the nonce of the slot it names (one it does not have is refused).
        List<Long> slots = key.get().gasKeyNonces();
        long current = tx.nonceIndex() < 0
                ? key.get().nonce()
                : tx.nonceIndex() < slots.size() ? slots.get(tx.nonceIndex()) : -1;
        if (current == -1 || Long.compareUnsigned(tx.nonce(), current + 1) <= 0) {
            return false;
        }
        checkOnly(tx);
        pool.hold(tx);
        return true;
    }

    /** Transactions waiting in the pool for the next block. */
    public int pooledTransactions() {
        return pool.size();
    }

    @Override
    public CompletableFuture<RpcTransactionResponse> status(
            String hash, String senderAccountId, TxExecutionStatus waitUntil, boolean withReceipts) {
        // One shard: in nearcore the sender only routes the request; the hash finds the transaction.
        boolean beforeInclusion = !sent.contains(hash);
        return waits.await(() -> statusSoFar(hash, null, waitUntil, withReceipts, beforeInclusion), deadline());
    }

    /**
     * One look for the transaction, as one poll of nearcore's tx_status_fetch: its answer once it
     * reached {@code waitUntil}, null while it has not (or is still being checked). A transaction
     * neither kept nor in flight is waited for, as nearcore polls for a transaction that may still
     * arrive, unless {@code waitUntil} is NONE (UNKNOWN_TRANSACTION at once); given its signed bytes
     * ({@code signed} not null), it is checked as process_tx with check_only does, and a refusal
     * answers INVALID_TRANSACTION. A wait for INCLUDED that began before the transaction was
     * accepted ({@code beforeInclusion}) is answered as nearcore's poll finds it then: the tree as
     * of the including block.
     */
    private RpcTransactionResponse statusSoFar(
            String hash,
            SignedTransaction signed,
            TxExecutionStatus waitUntil,
            boolean withReceipts,
            boolean beforeInclusion) {
        // The kept view's JSON is looked up only to answer, not at every look of a pending wait.
        Supplier<RawJson> tx = keptView(hash);
        Optional<TxOutcome> tree = chain.outcome(hash);
        if (tx == null || tree.isEmpty()) {
            InFlight running = submitting.get(hash);
            if (running != null) {
                // Accepted and running (its tree is in the chain), or still being checked: nearcore
                // answers a transaction in flight by its status so far, never UNKNOWN_TRANSACTION.
                if (tree.isEmpty()) {
                    return null;
                }
                tx = () -> rendered(running.tx());
            } else {
                // It may have finished between the two looks.
                tx = keptView(hash);
                tree = chain.outcome(hash);
            }
        }
        if (tx == null || tree.isEmpty()) {
            if (signed != null) {
                checkOnly(signed);
            }
            if (waitUntil == TxExecutionStatus.NONE) {
                throw RpcException.unknownTransaction(hash);
            }
            return null;
        }
        if (beforeInclusion && waitUntil == TxExecutionStatus.INCLUDED) {
            RawJson view = tx.get();
            return view == null ? null : renderAtInclusion(view, tree.get(), withReceipts);
        }
        tree.get().onReceipt(waits::signal);
        TxExecutionStatus reached = reached(tree.get());
        if (reached.compareTo(waitUntil) < 0) {
            return null;
        }
        RawJson view = tx.get();
        // null: forgotten since the look above (4,096 newer transactions); looked for again.
        return view == null ? null : render(view, tree.get(), reached, withReceipts);
    }

    /** The kept view of the transaction, read when called; null when it is not kept. */
    private Supplier<RawJson> keptView(String hash) {
        return sent.contains(hash) ? () -> sent.view(hash) : null;
    }

    /** The transaction's view as kept, or rendered now if it is no longer kept. */
    private RawJson transactionView(SignedTransaction tx) {
        RawJson kept = sent.view(tx.hashText());
        return kept != null ? kept : rendered(tx);
    }

    private static RawJson rendered(SignedTransaction tx) {
        return RpcJson.rendered(tx.view());
    }

    @Override
    public CompletableFuture<RpcTransactionResponse> status(
            byte[] signedTransaction, TxExecutionStatus waitUntil, boolean withReceipts) {
        SignedTransaction tx = decode(signedTransaction);
        boolean beforeInclusion = !sent.contains(tx.hashText());
        return waits.await(() -> statusSoFar(tx.hashText(), tx, waitUntil, withReceipts, beforeInclusion), deadline());
    }

    @Override
    public List<RawJson> transactionsIncludedAt(long height) {
        return sent.includedAt(height);
    }

    @Override
    public Optional<AccessKeyView> accessKey(String accountId, String publicKey) {
        PublicKey key = PublicKey.parse(publicKey);
        return key == null ? Optional.empty() : chain.accessKey(accountId, key).map(AccessKeyView::of);
    }

    @Override
    public Optional<List<Long>> gasKeyNonces(String accountId, String publicKey) {
        PublicKey key = PublicKey.parse(publicKey);
        return key == null
                ? Optional.empty()
                : chain.accessKey(accountId, key)
                        .filter(k -> k.gasKey() != null)
                        .map(AccessKey::gasKeyNonces);
    }

    @Override
    public List<AccessKeyInfoView> accessKeys(String accountId) {
        return chain.accessKeys(accountId).entrySet().stream()
                // nearcore lists them as its trie holds them: by the key's Borsh bytes (curve, then data)
                .sorted(Map.Entry.comparingByKey((a, b) -> java.util.Arrays.compareUnsigned(a.toBorsh(), b.toBorsh())))
                .map(entry -> new AccessKeyInfoView(entry.getKey().toString(), AccessKeyView.of(entry.getValue())))
                .toList();
    }

    @Override
    public void fastForwarded() {
        chain.runDueYields();
        waits.signal(); // the waits for finality see the jump at once
    }

    @Override
    public EmptyObject patchState(JsonNode params) {
        patches.apply(params);
        return EmptyObject.INSTANCE;
    }

    private static SignedTransaction decode(byte[] bytes) {
        try {
            return SignedTransaction.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw RpcException.parseError("Failed to decode transaction: " + e.getMessage());
        }
    }

    /**
     * Checks and runs {@code tx}, or finds it already run: a resent transaction is answered, not run
     * twice. A copy sent while the first still runs gets the first's tree (or refusal) when it has
     * one, waiting no longer than {@code deadline} (then TIMEOUT_ERROR, as for a transaction in
     * flight), without holding a thread.
     */
    private CompletableFuture<TxOutcome> submit(SignedTransaction tx, boolean firstReceiptOnly, long deadline) {
        if (sent.contains(tx.hashText())) {
            Optional<TxOutcome> known = chain.outcome(tx.hashText());
            if (known.isPresent()) {
                return CompletableFuture.completedFuture(known.get());
            }
        }
        InFlight mine = new InFlight(tx, new CompletableFuture<>());
        InFlight first = submitting.putIfAbsent(tx.hashText(), mine);
        if (first != null) {
            return waits.within(first.outcome(), deadline);
        }
        waits.signal(); // a tx waiting for this hash finds it in flight
        try {
            TxOutcome tree = checkAndRun(tx, firstReceiptOnly);
            sent.add(tx.hashText(), tree.transactionOutcome().blockHeight(), tx.view());
            mine.outcome().complete(tree);
            return CompletableFuture.completedFuture(tree);
        } catch (RuntimeException | Error e) {
            mine.outcome().completeExceptionally(e);
            throw e;
        } finally {
            submitting.remove(tx.hashText(), mine);
            waits.signal();
        }
    }

    private long deadline() {
        return System.nanoTime() + waitTimeoutMillis * 1_000_000L;
    }

    private TxOutcome checkAndRun(SignedTransaction tx, boolean firstReceiptOnly) {
        SignedActions verified = verify(tx);
        try {
            return chain.submit(verified, firstReceiptOnly ? WaitMode.FIRST_RECEIPT : WaitMode.ALL_RECEIPTS);
        } catch (InvalidTxException refused) {
            throw InvalidTx.of(refused);
        } catch (ArithmeticException overflow) {
            throw InvalidTx.costOverflow();
        }
    }

    /** Every check of {@link #checkAndRun}, changing nothing (nearcore's process_tx with check_only). */
    private void checkOnly(SignedTransaction tx) {
        SignedActions verified = verify(tx);
        try {
            chain.check(verified);
        } catch (InvalidTxException refused) {
            throw InvalidTx.of(refused);
        } catch (ArithmeticException overflow) {
            throw InvalidTx.costOverflow();
        }
    }

    /** The checks before state, in nearcore's order; the transaction as the chain checks it then. */
    private SignedActions verify(SignedTransaction tx) {
        long height = clock.latestHeight();
        checkValidityPeriod(tx, height);
        if (tx.size() > limits.maxTransactionSize()) {
            throw InvalidTx.transactionSizeExceeded(tx.size(), limits.maxTransactionSize());
        }
        ActionsValidation.check(tx.actions(), tx.receiverId());
        if (!tx.signatureValid()) {
            throw InvalidTx.invalidSignature();
        }
        // NonceTooLarge is a state check in nearcore, after the signer, its key and the key's nonce.
        return new SignedActions(
                tx.signerId(),
                tx.publicKey(),
                tx.nonce(),
                tx.receiverId(),
                tx.actions(),
                tx.hashText(),
                height * NONCE_RANGE_MULTIPLIER,
                tx.nonceIndex(),
                tx.strictNonce());
    }

    /**
     * nearcore's check_transaction_validity_period: the block hash must be of this chain and at
     * most {@code transaction_validity_period} blocks old; an unknown hash is Expired as well.
     */
    private void checkValidityPeriod(SignedTransaction tx, long height) {
        OptionalLong base = clock.heightOf(tx.blockHash());
        if (base.isEmpty() || height > base.getAsLong() + limits.transactionValidityPeriod()) {
            throw InvalidTx.expired();
        }
    }

    /** Waits, without a thread, until {@code tree} reached {@code waitUntil}, then answers it. */
    private CompletableFuture<RpcTransactionResponse> awaitTree(
            RawJson tx, TxOutcome tree, TxExecutionStatus waitUntil, boolean withReceipts, long deadline) {
        // Woken by the next receipt of the tree at once; finality moves with blocks (TxWaits' ticks).
        tree.onReceipt(waits::signal);
        return waits.await(
                () -> {
                    TxExecutionStatus reached = reached(tree);
                    return reached.compareTo(waitUntil) >= 0 ? render(tx, tree, reached, withReceipts) : null;
                },
                deadline);
    }

    /** The RpcTransactionResponse: the outcome (flattened) and the status it reached. */
    private RpcTransactionResponse render(RawJson tx, TxOutcome tree, TxExecutionStatus reached, boolean withReceipts) {
        FinalExecutionOutcomeView outcome = new FinalExecutionOutcomeView(
                OutcomeViews.finalStatus(tree.finalStatus()),
                tx,
                views.outcome(tree.transactionOutcome()),
                views.receiptsOutcome(tree));
        return new RpcTransactionResponse(
                withReceipts ? new FinalExecutionOutcomeWithReceiptView(outcome, receiptViews(tree)) : outcome,
                reached);
    }

    /**
     * The answer nearcore gives a wait for INCLUDED once the including block is applied (view_client's
     * get_tx_status, get_partial_transaction_result): the outcomes stored by then, so a transaction to
     * another account is {@code Started} with its transaction_outcome and no receipts_outcome, its
     * first receipt being one block ahead; a local one shows its first receipt, run in that block.
     */
    private RpcTransactionResponse renderAtInclusion(RawJson tx, TxOutcome tree, boolean withReceipts) {
        long included = tree.transactionOutcome().blockHeight();
        TxOutcome then = tree.asOf(included);
        return render(tx, then, reached(then, included), withReceipts);
    }

    /** nearcore's get_tx_execution_status, for one shard: executed or not, every block involved final or not. */
    private TxExecutionStatus reached(TxOutcome tree) {
        return reached(tree, clock.latestHeight());
    }

    /** {@link #reached(TxOutcome)} with the chain's head at {@code head}. */
    private TxExecutionStatus reached(TxOutcome tree, long head) {
        boolean executed = !(tree.finalStatus() instanceof ExecutionStatus.Unknown);
        long lastHeight = tree.transactionOutcome().blockHeight();
        for (TxOutcome.ExecutionOutcome receipt : tree.receiptsOutcome()) {
            lastHeight = Math.max(lastHeight, receipt.blockHeight());
        }
        boolean isFinal = head >= lastHeight + FINALITY_LAG;
        if (executed) {
            return isFinal ? TxExecutionStatus.FINAL : TxExecutionStatus.EXECUTED_OPTIMISTIC;
        }
        return isFinal ? TxExecutionStatus.INCLUDED_FINAL : TxExecutionStatus.INCLUDED;
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.state.StateChanges;
import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs receipts as nearcore's runtime does ({@code runtime/runtime/src/lib.rs}): an action
 * receipt waits until the data of every receipt it depends on has arrived, then applies its
 * actions ({@link ReceiptActions}, nearcore's actions.rs) all or nothing on the receiver's
 * account, burns the execution fees, sends data receipts to the receipts waiting on its result,
 * refunds unused gas to the signer and, if it failed, the deposits to the predecessor (or the
 * refund_to its creator set). Receipts a receipt creates run one block later; the chain's height
 * advances with them. Yielded receipts wait until resumed or timed out.
 *
 * <p>A receipt runs under its receiver's call lock, one receipt at a time per account; trees of
 * different transactions interleave as receipts of different shards would.
 */
final class ReceiptEngine {
    /** The predecessor of refunds, as nearcore's system account. */
    static final String SYSTEM = "system";

    /** nearcore's account_creation_config.registrar_account_id. */
    static final String REGISTRAR = "registrar";

    private final ContractSimulator simulator;
    private final BlockClock clock;
    private final ReceiptActions actions;
    /** Yielded receipts by data id (hex), waiting for promise_yield_resume or the timeout. */
    private final ConcurrentHashMap<String, Yielded> yields = new ConcurrentHashMap<>();
    /**
     * nearcore's YieldIdToDataId: the data id (hex) of each waiting yield promise_yield_create_with_id
     * named, by {@link #yieldKey}; removed with the yield when its resume or timeout arrives.
     */
    private final ConcurrentHashMap<String, String> yieldIds = new ConcurrentHashMap<>();
    /** Data that arrived before the receipt waiting for it, by data id. */
    private final Map<String, ReceiptContext.PromiseResult> received = new HashMap<>();
    /** Receipts waiting for data, by the data id they wait for. */
    private final Map<String, Receipt> postponed = new HashMap<>();

    private final OwnedThreads backgroundThread = OwnedThreads.named("receipts");
    private final ExecutorService background = Executors.newSingleThreadExecutor(backgroundThread);

    ReceiptEngine(ContractSimulator simulator, BlockClock clock) {
        this.simulator = simulator;
        this.clock = clock;
        this.actions = new ReceiptActions(simulator, clock, this::yieldsSeenBy);
    }

    /**
     * Lets the trees already running in the background finish (their commits still reach the
     * state log, closed after the simulator), up to {@code finishMillis}; then stops the thread.
     */
    void close(long finishMillis) {
        backgroundThread.finishThenStop(background, java.time.Duration.ofMillis(finishMillis));
    }

    /** An action receipt on its way. Output data receivers grow when a child takes over its result. */
    static final class Receipt {
        /** Set when the receipt that creates it is applied ({@link #assignId}), as nearcore's "Generating receipt IDs". */
        String id;

        byte[] idBytes;
        final String predecessorId;
        final String receiverId;
        final String signerId;
        final PublicKey signerKey;
        final List<Action> actions;
        final List<DataReceiver> outputDataReceivers = new ArrayList<>();
        final List<String> inputDataIds = new ArrayList<>();
        final TxOutcome tree;
        final String yieldDataId;
        /** Linux mode's host functions for the transaction's own call; DIRECT for every other. */
        final HostBinding binding;
        /**
         * ActionReceiptV2's refund_to: where balance refunds go instead of the predecessor, set by the
         * creating call's promise_set_refund_to; null for transactions, refunds and any other receipt.
         */
        String refundTo;

        int pendingData;
        /** What nearcore makes of it: an action receipt, or a refund from system (receipt.rs new_*_refund). */
        Kind kind = Kind.ACTION;

        Receipt(
                byte[] idBytes,
                String predecessorId,
                String receiverId,
                String signerId,
                PublicKey signerKey,
                List<Action> actions,
                TxOutcome tree,
                String yieldDataId,
                HostBinding binding) {
            this(
                    idBytes,
                    idBytes == null ? null : Base58.encode(idBytes),
                    predecessorId,
                    receiverId,
                    signerId,
                    signerKey,
                    actions,
                    tree,
                    yieldDataId,
                    binding);
        }

        /** @param id {@code idBytes} in base58, when the caller has it already */
        Receipt(
                byte[] idBytes,
                String id,
                String predecessorId,
                String receiverId,
                String signerId,
                PublicKey signerKey,
                List<Action> actions,
                TxOutcome tree,
                String yieldDataId,
                HostBinding binding) {
            this.idBytes = idBytes;
            this.id = id;
            this.predecessorId = predecessorId;
            this.receiverId = receiverId;
            this.signerId = signerId;
            this.signerKey = signerKey;
            this.actions = actions;
            this.tree = tree;
            this.yieldDataId = yieldDataId;
            this.binding = binding;
        }

        boolean refund() {
            return SYSTEM.equals(predecessorId);
        }

        void assignId(byte[] bytes) {
            this.idBytes = bytes;
            this.id = Base58.encode(bytes);
        }

        /** nearcore's Receipt::balance_refund_receiver: refund_to if set, else the predecessor. */
        String balanceRefundReceiver() {
            return refundTo != null ? refundTo : predecessorId;
        }
    }

    /** An action receipt, nearcore's new_balance_refund (deposits back, DeleteAccount's beneficiary) or new_gas_refund. */
    enum Kind {
        ACTION,
        BALANCE_REFUND,
        GAS_REFUND
    }

    record DataReceiver(String dataId, String receiverId) {}

    /** A data receipt: the result of a receipt for the one waiting on it, or a yield's resume payload. */
    record DataReceipt(String receiverId, String dataId, ReceiptContext.PromiseResult data, boolean resume) {}

    /**
     * A yield waiting in state: its receipt, the block its timeout is due, the key of its yield id
     * (or null), its place in nearcore's PromiseYieldTimeout queue ({@code sequence}) and whether a
     * receipt resumed it already (nearcore's PromiseYieldStatus::Resumed: the payload is on its way, a
     * further resume finds nothing to resume and the timeout does not fire).
     *
     * <p>{@code clockDeadline} holds the timeout to as many blocks of the wall clock too. nearcore's
     * 200 blocks are 200 block times (minutes on mainnet, in which OutLayer's workers resolve); here a
     * load of receipts moves the head thousands of blocks a second, which timed out yields a worker was
     * resolving (see docs/rpc-emulator.md "How blocks advance"). A timeout that comes later than its
     * height is what nearcore does too when a chunk's yield-timeout budget is spent.
     */
    private static final class Yielded {
        final Receipt receipt;
        final long deadline;
        final long clockDeadline;
        final String yieldKey;
        final long sequence;
        volatile boolean resumed;
        /** Taken by the one run that queues the timeout: two runs due at once (a call's and the timer's) made two. */
        final java.util.concurrent.atomic.AtomicBoolean timeoutQueued = new java.util.concurrent.atomic.AtomicBoolean();

        Yielded(Receipt receipt, long deadline, long clockDeadline, String yieldKey, long sequence) {
            this.receipt = receipt;
            this.deadline = deadline;
            this.clockDeadline = clockDeadline;
            this.yieldKey = yieldKey;
            this.sequence = sequence;
        }

        boolean due(long height, long clockHeight) {
            return deadline <= height && clockDeadline <= clockHeight && !resumed;
        }
    }

    private final java.util.concurrent.atomic.AtomicLong yieldSequence = new java.util.concurrent.atomic.AtomicLong();

    /** Where {@link #yieldIds} keeps an account's yield id: ids are per account, as nearcore's trie key. */
    private static String yieldKey(String accountId, byte[] yieldId) {
        return accountId + "/" + hex(yieldId);
    }

    /**
     * nearcore's GlobalContractDistributionReceipt (global_contracts.rs initiate_distribution): the
     * code a DeployGlobalContract published, applied one block later on the (one) shard; it has no
     * outcome and is not among the deploying receipt's receipt_ids.
     */
    record Distribution(GlobalContractId id, byte[] code, long nonce) {}

    // ---- running trees ----

    /**
     * Runs {@code first} at block {@code height} and everything it leads to, one block per
     * generation. With {@link WaitMode#FIRST_RECEIPT} the first block's work (and refunds) runs
     * here and the rest in the background.
     */
    void run(Receipt first, long height, WaitMode wait) {
        List<Object> current = new ArrayList<>(1);
        current.add(first);
        runFrom(current, height, wait);
    }

    private void runFrom(List<Object> current, long height, WaitMode wait) {
        boolean firstBlock = true;
        while (!current.isEmpty()) {
            clock.advanceTo(height);
            List<Object> next = new ArrayList<>();
            for (Object item : current) {
                process(item, height, next);
            }
            dueYields(height, next);
            if (apiCallRefundsOnly(next)) {
                // A call of the HTTP API is no transaction (nor is its tree): its refunds (gas, a
                // failed call's deposits, DeleteAccount's payout) apply in the block that made them. A block
                // per call for its refund raced the chain's head 24,000 blocks a second under HTTP load, and
                // with it every block-counted limit: yield timeouts (200 blocks), transaction validity
                // (86,400), timestamps. A signed transaction's refunds keep nearcore's block later.
                List<Object> after = new ArrayList<>();
                for (Object item : next) {
                    process(item, height, after);
                }
                next = after;
            }
            current = next;
            height++;
            if (wait == WaitMode.FIRST_RECEIPT && firstBlock && !onlyRefunds(current)) {
                List<Object> rest = current;
                long restHeight = height;
                background.execute(() -> runFrom(rest, restHeight, WaitMode.ALL_RECEIPTS));
                return;
            }
            firstBlock = false;
        }
    }

    /** Whether {@code items} are refunds of HTTP API calls only (none of a signed transaction's tree). */
    private static boolean apiCallRefundsOnly(List<Object> items) {
        for (Object item : items) {
            if (!(item instanceof Receipt r) || !r.refund() || r.tree.signedTransaction()) {
                return false;
            }
        }
        return !items.isEmpty();
    }

    /** Whether only refunds (and global contract distributions, as cheap and without outcome) are left. */
    private static boolean onlyRefunds(List<Object> items) {
        for (Object item : items) {
            if (!(item instanceof Distribution) && (!(item instanceof Receipt r) || !r.refund())) {
                return false;
            }
        }
        return true;
    }

    /** Times out the yields whose deadline has passed: their callbacks run with a failed result. */
    void runDueYields() {
        if (yields.isEmpty()) {
            return;
        }
        List<Object> due = new ArrayList<>();
        long height = clock.latestHeight();
        dueYields(height, due);
        if (!due.isEmpty()) {
            runFrom(due, height, WaitMode.ALL_RECEIPTS);
        }
    }

    private void dueYields(long height, List<Object> into) {
        if (yields.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Yielded>> due = new ArrayList<>();
        long clockHeight = clock.clockHeight();
        for (Map.Entry<String, Yielded> e : yields.entrySet()) {
            if (e.getValue().due(height, clockHeight)) {
                due.add(e);
            }
        }
        // nearcore's resolve_promise_yield_timeouts takes its queue in the order the yields were made,
        // numbering the block's timeout receipts from 0.
        due.sort(java.util.Comparator.comparingLong(e -> e.getValue().sequence));
        for (Map.Entry<String, Yielded> e : due) {
            if (!e.getValue().timeoutQueued.compareAndSet(false, true)) {
                continue;
            }
            int index = nextTimeoutIndex(height);
            Receipt yielded = e.getValue().receipt;
            DataReceipt timeout =
                    new DataReceipt(yielded.receiverId, e.getKey(), ReceiptContext.PromiseResult.FAILED, true);
            into.add(timeout);
            byte[] dataId = java.util.HexFormat.of().parseHex(e.getKey());
            byte[] id = ReceiptIds.fromReceipt(dataId, height, index);
            if (yielded.tree.logsReceipts()) {
                // A PromiseResume receipt without data, from the account to itself, its id made from the data id.
                yielded.tree.logReceipt(dataRecord(Base58.encode(id), yielded.receiverId, timeout, height));
            }
        }
    }

    private long timeoutsNumberedAt = -1;
    private int nextTimeoutIndex;

    /** nearcore numbers a block's yield timeouts from 0 across the block, not per run that finds some due. */
    private synchronized int nextTimeoutIndex(long height) {
        if (height != timeoutsNumberedAt) {
            timeoutsNumberedAt = height;
            nextTimeoutIndex = 0;
        }
        return nextTimeoutIndex++;
    }

    /**
     * A data receipt as nearcore's DataReceipt: its data id in base58 (a yield's is kept in hex here),
     * the value or none for a failure.
     */
    private static ReceiptRecord dataRecord(String id, String predecessorId, DataReceipt data, long height) {
        String dataId = data.resume() ? Base58.encode(java.util.HexFormat.of().parseHex(data.dataId())) : data.dataId();
        return ReceiptRecord.dataReceipt(
                id,
                predecessorId,
                data.receiverId(),
                new ReceiptRecord.Data(
                        dataId, data.data().success() ? data.data().value() : null, data.resume()),
                height);
    }

    int waitingYields() {
        return yields.size();
    }

    private boolean yieldWaiting(String accountId, byte[] dataId) {
        Yielded y = yields.get(hex(dataId));
        return y != null && !y.resumed && y.receipt.receiverId.equals(accountId);
    }

    /**
     * The yields a function call of {@code result}'s receipt sees: those waiting in the engine and
     * those the receipt's earlier actions created (nearcore keeps both in the receipt's state update),
     * less those its earlier actions resumed.
     */
    private ReceiptContext.Yields yieldsSeenBy(ActionResult result) {
        return new ReceiptContext.Yields() {
            @Override
            public boolean waiting(String accountId, byte[] dataId) {
                for (PromiseLog.Resume r : result.resumes) {
                    if (java.util.Arrays.equals(r.dataId(), dataId)) {
                        return false;
                    }
                }
                for (PromiseLog.NewReceipt r : result.created) {
                    if (java.util.Arrays.equals(r.yieldDataId(), dataId)
                            && r.receiverId().equals(accountId)) {
                        return true;
                    }
                }
                return yieldWaiting(accountId, dataId);
            }

            @Override
            public byte[] dataIdOf(String accountId, byte[] yieldId) {
                for (PromiseLog.NewReceipt r : result.created) {
                    if (java.util.Arrays.equals(r.yieldId(), yieldId)
                            && r.receiverId().equals(accountId)) {
                        return r.yieldDataId();
                    }
                }
                String dataId = yieldIds.get(yieldKey(accountId, yieldId));
                return dataId == null ? null : java.util.HexFormat.of().parseHex(dataId);
            }
        };
    }

    private void process(Object item, long height, List<Object> next) {
        if (item instanceof Distribution distribution) {
            simulator.distribute(distribution.id(), distribution.code(), distribution.nonce());
            return;
        }
        if (item instanceof DataReceipt data) {
            if (data.resume()) {
                Yielded y = yields.remove(data.dataId());
                if (y != null) { // a second resume of the same yield is ignored, as in nearcore
                    if (y.yieldKey != null) {
                        // nearcore's remove_yield_id_mappings, as the PromiseResume arrives: the id is free again
                        yieldIds.remove(y.yieldKey, data.dataId());
                    }
                    execute(y.receipt, List.of(data.data()), height, next);
                }
                return;
            }
            Receipt ready = null;
            synchronized (this) {
                Receipt waiting = postponed.remove(data.dataId());
                received.put(data.dataId(), data.data());
                if (waiting != null && --waiting.pendingData == 0) {
                    ready = waiting;
                }
            }
            if (ready != null) {
                execute(ready, takeInputs(ready), height, next);
            }
            return;
        }
        Receipt receipt = (Receipt) item;
        if (!receipt.inputDataIds.isEmpty()) {
            synchronized (this) {
                for (String dataId : receipt.inputDataIds) {
                    if (!received.containsKey(dataId)) {
                        postponed.put(dataId, receipt);
                        receipt.pendingData++;
                    }
                }
                if (receipt.pendingData > 0) {
                    return;
                }
            }
            execute(receipt, takeInputs(receipt), height, next);
            return;
        }
        execute(receipt, List.of(), height, next);
    }

    private synchronized List<ReceiptContext.PromiseResult> takeInputs(Receipt receipt) {
        List<ReceiptContext.PromiseResult> results = new ArrayList<>(receipt.inputDataIds.size());
        for (String dataId : receipt.inputDataIds) {
            results.add(received.remove(dataId));
        }
        return results;
    }

    // ---- one action receipt: its actions (ReceiptActions), then its commit and what it sends ----

    private void execute(Receipt receipt, List<ReceiptContext.PromiseResult> inputs, long height, List<Object> next) {
        ReentrantLock lock = simulator.callLock(receipt.receiverId);
        ActionResult result = new ActionResult();
        lock.lock();
        try {
            AccountDraft draft = new AccountDraft(
                    receipt.receiverId, simulator.accountState(receipt.receiverId), receipt.predecessorId);
            for (int i = 0; i < receipt.actions.size() && result.failure == null; i++) {
                Action action = receipt.actions.get(i);
                // A refund counts its execution fees as gas too (its outcome's gas_burnt), though it burns
                // no tokens for them: nearcore's apply_action charges exec_fee for every action.
                long exec = Fee.execFee(action, receipt.receiverId);
                result.gasBurnt = Fee.plus(result.gasBurnt, exec);
                result.gasUsed = Fee.plus(result.gasUsed, exec);
                int createdBefore = result.created.size();
                result.lastAction = i == receipt.actions.size() - 1;
                result.actionIndex = i;
                String error = actions.apply(receipt, action, draft, inputs, height, result);
                if (error != null) {
                    ExecutionStatus.Failure detail = result.failure;
                    result.failure = detail != null
                            ? detail.at(i)
                            : new ExecutionStatus.Failure(
                                    i,
                                    error,
                                    null,
                                    ReceiptActions.describe(error, receipt, action),
                                    ReceiptActions.fields(error, receipt, action, draft));
                } else if (result.created.size() > createdBefore) {
                    // nearcore's apply_action_receipt: the receipts a successful action created must pass
                    // validate_receipt, or the action fails (its state changes dropped, its gas burnt).
                    ReceiptValidation.Violation refused = ReceiptValidation.validateNew(
                            receipt.receiverId,
                            receipt.signerId,
                            receipt.signerKey,
                            result.created.subList(createdBefore, result.created.size()));
                    if (refused != null) {
                        result.failure = new ExecutionStatus.Failure(
                                i, "NewReceiptValidationError", refused.variant(), refused.message(), refused.serde());
                    }
                }
            }
            if (result.failure == null && draft.exists && !draft.deleted) {
                // nearcore's check_storage_stake after the actions of every action receipt, refunds
                // included: the balance must cover the storage the account uses unless it is a
                // zero-balance account (LackBalanceForState). A refund failing it is burnt, not refunded.
                BigInteger lacking =
                        ContractSimulator.missingStorageStake(draft.balance, draft.locked, draft.storageUsage);
                if (lacking.signum() > 0) {
                    result.failure = new ExecutionStatus.Failure(
                            null,
                            "LackBalanceForState",
                            null,
                            "account " + receipt.receiverId + " needs " + lacking
                                    + " yoctoNEAR more to cover its storage",
                            ReceiptActions.ordered("account_id", receipt.receiverId, "amount", lacking));
                }
            }
            // lib.rs apply_action_receipt: account_did_not_exist && account.is_some() && result.is_ok().
            result.createdAccount = result.failure == null && draft.created && !draft.deleted;
            // A receipt of the HTTP API's calls (no transaction) keeps no writes: see StateChanges.
            StateChanges.Cause cause = receipt.id == null || !receipt.tree.signedTransaction()
                    ? null
                    : StateChanges.Cause.receiptProcessing(receipt.id);
            if (cause == null) {
                commitReceipt(receipt, draft, result, null); // the HTTP API's calls: no lambda on their path
            } else {
                // Its writes are block {@code height}'s, whatever the head is by the time they commit.
                ContractSimulator.causedBy(cause, height, () -> {
                    commitReceipt(receipt, draft, result, cause);
                    return null;
                });
            }
        } finally {
            lock.unlock();
        }
        finish(receipt, result, height, next);
    }

    /** Commits what the receipt changed (nothing but its burnt gas when it failed) and its gas reward. */
    private void commitReceipt(Receipt receipt, AccountDraft draft, ActionResult result, StateChanges.Cause cause) {
        boolean committed = result.failure == null;
        if (committed) {
            commit(draft);
        }
        BigInteger reward = reward(receipt, result);
        // One trie commit (and one durable write) for the receipt and its reward together.
        Map<byte[], byte[]> otherChanges = committed ? otherTrieChanges(draft) : Map.of();
        if ((committed || result.vmBurnt > 0)
                && !(committed && draft.deleted)
                && simulator.accountState(receipt.receiverId) != null) {
            simulator.commitAccount(
                    receipt.receiverId,
                    committed ? draft.changes : Map.of(),
                    committed ? draft.deployedCode : null,
                    committed ? draft.keyChanges : Map.of(),
                    otherChanges,
                    cause,
                    committed,
                    reward);
        } else if (committed) {
            simulator.commitTrie(otherChanges);
        }
        if (committed) {
            draft.globalNonces.forEach(simulator.globalContracts()::setNonce);
        }
    }

    /**
     * The receipt's trie changes beside its account's record, data, code and keys: the own code a
     * global contract replaced is removed (nearcore's action_use_global_contract), and each global
     * deploy's nonce is written (initiate_distribution's increment_nonce).
     */
    private static Map<byte[], byte[]> otherTrieChanges(AccountDraft draft) {
        if (draft.globalNonces.isEmpty()
                && !(draft.contractChanged && draft.global != null)
                && draft.removedGasKeys.isEmpty()) {
            return Map.of();
        }
        Map<byte[], byte[]> changes = new LinkedHashMap<>();
        if (!draft.deleted) {
            draft.removedGasKeys.forEach((key, removed) -> ContractSimulator.gasKeyNonceRemovals(
                    changes, draft.accountId, key, removed, draft.keyChanges.get(key)));
        }
        if (draft.contractChanged && draft.global != null && !draft.deleted) {
            changes.put(dev.outlayer.bench.targetsystem.state.TrieKeys.contractCode(draft.accountId), null);
        }
        draft.globalNonces.forEach((id, nonce) -> changes.put(
                dev.outlayer.bench.targetsystem.state.TrieKeys.globalContractNonce(id.toBorsh()),
                ContractSimulator.nonceBytes(nonce)));
        return changes;
    }

    private void commit(AccountDraft draft) {
        if (draft.deleted) {
            simulator.removeAccount(draft.accountId);
            return;
        }
        if (!draft.created && draft.account == null) {
            return; // a receipt without actions to an account that does not exist: nothing to change
        }
        AccountState account = draft.created ? simulator.newAccount(draft.accountId) : draft.account;
        account.apply(
                draft.changes,
                draft.balance,
                draft.locked,
                draft.storageUsage,
                draft.contractChanged && draft.global == null ? draft.local : null,
                draft.contractChanged ? draft.global : null,
                draft.keyChanges,
                draft.called);
    }

    /** nearcore's burnt_gas_reward: 30% of the gas the contract's calls burnt, paid to the contract. */
    private BigInteger reward(Receipt receipt, ActionResult result) {
        if (result.vmBurnt == 0) {
            return BigInteger.ZERO;
        }
        AccountState account = simulator.accountState(receipt.receiverId);
        if (account == null) {
            return BigInteger.ZERO;
        }
        long gas = BigInteger.valueOf(result.vmBurnt)
                .multiply(BigInteger.valueOf(Fee.BURNT_GAS_REWARD_NUMERATOR))
                .divide(BigInteger.valueOf(Fee.BURNT_GAS_REWARD_DENOMINATOR))
                .longValueExact();
        // priced at gas_burn_price with AccountCostIncrease (lib.rs apply_action_receipt)
        BigInteger reward = Fee.GAS_BURN_PRICE.multiply(BigInteger.valueOf(gas));
        account.credit(reward);
        return reward;
    }

    /** Records the outcome and sends what the receipt produced: receipts, data, refunds. */
    private void finish(Receipt receipt, ActionResult result, long height, List<Object> next) {
        // nearcore's result.new_receipts: what the actions produced, in action order (dropped if the
        // receipt failed), then the refunds, then the data receipts of its result; each gets its id from
        // its place in that list ("Generating receipt IDs": create_receipt_id_from_receipt_id).
        List<Object> newReceipts = new ArrayList<>();
        Receipt returned = null;
        Map<PromiseLog.NewReceipt, Receipt> made = new java.util.IdentityHashMap<>();
        if (result.failure == null) {
            List<Receipt> created = new ArrayList<>(result.created.size());
            for (int i = 0; i < result.created.size(); i++) {
                PromiseLog.NewReceipt spec = result.created.get(i);
                byte[] yieldId = spec.yieldDataId();
                Receipt child = new Receipt(
                        null,
                        receipt.receiverId,
                        spec.receiverId(),
                        receipt.signerId,
                        receipt.signerKey,
                        List.copyOf(spec.actions()),
                        receipt.tree,
                        yieldId == null ? null : hex(yieldId),
                        HostBinding.DIRECT);
                child.refundTo = spec.refundTo();
                created.add(child);
                made.put(spec, child);
            }
            for (int i = 0; i < created.size(); i++) {
                Receipt child = created.get(i);
                PromiseLog.NewReceipt spec = result.created.get(i);
                int[] dependencies = spec.dependencies();
                for (int d = 0; d < dependencies.length; d++) {
                    Receipt parent = created.get(result.createdBase.get(i) + dependencies[d]);
                    // The data id the call made when it created the receipt (ext.rs generate_data_id).
                    String dataId = Base58.encode(spec.inputDataId(d));
                    parent.outputDataReceivers.add(new DataReceiver(dataId, child.receiverId));
                    child.inputDataIds.add(dataId);
                }
            }
            for (Object item : result.produced) {
                if (item instanceof PromiseLog.NewReceipt spec) {
                    newReceipts.add(made.get(spec));
                } else if (item instanceof PromiseLog.Resume resume) {
                    newReceipts.add(new DataReceipt(
                            receipt.receiverId,
                            hex(resume.dataId()),
                            ReceiptContext.PromiseResult.successful(resume.payload()),
                            true));
                } else {
                    newReceipts.add(item);
                }
            }
            for (PromiseLog.Resume resume : result.resumes) {
                Yielded resumed = yields.get(hex(resume.dataId()));
                if (resumed != null) {
                    resumed.resumed = true;
                }
            }
            if (result.returned != null) {
                returned = created.get(result.returned);
            }
        }
        if (!receipt.refund()) {
            refunds(receipt, result, newReceipts);
        }
        if (returned != null) {
            returned.outputDataReceivers.addAll(receipt.outputDataReceivers);
        } else {
            ReceiptContext.PromiseResult value = result.failure != null
                    ? ReceiptContext.PromiseResult.FAILED
                    : ReceiptContext.PromiseResult.successful(result.value == null ? new byte[0] : result.value);
            for (DataReceiver r : receipt.outputDataReceivers) {
                newReceipts.add(new DataReceipt(r.receiverId(), r.dataId(), value, false));
            }
        }
        List<Receipt> children = new ArrayList<>();
        List<DataReceipt> data = new ArrayList<>();
        List<String> receiptIds = new ArrayList<>();
        for (int i = 0; i < newReceipts.size(); i++) {
            byte[] id = ReceiptIds.fromReceipt(receipt.idBytes, height, i);
            if (newReceipts.get(i) instanceof Receipt child) {
                child.assignId(id);
                children.add(child);
                // Only action receipts are the outcome's receipt_ids.
                receiptIds.add(child.id);
                if (receipt.tree.logsReceipts()) {
                    // Wired now (data receivers and dependencies): the receipt as nearcore stores it.
                    receipt.tree.logReceipt(record(child, height));
                }
            } else {
                DataReceipt d = (DataReceipt) newReceipts.get(i);
                data.add(d);
                if (receipt.tree.logsReceipts()) {
                    // Data receipts travel (and are stored) as the action receipts do.
                    receipt.tree.logReceipt(dataRecord(Base58.encode(id), receipt.receiverId, d, height));
                }
            }
        }
        for (PromiseLog.NewReceipt spec : result.created) {
            Receipt child = made.get(spec);
            if (child != null && child.yieldDataId != null) {
                // As nearcore, the yield exists once the receipt that created it is applied (its id given): a
                // resume sent by anyone who saw that receipt's outcome finds it. Its timeout counts from the
                // next block, where the simulator used to register it.
                String key = spec.yieldId() == null ? null : yieldKey(child.receiverId, spec.yieldId());
                if (key != null) {
                    yieldIds.put(key, child.yieldDataId);
                }
                yields.put(
                        child.yieldDataId,
                        new Yielded(
                                child,
                                height + 1 + Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS,
                                clock.clockHeight() + 1 + Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS,
                                key,
                                yieldSequence.getAndIncrement()));
            }
        }
        ExecutionStatus status;
        if (result.failure != null) {
            status = result.failure;
        } else if (result.returned != null) {
            status = new ExecutionStatus.SuccessReceiptId(returned.id);
        } else {
            status = new ExecutionStatus.SuccessValue(result.value == null ? new byte[0] : result.value);
        }
        receipt.tree.add(new TxOutcome.ExecutionOutcome(
                receipt.id,
                receipt.receiverId,
                receipt.predecessorId,
                List.copyOf(result.logs),
                List.copyOf(receiptIds),
                result.gasBurnt,
                // nearcore's outcome tokens_burnt: the gas at the burn price, plus the account creation
                // charge (AccountCostIncrease, 85) and a global deploy's storage
                // (IncludeDeployGlobalContractOutcomeBurntStorage, 83) when the receipt succeeded; none for a
                // refund ("if the receipt is a refund, then we consider it free without burnt gas").
                receipt.refund()
                        ? BigInteger.ZERO
                        : Fee.GAS_BURN_PRICE
                                .multiply(BigInteger.valueOf(result.gasBurnt))
                                .add(result.failure == null ? result.tokensBurnt : BigInteger.ZERO)
                                .add(result.accountCreationCharge),
                status,
                height,
                result.call));
        ReceiptFeed feed = simulator.receiptFeed();
        if (!receipt.refund() && feed.watches(receipt.receiverId)) {
            feed.append(
                    receipt.tree.txHash(),
                    receipt.id,
                    receipt.receiverId,
                    receipt.predecessorId,
                    receipt.signerId,
                    receipt.signerKey == null ? null : receipt.signerKey.toString(),
                    height,
                    result.gasBurnt,
                    List.copyOf(result.logs),
                    result.failure == null);
        }
        if (result.failure == null) {
            // Pushed to nearcore's new_receipts by the action, before any refund.
            next.addAll(result.distributions);
        }
        for (Receipt child : children) {
            if (child.yieldDataId == null) {
                next.add(child);
            }
        }
        next.addAll(data);
    }

    /**
     * The receipt as nearcore's ReceiptV0 holds it: a refund's signer and key are nearcore's
     * (system and the empty key for a balance refund, the receiver and the signer's key for gas),
     * at gas price 0; a yield waits on the data id its resume delivers to.
     */
    private static ReceiptRecord record(Receipt r, long height) {
        List<ReceiptRecord.DataReceiver> receivers = new ArrayList<>(r.outputDataReceivers.size());
        for (DataReceiver d : r.outputDataReceivers) {
            receivers.add(new ReceiptRecord.DataReceiver(d.dataId(), d.receiverId()));
        }
        List<String> inputs = r.yieldDataId != null
                ? List.of(Base58.encode(java.util.HexFormat.of().parseHex(r.yieldDataId)))
                : List.copyOf(r.inputDataIds);
        return switch (r.kind) {
            case BALANCE_REFUND ->
                new ReceiptRecord(
                        r.id,
                        SYSTEM,
                        r.receiverId,
                        SYSTEM,
                        null,
                        BigInteger.ZERO,
                        receivers,
                        inputs,
                        r.actions,
                        false,
                        height,
                        null);
            case GAS_REFUND ->
                new ReceiptRecord(
                        r.id,
                        SYSTEM,
                        r.receiverId,
                        r.receiverId,
                        r.signerKey,
                        BigInteger.ZERO,
                        receivers,
                        inputs,
                        r.actions,
                        false,
                        height,
                        null);
            case ACTION ->
                new ReceiptRecord(
                        r.id,
                        r.predecessorId,
                        r.receiverId,
                        r.signerId,
                        r.signerKey,
                        Fee.RECEIPT_GAS_PRICE,
                        receivers,
                        inputs,
                        r.actions,
                        r.yieldDataId != null,
                        height,
                        null);
        };
    }

    /**
     * nearcore's refund_unspent_gas_and_deposits (lib.rs, with AccountCostIncrease): unused gas (prepaid
     * minus used, or minus burnt when the receipt failed) back to the signer at the receipt's purchase
     * price, plus the price surplus of the gas it burnt (bought at {@link Fee#RECEIPT_GAS_PRICE}, burnt at
     * {@link Fee#GAS_BURN_PRICE}) less the account creation charge when it created its receiver; on
     * failure the deposits back to the balance refund receiver (refund_to, else the predecessor).
     * A signed transaction's refunds go out as nearcore sends them, also to an account that deleted
     * itself meanwhile: such a refund fails with AccountDoesNotExist and its amount is burnt (a refund
     * creates no account, an implicit one neither). The HTTP API's calls, whose signers the simulator may
     * not hold (it funds them), send none to accounts it does not hold.
     */
    private void refunds(Receipt receipt, ActionResult result, List<Object> newReceipts) {
        long prepaid = Fee.action_receipt_creation.execution;
        BigInteger deposits = BigInteger.ZERO;
        for (Action action : receipt.actions) {
            prepaid =
                    Fee.plus(prepaid, Fee.plus(Fee.prepaidExecFee(action, receipt.receiverId), Fee.prepaidGas(action)));
            deposits = deposits.add(action.deposit());
        }
        long spent = result.failure == null ? result.gasUsed : result.gasBurnt;
        long unused = Math.max(0, prepaid - spent);
        // NEP-536's refund penalty is 0 at 86 (parameters.yaml), so none is taken.
        BigInteger burnedGasRefund = Fee.PRICE_SURPLUS_PER_GAS.multiply(BigInteger.valueOf(result.gasBurnt));
        if (result.createdAccount) {
            // Never more than the surplus (receipts bought before 85 had none; here every one has enough).
            result.accountCreationCharge = Fee.ACCOUNT_CREATION_CHARGE_BEYOND_GAS.min(burnedGasRefund);
            burnedGasRefund = burnedGasRefund.subtract(result.accountCreationCharge);
        }
        BigInteger gasRefund = unused == 0
                ? burnedGasRefund
                : Fee.RECEIPT_GAS_PRICE.multiply(BigInteger.valueOf(unused)).add(burnedGasRefund);
        String refundTo = receipt.balanceRefundReceiver();
        boolean sendAll = receipt.tree.signedTransaction();
        if (result.failure != null && deposits.signum() > 0 && (sendAll || simulator.accountState(refundTo) != null)) {
            Receipt deposit = refund(receipt, refundTo, deposits);
            deposit.kind = Kind.BALANCE_REFUND;
            newReceipts.add(deposit);
        }
        if (gasRefund.signum() > 0 && (sendAll || simulator.accountState(receipt.signerId) != null)) {
            Receipt gas = refund(receipt, receipt.signerId, gasRefund);
            gas.kind = Kind.GAS_REFUND;
            newReceipts.add(gas);
        }
    }

    private static Receipt refund(Receipt parent, String to, BigInteger amount) {
        return new Receipt(
                null,
                SYSTEM,
                to,
                to,
                parent.signerKey,
                List.of(new Action.Transfer(amount)),
                parent.tree,
                null,
                HostBinding.DIRECT);
    }

    // ---- ids ----

    /** A SHA-256 digest of this thread, reset (getInstance's provider lookup costs more than the hash). */
    static MessageDigest sha256() {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest;
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}

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
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs receipts as nearcore's runtime does ({@code runtime/runtime/src/lib.rs}): an action
 * receipt waits until the data of every receipt it depends on has arrived, then applies its
 * actions all or nothing on the receiver's account, burns the execution fees, sends data
 * receipts to the receipts waiting on its result, refunds unused gas to the signer and, if it
 * failed, the deposits to the predecessor (or the refund_to its creator set). Receipts a receipt creates run one block later; the
 * chain's height advances with them. Yielded receipts wait until resumed or timed out.
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
    private ReceiptContext.Yields yieldsSeenBy(Result result) {
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

    // ---- applying one action receipt ----

    /** The receiver's account as the receipt's actions change it; applied only if all succeed. */
    private static final class Draft {
        final String accountId;
        final AccountState account;
        boolean exists;
        boolean created;
        boolean deleted;
        BigInteger balance = BigInteger.ZERO;
        BigInteger locked = BigInteger.ZERO;
        long storageUsage;
        /** What the account's calls run: its own code or the global contract it uses (null: none, or it does not compile). */
        CompiledContract contract;
        /** The account's own code as stored, compiled or not (null: none, or a global contract). */
        GlobalContracts.Code local;
        /** The global contract the account uses, or null. */
        GlobalContractId global;
        /** Why the code the account runs (its own or {@link #global}'s) does not compile, or null. */
        String compileError;
        /** A deploy or a UseGlobalContract changed the contract: commit {@link #local} (as deployed) or {@link #global}. */
        boolean contractChanged;

        byte[] deployedCode;
        /** The nonce each DeployGlobalContract of this receipt took, by identifier (TrieKey::GlobalContractNonce). */
        final Map<GlobalContractId, Long> globalNonces = new LinkedHashMap<>();
        /** nearcore's actor_id: the predecessor, the account itself once CreateAccount made it. */
        String actor;

        final Map<Bytes, byte[]> changes = new LinkedHashMap<>();
        final Map<PublicKey, AccessKey> keyChanges = new LinkedHashMap<>();
        /** Gas keys the receipt deleted, whose nonce slots go too (remove_gas_key_nonce). */
        final Map<PublicKey, AccessKey> removedGasKeys = new LinkedHashMap<>();

        boolean called;

        Draft(String accountId, AccountState account, String predecessorId) {
            this.accountId = accountId;
            this.account = account;
            this.actor = predecessorId;
            if (account != null) {
                account.read(s -> {
                    exists = true;
                    balance = s.balance();
                    locked = s.locked();
                    storageUsage = s.storageUsage();
                    contract = s.contract();
                    global = s.globalContract();
                    return null;
                });
                local = global == null ? account.localCode() : null;
                compileError = account.compileError();
            }
        }

        /**
         * The storage the contract takes (nearcore's clear_account_contract_storage_usage): the own
         * code's size, or the global contract identifier's length.
         */
        long contractStorage() {
            if (global != null) {
                return global.len();
            }
            return local == null ? 0 : local.code().length;
        }

        AccessKey key(PublicKey key) {
            if (keyChanges.containsKey(key)) {
                return keyChanges.get(key);
            }
            return created || account == null ? null : account.accessKey(key);
        }
    }

    /** What applying the actions gave, before it is turned into outcomes and new receipts. */
    private static final class Result {
        long gasBurnt = Fee.action_receipt_creation.execution;
        long gasUsed = Fee.action_receipt_creation.execution;
        long vmBurnt;
        final List<String> logs = new ArrayList<>();
        ExecutionStatus.Failure failure;
        byte[] value;
        Outcome call;
        /** Receipts the function calls created, in order, and the one whose result is returned. */
        final List<PromiseLog.NewReceipt> created = new ArrayList<>();
        /** For each of {@link #created}, where its call's receipts start: its dependencies count from there. */
        final List<Integer> createdBase = new ArrayList<>();

        final List<PromiseLog.Resume> resumes = new ArrayList<>();
        Integer returned;
        /** Whether the action being applied is the receipt's last. */
        boolean lastAction;
        /** The action being applied (its hash seeds the data ids of its call). */
        int actionIndex;
        /**
         * What the actions produced, in nearcore's new_receipts order: each call's receipts
         * ({@link PromiseLog.NewReceipt}) then its resumes ({@link PromiseLog.Resume}), the receipts other
         * actions send ({@link Receipt}).
         */
        final List<Object> produced = new ArrayList<>();
        /** The global contracts the receipt's DeployGlobalContract actions distribute. */
        final List<Distribution> distributions = new ArrayList<>();
        /**
         * Tokens burnt beside gas: a global contract's storage, a deleted gas key's balance (nearcore's
         * ActionResult.tokens_burnt).
         */
        BigInteger tokensBurnt = BigInteger.ZERO;
        /** The receipt created its receiver and succeeded (lib.rs apply_action_receipt's created_new_account). */
        boolean createdAccount;
        /**
         * lib.rs GasRefundResult.create_account_charge: what creating the receiver cost beyond its
         * create_account fee, taken from the price surplus refund and burnt.
         */
        BigInteger accountCreationCharge = BigInteger.ZERO;
    }

    private void execute(Receipt receipt, List<ReceiptContext.PromiseResult> inputs, long height, List<Object> next) {
        ReentrantLock lock = simulator.callLock(receipt.receiverId);
        Result result = new Result();
        lock.lock();
        try {
            Draft draft =
                    new Draft(receipt.receiverId, simulator.accountState(receipt.receiverId), receipt.predecessorId);
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
                String error = apply(receipt, action, draft, inputs, height, result);
                if (error != null) {
                    ExecutionStatus.Failure detail = result.failure;
                    result.failure = detail != null
                            ? detail.at(i)
                            : new ExecutionStatus.Failure(
                                    i,
                                    error,
                                    null,
                                    describe(error, receipt, action),
                                    fields(error, receipt, action, draft));
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
                // nearcore's check_storage_stake after the actions: the balance must cover the storage
                // the account uses unless it is a zero-balance account (LackBalanceForState).
                BigInteger lacking =
                        ContractSimulator.missingStorageStake(draft.balance, draft.locked, draft.storageUsage);
                if (lacking.signum() > 0 && !receipt.refund()) {
                    result.failure = new ExecutionStatus.Failure(
                            null,
                            "LackBalanceForState",
                            null,
                            "account " + receipt.receiverId + " needs " + lacking
                                    + " yoctoNEAR more to cover its storage",
                            ordered("account_id", receipt.receiverId, "amount", lacking));
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
    private void commitReceipt(Receipt receipt, Draft draft, Result result, StateChanges.Cause cause) {
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
    private static Map<byte[], byte[]> otherTrieChanges(Draft draft) {
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

    /**
     * nearcore's check_actor_permissions (actions.rs): deploys, stakes, key changes, global contract
     * actions and DeleteAccount only by the account itself (the predecessor, or the receipt that
     * created the account).
     */
    private static boolean needsActor(Action action) {
        return action instanceof Action.DeployContract
                || action instanceof Action.Stake
                || action instanceof Action.AddKey
                || action instanceof Action.DeleteKey
                || action instanceof Action.DeployGlobalContract
                || action instanceof Action.UseGlobalContract
                || action instanceof Action.WithdrawFromGasKey
                || action instanceof Action.DeleteAccount;
    }

    /** Applies one action to the draft; returns nearcore's ActionErrorKind on failure, else null. */
    private String apply(
            Receipt receipt,
            Action action,
            Draft draft,
            List<ReceiptContext.PromiseResult> inputs,
            long height,
            Result result) {
        if (action instanceof Action.CreateAccount) {
            if (draft.exists) {
                return "AccountAlreadyExists";
            }
            if (AccountType.of(receipt.receiverId).isImplicit()) {
                // actions.rs check_account_existence: an implicit id is made only by a lone Transfer, so that
                // no batch can add a key the id does not spell (nearcore's NEP-71).
                return "OnlyImplicitAccountCreationAllowed";
            }
            String id = receipt.receiverId;
            int dot = id.indexOf('.');
            if (dot < 0) {
                if (id.length() < Fee.MIN_ALLOWED_TOP_LEVEL_ACCOUNT_LENGTH
                        && !receipt.predecessorId.equals(REGISTRAR)) {
                    return "CreateAccountOnlyByRegistrar";
                }
            } else if (!id.endsWith("." + receipt.predecessorId)
                    || id.substring(0, id.length() - receipt.predecessorId.length() - 1)
                            .contains(".")) {
                return "CreateAccountNotAllowed";
            }
            draft.exists = true;
            draft.created = true;
            draft.storageUsage = ExtCost.STORAGE_NUM_BYTES_ACCOUNT;
            draft.actor = receipt.receiverId;
            return null;
        }
        if (action instanceof Action.DeterministicStateInit init) {
            return stateInit(receipt, init, draft, result); // an existing account and a missing one are both fine
        }
        if (!draft.exists || draft.deleted) {
            if (action instanceof Action.Transfer t && implicitCreationEligible(receipt)) {
                createImplicitAccount(receipt, t.deposit(), draft, height);
                return null;
            }
            return "AccountDoesNotExist";
        }
        if (needsActor(action) && !draft.actor.equals(receipt.receiverId)) {
            return "ActorNoPermission";
        }
        if (action instanceof Action.Transfer t) {
            // lib.rs action_transfer_or_implicit_account_creation: a gas refund goes to the signing key's
            // balance when that key is a gas key (try_refund_gas_key_balance), else to the account, and
            // raises a function-call key's allowance (try_refund_allowance).
            AccessKey signingKey =
                    receipt.kind == Kind.GAS_REFUND && receipt.signerKey != null ? draft.key(receipt.signerKey) : null;
            if (signingKey != null && signingKey.gasKey() != null) {
                BigInteger refunded = signingKey.gasKey().balance().add(t.deposit());
                if (refunded.compareTo(VmLogic.U128_MAX) > 0) {
                    return "IntegerOverflow";
                }
                draft.keyChanges.put(receipt.signerKey, signingKey.withGasKeyBalance(refunded));
                return null;
            }
            BigInteger after = draft.balance.add(t.deposit());
            if (after.compareTo(VmLogic.U128_MAX) > 0) {
                return "IntegerOverflow";
            }
            draft.balance = after;
            if (signingKey != null
                    && signingKey.permission() instanceof AccessKey.FunctionCallPermission permission
                    && permission.allowance() != null) {
                // actions.rs try_refund_allowance: the gas refund goes back to the key's allowance too, which
                // paid the whole cost up front (saturating at u128::MAX).
                BigInteger raised = permission.allowance().add(t.deposit()).min(VmLogic.U128_MAX);
                if (raised.compareTo(permission.allowance()) > 0) {
                    draft.keyChanges.put(
                            receipt.signerKey, new AccessKey(signingKey.nonce(), permission.withAllowance(raised)));
                }
            }
            return null;
        }
        if (action instanceof Action.DeployContract d) {
            // nearcore's action_deploy_contract stores any code (precompile_contract(..).ok() drops the
            // compile error): the deploy succeeds and the account's calls fail with CompilationError.
            GlobalContracts.Code stored = simulator.storedCode(d.code());
            draft.storageUsage += d.code().length - draft.contractStorage();
            draft.local = stored;
            draft.contract = stored.compiled();
            draft.global = null;
            draft.compileError = stored.compileError();
            draft.contractChanged = true;
            draft.deployedCode = d.code();
            return null;
        }
        if (action instanceof Action.DeployGlobalContract d) {
            return deployGlobal(receipt, d, draft, result);
        }
        if (action instanceof Action.UseGlobalContract u) {
            return useGlobal(u, draft, result);
        }
        if (action instanceof Action.FunctionCall call) {
            return call(receipt, call, draft, inputs, height, result);
        }
        if (action instanceof Action.Stake s) {
            if (s.publicKey().curve() != PublicKey.ED25519) {
                return "UnsuitableStakingKey";
            }
            if (s.stake().signum() == 0 && draft.locked.signum() == 0) {
                return "TriesToUnstake";
            }
            BigInteger increase = s.stake().subtract(draft.locked);
            if (increase.signum() > 0) {
                if (draft.balance.compareTo(increase) < 0) {
                    return "TriesToStake";
                }
                draft.balance = draft.balance.subtract(increase);
                draft.locked = s.stake();
            }
            // A lower stake is a proposal: the difference is returned at an epoch's end, which
            // this simulator does not run; the proposal is recorded in the outcome only.
            return null;
        }
        if (action instanceof Action.AddKey k) {
            if (draft.key(k.publicKey()) != null) {
                return "AddKeyAlreadyExists";
            }
            // nearcore's action_add_key (AccessKeyNonceRange): the key starts at (height - 1) * 10^6,
            // so a transaction signed with it needs a nonce above that, whatever nonce the action carried.
            // A gas key (access_keys.rs add_gas_key) keeps nonce 0; each of its slots starts there instead.
            AccessKey added = k.accessKey().gasKey() != null
                    ? k.accessKey().storedGasKey((height - 1) * NONCE_RANGE_MULTIPLIER)
                    : k.accessKey().withNonce((height - 1) * NONCE_RANGE_MULTIPLIER);
            draft.keyChanges.put(k.publicKey(), added);
            draft.storageUsage += AccountState.keyStorage(k.publicKey(), added);
            return null;
        }
        if (action instanceof Action.DeleteKey k) {
            AccessKey existing = draft.key(k.publicKey());
            if (existing == null) {
                return "DeleteKeyDoesNotExist";
            }
            AccessKey.GasKeyInfo gasKey = existing.gasKey();
            if (gasKey != null) {
                // access_keys.rs delete_gas_key: its balance is burnt, at most 1 NEAR of it.
                if (gasKey.balance().compareTo(AccessKey.MAX_GAS_KEY_BALANCE_TO_BURN) > 0) {
                    return "GasKeyBalanceTooHigh";
                }
                result.tokensBurnt = result.tokensBurnt.add(gasKey.balance());
                draft.removedGasKeys.put(k.publicKey(), existing);
            }
            draft.keyChanges.put(k.publicKey(), null);
            draft.storageUsage -= AccountState.keyStorage(k.publicKey(), existing);
            return null;
        }
        if (action instanceof Action.TransferToGasKey t) {
            // access_keys.rs action_transfer_to_gas_key: the deposit goes to the key's balance.
            AccessKey key = draft.key(t.publicKey());
            if (key == null || key.gasKey() == null) {
                return "GasKeyDoesNotExist";
            }
            BigInteger after = key.gasKey().balance().add(t.deposit());
            if (after.compareTo(VmLogic.U128_MAX) > 0) {
                return "IntegerOverflow";
            }
            draft.keyChanges.put(t.publicKey(), key.withGasKeyBalance(after));
            return null;
        }
        if (action instanceof Action.WithdrawFromGasKey w) {
            // access_keys.rs action_withdraw_from_gas_key: the amount leaves the key for the account.
            AccessKey key = draft.key(w.publicKey());
            if (key == null || key.gasKey() == null) {
                return "GasKeyDoesNotExist";
            }
            if (key.gasKey().balance().compareTo(w.amount()) < 0) {
                return "InsufficientGasKeyBalance";
            }
            BigInteger after = draft.balance.add(w.amount());
            if (after.compareTo(VmLogic.U128_MAX) > 0) {
                return "IntegerOverflow";
            }
            draft.keyChanges.put(
                    w.publicKey(), key.withGasKeyBalance(key.gasKey().balance().subtract(w.amount())));
            draft.balance = after;
            return null;
        }
        if (action instanceof Action.Delegate d) {
            return delegate(receipt, d, draft, height, result);
        }
        if (action instanceof Action.DeleteAccount d) {
            if (draft.locked.signum() > 0) {
                return "DeleteAccountStaking";
            }
            // nearcore's action_delete_account: over 10,000 bytes beside the contract (its code or, since
            // FixDeleteAccountGlobalContractStorageUsage at 85, a global contract's identifier) is refused.
            if (draft.storageUsage - draft.contractStorage() > MAX_ACCOUNT_DELETION_STORAGE_USAGE) {
                return "DeleteAccountWithLargeState";
            }
            // actions.rs action_delete_account: the gas keys' balances are burnt, at most 1 NEAR in all.
            BigInteger gasKeyBalances = gasKeyBalances(draft);
            if (gasKeyBalances.compareTo(AccessKey.MAX_GAS_KEY_BALANCE_TO_BURN) > 0) {
                return "GasKeyBalanceTooHigh";
            }
            result.tokensBurnt = result.tokensBurnt.add(gasKeyBalances);
            if (draft.balance.signum() > 0) {
                // nearcore's action_delete_account: the whole balance goes to the beneficiary as
                // receipt.rs new_balance_refund, a receipt from system at gas price 0: it burns no tokens,
                // sends no refunds of its own, and if it fails (no such beneficiary) the amount is burnt.
                Receipt transfer = new Receipt(
                        null,
                        SYSTEM,
                        d.beneficiaryId(),
                        SYSTEM,
                        null,
                        List.of(new Action.Transfer(draft.balance)),
                        receipt.tree,
                        null,
                        HostBinding.DIRECT);
                transfer.kind = Kind.BALANCE_REFUND;
                result.produced.add(transfer);
            }
            draft.deleted = true;
            draft.actor = receipt.predecessorId;
            return null;
        }
        throw new IllegalArgumentException("unknown action " + action);
    }

    /**
     * lib.rs apply_action / actions.rs check_transfer_to_nonexisting_account: a Transfer creates a missing
     * implicit account only when it is its receipt's one action (so no other action of the batch can act
     * on the new account) and the receipt is no refund (refunds are free: a refund to a deleted account
     * fails and burns, whatever its id).
     */
    private static boolean implicitCreationEligible(Receipt receipt) {
        return receipt.actions.size() == 1
                && !receipt.refund()
                && AccountType.of(receipt.receiverId).isImplicit();
    }

    /**
     * actions.rs action_implicit_account_creation_transfer at 86: the account holds the deposit and,
     * by kind, a NEAR-implicit id's ed25519 key as its full-access key (nonce (height - 1) * 10^6, as an
     * added key's, so the key's first transaction cannot repeat an old hash) taking 100 + 33 + 9 + 40 =
     * 182 bytes; an ETH-implicit id's the wallet contract as a global contract by hash
     * (EthImplicitGlobalContract, 83: 100 + 32 bytes, {@link AccountType#ETH_WALLET_CONTRACT}); a
     * deterministic id's nothing (deterministic_account_id.rs create_deterministic_account: 100 bytes).
     * Its fees (create_account, and add_full_access_key for a key) were paid with the transfer's
     * ({@link Fee#transferExecFee}); it costs account_creation_charge as any created account.
     */
    private void createImplicitAccount(Receipt receipt, BigInteger deposit, Draft draft, long height) {
        draft.exists = true;
        draft.created = true;
        draft.deleted = false;
        draft.balance = deposit;
        draft.locked = BigInteger.ZERO;
        draft.actor = receipt.receiverId;
        draft.storageUsage = ExtCost.STORAGE_NUM_BYTES_ACCOUNT;
        switch (AccountType.of(receipt.receiverId)) {
            case NEAR_IMPLICIT -> {
                PublicKey key = AccountType.nearImplicitKey(receipt.receiverId);
                AccessKey fullAccess = AccessKey.fullAccess((height - 1) * NONCE_RANGE_MULTIPLIER);
                draft.keyChanges.put(key, fullAccess);
                draft.storageUsage += AccountState.keyStorage(key, fullAccess);
            }
            case ETH_IMPLICIT -> {
                // Not checked for existence (nearcore does not): until the wallet's code is distributed
                // on this chain, a call of the account fails with CodeDoesNotExist.
                GlobalContractId wallet = AccountType.ETH_WALLET_CONTRACT;
                GlobalContracts.Code code = simulator.globalContracts().get(wallet);
                draft.global = wallet;
                draft.local = null;
                draft.contract = code == null ? null : code.compiled();
                draft.compileError = code == null ? null : code.compileError();
                draft.contractChanged = true;
                draft.storageUsage += wallet.len();
            }
            case NEAR_DETERMINISTIC -> {
                // The bare account: a DeterministicStateInit gives it its code later.
            }
            case NAMED -> throw new IllegalStateException(receipt.receiverId + " is no implicit account id");
        }
    }

    /** The balances of the account's gas keys as the receipt left them so far. */
    private static BigInteger gasKeyBalances(Draft draft) {
        Map<PublicKey, AccessKey> keys = new LinkedHashMap<>();
        if (!draft.created && draft.account != null) {
            keys.putAll(draft.account.accessKeys());
        }
        keys.putAll(draft.keyChanges);
        BigInteger total = BigInteger.ZERO;
        for (AccessKey key : keys.values()) {
            if (key != null && key.gasKey() != null) {
                total = total.add(key.gasKey().balance());
            }
        }
        return total;
    }

    /**
     * nearcore's action_deploy_global_contract (global_contracts.rs): burns
     * global_contract_storage_amount_per_byte per byte of code from the deployer's balance
     * (LackBalanceForState when it has less), takes the identifier's next nonce and sends the code to
     * be distributed; accounts can use it from the next block on.
     */
    private String deployGlobal(Receipt receipt, Action.DeployGlobalContract d, Draft draft, Result result) {
        BigInteger cost = Fee.GLOBAL_CONTRACT_STORAGE_AMOUNT_PER_BYTE.multiply(BigInteger.valueOf(d.code().length));
        if (draft.balance.compareTo(cost) < 0) {
            result.failure = new ExecutionStatus.Failure(
                    null,
                    "LackBalanceForState",
                    null,
                    "account " + receipt.receiverId + " needs " + cost + " yoctoNEAR to deploy a global contract of "
                            + d.code().length + " bytes and has " + draft.balance);
            return "LackBalanceForState";
        }
        draft.balance = draft.balance.subtract(cost);
        result.tokensBurnt = result.tokensBurnt.add(cost);
        GlobalContractId id = d.contractId(receipt.receiverId);
        Long taken = draft.globalNonces.get(id);
        long nonce = (taken != null ? taken : simulator.globalContracts().nonce(id)) + 1;
        draft.globalNonces.put(id, nonce);
        result.distributions.add(new Distribution(id, d.code(), nonce));
        return null;
    }

    /**
     * nearcore's action_deterministic_state_init (runtime/runtime/src/deterministic_account_id.rs,
     * NEP-616): a missing account is created with no balance (the actor stays the predecessor, so
     * the receipt cannot go on to add keys or deploy); an account without code gets the global
     * contract (GlobalContractDoesNotExist otherwise) and the entries, each counting its key, value
     * and 40 bytes of storage; an account with code is left alone. Then the deposit pays what the
     * storage stake lacks (nothing for a zero-balance account) and the rest goes back to the
     * receipt's balance refund receiver; a deposit short of it all goes to the account.
     */
    private String stateInit(Receipt receipt, Action.DeterministicStateInit init, Draft draft, Result result) {
        if (!draft.exists) {
            draft.exists = true;
            draft.created = true;
            draft.balance = BigInteger.ZERO;
            draft.locked = BigInteger.ZERO;
            draft.storageUsage = ExtCost.STORAGE_NUM_BYTES_ACCOUNT;
        }
        if (draft.global == null && draft.contract == null) {
            String refused = useGlobal(new Action.UseGlobalContract(init.code()), draft, result);
            if (refused != null) {
                return refused;
            }
            init.data().forEach((key, value) -> {
                draft.changes.put(key, value);
                draft.storageUsage += key.length() + value.length + ExtCost.STORAGE_NUM_EXTRA_BYTES_RECORD;
            });
        }
        BigInteger missing = ContractSimulator.missingStorageStake(draft.balance, draft.locked, draft.storageUsage);
        BigInteger kept = missing.min(init.deposit());
        BigInteger after = draft.balance.add(kept);
        if (after.compareTo(VmLogic.U128_MAX) > 0) {
            return "IntegerOverflow";
        }
        draft.balance = after;
        BigInteger refund = init.deposit().subtract(kept);
        String refundTo = receipt.balanceRefundReceiver();
        if (refund.signum() > 0 && simulator.accountState(refundTo) != null) {
            Receipt back = new Receipt(
                    null,
                    SYSTEM,
                    refundTo,
                    refundTo,
                    receipt.signerKey,
                    List.of(new Action.Transfer(refund)),
                    receipt.tree,
                    null,
                    HostBinding.DIRECT);
            result.produced.add(back);
        }
        return null;
    }

    /**
     * nearcore's action_use_global_contract: GlobalContractDoesNotExist unless the identifier has been
     * distributed; the account's own code (and its storage) gives way to the identifier's length, and
     * its calls run the global code from the next action on.
     */
    private String useGlobal(Action.UseGlobalContract u, Draft draft, Result result) {
        GlobalContracts.Code code = simulator.globalContracts().get(u.contractId());
        if (code == null) {
            // GlobalContractIdentifier in serde's form: {"CodeHash": base58} or {"AccountId": id}
            Map<String, Object> identifier = u.contractId().isHash()
                    ? Map.of("CodeHash", Base58.encode(u.contractId().codeHash()))
                    : Map.of("AccountId", u.contractId().accountId());
            result.failure = new ExecutionStatus.Failure(
                    null,
                    "GlobalContractDoesNotExist",
                    null,
                    "global contract " + u.contractId() + " does not exist",
                    Map.of("identifier", identifier));
            return "GlobalContractDoesNotExist";
        }
        draft.storageUsage += u.contractId().len() - draft.contractStorage();
        draft.global = u.contractId();
        draft.contract = code.compiled();
        draft.local = null;
        draft.compileError = code.compileError();
        draft.contractChanged = true;
        draft.deployedCode = null;
        return null;
    }

    private String call(
            Receipt receipt,
            Action.FunctionCall call,
            Draft draft,
            List<ReceiptContext.PromiseResult> inputs,
            long height,
            Result result) {
        if (draft.contract == null) {
            // No code, or code (own or global) that does not compile: nearcore stores any code, and
            // its call burns no gas before the error (with FixContractLoadingCost off, as at 86,
            // the loading fee is charged only after a successful compilation).
            String error = draft.compileError != null ? draft.compileError : "CodeDoesNotExist: " + receipt.receiverId;
            result.failure = new ExecutionStatus.Failure(null, "FunctionCallError", "CompilationError", error);
            return "FunctionCallError";
        }
        if (draft.balance.add(call.deposit()).compareTo(VmLogic.U128_MAX) > 0) {
            return "IntegerOverflow";
        }
        // nearcore's execute_function_call: only the receipt's last action sees its output data receivers.
        List<String> receivers = new ArrayList<>(receipt.outputDataReceivers.size());
        for (DataReceiver r : result.lastAction ? receipt.outputDataReceivers : List.<DataReceiver>of()) {
            receivers.add(r.receiverId());
        }
        ReceiptContext context = new ReceiptContext(
                receipt.idBytes,
                inputs,
                receivers,
                yieldsSeenBy(result),
                ReceiptIds.actionHash(receipt.idBytes, height, result.actionIndex),
                height);
        ContractSimulator.Block block =
                new ContractSimulator.Block(height, clock.timestampNanos(height), clock.epochHeight(height));
        CallContext callContext = simulator.callContext(
                receipt.receiverId,
                receipt.signerId,
                receipt.signerKey,
                receipt.predecessorId,
                call,
                block,
                draft.balance,
                draft.locked,
                draft.storageUsage,
                AccountContract.of(draft.contract, draft.global),
                receipt.balanceRefundReceiver());
        Outcome outcome;
        if (draft.account != null && !draft.created && draft.changes.isEmpty()) {
            outcome = ContractRuntime.run(
                    draft.contract,
                    callContext,
                    context,
                    simulator.storage(draft.accountId),
                    call.methodName(),
                    receipt.binding);
        } else {
            NavigableMap<Bytes, byte[]> view = draft.account == null || draft.created
                    ? new TreeMap<>()
                    : draft.account.read(snapshot -> new TreeMap<>(snapshot.data()));
            draft.changes.forEach((k, v) -> {
                if (v == null) {
                    view.remove(k);
                } else {
                    view.put(k, v);
                }
            });
            outcome =
                    ContractRuntime.run(draft.contract, callContext, context, view, call.methodName(), receipt.binding);
        }
        result.call = outcome;
        result.logs.addAll(outcome.logs());
        result.gasBurnt = Fee.plus(result.gasBurnt, outcome.gasBurnt());
        result.gasUsed = Fee.plus(result.gasUsed, outcome.gasUsed());
        result.vmBurnt = Fee.plus(result.vmBurnt, outcome.gasBurnt());
        if (!outcome.success()) {
            result.failure =
                    new ExecutionStatus.Failure(null, "FunctionCallError", outcome.errorKind(), outcome.errorMessage());
            return "FunctionCallError";
        }
        draft.called = true;
        draft.changes.putAll(outcome.stateChanges());
        draft.balance = outcome.balance();
        draft.storageUsage = outcome.storageUsage();
        PromiseLog promises = outcome.promises();
        int offset = result.created.size();
        result.created.addAll(promises.receipts());
        for (int i = 0; i < promises.receipts().size(); i++) {
            result.createdBase.add(offset);
        }
        result.resumes.addAll(promises.resumes());
        result.produced.addAll(promises.receipts());
        result.produced.addAll(promises.resumes());
        result.returned = promises.returnedReceipt() == null ? null : offset + promises.returnedReceipt();
        result.value = outcome.result();
        return null;
    }

    private void commit(Draft draft) {
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
    private BigInteger reward(Receipt receipt, Result result) {
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
    /**
     * nearcore's apply_delegate_action (runtime/runtime/src/actions.rs), on the sender's account
     * (the transaction's receiver): the signature, max_block_height, the sender, then the sender's
     * access key (validate_delegate_action_key: nonce above the key's and below height * 10^6, a
     * function-call key only for one call without deposit to its receiver and methods), whose nonce
     * becomes the delegate's. Then the inner actions go out as a receipt from the sender, signed by
     * the relayer: its execution fees and gas count as used here and its send fees, prepaid by the
     * relayer's transaction, are burnt here.
     */
    private String delegate(Receipt receipt, Action.Delegate d, Draft draft, long height, Result result) {
        if (!d.signatureValid()) {
            return "DelegateActionInvalidSignature";
        }
        if (Long.compareUnsigned(height, d.maxBlockHeight()) > 0) {
            return "DelegateActionExpired";
        }
        if (!d.senderId().equals(receipt.receiverId)) {
            return "DelegateActionSenderDoesNotMatchTxReceiver";
        }
        AccessKey key = draft.key(d.publicKey());
        if (key == null) {
            return keyError(
                    result,
                    "AccessKeyNotFound",
                    d.senderId() + " has no access key " + d.publicKey(),
                    ordered(
                            "account_id",
                            d.senderId(),
                            "public_key",
                            d.publicKey().toString()));
        }
        // actions.rs validate_delegate_action_key: a plain nonce is the key's own and no gas key's; a
        // DelegateV2's GasKeyNonce is one of a gas key's slots.
        long current;
        if (d.nonceIndex() < 0) {
            if (key.gasKey() != null) {
                return keyError(
                        result,
                        "DelegateActionRequiresNonGasKey",
                        "a gas key signs a delegate action only as DelegateV2 with a nonce slot",
                        Map.of());
            }
            current = key.nonce();
        } else {
            if (key.gasKey() == null) {
                return keyError(
                        result,
                        "DelegateActionRequiresGasKey",
                        "a delegate action naming a nonce slot needs a gas key",
                        Map.of());
            }
            if (d.nonceIndex() >= key.gasKey().numNonces()) {
                result.failure = new ExecutionStatus.Failure(
                        null,
                        "DelegateActionInvalidNonceIndex",
                        null,
                        "the gas key has " + key.gasKey().numNonces() + " nonce slots",
                        ordered(
                                "nonce_index",
                                d.nonceIndex(),
                                "num_nonces",
                                key.gasKey().numNonces()));
                return "DelegateActionInvalidNonceIndex";
            }
            current = key.gasKeyNonces().get(d.nonceIndex());
        }
        if (Long.compareUnsigned(d.nonce(), current) <= 0) {
            result.failure = new ExecutionStatus.Failure(
                    null,
                    "DelegateActionInvalidNonce",
                    null,
                    "delegate nonce " + Long.toUnsignedString(d.nonce()) + " must be larger than the key's "
                            + Long.toUnsignedString(current),
                    ordered("delegate_nonce", d.nonce(), "ak_nonce", current));
            return "DelegateActionInvalidNonce";
        }
        long upperBound = height * NONCE_RANGE_MULTIPLIER;
        if (Long.compareUnsigned(d.nonce(), upperBound) >= 0) {
            result.failure = new ExecutionStatus.Failure(
                    null,
                    "DelegateActionNonceTooLarge",
                    null,
                    "delegate nonce " + Long.toUnsignedString(d.nonce()) + " is not below " + upperBound,
                    ordered("delegate_nonce", d.nonce(), "upper_bound", upperBound));
            return "DelegateActionNonceTooLarge";
        }
        if (key.functionCall() != null) {
            AccessKey.FunctionCallPermission permission = key.functionCall();
            if (d.actions().size() != 1 || !(d.actions().get(0) instanceof Action.FunctionCall call)) {
                return keyError(
                        result, "RequiresFullAccess", "a function-call key signs exactly one function call", Map.of());
            }
            if (call.deposit().signum() > 0) {
                return keyError(
                        result,
                        "DepositWithFunctionCall",
                        "a function-call key cannot sign a call with a deposit",
                        Map.of());
            }
            if (!permission.receiverId().equals(d.receiverId())) {
                return keyError(
                        result,
                        "ReceiverMismatch",
                        "the key may call " + permission.receiverId() + " only",
                        ordered("tx_receiver", d.receiverId(), "ak_receiver", permission.receiverId()));
            }
            if (!permission.allowsMethod(call.methodName())) {
                return keyError(
                        result,
                        "MethodNameMismatch",
                        "the key may not call method " + call.methodName(),
                        ordered("method_name", call.methodName()));
            }
        }
        if (d.nonceIndex() < 0) {
            draft.keyChanges.put(d.publicKey(), key.withNonce(d.nonce()));
        } else {
            List<Long> slots = new ArrayList<>(key.gasKeyNonces());
            slots.set(d.nonceIndex(), d.nonce());
            draft.keyChanges.put(d.publicKey(), new AccessKey(key.nonce(), key.permission(), slots));
        }
        Receipt inner = new Receipt(
                null,
                d.senderId(),
                d.receiverId(),
                receipt.signerId,
                receipt.signerKey,
                d.actions(),
                receipt.tree,
                null,
                HostBinding.DIRECT);
        long required = Fee.action_receipt_creation.execution;
        for (Action action : d.actions()) {
            required = Fee.plus(required, Fee.plus(Fee.execFee(action, d.receiverId()), Fee.prepaidGas(action)));
        }
        long sendFees = Fee.prepaidSendFees(d);
        result.gasUsed = Fee.plus(result.gasUsed, Fee.plus(required, sendFees));
        result.gasBurnt = Fee.plus(result.gasBurnt, sendFees);
        result.produced.add(inner);
        return null;
    }

    /** nearcore's Account::MAX_ACCOUNT_DELETION_STORAGE_USAGE. */
    private static final long MAX_ACCOUNT_DELETION_STORAGE_USAGE = 10_000;

    /** nearcore's ACCESS_KEY_NONCE_RANGE_MULTIPLIER. */
    private static final long NONCE_RANGE_MULTIPLIER = 1_000_000L;

    /** DelegateActionAccessKeyError with nearcore's InvalidAccessKeyError kind and its fields. */
    private static String keyError(
            Result result, String invalidAccessKeyError, String message, Map<String, Object> fields) {
        result.failure = new ExecutionStatus.Failure(
                null, "DelegateActionAccessKeyError", invalidAccessKeyError, message, fields);
        return "DelegateActionAccessKeyError";
    }

    /**
     * nearcore's fields of an ActionErrorKind that {@link #apply} returned (core/primitives/src/errors.rs),
     * read before the action changed anything; empty for a variant without fields, null for a kind
     * nearcore does not have (shown with its message).
     */
    private static Map<String, Object> fields(String kind, Receipt receipt, Action action, Draft draft) {
        String account = receipt.receiverId;
        return switch (kind) {
            case "AccountAlreadyExists",
                    "AccountDoesNotExist",
                    "OnlyImplicitAccountCreationAllowed",
                    "TriesToUnstake",
                    "DeleteAccountStaking",
                    "DeleteAccountWithLargeState" -> ordered("account_id", account);
            case "CreateAccountOnlyByRegistrar" ->
                ordered(
                        "account_id",
                        account,
                        "registrar_account_id",
                        REGISTRAR,
                        "predecessor_id",
                        receipt.predecessorId);
            case "CreateAccountNotAllowed" -> ordered("account_id", account, "predecessor_id", receipt.predecessorId);
            case "TriesToStake" ->
                ordered(
                        "account_id",
                        account,
                        "stake",
                        ((Action.Stake) action).stake(),
                        "locked",
                        draft.locked,
                        "balance",
                        draft.balance);
            case "AddKeyAlreadyExists" ->
                ordered(
                        "account_id",
                        account,
                        "public_key",
                        ((Action.AddKey) action).publicKey().toString());
            case "DeleteKeyDoesNotExist" ->
                ordered(
                        "account_id",
                        account,
                        "public_key",
                        ((Action.DeleteKey) action).publicKey().toString());
            case "ActorNoPermission" -> ordered("account_id", account, "actor_id", draft.actor);
            case "GasKeyDoesNotExist" ->
                ordered("account_id", account, "public_key", gasKeyOf(action).toString());
            case "InsufficientGasKeyBalance" -> {
                Action.WithdrawFromGasKey w = (Action.WithdrawFromGasKey) action;
                yield ordered(
                        "account_id",
                        account,
                        "public_key",
                        w.publicKey().toString(),
                        "balance",
                        draft.key(w.publicKey()).gasKey().balance(),
                        "required",
                        w.amount());
            }
            case "GasKeyBalanceTooHigh" ->
                action instanceof Action.DeleteKey delete
                        ? ordered(
                                "account_id",
                                account,
                                "public_key",
                                delete.publicKey().toString(),
                                "balance",
                                draft.key(delete.publicKey()).gasKey().balance())
                        : ordered("account_id", account, "public_key", null, "balance", gasKeyBalances(draft));
            case "DelegateActionInvalidSignature", "DelegateActionExpired" -> Map.of();
            case "DelegateActionSenderDoesNotMatchTxReceiver" ->
                ordered("sender_id", ((Action.Delegate) action).senderId(), "receiver_id", account);
            default -> null;
        };
    }

    /** Fields in nearcore's declaration order: name, value, name, value... */
    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    private void finish(Receipt receipt, Result result, long height, List<Object> next) {
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
    private void refunds(Receipt receipt, Result result, List<Object> newReceipts) {
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

    private static String describe(String kind, Receipt receipt, Action action) {
        return switch (kind) {
            case "AccountAlreadyExists" -> "account " + receipt.receiverId + " already exists";
            case "AccountDoesNotExist" -> "account " + receipt.receiverId + " does not exist";
            case "OnlyImplicitAccountCreationAllowed" ->
                "the implicit account " + receipt.receiverId + " is created only by a transfer that is its receipt's"
                        + " one action";
            case "CreateAccountOnlyByRegistrar" ->
                "a top-level account shorter than " + Fee.MIN_ALLOWED_TOP_LEVEL_ACCOUNT_LENGTH
                        + " characters is created only by the registrar";
            case "CreateAccountNotAllowed" ->
                receipt.predecessorId + " may create only its direct sub-accounts, not " + receipt.receiverId;
            case "IntegerOverflow" -> "the balance of " + receipt.receiverId + " would exceed u128";
            case "TriesToStake" -> "not enough balance to stake " + ((Action.Stake) action).stake();
            case "TriesToUnstake" -> "nothing is staked";
            case "UnsuitableStakingKey" -> "a staking key must be ed25519";
            case "AddKeyAlreadyExists" -> "the key already exists";
            case "DeleteKeyDoesNotExist" -> "the key does not exist";
            case "GasKeyDoesNotExist" -> "the account has no gas key " + gasKeyOf(action);
            case "InsufficientGasKeyBalance" ->
                "the gas key " + gasKeyOf(action) + " holds less than the "
                        + ((Action.WithdrawFromGasKey) action).amount() + " yoctoNEAR to withdraw";
            case "GasKeyBalanceTooHigh" ->
                "a gas key's balance (for DeleteAccount all of them) is burnt on deletion, at most "
                        + AccessKey.MAX_GAS_KEY_BALANCE_TO_BURN + " yoctoNEAR; withdraw the rest first";
            case "DeleteAccountStaking" -> "an account with a stake cannot be deleted";
            case "DeleteAccountWithLargeState" ->
                "an account with over " + MAX_ACCOUNT_DELETION_STORAGE_USAGE
                        + " bytes of storage beside its contract cannot be deleted";
            case "DelegateActionInvalidSignature" -> "the delegate action's signature is not its public key's";
            case "DelegateActionExpired" ->
                "the delegate action was valid up to block " + ((Action.Delegate) action).maxBlockHeight();
            case "ActorNoPermission" ->
                receipt.predecessorId + " may not " + actionName(action) + " on " + receipt.receiverId;
            case "DelegateActionSenderDoesNotMatchTxReceiver" ->
                "the delegate action's sender " + ((Action.Delegate) action).senderId()
                        + " is not the transaction's receiver " + receipt.receiverId;
            default -> kind;
        };
    }

    /** The gas key a TransferToGasKey or a WithdrawFromGasKey names. */
    private static PublicKey gasKeyOf(Action action) {
        return action instanceof Action.WithdrawFromGasKey w
                ? w.publicKey()
                : ((Action.TransferToGasKey) action).publicKey();
    }

    /** The action in nearcore's words, for ActorNoPermission's message. */
    private static String actionName(Action action) {
        return action.getClass().getSimpleName();
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

package dev.outlayer.bench.targetsystem.transactions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.RpcException;
import dev.outlayer.bench.targetsystem.rpc.TransactionPort;
import dev.outlayer.bench.targetsystem.rpc.TxExecutionStatus;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Signed transactions as a NEAR node takes them: decoded from Borsh, checked in nearcore's order
 * (block hash validity period, size and actions, signature, then against state: signer, access
 * key, nonce, balance, allowance, function-call permission), executed by the
 * {@link TransactionExecutor}, and kept by hash for {@code tx}. A refused transaction changes no
 * state; an accepted one has its key's nonce (and allowance) updated before it runs.
 *
 * <p>Execution is synchronous: when send_tx answers, every receipt has run. The including block is
 * the head at submission; it is final two blocks later (the emulator's {@code last_final_block}),
 * which is what {@code wait_until} FINAL and its neighbours wait for.
 */
public final class TransactionEngine implements TransactionPort {
    /** nearcore's ACCESS_KEY_NONCE_RANGE_MULTIPLIER: a nonce must stay below height times this. */
    static final long NONCE_RANGE_MULTIPLIER = 1_000_000L;
    /** Blocks from inclusion to finality in the emulated chain. */
    static final long FINALITY_LAG = 2;

    private final BlockClock clock;
    private final Ledger ledger;
    private final TransactionExecutor executor;
    private final TransactionLimits limits;
    private final BigInteger gasPrice;
    private final long waitTimeoutMillis;
    private final StatePatch patches;
    private final Cache<String, Included> included =
            Caffeine.newBuilder().maximumSize(100_000).build();

    /** A transaction that ran: at which height, with what outcome. */
    private record Included(SignedTransaction transaction, long height, TransactionExecutor.Execution execution) {}

    /**
     * @param gasPrice yoctoNEAR per gas, the emulated chain's (constant) price
     * @param waitTimeoutMillis how long a {@code wait_until} may wait before TIMEOUT_ERROR
     */
    public TransactionEngine(
            BlockClock clock,
            Ledger ledger,
            TransactionExecutor executor,
            TransactionLimits limits,
            BigInteger gasPrice,
            long waitTimeoutMillis) {
        this.clock = clock;
        this.ledger = ledger;
        this.executor = executor;
        this.limits = limits;
        this.gasPrice = gasPrice;
        this.waitTimeoutMillis = waitTimeoutMillis;
        this.patches = new StatePatch(ledger);
    }

    @Override
    public ObjectNode send(byte[] signedTransaction, TxExecutionStatus waitUntil) {
        Included done = submit(decode(signedTransaction));
        if (waitUntil == TxExecutionStatus.NONE) {
            return JsonCodec.object().put("final_execution_status", TxExecutionStatus.NONE.name());
        }
        return answer(done, waitUntil, false);
    }

    @Override
    public String sendAsync(byte[] signedTransaction) {
        return submit(decode(signedTransaction)).transaction().hashText();
    }

    @Override
    public ObjectNode status(String hash, String senderAccountId, TxExecutionStatus waitUntil, boolean withReceipts) {
        // One shard: the sender only routes the request in nearcore, the hash finds the transaction.
        Included done = included.getIfPresent(hash);
        if (done == null) {
            throw RpcException.unknownTransaction(hash);
        }
        return answer(done, waitUntil, withReceipts);
    }

    @Override
    public ObjectNode status(byte[] signedTransaction, TxExecutionStatus waitUntil, boolean withReceipts) {
        return status(decode(signedTransaction).hashText(), null, waitUntil, withReceipts);
    }

    @Override
    public Optional<ObjectNode> accessKey(String accountId, String publicKey) {
        PublicKey key;
        try {
            key = PublicKey.parse(publicKey);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return ledger.accessKey(accountId, key).map(AccessKeyViews::accessKey);
    }

    @Override
    public List<ObjectNode> accessKeys(String accountId) {
        return ledger.accessKeys(accountId).stream()
                .map(entry -> {
                    ObjectNode view = JsonCodec.object()
                            .put("public_key", entry.publicKey().toString());
                    view.set("access_key", AccessKeyViews.accessKey(entry.accessKey()));
                    return view;
                })
                .toList();
    }

    @Override
    public JsonNode patchState(JsonNode params) {
        patches.apply(params);
        return JsonCodec.object();
    }

    private static SignedTransaction decode(byte[] bytes) {
        try {
            return SignedTransaction.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw RpcException.parseError("Failed to decode transaction: " + e.getMessage());
        }
    }

    /** Checks and runs {@code tx}, or finds it already run (a resent transaction is answered, not run twice). */
    private Included submit(SignedTransaction tx) {
        Included known = included.getIfPresent(tx.hashText());
        if (known != null) {
            return known;
        }
        long height = clock.latestHeight();
        checkValidityPeriod(tx, height);
        if (tx.size() > limits.maxTransactionSize()) {
            throw InvalidTx.transactionSizeExceeded(tx.size(), limits.maxTransactionSize());
        }
        ActionsValidation.check(tx.actions(), limits);
        if (!tx.signatureValid()) {
            throw InvalidTx.invalidSignature();
        }
        TransactionCost cost;
        try {
            cost = TransactionCost.of(tx, gasPrice);
        } catch (ArithmeticException e) {
            throw RpcException.invalidTransaction(TextNode.valueOf("CostOverflow"));
        }
        ledger.exclusively(tx.signerId(), () -> {
            chargeAccessKey(tx, cost, height);
            return null;
        });
        Included done = new Included(tx, height, executor.execute(tx, cost, height));
        included.put(tx.hashText(), done);
        return done;
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

    /** nearcore's verify_and_charge_transaction, up to the charge (the executor moves the balance). */
    private void chargeAccessKey(SignedTransaction tx, TransactionCost cost, long height) {
        String signer = tx.signerId();
        BigInteger balance = ledger.balance(signer).orElseThrow(() -> InvalidTx.signerDoesNotExist(signer));
        AccessKey key = ledger.accessKey(signer, tx.publicKey())
                .orElseThrow(() -> InvalidTx.accessKeyNotFound(signer, tx.publicKey()));
        if (Long.compareUnsigned(tx.nonce(), key.nonce()) <= 0) {
            throw InvalidTx.invalidNonce(tx.nonce(), key.nonce());
        }
        long upperBound = height * NONCE_RANGE_MULTIPLIER;
        if (Long.compareUnsigned(tx.nonce(), upperBound) >= 0) {
            throw InvalidTx.nonceTooLarge(tx.nonce(), upperBound);
        }
        if (balance.compareTo(cost.totalCost()) < 0) {
            throw InvalidTx.notEnoughBalance(signer, balance, cost.totalCost());
        }
        AccessKey.Permission permission = key.permission();
        if (permission instanceof AccessKey.FunctionCall call) {
            if (call.allowance() != null) {
                if (call.allowance().compareTo(cost.totalCost()) < 0) {
                    throw InvalidTx.notEnoughAllowance(signer, tx.publicKey(), call.allowance(), cost.totalCost());
                }
                permission = call.withAllowance(call.allowance().subtract(cost.totalCost()));
            }
            checkFunctionCallPermission(tx, call);
        }
        ledger.putAccessKey(signer, tx.publicKey(), new AccessKey(tx.nonce(), permission));
    }

    private static void checkFunctionCallPermission(SignedTransaction tx, AccessKey.FunctionCall permission) {
        if (tx.actions().size() != 1 || !(tx.actions().get(0) instanceof TransactionAction.FunctionCall call)) {
            throw InvalidTx.requiresFullAccess();
        }
        if (call.deposit().signum() > 0) {
            throw InvalidTx.depositWithFunctionCall();
        }
        if (!tx.receiverId().equals(permission.receiverId())) {
            throw InvalidTx.receiverMismatch(tx.receiverId(), permission.receiverId());
        }
        if (!permission.methodNames().isEmpty() && !permission.methodNames().contains(call.methodName())) {
            throw InvalidTx.methodNameMismatch(call.methodName());
        }
    }

    /** The RpcTransactionResponse: the outcome (flattened) and the status it reached, after waiting for it. */
    private ObjectNode answer(Included done, TxExecutionStatus waitUntil, boolean withReceipts) {
        long finalHeight = done.height() + FINALITY_LAG;
        if (waitUntil.needsFinality()) {
            awaitHeight(finalHeight);
        }
        TransactionExecutor.Execution execution = done.execution();
        ObjectNode result = JsonCodec.object();
        result.set("status", execution.status());
        result.set("transaction", done.transaction().view());
        result.set("transaction_outcome", execution.transactionOutcome());
        result.set("receipts_outcome", execution.receiptsOutcome());
        if (withReceipts) {
            result.set("receipts", execution.receipts());
        }
        TxExecutionStatus reached =
                clock.latestHeight() >= finalHeight ? TxExecutionStatus.FINAL : TxExecutionStatus.EXECUTED_OPTIMISTIC;
        result.put("final_execution_status", reached.name());
        return result;
    }

    private void awaitHeight(long height) {
        long deadline = System.nanoTime() + waitTimeoutMillis * 1_000_000L;
        while (clock.latestHeight() < height) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw RpcException.timeout("PENDING");
            }
            try {
                Thread.sleep(Math.max(1, Math.min(left / 1_000_000L, clock.blockTimeMillis() / 4)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RpcException.timeout("PENDING");
            }
        }
    }
}

package dev.outlayer.bench.targetsystem.payments;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.executions.OperatorChannel;
import dev.outlayer.bench.targetsystem.executions.SystemCallbacks;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.keystore.KeystoreService;
import dev.outlayer.bench.targetsystem.keystore.PaymentKeySecret;
import dev.outlayer.bench.targetsystem.storage.ProjectStorage;
import dev.outlayer.bench.targetsystem.timing.RetryPause;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process worker of the coordinator's system callbacks, as OutLayer's worker handles them
 * (worker system-callback processing with its keystore): a TopUp task's blob is opened with the
 * key's System scope; a new key's TopUp (amount 0, no yield) becomes the coordinator's key with
 * balance 0 ({@code init_payment_key}); a top-up's blob is re-sealed with {@code initial_balance}
 * raised by the amount, written back by resuming the contract's yield ({@code resume_topup} with
 * {@code Success}), and only once that transaction is accepted is the coordinator's balance raised
 * ({@code complete_topup} with the amount). A blob that does not open resumes with {@code Error}, so
 * the contract refunds the tokens. A DeletePaymentKey task deletes the coordinator's key, then
 * resumes with {@code Success} (the contract removes the secret and refunds its deposit). A
 * ProjectStorageCleanup task clears the deleted project's storage, every account's rows and usage
 * (OutLayer's worker asks the coordinator's {@code POST /storage/clear-project}; this one is in the
 * coordinator's process and clears the same store).
 */
public final class SystemCallbackWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SystemCallbackWorker.class);
    static final String WORKER_ID = "system-callbacks";

    private final SystemCallbacks queue;
    private final KeystoreService keystore;
    private final PaymentKeys keys;
    private final OperatorChannel chain;
    private final ProjectStorage projectStorage;
    private volatile boolean stopping;
    private volatile Thread thread;

    public SystemCallbackWorker(
            SystemCallbacks queue,
            KeystoreService keystore,
            PaymentKeys keys,
            OperatorChannel chain,
            ProjectStorage projectStorage) {
        this.queue = queue;
        this.keystore = keystore;
        this.keys = keys;
        this.chain = chain;
        this.projectStorage = projectStorage;
    }

    public SystemCallbackWorker start() {
        Thread t = new Thread(this::run, "system-callback-worker");
        t.setDaemon(true);
        thread = t;
        t.start();
        return this;
    }

    private void run() {
        int failuresInARow = 0;
        while (!stopping) {
            try {
                queue.poll(Duration.ofSeconds(1)).ifPresent(this::handle);
                failuresInARow = 0;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failuresInARow++;
                LOG.warn("system callback failed: {} (failure {} in a row)", e.toString(), failuresInARow);
                if (!RetryPause.sleep(failuresInARow)) {
                    return;
                }
            }
        }
    }

    /** Handles one task (the worker thread's step; tests call it directly). */
    void handle(SystemCallbacks.Task task) {
        switch (task.taskType()) {
            case SystemCallbacks.Task.TOP_UP -> topUp(task, new PaymentKeys.Id(task.owner(), task.nonce()));
            case SystemCallbacks.Task.DELETE_PAYMENT_KEY ->
                delete(task, new PaymentKeys.Id(task.owner(), task.nonce()));
            // OutLayer's worker calls the coordinator's /storage/clear-project with the uuid
            case SystemCallbacks.Task.PROJECT_STORAGE_CLEANUP -> projectStorage.clearProject(task.projectUuid());
            default -> LOG.warn("unknown system callback task type {}", task.taskType());
        }
    }

    private void topUp(SystemCallbacks.Task task, PaymentKeys.Id id) {
        PaymentKeySecret secret;
        BigInteger amount;
        try {
            amount = PaymentKeys.parseAmount(task.amount(), "amount");
            secret = keystore.openPaymentKey(task.owner(), task.nonce(), task.encryptedData());
        } catch (ApiException e) {
            LOG.warn("TopUp {}/{}: {}", task.owner(), task.nonce(), e.getMessage());
            if (task.yielded()) {
                resume("resume_topup", task.dataId(), Map.of("Error", new TopUpError(e.getMessage())));
            }
            return;
        }
        if (!task.yielded()) {
            // store_secrets of a new key: OutLayer's init_payment_key, balance 0
            keys.init(id, secret.keyHash(), secret.projectIds(), secret.maxPerCall());
            return;
        }
        BigInteger before =
                secret.initialBalance() == null || secret.initialBalance().isEmpty()
                        ? BigInteger.ZERO
                        : new BigInteger(secret.initialBalance());
        BigInteger after = before.add(amount);
        String blob = keystore.sealPaymentKey(task.owner(), task.nonce(), secret.withInitialBalance(after.toString()));
        Optional<String> refused = resume("resume_topup", task.dataId(), Map.of("Success", new TopUpSuccess(blob)));
        if (refused.isPresent()) {
            // the yield is gone (timed out and refunded): the coordinator's balance stays as it was
            return;
        }
        keys.completeTopUp(id, secret.keyHash(), after, amount, secret.projectIds(), secret.maxPerCall());
    }

    private void delete(SystemCallbacks.Task task, PaymentKeys.Id id) {
        keys.delete(id);
        resume("resume_delete_payment_key", task.dataId(), "Success");
    }

    /** Sends the operator's resume; the refusal when the chain did not accept it. */
    private Optional<String> resume(String method, String dataId, Object result) {
        OperatorChannel.SignedCall call =
                chain.sign(WORKER_ID, method, JsonCodec.bytes(new ResumeArgs(dataId, result)));
        OperatorChannel.Sent sent = chain.send(call);
        if (!sent.accepted()) {
            LOG.warn("{} {} was refused: {}", method, dataId, sent.error());
            return Optional.of(sent.error() == null ? "refused" : sent.error());
        }
        return Optional.empty();
    }

    record ResumeArgs(
            @JsonProperty("data_id") String dataId,
            @JsonProperty("result") Object result) {}

    record TopUpSuccess(@JsonProperty("new_encrypted_data") String newEncryptedData) {}

    record TopUpError(@JsonProperty("message") String message) {}

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

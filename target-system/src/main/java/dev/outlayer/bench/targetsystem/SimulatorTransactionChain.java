package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.contracts.SignedActions;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.transactions.TransactionChain;
import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;

/** Wiring: the contract simulator's accounts, keys and receipt engine as the transaction engine's chain. */
final class SimulatorTransactionChain implements TransactionChain {
    private final ContractSimulator simulator;

    SimulatorTransactionChain(ContractSimulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public TxOutcome submit(SignedActions transaction, WaitMode wait) {
        return simulator.submit(transaction, wait);
    }

    @Override
    public void check(SignedActions transaction) {
        simulator.check(transaction);
    }

    @Override
    public void logReceipts(java.util.function.Consumer<dev.outlayer.bench.targetsystem.contracts.ReceiptRecord> log) {
        simulator.logReceipts(log);
    }

    @Override
    public Optional<TxOutcome> outcome(String transactionHash) {
        return simulator.outcome(transactionHash);
    }

    @Override
    public void runDueYields() {
        simulator.runDueYields();
    }

    @Override
    public boolean accountExists(String accountId) {
        return simulator.account(accountId).isPresent();
    }

    @Override
    public void putAccount(String accountId, BigInteger balance) {
        simulator.putAccount(accountId, balance);
    }

    @Override
    public void putAccessKey(String accountId, PublicKey key, AccessKey accessKey) {
        simulator.putAccessKey(accountId, key, accessKey);
    }

    @Override
    public Optional<AccessKey> accessKey(String accountId, PublicKey key) {
        return simulator.accessKey(accountId, key);
    }

    @Override
    public Map<PublicKey, AccessKey> accessKeys(String accountId) {
        return simulator.accessKeys(accountId);
    }
}

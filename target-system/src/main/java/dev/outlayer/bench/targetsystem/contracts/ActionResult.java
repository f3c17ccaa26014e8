package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * What applying a receipt's actions gave, before {@link ReceiptEngine} turns it into outcomes and new
 * receipts: nearcore's ActionResult.
 */
final class ActionResult {
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
    final List<ReceiptEngine.Distribution> distributions = new ArrayList<>();
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

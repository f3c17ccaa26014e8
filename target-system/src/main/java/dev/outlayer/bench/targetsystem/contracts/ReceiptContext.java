package dev.outlayer.bench.targetsystem.contracts;

import java.util.List;

/**
 * What a call knows of the receipt it runs in, beyond NEAR's VMContext: the receipt id, the results
 * of the receipts it waited for, the accounts its result goes to as data receipts, which yields are
 * waiting to be resumed, and its action's hash and block height, which the data ids it makes derive
 * from (nearcore's RuntimeExt action_hash and block_height).
 */
public record ReceiptContext(
        byte[] receiptId,
        List<PromiseResult> promiseResults,
        List<String> outputDataReceivers,
        Yields yields,
        byte[] actionHash,
        long blockHeight) {

    /** A call with no receipt around it: no results, nobody waiting for its value, no yields. */
    public static final ReceiptContext NONE =
            new ReceiptContext(new byte[32], List.of(), List.of(), (accountId, dataId) -> false);

    /** A call whose data ids derive from its receipt id at height 0 (tests, calls outside a chain). */
    public ReceiptContext(
            byte[] receiptId, List<PromiseResult> promiseResults, List<String> outputDataReceivers, Yields yields) {
        this(receiptId, promiseResults, outputDataReceivers, yields, receiptId, 0);
    }

    /** The {@code index}th data id the call makes (ext.rs generate_data_id). */
    public byte[] dataId(long index) {
        return ReceiptIds.dataId(actionHash, blockHeight, index);
    }

    /** One result a callback receives: a value, or the failure of the receipt it waited for. */
    public record PromiseResult(boolean success, byte[] value) {
        public static final PromiseResult FAILED = new PromiseResult(false, null);

        public static PromiseResult successful(byte[] value) {
            return new PromiseResult(true, value);
        }
    }

    /** The engine's yields, as promise_yield_resume and the _with_id host functions ask about them. */
    public interface Yields {
        /** Whether a yield of {@code accountId} waits on {@code dataId}. */
        boolean waiting(String accountId, byte[] dataId);

        /**
         * The data id of the yield of {@code accountId} named {@code yieldId} by
         * promise_yield_create_with_id, or null: nearcore's YieldIdToDataId, held from the receipt
         * that created the yield until its resume or timeout arrives.
         */
        default byte[] dataIdOf(String accountId, byte[] yieldId) {
            return null;
        }
    }
}

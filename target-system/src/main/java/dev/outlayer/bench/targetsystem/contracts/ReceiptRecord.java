package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.List;

/**
 * A receipt of a signed transaction's tree as nearcore stores it (core/primitives/src/receipt.rs
 * ReceiptV0): who sends what to whom, its signer, gas price, data dependencies and actions; or, with
 * {@link #data()}, a data receipt (nearcore's DataReceipt: a result for the receipt waiting on it, or
 * a yield's resume payload), which has none of the action fields. Handed to the receipt log when the
 * receipt is created, after its output data receivers are wired.
 *
 * @param signerPublicKey null for nearcore's empty ed25519 key (a balance refund's, from system)
 * @param gasPrice        what its gas is bought at: the block's price, 0 for refunds
 * @param inputDataIds    base58 data ids it waits for (a yield's: the id its resume delivers to)
 * @param promiseYield    created by promise_yield_create (nearcore's ReceiptEnum::PromiseYield)
 * @param createdAtHeight the block whose chunk created it; it arrives in the next chunk
 * @param data            a data receipt's body; null for an action receipt
 */
public record ReceiptRecord(
        String receiptId,
        String predecessorId,
        String receiverId,
        String signerId,
        PublicKey signerPublicKey,
        BigInteger gasPrice,
        List<DataReceiver> outputDataReceivers,
        List<String> inputDataIds,
        List<Action> actions,
        boolean promiseYield,
        long createdAtHeight,
        Data data) {

    /**
     * A data receipt's body, as nearcore's DataReceipt: the data id (base58), the value (null for a
     * failed result or a timed-out yield) and whether it resumes a yield (ReceiptEnum::PromiseResume).
     */
    public record Data(String dataId, byte[] value, boolean promiseResume) {}

    /** A data receipt from {@code predecessorId} to the receipt of {@code receiverId} waiting on it. */
    static ReceiptRecord dataReceipt(
            String receiptId, String predecessorId, String receiverId, Data data, long createdAtHeight) {
        return new ReceiptRecord(
                receiptId,
                predecessorId,
                receiverId,
                null,
                null,
                null,
                List.of(),
                List.of(),
                List.of(),
                false,
                createdAtHeight,
                data);
    }

    /** Where a receipt's result goes: a data id (base58) and the account of the receipt waiting on it. */
    public record DataReceiver(String dataId, String receiverId) {}
}

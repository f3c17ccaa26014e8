package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.List;

/**
 * A receipt of a signed transaction's tree as nearcore stores it (core/primitives/src/receipt.rs
 * ReceiptV0): who sends what to whom, its signer, gas price, data dependencies and actions. Handed to
 * the receipt log when the receipt is created, after its output data receivers are wired.
 *
 * @param signerPublicKey null for nearcore's empty ed25519 key (a balance refund's, from system)
 * @param gasPrice        what its gas is bought at: the block's price, 0 for refunds
 * @param inputDataIds    base58 data ids it waits for (a yield's: the id its resume delivers to)
 * @param promiseYield    created by promise_yield_create (nearcore's ReceiptEnum::PromiseYield)
 * @param createdAtHeight the block whose chunk created it; it arrives in the next chunk
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
        long createdAtHeight) {

    /** Where a receipt's result goes: a data id (base58) and the account of the receipt waiting on it. */
    public record DataReceiver(String dataId, String receiverId) {}
}

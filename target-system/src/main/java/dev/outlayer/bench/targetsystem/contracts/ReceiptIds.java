package dev.outlayer.bench.targetsystem.contracts;

import java.security.MessageDigest;

/**
 * nearcore's ids of receipts, actions and data (core/primitives/src/utils.rs
 * create_receipt_id_from_transaction, create_receipt_id_from_receipt_id,
 * create_action_hash_from_receipt_id, create_receipt_id_from_action_hash, all through
 * create_hash_upgradable): since BlockHeightForReceiptId (protocol 77) the SHA-256 of a base hash,
 * the height of the block being applied (u64, little-endian) and a salt (u64, little-endian); the
 * block hash no longer enters. So a user can compute every id of a tree from the transaction hash
 * and the heights its outcomes name.
 */
public final class ReceiptIds {
    private ReceiptIds() {}

    /** The transaction's receipt, made where the transaction is converted: salt 0. */
    public static byte[] fromTransaction(byte[] txHash, long height) {
        return hash(txHash, height, 0);
    }

    /**
     * The {@code index}th receipt a receipt applied at {@code height} creates, in the order of
     * nearcore's new_receipts (data receipts and refunds count too); a yield's timeout is made from
     * its data id the same way, counting the timeouts of the block.
     */
    public static byte[] fromReceipt(byte[] parentId, long height, long index) {
        return hash(parentId, height, index);
    }

    /** An action's hash: the receipt id with the salt u64::MAX - actionIndex, apart from receipt indices. */
    public static byte[] actionHash(byte[] receiptId, long height, int actionIndex) {
        return hash(receiptId, height, -1L - actionIndex);
    }

    /** The {@code index}th data id a call made (ext.rs generate_data_id: promise_then's dependencies, yields). */
    public static byte[] dataId(byte[] actionHash, long height, long index) {
        return hash(actionHash, height, index);
    }

    private static byte[] hash(byte[] base, long height, long salt) {
        MessageDigest digest = ReceiptEngine.sha256();
        digest.update(base);
        digest.update(littleEndian(height));
        digest.update(littleEndian(salt));
        return digest.digest();
    }

    private static byte[] littleEndian(long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (8 * i));
        }
        return bytes;
    }
}

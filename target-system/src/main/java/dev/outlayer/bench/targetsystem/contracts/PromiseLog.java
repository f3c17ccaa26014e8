package dev.outlayer.bench.targetsystem.contracts;

import java.util.ArrayList;
import java.util.List;

/**
 * nearcore's ReceiptManager: the receipts a call creates (with their actions and which earlier
 * receipts' results they wait for), the promises that name them, the yields it resumed and the
 * promise it returned. The engine turns them into receipts when the call succeeds.
 */
public final class PromiseLog {
    private final List<NewReceipt> receipts = new ArrayList<>();
    /** Each promise is one receipt index, or the receipts joined by promise_and. */
    private final List<int[]> promises = new ArrayList<>();

    private final List<Boolean> joint = new ArrayList<>();
    private final List<Resume> resumes = new ArrayList<>();
    private Integer returnedReceipt;
    /** Makes the call's data ids in turn (nearcore's RuntimeExt data_count). */
    private final java.util.function.LongFunction<byte[]> dataIds;

    private long dataCount;

    /** A log whose data ids derive from no receipt (a call outside a chain). */
    public PromiseLog() {
        this(ReceiptContext.NONE::dataId);
    }

    /** @param dataIds the call's {@code index}th data id ({@link ReceiptContext#dataId}) */
    public PromiseLog(java.util.function.LongFunction<byte[]> dataIds) {
        this.dataIds = dataIds;
    }

    /**
     * The call's next data id: nearcore's generate_data_id, one per dependency of promise_then and
     * promise_batch_then and one per yield, in the order the call asks for them.
     */
    byte[] newDataId() {
        return dataIds.apply(dataCount++);
    }

    /**
     * A receipt the call creates. {@code yieldDataId} is set for a yield's receipt, {@code yieldId}
     * too for one promise_yield_create_with_id named.
     */
    public static final class NewReceipt {
        private final String receiverId;
        private final int[] dependencies;
        private final List<Action> actions = new ArrayList<>();
        private final byte[] yieldDataId;
        private final byte[] yieldId;
        /** The data ids of its dependencies' results, made when it was created (ext.rs create_action_receipt). */
        private final byte[][] inputDataIds;
        /** Where the receipt's balance refunds go instead of its predecessor (promise_set_refund_to), or null. */
        private String refundTo;

        NewReceipt(String receiverId, int[] dependencies, byte[] yieldDataId, byte[] yieldId, byte[][] inputDataIds) {
            this.receiverId = receiverId;
            this.dependencies = dependencies;
            this.yieldDataId = yieldDataId;
            this.yieldId = yieldId;
            this.inputDataIds = inputDataIds;
        }

        public String receiverId() {
            return receiverId;
        }

        /** Indices of the receipts whose results this one receives, in promise_result order. */
        public int[] dependencies() {
            return dependencies.clone();
        }

        public List<Action> actions() {
            return actions;
        }

        public byte[] yieldDataId() {
            return yieldDataId;
        }

        /** The 32-byte id promise_yield_create_with_id gave the yield, or null. */
        public byte[] yieldId() {
            return yieldId;
        }

        /** The data id the result of its {@code d}th dependency arrives under. */
        public byte[] inputDataId(int d) {
            return inputDataIds[d].clone();
        }

        public String refundTo() {
            return refundTo;
        }
    }

    /** A promise_yield_resume the call made: the payload for the yield waiting on {@code dataId}. */
    public record Resume(byte[] dataId, byte[] payload) {}

    int receiptCount() {
        return receipts.size();
    }

    NewReceipt receipt(int index) {
        return receipts.get(index);
    }

    /** The receipts the promise {@code promiseIndex} stands for. */
    int[] receiptsOf(long promiseIndex) {
        checkIndex(promiseIndex);
        return promises.get((int) promiseIndex);
    }

    long newReceipt(String receiverId, int[] dependencies, byte[] yieldDataId) {
        return newReceipt(receiverId, dependencies, yieldDataId, null);
    }

    long newReceipt(String receiverId, int[] dependencies, byte[] yieldDataId, byte[] yieldId) {
        if (promises.size() >= ExtCost.MAX_PROMISES_PER_CALL) {
            // nearcore's checked_push_promise counts the promise it has just pushed (logic.rs).
            throw new HostError(
                    new HostError.NumberPromisesExceeded(promises.size() + 1L, ExtCost.MAX_PROMISES_PER_CALL));
        }
        byte[][] inputDataIds = new byte[dependencies.length][];
        for (int d = 0; d < dependencies.length; d++) {
            inputDataIds[d] = newDataId();
        }
        receipts.add(new NewReceipt(receiverId, dependencies, yieldDataId, yieldId, inputDataIds));
        promises.add(new int[] {receipts.size() - 1});
        joint.add(false);
        return promises.size() - 1;
    }

    long and(long[] indices) {
        List<Integer> joined = new ArrayList<>();
        for (long index : indices) {
            for (int receipt : receiptsOf(index)) {
                joined.add(receipt);
            }
            // Checked in the loop as nearcore does: joint promises of joint promises would otherwise
            // multiply (1024 x 1024 x 1024 receipts from three cheap calls).
            if (joined.size() > Fee.MAX_NUMBER_INPUT_DATA_DEPENDENCIES) {
                throw new HostError(new HostError.NumberInputDataDependenciesExceeded(
                        joined.size(), Fee.MAX_NUMBER_INPUT_DATA_DEPENDENCIES));
            }
        }
        if (promises.size() >= ExtCost.MAX_PROMISES_PER_CALL) {
            // nearcore's checked_push_promise counts the promise it has just pushed (logic.rs).
            throw new HostError(
                    new HostError.NumberPromisesExceeded(promises.size() + 1L, ExtCost.MAX_PROMISES_PER_CALL));
        }
        promises.add(joined.stream().mapToInt(Integer::intValue).toArray());
        joint.add(true);
        return promises.size() - 1;
    }

    /** The receipt a batch action goes to; a joint promise takes none. */
    NewReceipt actionTarget(long promiseIndex) {
        checkIndex(promiseIndex);
        if (joint.get((int) promiseIndex)) {
            throw new HostError(new HostError.CannotAppendActionToJointPromise());
        }
        return receipts.get(promises.get((int) promiseIndex)[0]);
    }

    /**
     * nearcore's promise_set_refund_to on its receipt manager: the receipt's balance refunds go to
     * {@code accountId}; a joint promise has no one receipt (CannotSetRefundToOnJointPromise).
     */
    void setRefundTo(long promiseIndex, String accountId) {
        checkIndex(promiseIndex);
        if (joint.get((int) promiseIndex)) {
            throw new HostError(new HostError.CannotSetRefundToOnJointPromise());
        }
        receipts.get(promises.get((int) promiseIndex)[0]).refundTo = accountId;
    }

    void returned(long promiseIndex) {
        checkIndex(promiseIndex);
        if (joint.get((int) promiseIndex)) {
            throw new HostError(new HostError.CannotReturnJointPromise());
        }
        returnedReceipt = promises.get((int) promiseIndex)[0];
    }

    void resume(byte[] dataId, byte[] payload) {
        resumes.add(new Resume(dataId, payload));
    }

    /** The data id of the yield this call created under {@code yieldId}, or null. */
    byte[] yieldDataIdOf(byte[] yieldId) {
        for (NewReceipt r : receipts) {
            if (r.yieldId != null && java.util.Arrays.equals(r.yieldId, yieldId)) {
                return r.yieldDataId;
            }
        }
        return null;
    }

    /** Whether this call created the yield waiting on {@code dataId}. */
    boolean createdYield(byte[] dataId) {
        for (NewReceipt r : receipts) {
            if (r.yieldDataId != null && java.util.Arrays.equals(r.yieldDataId, dataId)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this call already resumed the yield waiting on {@code dataId}. */
    boolean resumed(byte[] dataId) {
        for (Resume r : resumes) {
            if (java.util.Arrays.equals(r.dataId, dataId)) {
                return true;
            }
        }
        return false;
    }

    private void checkIndex(long index) {
        if (index < 0 || index >= promises.size()) {
            throw new HostError(new HostError.InvalidPromiseIndex(index));
        }
    }

    public boolean isEmpty() {
        return receipts.isEmpty() && resumes.isEmpty();
    }

    public List<NewReceipt> receipts() {
        return receipts;
    }

    public List<Resume> resumes() {
        return resumes;
    }

    /** The receipt whose result the call returned with promise_return, or null. */
    public Integer returnedReceipt() {
        return returnedReceipt;
    }
}

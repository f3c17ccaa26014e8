package dev.outlayer.bench.targetsystem.contracts;

/** nearcore's ExecutionStatus of one transaction or receipt outcome. */
public sealed interface ExecutionStatus {
    /** Not executed yet (a receipt waiting for data, a yield waiting to be resumed). */
    record Unknown() implements ExecutionStatus {}

    /** Finished with a value (empty when the method returned nothing). */
    record SuccessValue(byte[] value) implements ExecutionStatus {}

    /** Finished by handing its result on to another receipt. */
    record SuccessReceiptId(String receiptId) implements ExecutionStatus {}

    /**
     * Failed: nearcore's ActionError of the failing action.
     *
     * @param index       the action that failed, or null (e.g. LackBalanceForState after all ran)
     * @param kind        nearcore's ActionErrorKind name (FunctionCallError, AccountDoesNotExist...)
     * @param errorKind   for FunctionCallError, the VM error kind (GuestPanic, GasExceeded, HostError...)
     * @param message     what went wrong, for people
     */
    record Failure(Integer index, String kind, String errorKind, String message) implements ExecutionStatus {}

    ExecutionStatus UNKNOWN = new Unknown();
}

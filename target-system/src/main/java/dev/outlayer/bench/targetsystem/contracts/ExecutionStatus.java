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
     * @param errorKind   for FunctionCallError, the VM error kind (GuestPanic, GasExceeded, HostError...);
     *     for DelegateActionAccessKeyError, the InvalidAccessKeyError kind (AccessKeyNotFound...)
     * @param message     what went wrong, for people
     * @param fields      nearcore's fields of the kind (of {@code errorKind} for DelegateActionAccessKeyError),
     *     in nearcore's order: strings, BigInteger balances (u128, shown as decimal strings) and Long u64s;
     *     empty for a variant without fields, null for a kind this simulator names but nearcore has not
     * @param vmError     for FunctionCallError, the host error or trap as nearcore holds it (its Display is the
     *     outcome's ExecutionError); null for other failures
     */
    record Failure(
            Integer index,
            String kind,
            String errorKind,
            String message,
            java.util.Map<String, Object> fields,
            VmError vmError)
            implements ExecutionStatus {
        public Failure {
            fields = fields == null
                    ? null
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }

        public Failure(
                Integer index, String kind, String errorKind, String message, java.util.Map<String, Object> fields) {
            this(index, kind, errorKind, message, fields, null);
        }

        /** A failure without nearcore fields. */
        public Failure(Integer index, String kind, String errorKind, String message) {
            this(index, kind, errorKind, message, null, null);
        }

        /** A contract's failure (FunctionCallError), with its VM error when nearcore derives the text from one. */
        public static Failure functionCall(String errorKind, String message, VmError vmError) {
            return new Failure(null, "FunctionCallError", errorKind, message, null, vmError);
        }

        /** The same failure, of the action at {@code index}. */
        public Failure at(int index) {
            return new Failure(index, kind, errorKind, message, fields, vmError);
        }
    }

    ExecutionStatus UNKNOWN = new Unknown();
}

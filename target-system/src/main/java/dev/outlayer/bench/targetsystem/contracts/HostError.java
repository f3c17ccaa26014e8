package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.json.RustDebug;
import java.lang.reflect.RecordComponent;

/**
 * A failure raised by a host function: one of nearcore's {@code HostError} variants with its fields
 * (runtime/near-vm-runner/src/logic/errors.rs, near/nearcore 02e1c92), which the transaction outcome
 * shows as the variant's Display and a view call's error as its Debug. The exception's message is the
 * variant's {@code msg} for the variants that carry one, else its Display. Variants newer than that
 * errors.rs take their fields from the newer nearcore sources cited on each, their text is the emulator's
 * ({@code OwnWords}).
 */
public final class HostError extends RuntimeException {
    private final Kind kind;

    public HostError(Kind kind) {
        super(kind instanceof Described d ? d.msg() : kind.display(), null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The nearcore variant's name ({@code GuestPanic}, {@code InvalidRegisterId}, ...). */
    public String variant() {
        return kind.name();
    }

    static HostError guestPanic(String message) {
        return new HostError(new GuestPanic(message));
    }

    static HostError prohibitedInView(String method) {
        return new HostError(new ProhibitedInView(method));
    }

    static HostError memoryAccessViolation() {
        return new HostError(new MemoryAccessViolation());
    }

    /**
     * A HostError variant: a record named as nearcore's, its components its fields in nearcore's order
     * (u64 as long, String as String), {@link #display} errors.rs's {@code impl Display for HostError}.
     */
    public sealed interface Kind extends VmError {
        /** nearcore's Display of the variant. */
        @Override
        String display();

        default String name() {
            return getClass().getSimpleName();
        }

        /** The call API's message: the variant, then nearcore's text. */
        default String message() {
            return name() + ": " + display();
        }

        /** {@code HostError(<the variant's derived Debug>)}, as nearcore's view call prints it. */
        @Override
        default String debug() {
            StringBuilder out = new StringBuilder("HostError(").append(name());
            RecordComponent[] fields = getClass().getRecordComponents();
            for (int i = 0; i < fields.length; i++) {
                out.append(i == 0 ? " { " : ", ")
                        .append(snakeCase(fields[i].getName()))
                        .append(": ");
                Object value = field(fields[i]);
                out.append(value instanceof String s ? RustDebug.string(s) : Long.toUnsignedString((Long) value));
            }
            return out.append(fields.length == 0 ? "" : " }").append(')').toString();
        }

        private Object field(RecordComponent component) {
            try {
                return component.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The variants whose one field is a {@code msg}, the exception's message. */
    private sealed interface Described extends Kind {
        String msg();
    }

    private static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    public record BadUTF16() implements Kind {
        public String display() {
            return "String encoding is bad UTF-16 sequence.";
        }
    }

    public record BadUTF8() implements Kind {
        public String display() {
            return "String encoding is bad UTF-8 sequence.";
        }
    }

    public record BalanceExceeded() implements Kind {
        public String display() {
            return "Exceeded the account balance.";
        }
    }

    public record EmptyMethodName() implements Kind {
        public String display() {
            return "Tried to call an empty method name.";
        }
    }

    public record GuestPanic(String panicMsg) implements Kind {
        public String display() {
            return "Smart contract panicked: " + panicMsg;
        }
    }

    public record IntegerOverflow() implements Kind {
        public String display() {
            return "Integer overflow.";
        }
    }

    public record InvalidPromiseIndex(long promiseIdx) implements Kind {
        public String display() {
            return Long.toUnsignedString(promiseIdx) + " does not correspond to existing promises";
        }
    }

    public record CannotAppendActionToJointPromise() implements Kind {
        public String display() {
            return "Actions can only be appended to non-joint promise.";
        }
    }

    public record CannotReturnJointPromise() implements Kind {
        public String display() {
            return "Returning joint promise is currently prohibited.";
        }
    }

    public record InvalidPromiseResultIndex(long resultIdx) implements Kind {
        public String display() {
            return "Accessed invalid promise result index: " + Long.toUnsignedString(resultIdx);
        }
    }

    public record InvalidRegisterId(long registerId) implements Kind {
        public String display() {
            return "Accessed invalid register id: " + Long.toUnsignedString(registerId);
        }
    }

    public record MemoryAccessViolation() implements Kind {
        public String display() {
            return "Accessed memory outside the bounds.";
        }
    }

    public record InvalidAccountId() implements Kind {
        public String display() {
            return "VM Logic returned an invalid account id";
        }
    }

    public record InvalidMethodName() implements Kind {
        public String display() {
            return "VM Logic returned an invalid method name";
        }
    }

    public record InvalidPublicKey() implements Kind {
        public String display() {
            return "VM Logic provided an invalid public key";
        }
    }

    public record ProhibitedInView(String methodName) implements Kind {
        public String display() {
            return methodName + " is not allowed in view calls";
        }
    }

    public record NumberOfLogsExceeded(long limit) implements Kind {
        public String display() {
            return "The number of logs will exceed the limit " + limit;
        }
    }

    public record KeyLengthExceeded(long length, long limit) implements Kind {
        public String display() {
            return "The length of a storage key " + length + " exceeds the limit " + limit;
        }
    }

    public record ValueLengthExceeded(long length, long limit) implements Kind {
        public String display() {
            return "The length of a storage value " + length + " exceeds the limit " + limit;
        }
    }

    public record TotalLogLengthExceeded(long length, long limit) implements Kind {
        public String display() {
            return "The length of a log message " + Long.toUnsignedString(length) + " exceeds the limit " + limit;
        }
    }

    public record NumberPromisesExceeded(long numberOfPromises, long limit) implements Kind {
        public String display() {
            return "The number of promises within a FunctionCall " + Long.toUnsignedString(numberOfPromises)
                    + " exceeds the limit " + limit;
        }
    }

    public record NumberInputDataDependenciesExceeded(long numberOfInputDataDependencies, long limit) implements Kind {
        public String display() {
            return "The number of input data dependencies " + numberOfInputDataDependencies + " exceeds the limit "
                    + limit;
        }
    }

    public record ReturnedValueLengthExceeded(long length, long limit) implements Kind {
        public String display() {
            return "The length of a returned value " + length + " exceeds the limit " + limit;
        }
    }

    public record ContractSizeExceeded(long size, long limit) implements Kind {
        public String display() {
            return "The size of a contract code in DeployContract action " + size + " exceeds the limit " + limit;
        }
    }

    public record Deprecated(String methodName) implements Kind {
        public String display() {
            return "Attempted to call deprecated host function " + methodName;
        }
    }

    public record ECRecoverError(String msg) implements Described {
        public String display() {
            return "ECDSA recover error: " + msg;
        }
    }

    public record AltBn128InvalidInput(String msg) implements Described {
        public String display() {
            return "AltBn128 invalid input: " + msg;
        }
    }

    public record Ed25519VerifyInvalidInput(String msg) implements Described {
        public String display() {
            return "ED25519 signature verification error: " + msg;
        }
    }

    public record BLS12381InvalidInput(String msg) implements Described {
        public String display() {
            return "BLS12-381 invalid input: " + msg;
        }
    }

    public record YieldPayloadLength(long length, long limit) implements Kind {
        public String display() {
            return "Yield resume payload is " + length + " bytes which exceeds the " + limit + " byte limit";
        }
    }

    public record DataIdMalformed() implements Kind {
        public String display() {
            return "yield resumption token is malformed";
        }
    }

    public record ContractCodeHashMalformed() implements Kind {
        public String display() {
            return "contract code hash is malformed";
        }
    }

    /**
     * A variant newer than errors.rs at 02e1c92 (and 62a51be, the only other stored copy): nearcore's
     * Display arm for it is not readable here, so its text is {@code "<Variant>: <the emulator's words>"},
     * also as the call API's message (the variant is not named twice).
     */
    private sealed interface OwnWords extends Kind {
        /** The emulator's words for the failure. */
        String words();

        default String display() {
            return name() + ": " + words();
        }

        @Override
        default String message() {
            return display();
        }
    }

    /**
     * Fields as nearcore's own tests build it: {@code HostError::P256VerifyInvalidInput { msg: "invalid
     * signature length".to_string() }} (runtime/near-vm-runner/src/logic/tests/p256_verify.rs, near/nearcore
     * 9ab9dcf), so a view call shows the msg.
     */
    public record P256VerifyInvalidInput(String msg) implements Described, OwnWords {
        public String words() {
            return msg;
        }
    }

    /**
     * No fields, as nearcore's tests match it: {@code HostError::YieldIdMalformed}
     * (runtime/near-vm-runner/src/logic/tests/yield_resume.rs, near/nearcore e8b498b).
     */
    public record YieldIdMalformed() implements OwnWords {
        public String words() {
            return "a yield id is 32 bytes";
        }
    }

    /**
     * No fields, as nearcore's set_refund_to raises it: {@code HostError::CannotSetRefundToOnJointPromise}
     * (runtime/near-vm-runner/src/wasmtime_runner/component/host.rs, near/nearcore 69e91ea).
     */
    public record CannotSetRefundToOnJointPromise() implements OwnWords {
        public String words() {
            return "a promise made by promise_and has no one receipt to refund";
        }
    }

    /**
     * A variant no stored nearcore source defines (InvalidActionIndex, DataEntryAlreadyExists: their
     * fields are unknown here), so it keeps the variant's name and the simulator's words ({@code words}
     * is the exception's message) and shows as a variant without fields.
     */
    public record Newer(String name, String words) implements Described, OwnWords {
        public String msg() {
            return words;
        }

        @Override
        public String debug() {
            return "HostError(" + name + ")";
        }
    }
}

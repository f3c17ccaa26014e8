package dev.outlayer.bench.targetsystem.transactions;

import java.util.Map;

/**
 * The text of FunctionCallErrorSer's ExecutionError: nearcore collapses a HostError or WasmTrap into
 * {@code ExecutionError(err.to_string())} (runtime/runtime/src/conversions.rs, near/nearcore 00fc950), so
 * the text is the VM error's Display (runtime/near-vm-runner/src/logic/errors.rs, near/nearcore
 * 02e1c92): "WebAssembly trap: " and the trap's sentence, or the host error's sentence. The runtime's
 * messages ({@code ContractRuntime}) name the variant before ": " and say the details in their own
 * words; this turns them into nearcore's.
 */
final class FunctionCallErrorText {
    /** WasmTrap's Display. */
    private static final Map<String, String> WASM_TRAPS = Map.of(
            "Unreachable", "An `unreachable` opcode was executed.",
            "IncorrectCallIndirectSignature", "Call indirect incorrect signature trap.",
            "MemoryOutOfBounds", "Memory out of bounds trap.",
            "CallIndirectOOB", "Call indirect out of bounds trap.",
            "IllegalArithmetic", "An arithmetic exception, e.g. divided by zero.",
            "MisalignedAtomicAccess", "Misaligned atomic access trap.",
            "IndirectCallToNull", "Indirect call to null.",
            "StackOverflow", "Stack overflow.",
            "GenericTrap", "Generic trap.");

    /** HostError's Display of the variants without fields. */
    private static final Map<String, String> HOST_ERRORS = Map.ofEntries(
            Map.entry("BadUTF16", "String encoding is bad UTF-16 sequence."),
            Map.entry("BadUTF8", "String encoding is bad UTF-8 sequence."),
            Map.entry("BalanceExceeded", "Exceeded the account balance."),
            Map.entry("EmptyMethodName", "Tried to call an empty method name."),
            Map.entry("IntegerOverflow", "Integer overflow."),
            Map.entry("CannotAppendActionToJointPromise", "Actions can only be appended to non-joint promise."),
            Map.entry("CannotReturnJointPromise", "Returning joint promise is currently prohibited."),
            Map.entry("MemoryAccessViolation", "Accessed memory outside the bounds."),
            Map.entry("InvalidAccountId", "VM Logic returned an invalid account id"),
            Map.entry("InvalidMethodName", "VM Logic returned an invalid method name"),
            Map.entry("InvalidPublicKey", "VM Logic provided an invalid public key"),
            Map.entry("DataIdMalformed", "yield resumption token is malformed"),
            Map.entry("ContractCodeHashMalformed", "contract code hash is malformed"));

    /**
     * HostError's Display of the variants whose one field is {@code msg} (the runtime's detail is that
     * msg) or, for ProhibitedInView, whose detail already is the sentence.
     */
    private static final Map<String, String> HOST_ERROR_PREFIXES = Map.of(
            "ECRecoverError", "ECDSA recover error: ",
            "AltBn128InvalidInput", "AltBn128 invalid input: ",
            "Ed25519VerifyInvalidInput", "ED25519 signature verification error: ",
            "BLS12381InvalidInput", "BLS12-381 invalid input: ",
            "ProhibitedInView", "");

    private FunctionCallErrorText() {}

    /**
     * nearcore's text for a failure of {@code kind} (the runtime's errorKind) with the runtime's {@code
     * message}. A panic's and the gas errors' messages and a LinkError's ("Link Error: ...") are nearcore's
     * already; kinds nearcore has no text for (a host error variant with numeric fields, ExecutionTimeout,
     * the host running out of memory) keep the runtime's message.
     */
    static String of(String kind, String message) {
        if (message == null) {
            return "";
        }
        int colon = message.indexOf(": ");
        String variant = colon < 0 ? message : message.substring(0, colon);
        String detail = colon < 0 ? "" : message.substring(colon + 2);
        if ("WasmTrap".equals(kind) && WASM_TRAPS.containsKey(variant)) {
            return "WebAssembly trap: " + WASM_TRAPS.get(variant);
        }
        if ("HostError".equals(kind)) {
            if (HOST_ERRORS.containsKey(variant)) {
                return HOST_ERRORS.get(variant);
            }
            if (HOST_ERROR_PREFIXES.containsKey(variant)) {
                return HOST_ERROR_PREFIXES.get(variant) + detail;
            }
        }
        return message;
    }
}

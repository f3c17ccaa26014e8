package dev.outlayer.bench.targetsystem.contracts;

import java.util.Set;

/**
 * nearcore's {@code CompilationError} of a call whose code does not compile, read back from the
 * simulator's message: {@code CodeDoesNotExist} (no code) or {@code PrepareError(<variant>)} (code
 * that preparation refuses; this simulator's messages start with the variant's name, and a module
 * Chicory cannot parse is nearcore's {@code Deserialization}).
 */
public final class CompilationErrors {
    private static final String CODE_DOES_NOT_EXIST = "CodeDoesNotExist: ";
    private static final String UNPARSEABLE = "invalid wasm: ";

    /** core/primitives-core's PrepareError variants the simulator's preparation reports. */
    private static final Set<String> PREPARE_ERRORS = Set.of(
            "Deserialization",
            "Instantiate",
            "Memory",
            "TooManyTypes",
            "TooManyFunctions",
            "TooManyTables",
            "TooManyTableElements",
            "FunctionBodyTooLarge",
            "TooManyLocals",
            "TooManyParamsPerFunction",
            "TooManyParamsPerContract",
            "TooManyBlocksPerFunction",
            "TooManyBlocksPerContract",
            "OperandStackTooLarge");

    private CompilationErrors() {}

    /** The account a {@code CodeDoesNotExist} message names, or null for another message. */
    public static String missingCodeAccount(String message) {
        return message != null && message.startsWith(CODE_DOES_NOT_EXIST)
                ? message.substring(CODE_DOES_NOT_EXIST.length())
                : null;
    }

    /** The PrepareError variant of a message, or null when it is none (a limit of this simulator's own). */
    public static String prepareError(String message) {
        if (message == null) {
            return null;
        }
        if (message.startsWith(UNPARSEABLE)) {
            return "Deserialization";
        }
        int colon = message.indexOf(':');
        String variant = colon < 0 ? message : message.substring(0, colon);
        return PREPARE_ERRORS.contains(variant) ? variant : null;
    }

    /** nearcore's Debug rendering, as a node's RPC prints it after "wasm execution failed with error: ". */
    public static String debug(String message) {
        String account = missingCodeAccount(message);
        if (account != null) {
            return "CompilationError(CodeDoesNotExist { account_id: AccountId(\"" + account + "\") })";
        }
        String variant = prepareError(message);
        return variant != null ? "CompilationError(PrepareError(" + variant + "))" : null;
    }
}

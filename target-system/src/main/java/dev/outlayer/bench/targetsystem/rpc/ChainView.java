package dev.outlayer.bench.targetsystem.rpc;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The accounts and contracts the RPC emulator's {@code query} reads: the seam between the RPC
 * emulator and the contract simulator. Implementations answer from current state, read-only;
 * the emulator turns absent accounts into NEAR's UNKNOWN_ACCOUNT, missing code into
 * NO_CONTRACT_CODE / CodeDoesNotExist, and renders everything in nearcore's shapes.
 *
 * <p>Account ids passed in are already valid NEAR account ids. Implementations must be
 * thread-safe: the emulator calls them from many I/O worker threads at once.
 */
public interface ChainView {

    /** The account, or empty when it does not exist. */
    Optional<Account> account(String accountId);

    /** The deployed wasm, or empty when the account has none (or does not exist). */
    Optional<byte[]> code(String accountId);

    /** The account's storage entries whose key starts with {@code prefix}, in key order. */
    List<StateEntry> state(String accountId, byte[] prefix);

    /**
     * Runs {@code method} of the contract on {@code accountId} as a view call (no state is written,
     * no deposit, as NEAR's {@code call_function}). Called only for accounts that exist and have code.
     */
    ViewOutcome view(String accountId, String method, byte[] args, BlockContext block);

    /**
     * The state root after block {@code height} (32 bytes): what a block's {@code prev_state_root}
     * shows for its parent. A chain without state answers nearcore's empty root, all zeros.
     */
    default byte[] stateRoot(long height) {
        return new byte[32];
    }

    /** NEAR's AccountView: balances in yoctoNEAR, a 32-byte code hash (all zeros for no code). */
    record Account(BigInteger amount, BigInteger locked, byte[] codeHash, long storageUsage) {
        public static final byte[] NO_CODE = new byte[32];

        public boolean hasCode() {
            return !java.util.Arrays.equals(codeHash, NO_CODE);
        }
    }

    record StateEntry(byte[] key, byte[] value) {}

    /** The block a view call runs at, for the contract's block_index/block_timestamp/epoch_height. */
    record BlockContext(long height, long timestampNanos, long epochHeight) {}

    /** The result of a view call. */
    sealed interface ViewOutcome permits ViewOutcome.Success, ViewOutcome.Failure {

        /** The value the contract returned and the lines it logged. */
        record Success(byte[] result, List<String> logs) implements ViewOutcome {}

        /**
         * A failed call. {@code vmError} is nearcore's Debug rendering of the FunctionCallError,
         * e.g. {@code MethodResolveError(MethodNotFound)} or
         * {@code HostError(GuestPanic { panic_msg: "..." })}; the emulator prefixes it with
         * "wasm execution failed with error: " as nearcore does, which near-api-js parses.
         */
        record Failure(String vmError) implements ViewOutcome {}
    }
}

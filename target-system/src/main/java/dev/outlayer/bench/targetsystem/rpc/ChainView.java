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

    /**
     * The wasm the account runs (its own, or the global contract it uses), or empty when it has none
     * (or does not exist).
     */
    Optional<byte[]> code(String accountId);

    /**
     * A global contract's code (NEP-591, nearcore's view_global_contract_code): the one deployed by
     * {@code codeHash}, or when that is null the one {@code accountId} last deployed by account id;
     * empty when there is none.
     */
    default Optional<byte[]> globalCode(byte[] codeHash, String accountId) {
        return Optional.empty();
    }

    /** The account's storage entries whose key starts with {@code prefix}, in key order. */
    List<StateEntry> state(String accountId, byte[] prefix);

    /**
     * view_state's {@code include_proof}: the state trie nodes nearcore's iterator visits listing
     * those entries (RawTrieNodeWithSize bytes, in its order); none by default.
     */
    default List<byte[]> stateProof(String accountId, byte[] prefix) {
        return List.of();
    }

    /**
     * Runs {@code method} of the contract on {@code accountId} as a view call (no state is written,
     * no deposit, as NEAR's {@code call_function}). Called only for accounts that exist and have code.
     */
    ViewOutcome view(String accountId, String method, byte[] args, BlockContext block);

    /**
     * The state root after block {@code height} (32 bytes): what a block's {@code prev_state_root}
     * shows for its parent. A chain without state answers nearcore's empty root, all zeros; null when
     * the state after that height is no longer kept (the blocks after it are answered as
     * garbage-collected).
     */
    default byte[] stateRoot(long height) {
        return new byte[32];
    }

    /**
     * The lowest block height still kept besides genesis (nearcore never collects genesis): the blocks
     * below it are garbage-collected, as below nearcore's chain tail. {@link Long#MIN_VALUE}: none is.
     */
    default long firstKeptBlock() {
        return Long.MIN_VALUE;
    }

    /** Whether block {@code height} (produced) is garbage-collected: below {@link #firstKeptBlock}, not genesis. */
    default boolean collected(long height) {
        return height != BlockClock.GENESIS_HEIGHT && height < firstKeptBlock();
    }

    /**
     * What block {@code height}'s commits wrote to accounts, keys, contract data and code, each write with
     * its cause, in the order written (EXPERIMENTAL_changes); empty when nothing did or the block's writes
     * are no longer kept. None by default.
     */
    default List<StateChange> stateChanges(long height) {
        return List.of();
    }

    /**
     * Why block {@code height}'s writes are unknown although its block is kept (they were dropped to bound
     * memory), or empty when {@link #stateChanges} has them.
     */
    default java.util.Optional<String> stateChangesNotKept(long height) {
        return java.util.Optional.empty();
    }

    /**
     * One write of a block, as nearcore's RawStateChange of a trie key: {@code kind} {@code account},
     * {@code access_key}, {@code data} or {@code contract_code}; {@code trieKey} orders them as nearcore's
     * store iterates them; {@code dataKey} the contract's key (data), {@code publicKey} the key's text
     * (access_key); the value written (null for all when removed): {@code account}, {@code accessKey} (its
     * AccessKeyView) or {@code bytes} (data value, code); {@code causeType} nearcore's StateChangeCause tag
     * and {@code causeHash} the transaction or receipt hash it names.
     */
    record StateChange(
            byte[] trieKey,
            String kind,
            String accountId,
            byte[] dataKey,
            String publicKey,
            Account account,
            dev.outlayer.bench.targetsystem.transactions.AccessKeyView accessKey,
            byte[] bytes,
            String causeType,
            String causeHash) {
        public boolean removed() {
            return account == null && accessKey == null && bytes == null;
        }
    }

    /**
     * NEAR's AccountView: balances in yoctoNEAR, the 32-byte hash of the account's own code (all zeros
     * for none, as for an account using a global contract), and the global contract it uses, by code
     * hash or by its deployer's account id (both null: none).
     */
    record Account(
            BigInteger amount,
            BigInteger locked,
            byte[] codeHash,
            long storageUsage,
            byte[] globalContractHash,
            String globalContractAccountId) {
        public static final byte[] NO_CODE = new byte[32];

        public Account(BigInteger amount, BigInteger locked, byte[] codeHash, long storageUsage) {
            this(amount, locked, codeHash, storageUsage, null, null);
        }

        /** Whether calls of the account run a contract: its own or a global one. */
        public boolean hasCode() {
            return hasLocalCode() || globalContractHash != null || globalContractAccountId != null;
        }

        /** Whether the account has code of its own (nearcore's AccountContract::Local). */
        public boolean hasLocalCode() {
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

package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.state.AccountStorage;
import dev.outlayer.bench.targetsystem.state.StateChanges;
import dev.outlayer.bench.targetsystem.state.StateLog;
import dev.outlayer.bench.targetsystem.state.StateTrie;
import dev.outlayer.bench.targetsystem.state.TrieKeys;
import dev.outlayer.bench.targetsystem.wasm.CompiledCodeCache;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NEAR contract simulator: accounts with their code and state, deploys compiled once per
 * code hash, calls executed one at a time per account with atomic commit, views that never
 * write. Thread-safe.
 */
public final class ContractSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContractSimulator.class);
    /** 100 NEAR in yoctoNEAR: the balance a deploy gives a new account. */
    public static final BigInteger DEFAULT_BALANCE = new BigInteger("100000000000000000000000000");

    private final ContractCompiler compiler;
    private final BlockClock clock;
    private final ConcurrentHashMap<String, AccountState> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompiledContract> byCodeHash = new ConcurrentHashMap<>();
    /** The global contracts (NEP-591) distributed to this chain's one shard. */
    private final GlobalContracts globals = new GlobalContracts();

    private final ConcurrentHashMap<String, ReentrantLock> callLocks = new ConcurrentHashMap<>();
    /**
     * Every account's record, access keys, code and contract data, nearcore's trie layout; calls
     * read and charge from it, and its log keeps it across restarts.
     */
    private final StateTrie trie;

    /** Background compilation for every simulator: modules with waiting calls first (see CompileQueue). */
    private static final CompileQueue COMPILER = CompileQueue.sizedToCores();

    /** Metered, tiered (interpreter first, compiled in the background): what the target system runs. */
    public ContractSimulator(boolean metered, BlockClock clock) {
        this(metered, ContractCompiler.Path.TIERED, clock);
    }

    public ContractSimulator(boolean metered, ContractCompiler.Path path, BlockClock clock) {
        this(metered, path, clock, null);
    }

    /** @param compiledCache where compiled contracts are kept across restarts (null: not kept) */
    public ContractSimulator(
            boolean metered, ContractCompiler.Path path, BlockClock clock, CompiledCodeCache compiledCache) {
        this(metered, path, clock, compiledCache, StateLog.NONE);
    }

    /** @param log where every commit is kept before it is visible ({@link StateLog#NONE}: memory only) */
    public ContractSimulator(
            boolean metered,
            ContractCompiler.Path path,
            BlockClock clock,
            CompiledCodeCache compiledCache,
            StateLog log) {
        this.compiler = new ContractCompiler(metered, path, COMPILER, compiledCache);
        this.clock = clock;
        this.trie = new StateTrie(log);
        this.engine = new ReceiptEngine(this, clock);
    }

    private final ReceiptEngine engine;
    private final ReceiptFeed receiptFeed = new ReceiptFeed();
    /** Recent outcome trees by transaction hash, for tx status queries; the oldest go first. */
    private final java.util.Map<String, TxOutcome> recent =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, TxOutcome> eldest) {
                    return size() > RECENT_OUTCOMES;
                }
            });
    /** How many signed transactions' outcome trees {@link #outcome} keeps (HTTP calls are not kept). */
    public static final int RECENT_OUTCOMES = 4_096;

    private final java.util.concurrent.atomic.AtomicLong callCounter = new java.util.concurrent.atomic.AtomicLong();
    private final byte[] callSeed = sha256(("calls:" + System.nanoTime()).getBytes(StandardCharsets.UTF_8));

    /** What a deploy reports. */
    public record Deployed(String accountId, String codeHash, int codeSize) {}

    /** Validates, compiles (once per code hash) and installs {@code code} on {@code accountId}. */
    public Deployed deploy(String accountId, byte[] code) {
        if (!AccountIds.isValid(accountId)) {
            throw ApiException.invalid("invalid NEAR account id: " + accountId);
        }
        CompiledContract compiled = compile(code);
        if (compiled.linkError() != null) {
            // This route's convenience: a DeployContract action stores such code, whose calls fail to link.
            throw new InvalidContractException(compiled.linkError());
        }
        ReentrantLock lock = callLock(accountId);
        lock.lock();
        try {
            accounts.computeIfAbsent(accountId, id -> new AccountState(id, DEFAULT_BALANCE, globals))
                    .deploy(compiled, code);
            commitAccount(accountId, java.util.Map.of(), code, java.util.Map.of());
        } finally {
            lock.unlock();
        }
        return new Deployed(accountId, compiled.codeHash(), compiled.codeSize());
    }

    /**
     * Loads every account the state log kept (records, keys, code, contract data) and rebuilds the
     * trie from them; returns the ids loaded. A record that does not load (an unknown key, a
     * damaged value, code that does not match its code hash, entries of an account without its
     * account record) is quarantined and logged, and the rest is served: one bad record never stops a
     * start. Code that does not compile is put back as a DeployContract stored it.
     */
    public java.util.Set<String> restore() {
        StateLog log = trie.log();
        java.util.Map<String, StoredAccount> stored = new java.util.TreeMap<>();
        java.util.Map<byte[], String> bad = new java.util.LinkedHashMap<>();
        java.util.Map<byte[], byte[]> kept = new java.util.LinkedHashMap<>();
        log.forEach((key, value) -> {
            if (TrieKeys.isGlobalContract(key)) {
                String problem = restoreGlobal(key, value);
                if (problem == null) {
                    kept.put(key, value);
                } else {
                    bad.put(key, problem);
                }
                return;
            }
            TrieKeys.Parsed parsed = TrieKeys.parse(key);
            if (parsed == null || !AccountIds.isValid(parsed.accountId())) {
                bad.put(key, "not a key of the kept columns");
                return;
            }
            StoredAccount account = stored.computeIfAbsent(parsed.accountId(), id -> new StoredAccount());
            account.entries.put(key, value);
            try {
                switch (parsed.column()) {
                    case TrieKeys.ACCOUNT -> account.record = StateRecords.account(value);
                    case TrieKeys.CONTRACT_CODE -> {
                        account.code = value;
                        account.codeKey = key;
                    }
                    case TrieKeys.CONTRACT_DATA -> account.data.put(Bytes.wrap(parsed.rest()), value);
                    default -> {
                        byte[] rest = parsed.rest();
                        PublicKey publicKey = PublicKey.fromBorsh(rest);
                        PublicKey slotOf = publicKey != null || rest.length < 3
                                ? null
                                : PublicKey.fromBorsh(java.util.Arrays.copyOf(rest, rest.length - 2));
                        if (slotOf != null) {
                            // TrieKey::GasKeyNonce: the key, then the slot's u16 index
                            int index = (rest[rest.length - 2] & 0xFF) | (rest[rest.length - 1] & 0xFF) << 8;
                            account.gasKeyNonces
                                    .computeIfAbsent(slotOf, k -> new java.util.TreeMap<>())
                                    .put(index, StateRecords.gasKeyNonce(value));
                            account.gasKeyNonceKeys
                                    .computeIfAbsent(slotOf, k -> new ArrayList<>())
                                    .add(key);
                        } else if (publicKey == null) {
                            throw new IllegalArgumentException("invalid public key");
                        } else {
                            account.keys.put(publicKey, StateRecords.accessKey(value));
                        }
                    }
                }
            } catch (RuntimeException e) {
                account.entries.remove(key);
                bad.put(key, e.getMessage());
            }
        });
        for (java.util.Map.Entry<String, StoredAccount> entry : stored.entrySet()) {
            String id = entry.getKey();
            StoredAccount account = entry.getValue();
            if (account.record == null) {
                account.entries.keySet().forEach(key -> bad.put(key, "account " + id + " has no account record"));
                continue;
            }
            attachGasKeyNonces(id, account, bad);
            GlobalContracts.Code local = null;
            if (account.code != null) {
                if (java.util.Arrays.equals(sha256(account.code), account.record.codeHash())) {
                    // Code that does not compile is kept, as its deploy kept it: calls fail to compile.
                    local = storedCode(account.code);
                    if (local.compileError() != null) {
                        LOG.warn("account {} keeps code that does not compile: {}", id, local.compileError());
                    }
                } else {
                    account.entries.remove(account.codeKey);
                    bad.put(account.codeKey, "the code does not match the account's code hash");
                }
            }
            GlobalContractId global = account.record.global();
            if (global != null && globals.get(global) == null) {
                LOG.warn("account {} uses the global contract {}, which the data directory does not hold", id, global);
            }
            AccountState state = new AccountState(id, account.record.amount(), globals);
            state.restore(
                    account.record.locked(), account.record.storageUsage(), local, global, account.data, account.keys);
            accounts.put(id, state);
            kept.putAll(account.entries);
        }
        bad.forEach((key, reason) -> {
            LOG.warn("stored state record {} cannot be loaded ({}); quarantined, the rest is served", hex(key), reason);
            log.quarantine(key, reason);
        });
        trie.restore(kept, log.lastHeight());
        if (!accounts.isEmpty()) {
            LOG.info(
                    "{} accounts loaded from the data directory ({} records quarantined)", accounts.size(), bad.size());
        }
        return java.util.Set.copyOf(accounts.keySet());
    }

    /**
     * Puts back one stored global-contract entry (its code, compiled once, or its nonce); the reason
     * it does not load, or null. Code that no longer compiles is kept, as a deploy keeps it: calls
     * of the accounts using it fail to compile.
     */
    private String restoreGlobal(byte[] key, byte[] value) {
        GlobalContractId id = GlobalContractId.fromBorsh(java.util.Arrays.copyOfRange(key, 1, key.length));
        if (id == null || (!id.isHash() && !AccountIds.isValid(id.accountId()))) {
            return "not a global contract identifier";
        }
        if (key[0] == TrieKeys.GLOBAL_CONTRACT_NONCE) {
            if (value.length != 8) {
                return "a global contract nonce is 8 bytes, not " + value.length;
            }
            globals.setNonce(
                    id,
                    java.nio.ByteBuffer.wrap(value)
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                            .getLong());
            return null;
        }
        byte[] hash = sha256(value);
        if (id.isHash() && !java.util.Arrays.equals(hash, id.codeHash())) {
            return "the code does not match its code hash";
        }
        globals.put(id, storedCode(value));
        return null;
    }

    /**
     * Code as a receipt stores it (a global contract's distribution, an account's DeployContract):
     * compiled once (the compile cache shares it), or with why it does not compile, for its calls to
     * fail with (nearcore's action_deploy_contract stores any code and ignores precompile_contract's
     * error).
     */
    GlobalContracts.Code storedCode(byte[] code) {
        byte[] hash = sha256(code);
        try {
            return new GlobalContracts.Code(code, hash, compile(code), null);
        } catch (InvalidContractException e) {
            return new GlobalContracts.Code(code, hash, null, e.getMessage());
        }
    }

    /**
     * Applies a global contract distribution (global_contracts.rs apply_distribution_current_shard),
     * one block after the deploy: unless a later deploy of the same identifier already took a higher
     * nonce, the code is stored under the identifier (and compiled once) and the nonce kept. With one
     * shard the distribution ends here (nearcore forwards it to the next shard).
     */
    void distribute(GlobalContractId id, byte[] code, long nonce) {
        GlobalContracts.Code installed = storedCode(code);
        synchronized (globals) {
            if (nonce < globals.nonce(id)) {
                return; // a stale distribution: nearcore's check_and_update_nonce
            }
            globals.put(id, installed);
            globals.setNonce(id, nonce);
            java.util.Map<byte[], byte[]> changes = new java.util.LinkedHashMap<>();
            byte[] identifier = id.toBorsh();
            changes.put(TrieKeys.globalContractCode(identifier), code);
            changes.put(TrieKeys.globalContractNonce(identifier), nonceBytes(nonce));
            trie.apply(changes, clock.latestHeight());
        }
    }

    /** The code distributed under {@code id} (nearcore's view_global_contract_code), or empty. */
    public Optional<byte[]> globalContractCode(GlobalContractId id) {
        return Optional.ofNullable(globals.get(id)).map(GlobalContracts.Code::code);
    }

    GlobalContracts globalContracts() {
        return globals;
    }

    /** A global contract nonce as its trie value: u64 little-endian. */
    static byte[] nonceBytes(long nonce) {
        return java.nio.ByteBuffer.allocate(8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(nonce)
                .array();
    }

    /** One account's entries as the state log gave them, before they are checked. */
    /**
     * Gives every stored gas key its nonce slots; a gas key missing one of its slots, and slots of no
     * gas key, are quarantined with what belongs to them.
     */
    private static void attachGasKeyNonces(String id, StoredAccount account, java.util.Map<byte[], String> bad) {
        for (java.util.Map.Entry<PublicKey, AccessKey> entry : new ArrayList<>(account.keys.entrySet())) {
            AccessKey key = entry.getValue();
            if (key.gasKey() == null) {
                continue;
            }
            java.util.Map<Integer, Long> slots = account.gasKeyNonces.remove(entry.getKey());
            List<byte[]> slotKeys = account.gasKeyNonceKeys.remove(entry.getKey());
            int count = key.gasKey().numNonces();
            if (slots == null || slots.size() != count || !slots.containsKey(0) || !slots.containsKey(count - 1)) {
                byte[] keyRecord = dev.outlayer.bench.targetsystem.state.TrieKeys.accessKey(
                        id, entry.getKey().toBorsh());
                account.keys.remove(entry.getKey());
                for (byte[] stored : account.entries.keySet()) {
                    if (java.util.Arrays.equals(stored, keyRecord)) {
                        bad.put(stored, "the gas key has not its " + count + " nonce slots");
                    }
                }
                account.entries.keySet().removeIf(k -> java.util.Arrays.equals(k, keyRecord));
                if (slotKeys != null) {
                    slotKeys.forEach(k -> {
                        account.entries.remove(k);
                        bad.put(k, "a nonce slot of a gas key that is not kept");
                    });
                }
                continue;
            }
            account.keys.put(
                    entry.getKey(), new AccessKey(key.nonce(), key.permission(), new ArrayList<>(slots.values())));
        }
        account.gasKeyNonceKeys
                .values()
                .forEach(keys -> keys.forEach(k -> {
                    account.entries.remove(k);
                    bad.put(k, "a nonce slot of no gas key");
                }));
    }

    private static final class StoredAccount {
        final java.util.Map<byte[], byte[]> entries = new java.util.LinkedHashMap<>();
        final java.util.Map<Bytes, byte[]> data = new java.util.HashMap<>();
        final java.util.Map<PublicKey, AccessKey> keys = new java.util.LinkedHashMap<>();
        final java.util.Map<PublicKey, java.util.Map<Integer, Long>> gasKeyNonces = new java.util.HashMap<>();
        final java.util.Map<PublicKey, List<byte[]>> gasKeyNonceKeys = new java.util.HashMap<>();
        StateRecords.AccountRecord record;
        byte[] code;
        byte[] codeKey;
    }

    private static String hex(byte[] key) {
        StringBuilder out = new StringBuilder(key.length * 2);
        for (byte b : key) {
            out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return out.toString();
    }

    /** Validates and compiles {@code code}, once per code hash. */
    CompiledContract compile(byte[] code) {
        String hash = ContractCompiler.codeHash(code);
        CompiledContract compiled = byCodeHash.get(hash);
        if (compiled == null) {
            compiled = compiler.compile(code, hash);
            CompiledContract raced = byCodeHash.putIfAbsent(hash, compiled);
            if (raced != null) {
                compiled = raced;
            }
        }
        return compiled;
    }

    // ---- accounts and keys (seeding, sandbox patches, RPC views) ----

    /** Creates {@code accountId} with {@code balance}, or sets the balance of the existing account. */
    public void putAccount(String accountId, BigInteger balance) {
        if (!AccountIds.isValid(accountId)) {
            throw ApiException.invalid("invalid NEAR account id: " + accountId);
        }
        if (balance.signum() < 0 || balance.compareTo(VmLogic.U128_MAX) > 0) {
            throw ApiException.invalid("a balance is between 0 and u128::MAX");
        }
        ReentrantLock lock = callLock(accountId);
        lock.lock();
        try {
            accounts.computeIfAbsent(accountId, id -> new AccountState(id, balance, globals))
                    .setBalance(balance);
            commitAccount(accountId, java.util.Map.of(), null, java.util.Map.of());
        } finally {
            lock.unlock();
        }
    }

    /** Adds or replaces an access key of an existing account. */
    public void putAccessKey(String accountId, PublicKey key, AccessKey accessKey) {
        ReentrantLock lock = callLock(accountId);
        lock.lock();
        try {
            AccountState account = accounts.get(accountId);
            if (account == null) {
                throw ApiException.notFound("account " + accountId + " does not exist");
            }
            if (accessKey.gasKey() != null
                    && accessKey.gasKeyNonces().size() != accessKey.gasKey().numNonces()) {
                throw new IllegalArgumentException("a stored gas key has one nonce per slot");
            }
            AccessKey replaced = account.accessKey(key);
            account.putAccessKey(key, accessKey);
            // A gas key replaced by another key takes the slots it no longer has along.
            java.util.Map<byte[], byte[]> slots = new java.util.LinkedHashMap<>();
            if (replaced != null) {
                gasKeyNonceRemovals(slots, accountId, key, replaced, accessKey);
            }
            commitAccount(accountId, java.util.Map.of(), null, java.util.Map.of(key, accessKey), slots);
        } finally {
            lock.unlock();
        }
    }

    public Optional<AccessKey> accessKey(String accountId, PublicKey key) {
        return account(accountId).map(a -> a.accessKey(key));
    }

    public java.util.Map<PublicKey, AccessKey> accessKeys(String accountId) {
        return account(accountId).map(AccountState::accessKeys).orElse(java.util.Map.of());
    }

    /** Where the receipts of signed transactions go as they are created (the RPC's receipt views). */
    private volatile java.util.function.Consumer<ReceiptRecord> receiptLog = null;

    /**
     * Logs every receipt that signed transactions' trees create from now on, as nearcore stores
     * them for EXPERIMENTAL_receipt: not a transaction's local first receipt (signer is receiver),
     * which nearcore never stores. Calls' trees (the HTTP API) are not logged.
     */
    public void logReceipts(java.util.function.Consumer<ReceiptRecord> log) {
        this.receiptLog = log;
    }

    /** A recent transaction's outcome tree (also one still growing), by its hash. */
    public Optional<TxOutcome> outcome(String txHash) {
        return Optional.ofNullable(recent.get(txHash));
    }

    /** The outcomes of receipts (refunds aside) on watched accounts in execution order, for event monitors. */
    public ReceiptFeed receiptFeed() {
        return receiptFeed;
    }

    /** Yields waiting to be resumed or to time out. */
    public int waitingYields() {
        return engine.waitingYields();
    }

    /** Times out the yields whose deadline block has been produced (their callbacks run now). */
    public void runDueYields() {
        engine.runDueYields();
    }

    /** How long {@link #close()} lets receipt trees running in the background finish. */
    static final long CLOSE_FINISH_MILLIS = 5_000;

    /**
     * Stops the background receipts' thread once the trees it runs have finished (up to {@link
     * #CLOSE_FINISH_MILLIS}); calls that would run receipts in the background are refused after.
     * Its compilations leave the JVM's compile queue (a running one at its next pause point).
     */
    @Override
    public void close() {
        engine.close(CLOSE_FINISH_MILLIS);
        compiler.close();
    }

    AccountState accountState(String accountId) {
        return accounts.get(accountId);
    }

    ReentrantLock callLock(String accountId) {
        return callLocks.computeIfAbsent(accountId, id -> new ReentrantLock());
    }

    AccountState newAccount(String accountId) {
        return accounts.computeIfAbsent(accountId, id -> new AccountState(id, BigInteger.ZERO, globals));
    }

    /** Deletes the account and every record of it (nearcore's DeleteAccount leaves nothing). */
    void removeAccount(String accountId) {
        AccountState account = accounts.get(accountId);
        if (account == null) {
            return;
        }
        java.util.Map<byte[], byte[]> changes = new java.util.LinkedHashMap<>();
        account.read(s -> {
            byte[] prefix = TrieKeys.contractDataPrefix(accountId);
            s.data().keySet().forEach(k -> changes.put(TrieKeys.contractData(prefix, k.array()), null));
            s.accessKeys().forEach((k, v) -> {
                changes.put(TrieKeys.accessKey(accountId, k.toBorsh()), null);
                gasKeyNonceRemovals(changes, accountId, k, v, null);
            });
            return null;
        });
        changes.put(TrieKeys.contractCode(accountId), null);
        changes.put(TrieKeys.account(accountId), null);
        trie.apply(changes, commitHeight(), causedWrites(changes));
        accounts.remove(accountId);
    }

    public Optional<AccountState> account(String accountId) {
        return Optional.ofNullable(accounts.get(accountId));
    }

    /** The state trie over all accounts (state roots for the chain's blocks). */
    public StateTrie stateTrie() {
        return trie;
    }

    public Collection<AccountState> accounts() {
        return accounts.values();
    }

    /** Distinct compiled modules held (one per code hash). */
    public int compiledModules() {
        return byCodeHash.size();
    }

    /**
     * Executes a call or view on the calling thread. Calls to one account wait for each other;
     * a call's writes are committed only if it succeeds; a view never commits.
     *
     * @throws UnknownAccountException when the account has no contract
     */
    public Outcome execute(CallRequest request) {
        return execute(request, null, HostBinding.DIRECT);
    }

    /** Executes with the host functions of {@code binding}: linux mode passes the emulator's. */
    public Outcome execute(CallRequest request, HostBinding binding) {
        return execute(request, null, binding);
    }

    /** A block to run at: height, timestamp, epoch. */
    public record Block(long height, long timestampNanos, long epochHeight) {}

    /** As {@link #execute(CallRequest)}, at {@code block} (null: the latest block of the clock). */
    public Outcome execute(CallRequest request, Block block) {
        return execute(request, block, HostBinding.DIRECT);
    }

    /**
     * As {@link #execute(CallRequest, Block)}, with the host functions of {@code binding}. A call
     * runs its whole receipt tree ({@link #call}) and answers with its own receipt's outcome;
     * {@code block} applies to views only (a call runs at the chain's latest block).
     */
    public Outcome execute(CallRequest request, Block block, HostBinding binding) {
        if (request.view()) {
            AccountState account = accounts.get(request.accountId());
            if (account == null || !account.hasContract()) {
                throw new UnknownAccountException(request.accountId());
            }
            return account.read(snapshot -> view(request, snapshot, block, binding));
        }
        TxOutcome tree = call(request, WaitMode.ALL_RECEIPTS, binding);
        return firstCall(tree);
    }

    /**
     * The contract call of the tree's first receipt; its receipt's failure when that failed before the
     * contract ran, or after the call succeeded (nearcore's storage stake check after all actions:
     * LackBalanceForState), with the call's logs, gas and timings and none of its writes.
     */
    public static Outcome firstCall(TxOutcome tree) {
        TxOutcome.ExecutionOutcome first = tree.firstReceipt();
        Outcome call = first.call();
        if (call != null && !(call.success() && first.status() instanceof ExecutionStatus.Failure)) {
            return call;
        }
        ExecutionStatus.Failure failure = (ExecutionStatus.Failure) first.status();
        boolean ran = call != null; // the call succeeded, then its receipt failed
        return new Outcome(
                false,
                null,
                ran ? call.logs() : List.of(),
                ran ? call.gasBurnt() : first.gasBurnt(),
                ran ? call.gasUsed() : first.gasBurnt(),
                ran ? call.instructions() : 0,
                failure.kind(),
                failure.message(),
                failure.vmError(),
                java.util.Map.of(),
                new PromiseLog(),
                0,
                null,
                ran ? call.instantiateNanos() : 0,
                ran ? call.execNanos() : 0,
                ran ? call.profile() : new GasProfile());
    }

    /**
     * Runs a function call as an unsigned transaction from {@code request.signerId()}: its
     * receipt and every receipt it leads to. A signer this simulator holds pays gas and deposit
     * and gets its refunds; any other signer's call is funded by the simulator (as a sandbox
     * patch would). {@code wait} says when this returns.
     *
     * @throws UnknownAccountException when the account has no contract
     * @throws InvalidTxException      when the signer cannot pay
     */
    public TxOutcome call(CallRequest request, WaitMode wait, HostBinding binding) {
        AccountState account = accounts.get(request.accountId());
        if (account == null || !account.hasContract()) {
            throw new UnknownAccountException(request.accountId());
        }
        engine.runDueYields();
        List<Action> actions = List.of(
                new Action.FunctionCall(request.method(), request.args(), request.gas(), request.attachedDeposit()));
        byte[] txHash = nextCallHash();
        PublicKey signerKey = PublicKey.fromBorsh(signerPublicKey(request.signerId()));
        AccountState signer = accounts.get(request.signerId());
        binding.admit(); // a refusal (linux mode: no task worker) before the signer pays anything
        try {
            // No cause: an HTTP API call is no NEAR transaction, and keeping its writes for
            // EXPERIMENTAL_changes held tens of MB of young objects under HTTP load (young pauses 1 -> 10 ms).
            long includedAt = signer != null
                    ? charge(request.signerId(), null, 0, -1, false, 0, request.accountId(), actions, true)
                    : clock.latestHeight();
            return start(
                    includedAt,
                    txHash,
                    request.signerId(),
                    signerKey,
                    request.predecessorId(),
                    request.accountId(),
                    actions,
                    wait,
                    binding,
                    false);
        } finally {
            // The binding serves only this first receipt, run within start: if it never got to
            // the contract (the signer could not pay, the receipt failed first), what admit took
            // goes back; after a run, exit has nothing left to release.
            binding.exit();
        }
    }

    /**
     * Accepts a signed transaction (signature and block hash checked by the caller) as nearcore's
     * {@code verify_and_charge_transaction} does, then runs its receipts.
     *
     * @throws InvalidTxException when nearcore would refuse it; nothing changed then
     */
    public TxOutcome submit(SignedActions tx, WaitMode wait) {
        checkIds(tx);
        engine.runDueYields();
        // The transaction is included in the block its charge was committed at: read again after the
        // charge, the head could be a block on (the clock ticked, or another thread ran a receipt), and
        // that block's EXPERIMENTAL_changes_in_block missed the charge of the transaction it included.
        long includedAt = causedBy(StateChanges.Cause.transactionProcessing(tx.txHash()), () -> charge(tx, true));
        byte[] hash = Base58.decode(tx.txHash());
        return start(
                includedAt,
                hash,
                tx.signerId(),
                tx.signerPublicKey(),
                tx.signerId(),
                tx.receiverId(),
                tx.actions(),
                wait,
                HostBinding.DIRECT,
                true);
    }

    /**
     * Checks a signed transaction against state as {@link #submit} does, in the same order, and
     * changes nothing: nearcore's process_tx with check_only, which its RPC asks of a transaction it
     * is given but does not know (tx_status_fetch).
     *
     * @throws InvalidTxException when {@link #submit} would refuse it
     */
    public void check(SignedActions tx) {
        checkIds(tx);
        charge(tx, false);
    }

    /** {@link #charge(String, PublicKey, long, int, boolean, long, String, List, boolean)} of a signed transaction. */
    private long charge(SignedActions tx, boolean commit) {
        return charge(
                tx.signerId(),
                tx.signerPublicKey(),
                tx.nonce(),
                tx.nonceIndex(),
                tx.strictNonce(),
                tx.nonceUpperBound(),
                tx.receiverId(),
                tx.actions(),
                commit);
    }

    private static void checkIds(SignedActions tx) {
        if (!AccountIds.isValid(tx.signerId())) {
            throw new InvalidTxException(
                    "InvalidSignerId", java.util.Map.of("signer_id", tx.signerId()), "invalid signer id");
        }
        if (!AccountIds.isValid(tx.receiverId())) {
            throw new InvalidTxException(
                    "InvalidReceiverId", java.util.Map.of("receiver_id", tx.receiverId()), "invalid receiver id");
        }
    }

    /** The transaction's conversion outcome at block {@code includedAt}, its receipt, and the tree run. */
    private TxOutcome start(
            long includedAt,
            byte[] txHash,
            String signerId,
            PublicKey signerKey,
            String predecessorId,
            String receiverId,
            List<Action> actions,
            WaitMode wait,
            HostBinding binding,
            boolean remember) {
        long sendFees = TransactionCost.sendFees(signerId, receiverId, actions);
        // nearcore's create_receipt_id_from_transaction, at the height of the chunk that converts it.
        byte[] receiptId = ReceiptIds.fromTransaction(txHash, includedAt);
        String receiptIdText = Base58.encode(receiptId);
        String hash = Base58.encode(txHash);
        TxOutcome tree = new TxOutcome(
                hash,
                signerId,
                receiverId,
                new TxOutcome.ExecutionOutcome(
                        hash,
                        signerId,
                        signerId,
                        List.of(),
                        List.of(receiptIdText),
                        sendFees,
                        Fee.GAS_PRICE.multiply(BigInteger.valueOf(sendFees)),
                        new ExecutionStatus.SuccessReceiptId(receiptIdText),
                        includedAt,
                        null),
                remember,
                remember ? receiptLog : null);
        if (remember) {
            recent.put(hash, tree);
            if (!signerId.equals(receiverId)) {
                // runtime.rs: a local receipt is applied at once, never stored; any other is.
                tree.logReceipt(new ReceiptRecord(
                        receiptIdText,
                        predecessorId,
                        receiverId,
                        signerId,
                        signerKey,
                        Fee.RECEIPT_GAS_PRICE,
                        List.of(),
                        List.of(),
                        actions,
                        false,
                        includedAt,
                        null));
            }
        }
        // nearcore's process_transactions: a local receipt (signer is receiver) is applied in the chunk
        // that converted the transaction; any other goes out through the receipt sink and is applied
        // as an incoming receipt of the next chunk (chain.rs collects a block's incoming receipts from
        // its chunks' prev_outgoing_receipts), one block later.
        // A call of the HTTP API (not remembered) is no transaction: its receipt runs in the current block,
        // as before. A block per call pushed the chain's head a block ahead per call (24,000 blocks a second
        // under load over HTTP), and young GC pauses grew from about 1 ms to 12-16 ms.
        long firstHeight = !remember || signerId.equals(receiverId) ? includedAt : includedAt + 1;
        engine.run(
                new ReceiptEngine.Receipt(
                        receiptId,
                        receiptIdText,
                        predecessorId,
                        receiverId,
                        signerId,
                        signerKey,
                        actions,
                        tree,
                        null,
                        binding),
                firstHeight,
                wait);
        return tree;
    }

    /**
     * Checks and charges the signer (or only checks, {@code commit} false) as nearcore's
     * verify_and_charge_tx_ephemeral, in its order: the
     * signer, the key and its nonce (and the nonce bound, 0 for none), the balance, the allowance,
     * the storage stake, the key's permission. Key null: no key check. Returns the height the charge was
     * committed at (the block whose chunk converts the transaction), -1 when only checked.
     */
    private long charge(
            String signerId,
            PublicKey key,
            long nonce,
            int nonceIndex,
            boolean strictNonce,
            long nonceUpperBound,
            String receiverId,
            List<Action> actions,
            boolean commit) {
        TransactionCost cost = TransactionCost.of(signerId, receiverId, actions);
        ReentrantLock lock = callLock(signerId);
        lock.lock();
        try {
            AccountState signer = accounts.get(signerId);
            if (signer == null) {
                throw new InvalidTxException(
                        "SignerDoesNotExist",
                        java.util.Map.of("signer_id", signerId),
                        "signer " + signerId + " does not exist");
            }
            if (key != null && nonceIndex >= 0) {
                return chargeGasKey(
                        signer,
                        key,
                        nonce,
                        nonceIndex,
                        strictNonce,
                        nonceUpperBound,
                        receiverId,
                        actions,
                        cost,
                        commit);
            }
            AccessKey accessKey = null;
            if (key != null) {
                accessKey = signer.accessKey(key);
                TransactionCost.checkNotGasKey(accessKey);
                TransactionCost.checkNonce(signerId, key, accessKey, nonce, strictNonce, nonceUpperBound);
            }
            BigInteger balance = signer.balance();
            if (balance.compareTo(cost.total()) < 0) {
                throw new InvalidTxException(
                        "NotEnoughBalance",
                        java.util.Map.of(
                                "signer_id",
                                signerId,
                                "balance",
                                balance.toString(),
                                "cost",
                                cost.total().toString()),
                        "signer " + signerId + " has " + balance + " yoctoNEAR, the transaction costs " + cost.total());
            }
            if (accessKey != null) {
                TransactionCost.checkAllowance(signerId, key, accessKey, cost.total());
            }
            checkStorageStake(signer, balance.subtract(cost.total()));
            if (accessKey != null) {
                TransactionCost.checkPermission(accessKey, receiverId, actions);
            }
            if (!commit) {
                return -1; // checked only
            }
            signer.setBalance(balance.subtract(cost.total()));
            java.util.Map<PublicKey, AccessKey> keyChanges = java.util.Map.of();
            if (accessKey != null) {
                AccessKey updated = accessKey.withNonce(nonce);
                if (accessKey.permission() instanceof AccessKey.FunctionCallPermission p && p.allowance() != null) {
                    updated = new AccessKey(nonce, p.withAllowance(p.allowance().subtract(cost.total())));
                }
                signer.putAccessKey(key, updated);
                keyChanges = java.util.Map.of(key, updated);
            }
            return commitAccount(signerId, java.util.Map.of(), null, keyChanges);
        } finally {
            lock.unlock();
        }
    }

    /**
     * verifier.rs verify_and_charge_gas_key_tx_ephemeral, in its order: the key must be a gas key
     * (else AccessKeyNotFound), the slot one of its own (InvalidNonceIndex), the nonce above the slot's
     * (or its successor, strict) and below the bound; the gas (send fees burnt, execution fees and
     * attached gas prepaid, at the gas price) from the key's balance (NotEnoughGasKeyBalance), a
     * function-call gas key's permission, then the deposits from the account's balance and the storage
     * stake left (NotEnoughBalanceForDeposit). The slot takes the nonce. nearcore charges the key the
     * burnt gas of a transaction whose deposit fails once it is in a chunk (DepositFailed); here
     * admission and application are one step, so it is refused, as nearcore's RPC refuses it.
     */
    private long chargeGasKey(
            AccountState signer,
            PublicKey key,
            long nonce,
            int nonceIndex,
            boolean strictNonce,
            long nonceUpperBound,
            String receiverId,
            List<Action> actions,
            TransactionCost cost,
            boolean commit) {
        String signerId = signer.accountId();
        AccessKey accessKey = signer.accessKey(key);
        if (accessKey == null || accessKey.gasKey() == null) {
            TransactionCost.checkNonce(signerId, key, null, nonce, strictNonce, nonceUpperBound);
        }
        AccessKey.GasKeyInfo gasKey = accessKey.gasKey();
        if (nonceIndex >= gasKey.numNonces()) {
            java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("tx_nonce_index", nonceIndex);
            fields.put("num_nonces", gasKey.numNonces());
            throw new InvalidTxException(
                    "InvalidNonceIndex", fields, "the gas key has " + gasKey.numNonces() + " nonce slots");
        }
        long slotNonce = accessKey.gasKeyNonces().get(nonceIndex);
        TransactionCost.checkNonce(signerId, key, accessKey.withNonce(slotNonce), nonce, strictNonce, nonceUpperBound);
        BigInteger gasCost = cost.total().subtract(cost.deposits());
        if (gasKey.balance().compareTo(gasCost) < 0) {
            throw new InvalidTxException(
                    "NotEnoughGasKeyBalance",
                    java.util.Map.of(
                            "signer_id", signerId, "balance", gasKey.balance().toString(), "cost", gasCost.toString()),
                    "the gas key has " + gasKey.balance() + " yoctoNEAR, the transaction's gas costs " + gasCost);
        }
        TransactionCost.checkPermission(accessKey, receiverId, actions);
        BigInteger balance = signer.balance();
        if (balance.compareTo(cost.deposits()) < 0) {
            throw notEnoughForDeposit(signerId, balance, cost.deposits(), "NotEnoughBalance");
        }
        BigInteger left = balance.subtract(cost.deposits());
        long[] usage = new long[1];
        BigInteger locked = signer.read(st -> {
            usage[0] = st.storageUsage();
            return st.locked();
        });
        BigInteger lacking = missingStorageStake(left, locked, usage[0]);
        if (lacking.signum() > 0) {
            throw notEnoughForDeposit(signerId, left, lacking, "LackBalanceForState");
        }
        if (!commit) {
            return -1;
        }
        signer.setBalance(left);
        List<Long> slots = new ArrayList<>(accessKey.gasKeyNonces());
        slots.set(nonceIndex, nonce);
        AccessKey updated = new AccessKey(
                0,
                accessKey.withGasKeyBalance(gasKey.balance().subtract(gasCost)).permission(),
                slots);
        signer.putAccessKey(key, updated);
        return commitAccount(signerId, java.util.Map.of(), null, java.util.Map.of(key, updated));
    }

    private static InvalidTxException notEnoughForDeposit(
            String signerId, BigInteger balance, BigInteger cost, String reason) {
        java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("signer_id", signerId);
        fields.put("balance", balance.toString());
        fields.put("cost", cost.toString());
        fields.put("reason", reason);
        return new InvalidTxException(
                "NotEnoughBalanceForDeposit",
                fields,
                "signer " + signerId + " has " + balance + " yoctoNEAR for deposits of " + cost + " (" + reason + ")");
    }

    /**
     * nearcore's check_storage_stake on the signer's balance after the charge: what is left and
     * locked must cover the storage the account uses, unless it is a zero-balance account (at most
     * 770 bytes, NEP-448).
     */
    private static void checkStorageStake(AccountState signer, BigInteger newBalance) {
        long[] usage = new long[1];
        BigInteger locked = signer.read(s -> {
            usage[0] = s.storageUsage();
            return s.locked();
        });
        BigInteger lacking = missingStorageStake(newBalance, locked, usage[0]);
        if (lacking.signum() > 0) {
            throw new InvalidTxException(
                    "LackBalanceForState",
                    java.util.Map.of("signer_id", signer.accountId(), "amount", lacking),
                    "signer " + signer.accountId() + " would lack " + lacking + " yoctoNEAR for its storage");
        }
    }

    /**
     * nearcore's check_storage_stake (verifier.rs): what balance plus locked lacks to cover
     * storage_amount_per_byte for every byte the account uses, zero when it is enough or the account
     * is a zero-balance account (at most 770 bytes, NEP-448).
     */
    static BigInteger missingStorageStake(BigInteger balance, BigInteger locked, long storageUsage) {
        BigInteger required = Fee.STORAGE_AMOUNT_PER_BYTE.multiply(BigInteger.valueOf(storageUsage));
        BigInteger available = balance.add(locked);
        if (available.compareTo(required) >= 0 || storageUsage <= ZERO_BALANCE_ACCOUNT_STORAGE_LIMIT) {
            return BigInteger.ZERO;
        }
        return required.subtract(available);
    }

    /** nearcore's ZERO_BALANCE_ACCOUNT_STORAGE_LIMIT: accounts this small need no storage stake (NEP-448). */
    static final long ZERO_BALANCE_ACCOUNT_STORAGE_LIMIT = 770;

    /**
     * An account's committed change into the state trie (and so its log), under the account's
     * lock: its account record as it now stands, the contract writes (null removes), new code and
     * key changes (null removes). Every change of an account goes through here (or
     * {@link #removeAccount}), so trie, log and accounts agree. Returns the height the commit is of.
     */
    long commitAccount(
            String accountId,
            java.util.Map<Bytes, byte[]> stateChanges,
            byte[] deployedCode,
            java.util.Map<PublicKey, AccessKey> keyChanges) {
        return commitAccount(accountId, stateChanges, deployedCode, keyChanges, java.util.Map.of());
    }

    /**
     * As {@link #commitAccount(String, java.util.Map, byte[], java.util.Map)}, with other trie changes of
     * the same receipt in the same commit (the removal of code a global contract replaced, the nonces of
     * global contract deploys).
     */
    long commitAccount(
            String accountId,
            java.util.Map<Bytes, byte[]> stateChanges,
            byte[] deployedCode,
            java.util.Map<PublicKey, AccessKey> keyChanges,
            java.util.Map<byte[], byte[]> otherChanges) {
        StateChanges.Cause cause = commitCause();
        return commitAccount(
                accountId, stateChanges, deployedCode, keyChanges, otherChanges, cause, true, BigInteger.ZERO);
    }

    /**
     * As {@link #commitAccount(String, java.util.Map, byte[], java.util.Map, java.util.Map)} for a receipt:
     * its changes (when {@code actionsCommitted}) and the burnt-gas {@code reward} already credited to the
     * account, in one commit. The writes are kept as nearcore's apply_action_receipt commits them: the
     * actions' under {@code cause} (the account without the reward), then the reward's under
     * action_receipt_gas_reward ({@code cause} null: not kept).
     */
    long commitAccount(
            String accountId,
            java.util.Map<Bytes, byte[]> stateChanges,
            byte[] deployedCode,
            java.util.Map<PublicKey, AccessKey> keyChanges,
            java.util.Map<byte[], byte[]> otherChanges,
            StateChanges.Cause cause,
            boolean actionsCommitted,
            BigInteger reward) {
        AccountState account = accounts.get(accountId);
        java.util.Map<byte[], byte[]> changes = new java.util.LinkedHashMap<>();
        byte[] accountKey = TrieKeys.account(accountId);
        changes.put(accountKey, account.read(s -> accountRecord(s, s.balance())));
        byte[] prefix = TrieKeys.contractDataPrefix(accountId);
        stateChanges.forEach((k, v) -> changes.put(TrieKeys.contractData(prefix, k.array()), v));
        if (deployedCode != null) {
            changes.put(TrieKeys.contractCode(accountId), deployedCode);
        }
        keyChanges.forEach((k, v) -> putKeyChange(changes, accountId, k, v));
        changes.putAll(otherChanges);
        List<StateChanges.Change> writes = cause == null ? List.of() : new ArrayList<>();
        if (cause != null) {
            if (actionsCommitted) {
                byte[] beforeReward = reward.signum() == 0
                        ? null
                        : account.read(s -> accountRecord(s, s.balance().subtract(reward)));
                changes.forEach((key, value) -> writes.add(new StateChanges.Change(
                        key, key == accountKey && beforeReward != null ? beforeReward : value, cause)));
            }
            if (reward.signum() > 0) {
                writes.add(new StateChanges.Change(
                        accountKey, changes.get(accountKey), StateChanges.Cause.actionReceiptGasReward(cause.hash())));
            }
        }
        long height = commitHeight();
        trie.apply(changes, height, writes);
        return height;
    }

    /** The account's trie record with {@code balance}. */
    private static byte[] accountRecord(AccountState.Snapshot s, BigInteger balance) {
        return s.globalContract() != null
                ? StateRecords.account(balance, s.locked(), s.globalContract(), s.storageUsage())
                : StateRecords.account(balance, s.locked(), s.codeHash(), s.storageUsage());
    }

    /**
     * Why the commits this thread makes are made, for the blocks' kept writes (EXPERIMENTAL_changes): the
     * transaction being charged or the receipt being applied; null (an HTTP deploy, a sandbox patch, a
     * seeded account, a global contract distribution) keeps none.
     */
    private static final ThreadLocal<CommitContext> COMMIT = new ThreadLocal<>();

    /** What this thread's commits belong to: their cause and their block ({@link #HEAD}: the head's). */
    private record CommitContext(StateChanges.Cause cause, long height) {}

    private static final long HEAD = -1;

    /** Runs {@code work} with its commits kept as caused by {@code cause}, in the block of the enclosing work. */
    static <T> T causedBy(StateChanges.Cause cause, java.util.function.Supplier<T> work) {
        CommitContext outer = COMMIT.get();
        return causedBy(cause, outer == null ? HEAD : outer.height(), work);
    }

    /**
     * Runs {@code work} with its commits kept as caused by {@code cause} and as block {@code height}'s (a
     * receipt's: the head may be blocks on by its commit, moved by the clock or by another thread's receipts).
     */
    static <T> T causedBy(StateChanges.Cause cause, long height, java.util.function.Supplier<T> work) {
        CommitContext outer = COMMIT.get();
        COMMIT.set(new CommitContext(cause, height));
        try {
            return work.get();
        } finally {
            if (outer == null) {
                COMMIT.remove();
            } else {
                COMMIT.set(outer);
            }
        }
    }

    /** The block this thread's commit belongs to: the enclosing receipt's, else the head. */
    private long commitHeight() {
        CommitContext context = COMMIT.get();
        return context == null || context.height() == HEAD ? clock.latestHeight() : context.height();
    }

    private static StateChanges.Cause commitCause() {
        CommitContext context = COMMIT.get();
        return context == null ? null : context.cause();
    }

    private static List<StateChanges.Change> causedWrites(java.util.Map<byte[], byte[]> changes) {
        StateChanges.Cause cause = commitCause();
        return cause == null ? List.of() : StateChanges.of(changes, cause);
    }

    /**
     * The trie changes of one key: its record (null: deleted) and, for a gas key, its nonce slots
     * (nearcore's set_gas_key_nonce). A deleted gas key's slots are removed by the caller, who knows them
     * ({@link #gasKeyNonceRemovals}).
     */
    static void putKeyChange(java.util.Map<byte[], byte[]> changes, String accountId, PublicKey key, AccessKey now) {
        byte[] borsh = key.toBorsh();
        changes.put(TrieKeys.accessKey(accountId, borsh), now == null ? null : StateRecords.accessKey(now));
        if (now == null) {
            return;
        }
        for (int i = 0; i < now.gasKeyNonces().size(); i++) {
            changes.put(
                    TrieKeys.gasKeyNonce(accountId, borsh, i),
                    StateRecords.gasKeyNonce(now.gasKeyNonces().get(i)));
        }
    }

    /**
     * nearcore's remove_gas_key_nonce for each slot of {@code removed} that {@code replacement} (the key
     * added again under the same public key in the same receipt, or null) does not keep.
     */
    static void gasKeyNonceRemovals(
            java.util.Map<byte[], byte[]> changes,
            String accountId,
            PublicKey key,
            AccessKey removed,
            AccessKey replacement) {
        int kept = replacement == null ? 0 : replacement.gasKeyNonces().size();
        for (int i = kept; i < removed.gasKeyNonces().size(); i++) {
            changes.put(TrieKeys.gasKeyNonce(accountId, key.toBorsh(), i), null);
        }
    }

    /** Trie changes of a receipt whose account is gone (a global contract's nonce of a deleted deployer). */
    void commitTrie(java.util.Map<byte[], byte[]> changes) {
        if (!changes.isEmpty()) {
            trie.apply(changes, commitHeight(), causedWrites(changes));
        }
    }

    /** The trie version a receipt's call on {@code accountId} reads. */
    AccountStorage storage(String accountId) {
        return new AccountStorage(trie.current(), accountId);
    }

    private byte[] nextCallHash() {
        long n = callCounter.incrementAndGet();
        MessageDigest digest = ReceiptEngine.sha256();
        digest.update(callSeed);
        for (int i = 0; i < 8; i++) {
            digest.update((byte) (n >>> (8 * i)));
        }
        return digest.digest();
    }

    /** The context a receipt's function call sees. */
    CallContext callContext(
            String accountId,
            String signerId,
            PublicKey signerKey,
            String predecessorId,
            Action.FunctionCall call,
            Block block,
            BigInteger balance,
            BigInteger locked,
            long storageUsage,
            AccountContract accountContract,
            String refundToAccountId) {
        return new CallContext(
                accountId,
                signerId,
                signerKey == null ? signerPublicKey(signerId) : signerKey.toBorsh(),
                predecessorId,
                call.args(),
                block.height(),
                block.timestampNanos(),
                block.epochHeight(),
                balance,
                locked,
                call.deposit(),
                call.gas(),
                randomSeed(block.height(), accountId),
                storageUsage,
                false,
                accountContract,
                refundToAccountId);
    }

    private Outcome view(CallRequest request, AccountState.Snapshot snapshot, Block at, HostBinding binding) {
        if (snapshot.contract() == null) {
            // Code that does not compile (own or global), or none: nearcore's CompilationError.
            AccountState account = accounts.get(request.accountId());
            String error = account == null ? null : account.compileError();
            return compilationFailure(error != null ? error : "CodeDoesNotExist: " + request.accountId());
        }
        long height = clock.latestHeight();
        Block block = at != null ? at : new Block(height, clock.timestampNanos(height), clock.epochHeight(height));
        CallContext context = new CallContext(
                request.accountId(),
                request.signerId(),
                signerPublicKey(request.signerId()),
                request.predecessorId(),
                request.args(),
                block.height(),
                block.timestampNanos(),
                block.epochHeight(),
                snapshot.balance(),
                snapshot.locked(),
                request.attachedDeposit(),
                request.gas(),
                randomSeed(block.height(), request.accountId()),
                snapshot.storageUsage(),
                true,
                AccountContract.of(snapshot.contract(), snapshot.globalContract()),
                // refund_to_account_id is ProhibitedInView; a view has no receipt to refund.
                request.predecessorId());
        return ContractRuntime.run(
                snapshot.contract(), context, storage(request.accountId()), request.method(), binding);
    }

    /** A call that failed before running: its contract does not compile (nearcore's CompilationError). */
    static Outcome compilationFailure(String message) {
        return new Outcome(
                false,
                null,
                List.of(),
                0,
                0,
                0,
                "CompilationError",
                message,
                null,
                java.util.Map.of(),
                new PromiseLog(),
                0,
                null,
                0,
                0,
                new GasProfile());
    }

    /** Borsh PublicKey (ed25519 tag 0 + 32 bytes), derived from the signer so it is stable. */
    private static byte[] signerPublicKey(String signerId) {
        byte[] key = new byte[33];
        System.arraycopy(sha256(("pk:" + signerId).getBytes(StandardCharsets.UTF_8)), 0, key, 1, 32);
        return key;
    }

    private static byte[] randomSeed(long height, String accountId) {
        return sha256((height + ":" + accountId).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] data) {
        return ReceiptEngine.sha256().digest(data);
    }

    /** The call names an account with no contract deployed. */
    public static final class UnknownAccountException extends ApiException {
        public UnknownAccountException(String accountId) {
            super(Kind.NOT_FOUND, "account " + accountId + " has no contract deployed");
        }
    }

    /** The chain's id: RPC {@code status}'s {@code chain_id} and the contracts' {@code chain_id} host function. */
    public static final String CHAIN_ID = "outlayer-bench";

    /** Where the bundled OutLayer-compatible contract (resources/contracts/outlayer) is deployed. */
    public static final String OUTLAYER_ACCOUNT = "outlayer.test.near";
    /** The account allowed to resolve executions on {@link #OUTLAYER_ACCOUNT} (OutLayer's operator_id). */
    public static final String OUTLAYER_OPERATOR = "operator.test.near";
    /**
     * The stablecoin stand-in (ft.wasm, 6 decimals as USDC) that payment keys are topped up in
     * through {@code ft_transfer_call} to {@link #OUTLAYER_ACCOUNT}; it holds its whole supply.
     */
    public static final String PAYMENT_TOKEN = "usdc.test.near";

    /**
     * Deploys the bundled contracts found in {@code dir}: counter.wasm as counter.test.near,
     * nft.wasm as nft.test.near (initialised with new_default_meta, owner itself),
     * compute.wasm as compute.test.near and outlayer/outlayer.wasm as outlayer.test.near
     * (initialised with {@code new}, owner itself, operator {@link #OUTLAYER_OPERATOR}), ft.wasm as
     * {@link #PAYMENT_TOKEN} (10^18 units, $10^12, held by itself) made the OutLayer contract's
     * payment token, each compiled before this returns. Missing files are skipped.
     */
    public void deployBundled(Path dir) {
        deployIfPresent(dir.resolve("counter.wasm"), "counter.test.near", null, null);
        deployIfPresent(
                dir.resolve("nft.wasm"), "nft.test.near", "new_default_meta", "{\"owner_id\":\"nft.test.near\"}");
        deployIfPresent(dir.resolve("compute.wasm"), "compute.test.near", null, null);
        deployIfPresent(
                dir.resolve("outlayer/outlayer.wasm"),
                OUTLAYER_ACCOUNT,
                "new",
                "{\"owner_id\":\"" + OUTLAYER_ACCOUNT + "\",\"operator_id\":\"" + OUTLAYER_OPERATOR + "\"}");
        deployIfPresent(
                dir.resolve("ft.wasm"),
                PAYMENT_TOKEN,
                "new_default_meta",
                "{\"owner_id\":\"" + PAYMENT_TOKEN + "\",\"total_supply\":\"1000000000000000000\"}");
        configurePaymentToken();
    }

    /**
     * Makes {@link #PAYMENT_TOKEN} the OutLayer contract's payment token when the contract there
     * has none yet (a contract without the view, e.g. another one kept in the data directory, is
     * left alone).
     */
    private void configurePaymentToken() {
        AccountState outlayer = accounts.get(OUTLAYER_ACCOUNT);
        AccountState token = accounts.get(PAYMENT_TOKEN);
        if (outlayer == null || !outlayer.hasContract() || token == null || !token.hasContract()) {
            return;
        }
        Outcome current = execute(CallRequest.view(OUTLAYER_ACCOUNT, "get_payment_token_contract", new byte[0]));
        if (!current.success() || !"null".equals(new String(current.result(), StandardCharsets.UTF_8))) {
            return;
        }
        Outcome set = execute(CallRequest.call(
                        OUTLAYER_ACCOUNT,
                        "set_payment_token_contract",
                        ("{\"token_contract\":\"" + PAYMENT_TOKEN + "\"}").getBytes(StandardCharsets.UTF_8))
                .withCaller(OUTLAYER_ACCOUNT, OUTLAYER_ACCOUNT));
        if (!set.success()) {
            LOG.warn("set_payment_token_contract failed: {} {}", set.errorKind(), set.errorMessage());
        }
    }

    private void deployIfPresent(Path file, String accountId, String initMethod, String initArgs) {
        if (!Files.isRegularFile(file)) {
            LOG.info("bundled contract {} not found; {} not deployed", file, accountId);
            return;
        }
        try {
            byte[] code = Files.readAllBytes(file);
            AccountState kept = accounts.get(accountId);
            if (kept != null && kept.hasContract()) {
                // Bundled contracts seed only what the data directory does not hold: a contract
                // deployed there (the bundled one, an older build of it, or the user's own) stays.
                if (kept.globalContract() == null && java.util.Arrays.equals(kept.code(), code)) {
                    LOG.info("{} on {} kept from the data directory, with its state", file.getFileName(), accountId);
                } else {
                    LOG.info(
                            "{} keeps the contract in the data directory ({}), not the bundled {};"
                                    + " deploy it over that account to use it",
                            accountId,
                            kept.globalContract() != null
                                    ? "global contract " + kept.globalContract()
                                    : "code hash " + ContractCompiler.codeHash(kept.code()),
                            file.getFileName());
                }
                return;
            }
            Deployed deployed = deploy(accountId, code);
            // Start-up waits for the JVM compiler: "ready" then means compiled, and no background
            // compilation competes with the first benchmark for the CPU.
            accounts.get(accountId).contract().awaitCompiled(60, java.util.concurrent.TimeUnit.SECONDS);
            LOG.info(
                    "deployed {} to {} ({} bytes, code hash {})",
                    file.getFileName(),
                    accountId,
                    deployed.codeSize(),
                    deployed.codeHash());
            if (initMethod != null) {
                Outcome init =
                        execute(CallRequest.call(accountId, initMethod, initArgs.getBytes(StandardCharsets.UTF_8))
                                .withCaller(accountId, accountId));
                if (!init.success()) {
                    LOG.warn("{} {} failed: {} {}", accountId, initMethod, init.errorKind(), init.errorMessage());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("cannot deploy bundled contract {}: {}", file, e.getMessage());
        }
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.state.AccountStorage;
import dev.outlayer.bench.targetsystem.state.StateTrie;
import dev.outlayer.bench.targetsystem.state.TrieKeys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
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
public final class ContractSimulator {
    private static final Logger LOG = LoggerFactory.getLogger(ContractSimulator.class);
    /** 100 NEAR in yoctoNEAR: the balance a deploy gives a new account. */
    public static final BigInteger DEFAULT_BALANCE = new BigInteger("100000000000000000000000000");

    private final ContractCompiler compiler;
    private final BlockClock clock;
    private final ConcurrentHashMap<String, AccountState> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompiledContract> byCodeHash = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ReentrantLock> callLocks = new ConcurrentHashMap<>();
    /** Every account's code and contract data, nearcore's trie layout; calls read and charge from it. */
    private final StateTrie trie = new StateTrie();

    /** Compiles one module at a time in the background, so deploys never wait for the JVM compiler. */
    private static final java.util.concurrent.ExecutorService COMPILER =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "contract-compiler");
                t.setDaemon(true);
                return t;
            });

    /** Metered, tiered (interpreter first, compiled in the background): what the target system runs. */
    public ContractSimulator(boolean metered, BlockClock clock) {
        this(metered, ContractCompiler.Path.TIERED, clock);
    }

    public ContractSimulator(boolean metered, ContractCompiler.Path path, BlockClock clock) {
        this.compiler = new ContractCompiler(metered, path, COMPILER);
        this.clock = clock;
    }

    /** What a deploy reports. */
    public record Deployed(String accountId, String codeHash, int codeSize) {}

    /** Validates, compiles (once per code hash) and installs {@code code} on {@code accountId}. */
    public Deployed deploy(String accountId, byte[] code) {
        if (!AccountIds.isValid(accountId)) {
            throw ApiException.invalid("invalid NEAR account id: " + accountId);
        }
        String hash = ContractCompiler.codeHash(code);
        CompiledContract compiled = byCodeHash.get(hash);
        if (compiled == null) {
            compiled = compiler.compile(code);
            CompiledContract raced = byCodeHash.putIfAbsent(hash, compiled);
            if (raced != null) {
                compiled = raced;
            }
        }
        accounts.computeIfAbsent(accountId, id -> new AccountState(id, DEFAULT_BALANCE))
                .deploy(compiled, code);
        trie.apply(java.util.Map.of(TrieKeys.contractCode(accountId), code), clock.latestHeight());
        return new Deployed(accountId, compiled.codeHash(), compiled.codeSize());
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

    /** As {@link #execute(CallRequest, Block)}, with the host functions of {@code binding}. */
    public Outcome execute(CallRequest request, Block block, HostBinding binding) {
        AccountState account = accounts.get(request.accountId());
        if (account == null || account.contract() == null) {
            throw new UnknownAccountException(request.accountId());
        }
        if (request.view()) {
            return account.read(snapshot -> run(request, snapshot, block, binding));
        }
        ReentrantLock lock = callLocks.computeIfAbsent(request.accountId(), id -> new ReentrantLock());
        lock.lock();
        try {
            Outcome outcome = account.read(snapshot -> run(request, snapshot, block, binding));
            if (outcome.success()) {
                account.commit(outcome.stateChanges(), outcome.balance(), outcome.storageUsage());
                commitToTrie(request.accountId(), outcome);
            }
            return outcome;
        } finally {
            lock.unlock();
        }
    }

    /** The call's writes into the state trie, as contract data of its account, under the call's lock. */
    private void commitToTrie(String accountId, Outcome outcome) {
        if (outcome.stateChanges().isEmpty()) {
            return;
        }
        byte[] prefix = TrieKeys.contractDataPrefix(accountId);
        java.util.Map<byte[], byte[]> changes = new java.util.LinkedHashMap<>();
        outcome.stateChanges().forEach((k, v) -> changes.put(TrieKeys.contractData(prefix, k.array()), v));
        trie.apply(changes, clock.latestHeight());
    }

    private Outcome run(CallRequest request, AccountState.Snapshot snapshot, Block at, HostBinding binding) {
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
                BigInteger.ZERO,
                request.attachedDeposit(),
                request.gas(),
                randomSeed(block.height(), request.accountId()),
                snapshot.storageUsage(),
                request.view());
        AccountStorage storage = new AccountStorage(trie.current(), request.accountId());
        return ContractRuntime.run(snapshot.contract(), context, storage, request.method(), binding);
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
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The call names an account with no contract deployed. */
    public static final class UnknownAccountException extends ApiException {
        public UnknownAccountException(String accountId) {
            super(Kind.NOT_FOUND, "account " + accountId + " has no contract deployed");
        }
    }

    /**
     * Deploys the bundled contracts found in {@code dir}: counter.wasm as counter.test.near,
     * nft.wasm as nft.test.near (initialised with new_default_meta, owner itself) and
     * compute.wasm as compute.test.near, each compiled before this returns. Missing files are
     * skipped.
     */
    public void deployBundled(Path dir) {
        deployIfPresent(dir.resolve("counter.wasm"), "counter.test.near", null);
        deployIfPresent(dir.resolve("nft.wasm"), "nft.test.near", "{\"owner_id\":\"nft.test.near\"}");
        deployIfPresent(dir.resolve("compute.wasm"), "compute.test.near", null);
    }

    private void deployIfPresent(Path file, String accountId, String nftInitArgs) {
        if (!Files.isRegularFile(file)) {
            LOG.info("bundled contract {} not found; {} not deployed", file, accountId);
            return;
        }
        try {
            Deployed deployed = deploy(accountId, Files.readAllBytes(file));
            // Start-up waits for the JVM compiler: "ready" then means compiled, and no background
            // compilation competes with the first benchmark for the CPU.
            accounts.get(accountId).contract().awaitCompiled(60, java.util.concurrent.TimeUnit.SECONDS);
            LOG.info(
                    "deployed {} to {} ({} bytes, code hash {})",
                    file.getFileName(),
                    accountId,
                    deployed.codeSize(),
                    deployed.codeHash());
            if (nftInitArgs != null) {
                Outcome init = execute(
                        CallRequest.call(accountId, "new_default_meta", nftInitArgs.getBytes(StandardCharsets.UTF_8))
                                .withCaller(accountId, accountId));
                if (!init.success()) {
                    LOG.warn("{} new_default_meta failed: {} {}", accountId, init.errorKind(), init.errorMessage());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("cannot deploy bundled contract {}: {}", file, e.getMessage());
        }
    }
}

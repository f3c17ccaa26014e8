package dev.outlayer.bench.targetsystem.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;
import dev.outlayer.bench.targetsystem.contracts.GlobalContractId;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.contracts.SignedActions;
import dev.outlayer.bench.targetsystem.contracts.TestContracts;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.LinuxEmulator;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.state.TrieKeys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the simulator committed comes back from the data directory, with the same state root;
 * a record that no longer loads is quarantined and the rest served. (The child-JVM SIGKILL test is
 * {@code DataDirRestartTest}.)
 */
class DataStoreTest {
    private static final String COUNTER = "counter.test.near";
    private static final PublicKey CAROL_KEY = PublicKey.ed25519(filled(7));
    private static final AccessKey CAROL_ACCESS = new AccessKey(
            42,
            new AccessKey.FunctionCallPermission(
                    new BigInteger("250000000000000000000000"), COUNTER, List.of("increment")));

    @TempDir
    Path dir;

    private final BlockClock clock = BlockClock.startingNow(1000);

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private ContractSimulator simulator(DataStore store) {
        return new ContractSimulator(true, ContractCompiler.Path.INTERPRETED, clock, null, store);
    }

    private static byte[] counterWasm() throws Exception {
        return Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/counter.wasm"));
    }

    private static String count(ContractSimulator sim) {
        Outcome view = sim.execute(CallRequest.view(COUNTER, "get_num", new byte[0]));
        assertThat(view.success()).as(view.errorMessage()).isTrue();
        return new String(view.result(), StandardCharsets.UTF_8);
    }

    /** Deploys the counter, increments it three times, creates carol with a function-call key. */
    private byte[] writeSome() throws Exception {
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            sim.restore();
            sim.deploy(COUNTER, counterWasm());
            for (int i = 0; i < 3; i++) {
                assertThat(sim.execute(CallRequest.call(COUNTER, "increment", new byte[0]))
                                .success())
                        .isTrue();
            }
            sim.putAccount("carol.test.near", new BigInteger("12345"));
            sim.putAccessKey("carol.test.near", CAROL_KEY, CAROL_ACCESS);
            assertThat(count(sim)).isEqualTo("3");
            return sim.stateTrie().current().rootHash();
        }
    }

    @Test
    void everyCommitComesBackAfterReopeningWithTheSameStateRoot() throws Exception {
        byte[] root = writeSome();
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            assertThat(sim.restore()).contains(COUNTER, "carol.test.near");
            assertThat(count(sim)).isEqualTo("3");
            assertThat(sim.stateTrie().current().rootHash()).isEqualTo(root);
            assertThat(sim.account("carol.test.near").orElseThrow().balance()).isEqualTo(new BigInteger("12345"));
            assertThat(sim.accessKey("carol.test.near", CAROL_KEY)).contains(CAROL_ACCESS);
            assertThat(store.quarantined()).isZero();
            // And it goes on from there: the next increment is the fourth.
            assertThat(sim.execute(CallRequest.call(COUNTER, "increment", new byte[0]))
                            .success())
                    .isTrue();
            assertThat(count(sim)).isEqualTo("4");
        }
    }

    @Test
    void aContractDeployedOverABundledOneIsKeptAcrossRestarts() throws Exception {
        Path bundled = Files.createDirectory(dir.resolve("bundled"));
        Files.write(bundled.resolve("counter.wasm"), counterWasm());
        byte[] own = TestContracts.wasm("nearsdk_layout");
        try (DataStore store = DataStore.open(dir.resolve("data"));
                ContractSimulator sim = simulator(store)) {
            sim.restore();
            sim.deployBundled(bundled);
            sim.deploy(COUNTER, own); // acknowledged: the user's contract in the bundled one's place
            assertThat(sim.execute(CallRequest.call(COUNTER, "increment", new byte[0]))
                            .success())
                    .isTrue();
        }
        try (DataStore store = DataStore.open(dir.resolve("data"));
                ContractSimulator sim = simulator(store)) {
            sim.restore();
            sim.deployBundled(bundled);
            assertThat(Arrays.equals(sim.account(COUNTER).orElseThrow().code(), own))
                    .as("the deployed contract, not the bundled one")
                    .isTrue();
            Outcome second = sim.execute(CallRequest.call(COUNTER, "increment", new byte[0]));
            assertThat(second.success()).as(second.errorMessage()).isTrue();
            assertThat(new String(second.result(), StandardCharsets.UTF_8))
                    .as("its state kept too")
                    .isEqualTo("2");
        }
    }

    /** {@code actions} signed by lib.test.near's key, run to the end; fails unless they succeed. */
    private static void submit(ContractSimulator sim, long nonce, String receiver, List<Action> actions) {
        byte[] hash = new byte[32];
        hash[0] = (byte) nonce;
        TxOutcome tree = sim.submit(
                new SignedActions(LIB, CAROL_KEY, nonce, receiver, actions, Base58.encode(hash)),
                WaitMode.ALL_RECEIPTS);
        assertThat(tree.finalStatus())
                .as("%s", tree.receiptsOutcome())
                .isInstanceOf(ExecutionStatus.SuccessValue.class);
    }

    private static final String LIB = "lib.test.near";

    /** A module nearcore's preparation refuses: a function type with two results (multi-value is off at 86). */
    private static final byte[] MULTI_VALUE = {
        0, 'a', 's', 'm', 1, 0, 0, 0, 0x01, 0x06, 0x01, 0x60, 0x00, 0x02, 0x7f, 0x7f
    };

    private static TxOutcome call(ContractSimulator sim, long nonce, String receiver, String method) {
        byte[] hash = new byte[32];
        hash[0] = (byte) nonce;
        return sim.submit(
                new SignedActions(
                        LIB,
                        CAROL_KEY,
                        nonce,
                        receiver,
                        List.of(new Action.FunctionCall(method, new byte[0], 30_000_000_000_000L, BigInteger.ZERO)),
                        Base58.encode(hash)),
                WaitMode.ALL_RECEIPTS);
    }

    /** nearcore's action_deploy_contract stores any code; the call fails with CompilationError and burns only fees. */
    private static void assertCallFailsToCompile(ContractSimulator sim, long nonce) {
        TxOutcome tree = call(sim, nonce, LIB, "main");
        assertThat(tree.finalStatus()).isInstanceOfSatisfying(ExecutionStatus.Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo("FunctionCallError");
            assertThat(failure.errorKind()).isEqualTo("CompilationError");
            assertThat(failure.message()).startsWith("Deserialization: type 0 returns 2 values");
        });
        assertThat(JsonCodec.MAPPER
                        .valueToTree(dev.outlayer.bench.targetsystem.transactions.OutcomeViews.finalStatus(
                                tree.finalStatus()))
                        .toString())
                .isEqualTo("{\"Failure\":{\"ActionError\":{\"index\":0,\"kind\":{\"FunctionCallError\":"
                        + "{\"CompilationError\":{\"PrepareError\":\"Deserialization\"}}}}}}");
        // action_receipt_creation (108,059,500,000) + function_call execution (780 Ggas + 4 bytes of
        // "main" at 2,235,934): nothing for the VM, not even contract loading (FixContractLoadingCost is
        // off at 86, and the loading fee is charged only after a compilation that succeeded).
        assertThat(tree.receiptsOutcome().get(0).gasBurnt())
                .isEqualTo(108_059_500_000L + 780_000_000_000L + 4 * 2_235_934L);
    }

    @Test
    void codeThatDoesNotCompileIsStoredByADeployContractAndKeptAcrossRestarts() throws Exception {
        byte[] root;
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            sim.restore();
            sim.putAccount(LIB, new BigInteger("10000000000000000000000000"));
            sim.putAccessKey(LIB, CAROL_KEY, AccessKey.fullAccess(0));
            long storageBefore = sim.account(LIB).orElseThrow().read(s -> s.storageUsage());
            submit(sim, 1, LIB, List.of(new Action.DeployContract(MULTI_VALUE)));
            var view = new dev.outlayer.bench.targetsystem.contracts.SimulatorChainView(sim);
            assertThat(view.code(LIB))
                    .hasValueSatisfying(code -> assertThat(code).isEqualTo(MULTI_VALUE));
            var account = view.account(LIB).orElseThrow();
            assertThat(account.codeHash())
                    .isEqualTo(
                            java.security.MessageDigest.getInstance("SHA-256").digest(MULTI_VALUE));
            assertThat(account.storageUsage()).isEqualTo(storageBefore + MULTI_VALUE.length);
            assertCallFailsToCompile(sim, 2);
            root = sim.stateTrie().current().rootHash();
        }
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            assertThat(sim.restore()).contains(LIB);
            assertThat(store.quarantined()).isZero();
            assertThat(sim.stateTrie().current().rootHash()).isEqualTo(root);
            assertThat(sim.account(LIB).orElseThrow().code()).isEqualTo(MULTI_VALUE);
            assertCallFailsToCompile(sim, 3);
            // A deploy of code that compiles replaces it, as any deploy.
            submit(sim, 4, LIB, List.of(new Action.DeployContract(TestContracts.wasm("receipts"))));
            assertThat(call(sim, 5, LIB, "ok").finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
        }
    }

    @Test
    void globalContractsAndTheAccountsUsingThemComeBackAfterReopening() throws Exception {
        // nearcore's trie: TrieKey::GlobalContractCode (col 18) and GlobalContractNonce (col 19) per
        // identifier, and the user's Account V2 record with its AccountContract::GlobalByAccount.
        byte[] counter = TestContracts.wasm("counter");
        byte[] receipts = TestContracts.wasm("receipts");
        String user = "user." + LIB;
        byte[] root;
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            sim.restore();
            sim.putAccount(LIB, new BigInteger("10000000000000000000000000"));
            sim.putAccessKey(LIB, CAROL_KEY, AccessKey.fullAccess(0));
            submit(sim, 1, LIB, List.of(new Action.DeployGlobalContract(counter, true)));
            submit(sim, 2, LIB, List.of(new Action.DeployGlobalContract(receipts, false)));
            submit(
                    sim,
                    3,
                    user,
                    List.of(
                            new Action.CreateAccount(),
                            new Action.Transfer(new BigInteger("1000000000000000000000000")),
                            new Action.UseGlobalContract(GlobalContractId.byAccount(LIB))));
            assertThat(sim.execute(CallRequest.call(user, "increment", new byte[0]))
                            .success())
                    .isTrue();
            root = sim.stateTrie().current().rootHash();
        }
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            assertThat(sim.restore()).contains(LIB, user);
            assertThat(store.quarantined()).isZero();
            assertThat(sim.stateTrie().current().rootHash()).isEqualTo(root);
            assertThat(sim.account(user).orElseThrow().globalContract()).isEqualTo(GlobalContractId.byAccount(LIB));
            assertThat(new String(
                            sim.execute(CallRequest.view(user, "get_num", new byte[0]))
                                    .result(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("1");
            assertThat(sim.globalContractCode(GlobalContractId.byHash(
                            java.security.MessageDigest.getInstance("SHA-256").digest(receipts))))
                    .hasValueSatisfying(code -> assertThat(code).isEqualTo(receipts));

            // The deployer's next deploy by account id takes the next nonce and reaches the user.
            submit(sim, 4, LIB, List.of(new Action.DeployGlobalContract(receipts, true)));
            assertThat(new String(
                            sim.execute(CallRequest.call(user, "ok", new byte[0]))
                                    .result(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("ok");
        }
    }

    @Test
    void aWriteFromAnInterruptedThreadIsKeptAndLeavesTheStoreWritable() throws Exception {
        // A contract call the wall-clock watchdog interrupted still commits its burnt gas, on the
        // interrupted thread: H2's file channel must neither refuse nor close on it.
        byte[] key = TrieKeys.account("dave.test.near");
        try (DataStore store = DataStore.open(dir)) {
            Thread.currentThread().interrupt();
            try {
                store.append(Map.of(key, new byte[] {1}), 5);
                assertThat(Thread.currentThread().isInterrupted())
                        .as("the caller still sees its interrupt")
                        .isTrue();
            } finally {
                Thread.interrupted();
            }
            store.append(Map.of(key, new byte[] {2}), 6);
        }
        try (DataStore store = DataStore.open(dir)) {
            Map<String, byte[]> kept = new java.util.HashMap<>();
            store.forEach((k, v) -> kept.put(java.util.HexFormat.of().formatHex(k), v));
            assertThat(kept.get(java.util.HexFormat.of().formatHex(key))).containsExactly(2);
            assertThat(store.lastHeight()).isEqualTo(6);
        }
    }

    /**
     * A gas key is its access-key record and one record per nonce slot (TrieKey::GasKeyNonce); both come
     * back, and a gas key missing a slot is quarantined with its other slots.
     */
    @Test
    void aGasKeyAndItsNonceSlotsComeBackAfterReopening() throws Exception {
        PublicKey gas = PublicKey.ed25519(filled(8));
        byte[] root;
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            sim.restore();
            sim.putAccount(LIB, new BigInteger("10000000000000000000000000"));
            sim.putAccessKey(LIB, CAROL_KEY, AccessKey.fullAccess(0));
            submit(
                    sim,
                    1,
                    LIB,
                    List.of(
                            new Action.AddKey(
                                    gas,
                                    new AccessKey(
                                            0,
                                            new AccessKey.GasKeyFullAccess(
                                                    new AccessKey.GasKeyInfo(BigInteger.ZERO, 2)))),
                            new Action.TransferToGasKey(gas, BigInteger.TEN)));
            root = sim.stateTrie().current().rootHash();
        }
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            assertThat(sim.restore()).contains(LIB);
            AccessKey restored = sim.accessKey(LIB, gas).orElseThrow();
            assertThat(restored.gasKey()).isEqualTo(new AccessKey.GasKeyInfo(BigInteger.TEN, 2));
            assertThat(restored.gasKeyNonces())
                    .hasSize(2)
                    .allSatisfy(n -> assertThat(n).isPositive());
            assertThat(sim.stateTrie().current().rootHash()).isEqualTo(root);
            assertThat(store.quarantined()).isZero();
            store.append(Map.of(TrieKeys.gasKeyNonce(LIB, gas.toBorsh(), 1), new byte[3]), 1);
        }
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            assertThat(sim.restore()).contains(LIB);
            assertThat(sim.accessKey(LIB, gas)).isEmpty();
            assertThat(sim.accessKey(LIB, CAROL_KEY)).isPresent();
            assertThat(store.quarantined())
                    .as("the damaged slot, the key and its other slot")
                    .isEqualTo(3);
        }
    }

    @Test
    void aDamagedKeyRecordIsQuarantinedAndItsAccountServed() throws Exception {
        writeSome();
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            sim.restore();
            store.append(Map.of(TrieKeys.accessKey("carol.test.near", CAROL_KEY.toBorsh()), new byte[0]), 1);
        }
        // The damaged key record is quarantined; carol herself is served.
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            assertThat(sim.restore()).contains("carol.test.near");
            assertThat(sim.accessKey("carol.test.near", CAROL_KEY)).isEmpty();
            assertThat(store.quarantined()).isEqualTo(1);
        }
    }

    @Test
    void damagedRecordsAreQuarantinedAndTheRestIsServed() throws Exception {
        writeSome();
        try (DataStore store = DataStore.open(dir)) {
            java.util.Map<byte[], byte[]> damage = new java.util.LinkedHashMap<>();
            damage.put(TrieKeys.account("bad.test.near"), new byte[5]); // cut short
            damage.put(new byte[] {7, 'x', 'y'}, new byte[] {1}); // no such column
            damage.put(TrieKeys.contractCode("orphan.test.near"), counterWasm()); // no account record
            damage.put(TrieKeys.accessKey(COUNTER, new byte[] {9, 9}), new byte[] {1}); // not a public key
            store.append(damage, 1);
        }
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            assertThat(sim.restore())
                    .contains(COUNTER, "carol.test.near")
                    .doesNotContain("bad.test.near", "orphan.test.near");
            assertThat(count(sim)).isEqualTo("3");
            assertThat(store.quarantined()).isEqualTo(4);
        }
        // Quarantined once: the next start finds a clean store.
        try (DataStore store = DataStore.open(dir);
                ContractSimulator sim = simulator(store)) {
            sim.restore();
            assertThat(count(sim)).isEqualTo("3");
            assertThat(store.quarantined()).isEqualTo(4);
        }
    }

    @Test
    void uploadedProgramsComeBackAndOneThatNoLongerLoadsIsQuarantined() {
        try (DataStore store = DataStore.open(dir);
                LinuxEmulator linux = new LinuxEmulator(LinuxEmulator.Options.defaults(), clock)) {
            linux.keepProgramsIn(store);
            linux.deploy("echo", TestPrograms.wasm("echo_json"));
            store.putProgram("broken", new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 42});
        }
        try (DataStore store = DataStore.open(dir);
                LinuxEmulator linux = new LinuxEmulator(LinuxEmulator.Options.defaults(), clock)) {
            assertThat(linux.keepProgramsIn(store)).isEqualTo(1);
            assertThat(linux.hasProgram("echo")).isTrue();
            assertThat(linux.hasProgram("broken")).isFalse();
            assertThat(store.quarantined()).isEqualTo(1);
        }
    }

    @Test
    void manyCommitsPastACompactionKeepTheLatestOfEveryRecordAndAFileOfTheirSize() throws Exception {
        int commits = 1_100; // past one compaction (every 1,000 commits)
        try (DataStore store = DataStore.open(dir)) {
            for (int i = 0; i < commits; i++) {
                byte[] value = new byte[100];
                Arrays.fill(value, (byte) i);
                store.append(Map.of(TrieKeys.contractCode("a" + (i % 50) + ".test.near"), value), i);
            }
        }
        java.util.Map<String, Byte> kept = new java.util.HashMap<>();
        try (DataStore store = DataStore.open(dir)) {
            store.forEach((key, value) -> kept.put(TrieKeys.parse(key).accountId(), value[0]));
            assertThat(store.lastHeight()).isEqualTo(commits - 1);
        }
        assertThat(kept).hasSize(50);
        for (int account = 0; account < 50; account++) {
            int last = commits - 50 + account; // the last i with i % 50 == account
            assertThat(kept.get("a" + account + ".test.near")).isEqualTo((byte) last);
        }
        // The space of old versions is reused: far from one chunk per commit.
        assertThat(Files.size(dir.resolve(DataStore.FILE_NAME))).isLessThan(2L << 20);
    }

    @Test
    void heightsGoOnFromTheKeptGenesis() {
        long first;
        try (DataStore store = DataStore.open(dir)) {
            first = store.genesisMillis(1_000);
            store.append(Map.of(TrieKeys.account("x.test.near"), new byte[0]), 123);
        }
        try (DataStore store = DataStore.open(dir)) {
            assertThat(store.genesisMillis(99_999)).isEqualTo(first).isEqualTo(1_000);
            assertThat(store.lastHeight()).isEqualTo(123);
        }
    }
}

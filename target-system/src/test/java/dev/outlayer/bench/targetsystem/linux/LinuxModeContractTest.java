package dev.outlayer.bench.targetsystem.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.ExtCost;
import dev.outlayer.bench.targetsystem.contracts.HostBinding;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same contract wasm on two accounts, one called directly and one in linux mode, must give
 * identical results, logs, state changes, gas and failures; linux mode adds translation cost.
 */
class LinuxModeContractTest {
    private static final BigInteger STORAGE_DEPOSIT = new BigInteger("10000000000000000000000");

    private static ContractSimulator simulator;

    private static LinuxEmulator emulator;

    @BeforeAll
    static void deploy() throws Exception {
        BlockClock clock = BlockClock.startingNow(1000);
        simulator = new ContractSimulator(true, clock);
        emulator = TestPrograms.emulator(2);
        for (String name : new String[] {"counter", "nft", "compute"}) {
            byte[] code = Files.readAllBytes(TestPrograms.root().resolve("resources/contracts/" + name + ".wasm"));
            simulator.deploy(account(name, "direct"), code);
            simulator.deploy(account(name, "linux"), code);
        }
        for (String mode : new String[] {"direct", "linux"}) {
            String account = account("nft", mode);
            Outcome init = call(
                    mode,
                    CallRequest.call(account, "new_default_meta", json("{\"owner_id\":\"" + account + "\"}"))
                            .withCaller(account, account));
            assertThat(init.success()).as(init.errorMessage()).isTrue();
        }
    }

    @AfterAll
    static void close() {
        simulator.close();
        emulator.close();
    }

    /** Account names of equal length in both modes, so that gas (which counts bytes) can match exactly. */
    private static String account(String contract, String mode) {
        return contract + "-" + mode.charAt(0) + ".test.near";
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ContractProcess lastProcess;

    private static Outcome call(String mode, CallRequest request) {
        if (mode.equals("direct")) {
            return simulator.execute(request, HostBinding.DIRECT);
        }
        lastProcess = emulator.contractProcess(
                request.accountId(), request.method(), request.signerId(), request.predecessorId(), false);
        return simulator.execute(request, lastProcess);
    }

    /** Calls {@code method} on the direct and the linux account and checks the outcomes are the same. */
    private static Outcome[] both(String contract, String method, String args, BigInteger deposit, String caller) {
        Outcome[] outcomes = new Outcome[2];
        String[] modes = {"direct", "linux"};
        for (int i = 0; i < 2; i++) {
            String account = account(contract, modes[i]);
            String signer = caller == null ? account : caller;
            CallRequest request = CallRequest.call(account, method, json(args.replace("ACCOUNT", account)))
                    .withDeposit(deposit)
                    .withCaller(signer, signer);
            outcomes[i] = call(modes[i], request);
        }
        Outcome direct = outcomes[0];
        Outcome linux = outcomes[1];
        assertThat(linux.success()).isEqualTo(direct.success());
        assertThat(linux.errorKind()).isEqualTo(direct.errorKind());
        assertThat(linux.errorMessage())
                .isEqualTo(
                        direct.errorMessage() == null
                                ? null
                                : direct.errorMessage()
                                        .replace(account(contract, "direct"), account(contract, "linux")));
        // The two accounts sit at different places of the one state trie, so their lookups may walk
        // a different number of nodes; everything else is charged the same.
        assertThat(linux.gasBurnt() - linux.profile().gas(ExtCost.touching_trie_node))
                .isEqualTo(direct.gasBurnt() - direct.profile().gas(ExtCost.touching_trie_node));
        assertThat(linux.instructions()).isEqualTo(direct.instructions());
        assertThat(linux.logs())
                .isEqualTo(direct.logs().stream()
                        .map(log -> log.replace(account(contract, "direct"), account(contract, "linux")))
                        .toList());
        assertThat(new String(orEmpty(linux.result()), StandardCharsets.UTF_8))
                .isEqualTo(new String(orEmpty(direct.result()), StandardCharsets.UTF_8)
                        .replace(account(contract, "direct"), account(contract, "linux")));
        assertThat(linux.stateChanges().size()).isEqualTo(direct.stateChanges().size());
        return outcomes;
    }

    private static byte[] orEmpty(byte[] bytes) {
        return bytes == null ? new byte[0] : bytes;
    }

    @Test
    void aTableGrowsToMaxElementsPerContractTableAndAfreshInEveryCallInBothModes() {
        // nearcore's wasmtime runner limits a table's growth to max_elements_per_contract_table (10,000);
        // here Chicory grew it to anything asked (gigabytes of heap for one call; 2^31 - 1 became a
        // NegativeArraySizeException, a "WasmTrap(ExecutionError: -2147483648)" for the client).
        byte[] code = dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm("table_limit");
        simulator.deploy(account("table", "direct"), code);
        simulator.deploy(account("table", "linux"), code);
        for (int i = 0; i < 3; i++) { // more calls than the pool has workers: each was given back
            for (String method : List.of("grow_past_limit", "grow_by_2_31")) {
                Outcome[] outcomes = both("table", method, "{}", BigInteger.ZERO, null);
                assertThat(outcomes[1].success()).as(method).isTrue();
                assertThat(outcomes[1].result()).as(method).containsExactly(0xff, 0xff, 0xff, 0xff);
            }
        }
        for (int i = 0; i < 2; i++) {
            // Every call starts with the module's table of one: Chicory grew the module's table type,
            // so the second call's table started at 10,000 (and later ones, on any account with this code, further).
            Outcome[] toLimit = both("table", "grow_to_limit", "{}", BigInteger.ZERO, null);
            assertThat(toLimit[1].result())
                    .as("a table of one grown by 9,999: the old size, call %d", i)
                    .containsExactly(1, 0, 0, 0);
        }
        assertThat(both("counter", "increment", "{}", BigInteger.ZERO, null)[1].success())
                .isTrue();
    }

    @Test
    void everyContractHasNearsMemoryInBothModesEvenOneThatDeclaresNone() {
        for (String name : List.of("near_memory", "no_memory")) {
            byte[] code = dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm(name);
            simulator.deploy(account(name, "direct"), code);
            simulator.deploy(account(name, "linux"), code);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(both("near_memory", "size", "{}", BigInteger.ZERO, null)[1].result())
                    .as("1,024 pages although the module declares 17")
                    .containsExactly(0, 4, 0, 0);
            assertThat(both("near_memory", "grow_to_max", "{}", BigInteger.ZERO, null)[1].result())
                    .as("1,024, then -1 past 2,048, and 2,048")
                    .containsExactly(0, 4, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 8, 0, 0);
            // Host functions reach the memory nearcore gives a module that declares none.
            assertThat(both("no_memory", "zeros", "{}", BigInteger.ZERO, null)[1].result())
                    .containsExactly(new byte[8]);
        }
    }

    @Test
    void counterIncrementIsIdenticalAndTheKernelCountsItsNearSyscalls() {
        Outcome[] outcomes = both("counter", "increment", "{}", BigInteger.ZERO, null);
        assertThat(outcomes[1].success()).isTrue();
        assertThat(outcomes[1].logs().get(0)).startsWith("Increased number to");
        assertThat(lastProcess.syscalls()).containsKeys("input", "storage_read", "storage_write", "log_utf8");
        assertThat(lastProcess.translationInstructions())
                .isEqualTo(lastProcess.syscalls().values().stream()
                                .mapToLong(Long::longValue)
                                .sum()
                        * KernelCosts.NEAR_TRANSLATION);
        assertThat(lastProcess.pid()).isPositive();
        // The state written is the same bytes on both accounts.
        byte[] direct = outcomes[0].stateChanges().values().iterator().next();
        byte[] linux = outcomes[1].stateChanges().values().iterator().next();
        assertThat(Arrays.equals(direct, linux)).isTrue();
    }

    @Test
    void nftMintIsIdentical() {
        Outcome[] outcomes = both(
                "nft",
                "nft_mint",
                "{\"token_id\":\"t1\",\"token_owner_id\":\"ACCOUNT\",\"token_metadata\":{\"title\":\"One\"}}",
                STORAGE_DEPOSIT,
                null);
        assertThat(outcomes[1].success()).as(outcomes[1].errorMessage()).isTrue();
        assertThat(outcomes[1].logs().get(0)).startsWith("EVENT_JSON:");
    }

    @Test
    void computeHeavyCallIsIdentical() {
        Outcome[] outcomes = both("compute", "compute", "{\"n\":200}", BigInteger.ZERO, null);
        assertThat(outcomes[1].success()).isTrue();
        assertThat(outcomes[1].instructions()).isGreaterThan(1_000_000);
    }

    @Test
    void failuresAreIdenticalAndRollBack() {
        // A panic: only the owner may mint.
        Outcome[] unauthorized = both(
                "nft",
                "nft_mint",
                "{\"token_id\":\"t9\",\"token_owner_id\":\"bob.test.near\",\"token_metadata\":{}}",
                STORAGE_DEPOSIT,
                "mallory.test.near");
        assertThat(unauthorized[1].success()).isFalse();
        assertThat(unauthorized[1].errorKind()).isEqualTo("GuestPanic");
        assertThat(unauthorized[1].stateChanges()).isEmpty();
        // Out of gas.
        String[] modes = {"direct", "linux"};
        Outcome[] gas = new Outcome[2];
        for (int i = 0; i < 2; i++) {
            String account = account("compute", modes[i]);
            gas[i] = call(
                    modes[i],
                    CallRequest.call(account, "compute", json("{\"n\":100000}")).withGas(5_000_000_000_000L));
        }
        assertThat(gas[1].errorKind()).isEqualTo("GasExceeded").isEqualTo(gas[0].errorKind());
        assertThat(gas[1].gasBurnt()).isEqualTo(gas[0].gasBurnt());
        // Unknown method.
        Outcome[] missing = both("counter", "no_such_method", "{}", BigInteger.ZERO, null);
        assertThat(missing[1].errorKind()).isEqualTo("MethodNotFound");
    }
}

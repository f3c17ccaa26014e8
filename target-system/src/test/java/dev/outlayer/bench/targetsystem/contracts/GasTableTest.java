package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.ExtCost.*;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.text;
import static dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.state.MerkleTrie;
import dev.outlayer.bench.targetsystem.state.TrieKeys;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * gas_table.wat's {@code run}: 100 rounds of six host calls and 36 wasm operations plus a
 * memory.fill, then three more calls. Every cost kind the call charges is computed here by hand
 * from the pinned table (the counts come from reading the .wat, not from the simulator), and the
 * call's profile and gas_burnt must equal them exactly.
 */
class GasTableTest {
    private static final String ACCOUNT = "gas.test.near";
    private static final int ROUNDS = 100;

    @AutoClose
    private final ContractSimulator sim =
            new ContractSimulator(true, ContractCompiler.Path.INTERPRETED, BlockClock.startingNow(1000));

    @Test
    void everyCostKindMatchesAHandComputation() {
        byte[] code = wasm("gas_table");
        sim.deploy(ACCOUNT, code);
        Outcome setup = sim.execute(CallRequest.call(ACCOUNT, "setup", new byte[0]));
        assertThat(setup.success()).as(setup.errorMessage()).isTrue();
        // The trie held the account record and the code: extension(0) -> branch{0: account, 1: code};
        // the write's lookup of "a" read the extension and the branch, which has no child 9.
        assertThat(setup.profile().trieNodesTouched()).isEqualTo(2);

        Outcome run = sim.execute(CallRequest.call(ACCOUNT, "run", new byte[0]));
        assertThat(run.success()).as(run.errorMessage()).isTrue();
        assertThat(text(run.result())).isEqualTo("12345678");

        // Now the trie is extension(0) -> branch{0: account, 1: code leaf, 9: leaf "a"}: a lookup of "a" (or of
        // the absent "b") reads 3 nodes. has_key and read of "a" go to the trie every round; the
        // write of "b" only in round one (then this call's own write answers); remove "a" once.
        long trieNodes = 3L * ROUNDS + 3L * ROUNDS + 3 + 3;
        Map<ExtCost, Long> counts = new EnumMap<>(ExtCost.class);
        // wasm_base for has_key, read, write and read_register each round, then remove, log and
        // value_return: sha256 and keccak256 charge only their own base, as nearcore's logic.rs.
        counts.put(base, 4L * ROUNDS + 3);
        counts.put(contract_loading_base, 1L);
        counts.put(contract_loading_bytes, (long) code.length);
        // Guest memory read: has_key key, read key, write key + value, sha256 input; then remove
        // key, the log text, the returned value.
        counts.put(read_memory_base, 5L * ROUNDS + 3);
        counts.put(read_memory_byte, (1 + 1 + 1 + 8 + 8) * (long) ROUNDS + 1 + 5 + 8);
        counts.put(write_memory_base, (long) ROUNDS); // read_register of the 32-byte keccak
        counts.put(write_memory_byte, 32L * ROUNDS);
        // keccak256 reads sha256's register, read_register reads keccak's: 32 bytes each.
        counts.put(read_register_base, 2L * ROUNDS);
        counts.put(read_register_byte, 64L * ROUNDS);
        // Registers written: read "a" (8), evicted "b" from round two (8), sha256 (32), keccak
        // (32), and the removed "a" (8).
        counts.put(write_register_base, ROUNDS + (ROUNDS - 1) + ROUNDS + ROUNDS + 1L);
        counts.put(write_register_byte, 8L * ROUNDS + 8L * (ROUNDS - 1) + 32L * ROUNDS + 32L * ROUNDS + 8);
        counts.put(storage_has_key_base, (long) ROUNDS);
        counts.put(storage_has_key_byte, (long) ROUNDS);
        counts.put(storage_read_base, (long) ROUNDS);
        counts.put(storage_read_key_byte, (long) ROUNDS);
        counts.put(storage_read_value_byte, 8L * ROUNDS);
        counts.put(storage_write_base, (long) ROUNDS);
        counts.put(storage_write_key_byte, (long) ROUNDS);
        counts.put(storage_write_value_byte, 8L * ROUNDS);
        counts.put(storage_write_evicted_byte, 8L * (ROUNDS - 1));
        counts.put(storage_remove_base, 1L);
        counts.put(storage_remove_key_byte, 1L);
        counts.put(storage_remove_ret_value_byte, 8L);
        counts.put(sha256_base, (long) ROUNDS);
        counts.put(sha256_byte, 8L * ROUNDS);
        counts.put(keccak256_base, (long) ROUNDS);
        counts.put(keccak256_byte, 32L * ROUNDS);
        counts.put(utf8_decoding_base, 1L);
        counts.put(utf8_decoding_byte, 5L);
        counts.put(log_base, 1L);
        counts.put(log_byte, 5L);
        counts.put(touching_trie_node, trieNodes);

        long hostTotal = 0;
        for (ExtCost cost : ExtCost.values()) {
            long expected = counts.getOrDefault(cost, 0L) * cost.gas;
            assertThat(run.profile().gas(cost)).as(cost.name()).isEqualTo(expected);
            hostTotal += expected;
        }
        assertThat(run.profile().trieNodesTouched()).isEqualTo(trieNodes);

        // Wasm, finite-wasm's rules: the frame of run (64 bytes + one i32 local = 68 -> 9
        // operations), the body outside the loop 14 regular operations (2 before it, the loop
        // itself, 5 + 3 + 3 after it; end costs nothing); each round 35 regular ones (4 has_key,
        // 5 read, 7 write, 4 sha256, 4 keccak, 3 read_register, 3 fill operands, 5 to count down
        // and branch) and memory.fill: the linear base plus 32 bytes at the unit cost.
        long wasm =
                (9 + 14 + 35L * ROUNDS) * REGULAR_OP_COST + ROUNDS * (LINEAR_OP_BASE_COST + 32 * LINEAR_OP_UNIT_COST);
        assertThat(run.profile().wasmGas()).isEqualTo(wasm);
        assertThat(run.gasBurnt()).isEqualTo(hostTotal + wasm);
    }

    @Test
    void overMaxGasBurntIsGasLimitExceededAndOverPrepaidIsGasExceeded() {
        sim.deploy(ACCOUNT, wasm("gas_table"));
        Outcome overPrepaid = sim.execute(CallRequest.call(ACCOUNT, "burn", new byte[0]));
        assertThat(overPrepaid.errorKind()).isEqualTo("GasExceeded");
        assertThat(overPrepaid.gasBurnt()).isEqualTo(CallRequest.DEFAULT_GAS);

        Outcome overMax =
                sim.execute(CallRequest.call(ACCOUNT, "burn", new byte[0]).withGas(MAX_TOTAL_PREPAID_GAS));
        assertThat(overMax.errorKind()).isEqualTo("GasLimitExceeded");
        assertThat(overMax.gasBurnt()).isEqualTo(MAX_GAS_BURNT);
    }

    @Test
    void aZeroBalanceAccountNeedsNoStakeForItsStorage() {
        // nearcore verifier.rs check_storage_stake: an account of at most 770 bytes
        // (ZERO_BALANCE_ACCOUNT_STORAGE_LIMIT, NEP-448) passes with any balance. Here 100 for the
        // account, 621 of code and 1 + 8 + 40 for the entry: exactly 770.
        byte[] code = wasm("gas_table");
        assertThat(code).hasSize(621);
        sim.deploy(ACCOUNT, code);
        Outcome drained = sim.execute(CallRequest.call(ACCOUNT, "drain_within_zero_balance", new byte[0]));
        assertThat(drained.success()).as(drained.errorMessage()).isTrue();
        AccountState account = sim.account(ACCOUNT).orElseThrow();
        assertThat(account.read(AccountState.Snapshot::storageUsage)).isEqualTo(770);
        assertThat(drained.balance())
                .as("the call left 1,000 yoctoNEAR, far below 770 x 10^19 (the transfer to nobody comes back later)")
                .isLessThan(new java.math.BigInteger("7700000000000000000000"));
    }

    @Test
    void aBalanceThatCannotCoverTheStorageFailsTheCallAndKeepsTheState() {
        sim.deploy(ACCOUNT, wasm("gas_table"));
        MerkleTrie before = sim.stateTrie().current();
        Outcome drained = sim.execute(CallRequest.call(ACCOUNT, "drain", new byte[0]));
        assertThat(drained.errorKind()).isEqualTo("LackBalanceForState");
        assertThat(drained.stateChanges()).isEmpty();
        AccountState account = sim.account(ACCOUNT).orElseThrow();
        byte[] record =
                account.read(s -> StateRecords.account(s.balance(), s.locked(), s.codeHash(), s.storageUsage()));
        // None of the call's writes reached the trie: only the account record moved (the reward below).
        assertThat(sim.stateTrie().current().rootHash())
                .isEqualTo(before.with(TrieKeys.account(ACCOUNT), record).rootHash());
        java.math.BigInteger balance = account.read(AccountState.Snapshot::balance);
        // Nothing of the failed call is kept but nearcore's burnt-gas reward: 30% of what it burnt.
        java.math.BigInteger reward = Fee.GAS_PRICE.multiply(java.math.BigInteger.valueOf(
                drained.gasBurnt() * Fee.BURNT_GAS_REWARD_NUMERATOR / Fee.BURNT_GAS_REWARD_DENOMINATOR));
        assertThat(balance).isEqualTo(ContractSimulator.DEFAULT_BALANCE.add(reward));
    }

    @Test
    void functionCallAndDeployBytesSentToAnotherAccountPayProtocol86sNotSirPerByteFee() {
        // "ping" + 6 argument bytes = 10 bytes; nearcore's 86 snapshot: function_call base 200 Ggas to send,
        // 780 Ggas to execute, per byte 2,235,934 (SIR and execution) or 47,683,715 (not SIR).
        Action call = new Action.FunctionCall("ping", new byte[6], 1, java.math.BigInteger.ZERO);
        assertThat(Fee.sendFee(call, true, "c.test.near")).isEqualTo(200_000_000_000L + 10 * 2_235_934L);
        assertThat(Fee.sendFee(call, false, "c.test.near")).isEqualTo(200_000_000_000L + 10 * 47_683_715L);
        assertThat(Fee.execFee(call, "c.test.near")).isEqualTo(780_000_000_000L + 10 * 2_235_934L);
        // deploy_contract: 184,765,750,000 base; per byte 6,812,999 SIR, 47,683,715 not SIR, 64,572,944 execution.
        Action deploy = new Action.DeployContract(new byte[100]);
        assertThat(Fee.sendFee(deploy, true, "c.test.near")).isEqualTo(184_765_750_000L + 100 * 6_812_999L);
        assertThat(Fee.sendFee(deploy, false, "c.test.near")).isEqualTo(184_765_750_000L + 100 * 47_683_715L);
        assertThat(Fee.execFee(deploy, "c.test.near")).isEqualTo(184_765_750_000L + 100 * 64_572_944L);
        // create_account: 500 Ggas to send, 7.2 Tgas to execute.
        assertThat(Fee.sendFee(new Action.CreateAccount(), false, "c.test.near"))
                .isEqualTo(500_000_000_000L);
        assertThat(Fee.execFee(new Action.CreateAccount(), "c.test.near")).isEqualTo(7_200_000_000_000L);
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Protocol 85's gas_key_host_fns through the receipt engine: gas_keys.wat adds gas keys to its own
 * account and funds them (nearcore's logic.rs promise_batch_action_add_gas_key_with_full_access,
 * _with_function_call and _transfer_to_gas_key).
 */
class GasKeyHostFunctionsTest {
    private static final String WALLET = "wallet.test.near";
    private static final String ALICE = "alice.test.near";
    private static final BigInteger TEN_NEAR = new BigInteger("10000000000000000000000000");
    private static final BigInteger MILLI_NEAR = new BigInteger("1000000000000000000000");

    private final AtomicLong now = new AtomicLong(1_000_000L);

    @AutoClose
    private ContractSimulator simulator;

    @BeforeEach
    void setUp() {
        simulator = new ContractSimulator(true, new BlockClock(0, 1000, now::get));
        simulator.deploy(WALLET, wasm("gas_keys"));
        simulator.putAccount(ALICE, TEN_NEAR);
    }

    private static PublicKey key(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return PublicKey.ed25519(bytes);
    }

    private ExecutionStatus call(String method, PublicKey key) {
        return simulator
                .call(
                        CallRequest.call(WALLET, method, key.toBorsh()).withCaller(ALICE, ALICE),
                        WaitMode.ALL_RECEIPTS,
                        HostBinding.DIRECT)
                .finalStatus();
    }

    @Test
    void aContractAddsAndFundsAGasKeyOnItsAccount() {
        PublicKey gas = key(5);
        BigInteger before = simulator.account(WALLET).orElseThrow().balance();
        assertThat(call("add_and_fund", gas)).isInstanceOf(ExecutionStatus.SuccessValue.class);
        AccessKey added = simulator.accessKey(WALLET, gas).orElseThrow();
        assertThat(added.permission())
                .isEqualTo(new AccessKey.GasKeyFullAccess(new AccessKey.GasKeyInfo(MILLI_NEAR, 3)));
        assertThat(added.gasKeyNonces()).hasSize(3);
        assertThat(simulator.account(WALLET).orElseThrow().balance())
                .as("the contract paid the key's milliNEAR")
                .isLessThan(before.subtract(MILLI_NEAR).add(MILLI_NEAR.divide(BigInteger.TEN)));

        PublicKey call = key(6);
        assertThat(call("add_call_key", call)).isInstanceOf(ExecutionStatus.SuccessValue.class);
        assertThat(simulator.accessKey(WALLET, call).orElseThrow().permission())
                .isEqualTo(new AccessKey.GasKeyFunctionCall(
                        new AccessKey.GasKeyInfo(BigInteger.ZERO, 2),
                        new AccessKey.FunctionCallPermission(null, "counter.test.near", List.of("increment"))));
    }

    @Test
    void aGasKeyWithoutSlotsFailsAsTheNewReceiptsValidationAndTooManyOverflow() {
        ExecutionStatus none = call("add_no_slots", key(7));
        assertThat(none).isInstanceOfSatisfying(ExecutionStatus.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo("NewReceiptValidationError");
            assertThat(f.message()).contains("GasKeyInvalidNumNonces");
        });
        assertThat(simulator.accessKey(WALLET, key(7))).isEmpty();

        ExecutionStatus many = call("add_too_many_slots", key(8));
        assertThat(many)
                .isInstanceOfSatisfying(
                        ExecutionStatus.Failure.class,
                        f -> assertThat(f.message()).contains("IntegerOverflow"));
        assertThat(simulator.accessKey(WALLET, key(8))).isEmpty();
    }
}

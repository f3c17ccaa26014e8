package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * nearcore's max_stack_height (protocol 86: 256 KiB) as finite-wasm applies it: stack_depth.wat
 * recurses to just under and just over the limit.
 */
class StackLimitTest {
    // By hand, with nearcore's SimpleMaxStackCfg: an activation is 64 bytes plus its parameters
    // and locals; the operand stack is the largest sum of values on it (i32 = 4 bytes).
    private static final long METHOD = 64 + 4; // no locals; one i32 (the depth) on the stack
    private static final long REC = 64 + 4 + 8; // an i32 parameter; two i32 on the stack at most

    /** How many times $rec may be entered: the method's frame plus that many $rec frames fit. */
    private static final long MAX_REC_FRAMES = (ExtCost.MAX_STACK_HEIGHT - METHOD) / REC;

    @ParameterizedTest
    @EnumSource(
            value = ContractCompiler.Path.class,
            names = {"COMPILED", "INTERPRETED"})
    void recursionPastMaxStackHeightTrapsWithStackOverflowAtNearcoresDepth(ContractCompiler.Path path)
            throws InterruptedException {
        assertThat(ExtCost.MAX_STACK_HEIGHT).isEqualTo(262_144);
        assertThat(MAX_REC_FRAMES).isEqualTo(3448); // $rec(3447) is entered 3448 times: under; $rec(3448): over
        assertThat(METHOD + MAX_REC_FRAMES * REC).isLessThanOrEqualTo(ExtCost.MAX_STACK_HEIGHT);
        assertThat(METHOD + (MAX_REC_FRAMES + 1) * REC).isGreaterThan(ExtCost.MAX_STACK_HEIGHT);

        // On a thread with the contract workers' stack, as calls run in the service.
        Outcome[] outcomes = new Outcome[3];
        Thread worker = new Thread(
                null,
                () -> {
                    try (ContractSimulator sim = new ContractSimulator(true, path, BlockClock.startingNow(1000))) {
                        sim.deploy("stack.test.near", wasm("stack_depth"));
                        outcomes[0] = sim.execute(CallRequest.call("stack.test.near", "under", new byte[0]));
                        outcomes[1] = sim.execute(CallRequest.call("stack.test.near", "twice", new byte[0]));
                        outcomes[2] = sim.execute(CallRequest.call("stack.test.near", "over", new byte[0]));
                    }
                },
                "stack-limit-test",
                CallScheduler.WORKER_STACK_BYTES);
        worker.start();
        worker.join();
        Outcome under = outcomes[0];
        Outcome twice = outcomes[1];
        Outcome over = outcomes[2];
        assertThat(under.success()).as(under.errorMessage()).isTrue();
        assertThat(twice.success())
                .as("frames are released on return: " + twice.errorMessage())
                .isTrue();

        assertThat(over.success()).isFalse();
        assertThat(over.errorKind()).isEqualTo("WasmTrap");
        assertThat(over.errorMessage()).startsWith("StackOverflow");
        // The trap stops the call before the overflowing frame's gas: it burns less than `under`,
        // which ran one level fewer in full and returned.
        assertThat(over.gasBurnt()).isPositive().isLessThan(under.gasBurnt());
    }

    @Test
    void aFunctionWhoseOperandStackExceedsEightKibFailsToDeployAsNearcore() {
        try (ContractSimulator sim = TestContracts.simulator(true)) {
            // 1,024 i64 = 8,192 bytes: at the limit, accepted.
            sim.deploy("ok.test.near", wasm("operand_stack_1024"));
            assertThat(sim.execute(CallRequest.call("ok.test.near", "main", new byte[0]))
                            .success())
                    .isTrue();
            // 1,025 i64 = 8,200 bytes: nearcore's PrepareError OperandStackTooLarge.
            assertThatThrownBy(() -> sim.deploy("big.test.near", wasm("operand_stack_1025")))
                    .isInstanceOf(InvalidContractException.class)
                    .hasMessageStartingWith("OperandStackTooLarge");
        }
    }
}

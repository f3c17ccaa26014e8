package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Deploys hold heap until their compiled code arrives; one that would pass the budget waits. */
class CompileBudgetTest {
    /** Code bytes that reserve 64 KiB of heap, the budget's unit. */
    private static final int UNIT_OF_CODE = (int) (64 * 1024 / CompileBudget.HEAP_PER_CODE_BYTE);

    private static final long UNIT = 64 * 1024;

    @Test
    void aDeployWaitsUntilAnEarlierOneReleasesAndAContractLargerThanTheBudgetRunsAlone() throws Exception {
        CompileBudget budget = new CompileBudget(3 * UNIT);
        CompileBudget.Reservation first = budget.reserve(2 * UNIT_OF_CODE);
        CompletableFuture<CompileBudget.Reservation> second =
                CompletableFuture.supplyAsync(() -> budget.reserve(2 * UNIT_OF_CODE));
        Thread.sleep(100); // a reservation that fits would have returned by now
        assertThat(second).isNotDone();
        first.release();
        first.release(); // idempotent: releases once
        CompileBudget.Reservation granted = second.get(10, TimeUnit.SECONDS);
        assertThat(budget.reserved()).isEqualTo(2 * UNIT);
        // A bounded wait ends in 503 with a Retry-After, holding nothing.
        assertThatThrownBy(() -> budget.reserve(2 * UNIT_OF_CODE, 50)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ApiException.Kind.UNAVAILABLE);
            assertThat(e.retryAfterSeconds()).isPositive();
        });
        assertThat(budget.reserved()).isEqualTo(2 * UNIT);
        granted.release();
        // Larger than the whole budget: granted when nothing else is reserved.
        CompileBudget.Reservation huge = budget.reserve(10 * UNIT_OF_CODE);
        assertThat(budget.reserved()).isEqualTo(3 * UNIT);
        huge.release();
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void aDeployReleasesItsShareWhenItsCompiledCodeArrivesOrItFails() {
        CompileBudget budget = new CompileBudget(Long.MAX_VALUE);
        byte[] counter = wasm("counter");
        ContractCompiler tiered =
                new ContractCompiler(true, ContractCompiler.Path.TIERED, new CompileQueue(1, 1), null, budget);
        CompiledContract contract = tiered.compile(counter);
        assertThat(contract.awaitCompiled(30, TimeUnit.SECONDS)).isTrue();
        // Released by the compiler thread right after it completes the contract's compilation.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (budget.reserved() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(budget.reserved()).isZero();
        ContractCompiler compiled =
                new ContractCompiler(true, ContractCompiler.Path.COMPILED, new CompileQueue(1, 1), null, budget);
        compiled.compile(counter);
        assertThat(budget.reserved()).isZero();
        assertThatThrownBy(() -> tiered.compile(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 99}))
                .isInstanceOf(InvalidContractException.class);
        assertThat(budget.reserved()).isZero();
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.wasm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.testing.HangGuard;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tiered deploys hold a share of the heap until their compiled code arrives; a deploy that finds
 * no share left compiles its own code before it returns.
 */
class CompileBudgetTest {
    @Test
    void sharesAreTakenWhileTheyFitAndReleasedOnce() {
        CompileBudget budget = new CompileBudget(3 * 1024 * CompileBudget.HEAP_PER_CODE_BYTE);
        CompileBudget.Reservation first = budget.tryReserve(2 * 1024);
        assertThat(first).isNotNull();
        assertThat(budget.tryReserve(2 * 1024)).as("past the budget").isNull();
        first.release();
        first.release(); // idempotent
        assertThat(budget.reserved()).isZero();
        assertThat(budget.tryReserve(3 * 1024)).isNotNull();
    }

    @Test
    void aTieredDeployHoldsItsShareUntilItsCompiledCodeArrives() throws Exception {
        CompileBudget budget = new CompileBudget(Long.MAX_VALUE);
        ContractCompiler tiered = compiler(budget);
        CompiledContract contract = tiered.compile(wasm("counter"));
        assertThat(contract.awaitCompiled(30, TimeUnit.SECONDS)).isTrue();
        // Released by the compiler thread right after it completes the contract's compilation.
        HangGuard.until(() -> budget.reserved() == 0);
        assertThat(budget.reserved()).isZero();
        // A refused deploy releases its share at once.
        assertThatThrownBy(() -> tiered.compile(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 99}))
                .isInstanceOf(InvalidContractException.class);
        assertThat(budget.reserved()).isZero();
    }

    @Test
    void withNoShareLeftADeployCompilesItsOwnCode() {
        CompileBudget budget = new CompileBudget(0);
        ContractCompiler tiered = compiler(budget);
        CompiledContract contract = tiered.compile(wasm("counter"));
        assertThat(contract.isCompiled())
                .as("compiled before the deploy returned")
                .isTrue();
        assertThat(budget.reserved()).isZero();
        assertThat(contract.module().codeSection().functionBodies())
                .as("the compiled contract keeps no bodies")
                .allSatisfy(body -> assertThat(body.instructions()).isEmpty());
    }

    private static ContractCompiler compiler(CompileBudget budget) {
        return new ContractCompiler(true, ContractCompiler.Path.TIERED, new CompileQueue(1, 1), null, budget);
    }
}

package dev.outlayer.bench.target.contracts;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.outlayer.bench.target.contracts.TestContracts.*;
import static org.assertj.core.api.Assertions.assertThat;

class ContractSimulatorTest {
    private final ContractSimulator sim = simulator(true);

    private Outcome call(String account, String method) {
        return sim.execute(CallRequest.call(account, method, new byte[0]));
    }

    @Test
    void counterIncrementsAndReportsGas() {
        sim.deploy("counter.test.near", wasm("counter"));
        Outcome first = call("counter.test.near", "increment");
        assertThat(first.success()).as(first.errorMessage()).isTrue();
        assertThat(text(first.result())).isEqualTo("1");
        assertThat(first.logs()).containsExactly("Increased number");
        assertThat(first.instructions()).isPositive();
        assertThat(first.gasBurnt()).isGreaterThan(ExtCost.storage_write_base.gas);
        Outcome second = call("counter.test.near", "increment");
        assertThat(text(second.result())).isEqualTo("2");
        Outcome view = sim.execute(CallRequest.view("counter.test.near", "get_num", new byte[0]));
        assertThat(text(view.result())).isEqualTo("2");
        // The same call on the same state costs the same every time.
        Outcome down = call("counter.test.near", "decrement");
        Outcome up = call("counter.test.near", "increment");
        assertThat(up.gasBurnt()).isEqualTo(second.gasBurnt());
        assertThat(up.instructions()).isEqualTo(second.instructions());
        assertThat(text(down.result())).isEqualTo("1");
    }

    @Test
    void panicRollsBackEveryWrite() {
        sim.deploy("limits.test.near", wasm("limits"));
        Outcome failed = call("limits.test.near", "write_then_panic");
        assertThat(failed.success()).isFalse();
        assertThat(failed.errorKind()).isEqualTo("GuestPanic");
        assertThat(failed.errorMessage()).isEqualTo("Smart contract panicked: boom");
        Outcome read = sim.execute(CallRequest.view("limits.test.near", "read", new byte[0]));
        assertThat(read.success()).isTrue();
        assertThat(read.result()).isNull();
        assertThat(call("limits.test.near", "write").success()).isTrue();
        assertThat(text(sim.execute(CallRequest.view("limits.test.near", "read", new byte[0])).result()))
                .isEqualTo("value");
    }

    @Test
    void viewsCannotWrite() {
        sim.deploy("limits.test.near", wasm("limits"));
        Outcome view = sim.execute(CallRequest.view("limits.test.near", "write", new byte[0]));
        assertThat(view.success()).isFalse();
        assertThat(view.errorKind()).isEqualTo("HostError");
        assertThat(view.errorMessage()).startsWith("ProhibitedInView");
    }

    @Test
    void infiniteLoopRunsOutOfGasQuickly() {
        sim.deploy("limits.test.near", wasm("limits"));
        long start = System.nanoTime();
        Outcome outcome = call("limits.test.near", "loop_forever");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(outcome.errorKind()).isEqualTo("GasExceeded");
        assertThat(outcome.gasBurnt()).isEqualTo(CallRequest.DEFAULT_GAS);
        assertThat(millis).as("a looping call must stop within a few seconds even on a busy CI machine").isLessThan(10_000);
        // A smaller budget stops sooner and burns exactly that budget.
        Outcome small = sim.execute(CallRequest.call("limits.test.near", "loop_forever", new byte[0]).withGas(5_000_000_000_000L));
        assertThat(small.errorKind()).isEqualTo("GasExceeded");
        assertThat(small.gasBurnt()).isEqualTo(5_000_000_000_000L);
    }

    @Test
    void startFunctionThatLoopsFailsTheCall() {
        sim.deploy("start.test.near", wasm("start_loop"));
        Outcome outcome = call("start.test.near", "run");
        assertThat(outcome.errorKind()).as(outcome.errorMessage()).isEqualTo("GasExceeded");
    }

    @Test
    void memoryGrowthStopsAtTheLimit() {
        sim.deploy("limits.test.near", wasm("limits"));
        Outcome past = call("limits.test.near", "grow_past_limit");
        assertThat(past.success()).isFalse();
        assertThat(past.errorKind()).isEqualTo("WasmTrap");
        assertThat(past.errorMessage()).startsWith("Unreachable");
        Outcome within = call("limits.test.near", "grow_within_limit");
        assertThat(text(within.result())).isEqualTo("3");
    }

    @Test
    void deepRecursionFailsAndTheWorkerSurvives() {
        sim.deploy("limits.test.near", wasm("limits"));
        Outcome outcome = call("limits.test.near", "recurse");
        assertThat(outcome.success()).isFalse();
        assertThat(outcome.errorKind()).isIn("WasmTrap", "GasExceeded");
        assertThat(call("limits.test.near", "write").success()).isTrue();
    }

    @Test
    void trapsAndUnknownMethodsAreNamed() {
        sim.deploy("limits.test.near", wasm("limits"));
        assertThat(call("limits.test.near", "divide_by_zero").errorMessage()).startsWith("IllegalArithmetic");
        assertThat(call("limits.test.near", "out_of_bounds").errorMessage()).startsWith("MemoryOutOfBounds");
        assertThat(call("limits.test.near", "nope").errorKind()).isEqualTo("MethodNotFound");
        assertThat(call("limits.test.near", "with_param").errorKind()).isEqualTo("MethodNotFound");
        Outcome unimplemented = call("limits.test.near", "unimplemented");
        assertThat(unimplemented.errorKind()).isEqualTo("HostError");
        assertThat(unimplemented.errorMessage()).contains("alt_bn128_g1_sum");
    }

    @Test
    void everyNearSysImportLinks() {
        sim.deploy("all.test.near", wasm("all_imports"));
        assertThat(call("all.test.near", "noop").success()).isTrue();
    }

    @Test
    void sixteenThreadsIncrementingOneAccountCountEveryCall() throws Exception {
        sim.deploy("counter.test.near", wasm("counter"));
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                results.add(threads.submit(() -> call("counter.test.near", "increment").success()));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
        Outcome view = sim.execute(CallRequest.view("counter.test.near", "get_num", new byte[0]));
        assertThat(text(view.result())).isEqualTo("1000");
    }
}

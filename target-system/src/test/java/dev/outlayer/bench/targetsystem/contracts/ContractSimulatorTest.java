package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.testing.HangGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class ContractSimulatorTest {
    @AutoClose
    private final ContractSimulator sim = new ContractSimulator(
            true, ContractCompiler.Path.COMPILED, dev.outlayer.bench.targetsystem.rpc.BlockClock.startingNow(1000));

    private Outcome call(String account, String method) {
        return sim.execute(CallRequest.call(account, method, new byte[0]));
    }

    @Test
    void aBindingThatCannotStartTheCallRefusesItAndNothingIsCommitted() {
        sim.deploy("counter.test.near", wasm("counter"));
        boolean[] exited = {false};
        HostBinding busy = new HostBinding() {
            @Override
            public com.dylibso.chicory.runtime.ImportValues imports() {
                return NearImports.importValues();
            }

            @Override
            public void enter(VmLogic logic) {
                throw new ApiException(ApiException.Kind.UNAVAILABLE, "no task worker came free", 1);
            }

            @Override
            public void exit() {
                exited[0] = true;
            }
        };
        assertThatThrownBy(() -> sim.execute(CallRequest.call("counter.test.near", "increment", new byte[0]), busy))
                .isInstanceOf(ApiException.class)
                .hasMessage("no task worker came free");
        assertThat(exited[0]).as("the binding is released").isTrue();
        assertThat(text(sim.execute(CallRequest.view("counter.test.near", "get_num", new byte[0]))
                        .result()))
                .isEqualTo("0");
    }

    @Test
    void aBindingThatRefusesTheCallRefusesItBeforeTheSignerPays() {
        sim.deploy("counter.test.near", wasm("counter"));
        java.math.BigInteger funds = new java.math.BigInteger("10000000000000000000000000");
        sim.putAccount("alice.test.near", funds);
        boolean[] exited = {false};
        HostBinding busy = new HostBinding() {
            @Override
            public void admit() {
                throw new ApiException(ApiException.Kind.UNAVAILABLE, "all task workers stayed busy", 1);
            }

            @Override
            public com.dylibso.chicory.runtime.ImportValues imports() {
                return NearImports.importValues();
            }

            @Override
            public void enter(VmLogic logic) {
                throw new AssertionError("a refused call never runs");
            }

            @Override
            public void exit() {
                exited[0] = true;
            }
        };
        CallRequest call = CallRequest.call("counter.test.near", "increment", new byte[0])
                .withCaller("alice.test.near", "alice.test.near");
        assertThatThrownBy(() -> sim.execute(call, busy))
                .isInstanceOf(ApiException.class)
                .hasMessage("all task workers stayed busy");
        assertThat(sim.account("alice.test.near").orElseThrow().balance())
                .as("nothing charged")
                .isEqualTo(funds);
        assertThat(exited[0]).as("nothing taken, nothing to give back").isFalse();
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
    void gasAndInstructionsAreTheSameInterpretedAndCompiled() {
        try (ContractSimulator interpreted = new ContractSimulator(
                        true,
                        ContractCompiler.Path.INTERPRETED,
                        dev.outlayer.bench.targetsystem.rpc.BlockClock.startingNow(1000));
                ContractSimulator compiled = new ContractSimulator(
                        true,
                        ContractCompiler.Path.COMPILED,
                        dev.outlayer.bench.targetsystem.rpc.BlockClock.startingNow(1000))) {
            byte[] nft = java.nio.file.Files.exists(java.nio.file.Path.of(
                            System.getProperty("outlayer.root", ".."), "resources/contracts/nft.wasm"))
                    ? readBundled("nft.wasm")
                    : null;
            for (ContractSimulator s : List.of(interpreted, compiled)) {
                s.deploy("counter.test.near", wasm("counter"));
                if (nft != null) {
                    s.deploy("nft.test.near", nft);
                }
            }
            for (String method : List.of("increment", "increment", "decrement", "get_num", "reset")) {
                Outcome a = interpreted.execute(CallRequest.call("counter.test.near", method, new byte[0]));
                Outcome b = compiled.execute(CallRequest.call("counter.test.near", method, new byte[0]));
                assertThat(b.gasBurnt()).as(method).isEqualTo(a.gasBurnt());
                assertThat(b.instructions())
                        .as(method)
                        .isEqualTo(a.instructions())
                        .isPositive();
            }
            if (nft != null) {
                CallRequest init = CallRequest.call(
                                "nft.test.near", "new_default_meta", utf8("{\"owner_id\":\"nft.test.near\"}"))
                        .withCaller("nft.test.near", "nft.test.near");
                CallRequest mint = CallRequest.call(
                                "nft.test.near",
                                "nft_mint",
                                utf8(
                                        "{\"token_id\":\"t1\",\"token_owner_id\":\"alice.test.near\",\"token_metadata\":{\"title\":\"T\"}}"))
                        .withCaller("nft.test.near", "nft.test.near")
                        .withDeposit(new java.math.BigInteger("100000000000000000000000"));
                for (CallRequest request : List.of(init, mint)) {
                    Outcome a = interpreted.execute(request);
                    Outcome b = compiled.execute(request);
                    assertThat(a.success()).as(a.errorMessage()).isTrue();
                    assertThat(b.gasBurnt()).isEqualTo(a.gasBurnt());
                    assertThat(b.instructions()).isEqualTo(a.instructions());
                    assertThat(b.logs()).isEqualTo(a.logs());
                }
            }
        }
    }

    private static byte[] readBundled(String name) {
        try {
            return java.nio.file.Files.readAllBytes(
                    java.nio.file.Path.of(System.getProperty("outlayer.root", ".."), "resources/contracts", name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
        assertThat(text(sim.execute(CallRequest.view("limits.test.near", "read", new byte[0]))
                        .result()))
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
    void infiniteLoopRunsOutOfGas() {
        sim.deploy("limits.test.near", wasm("limits"));
        // Nothing but gas stops this call (no watchdog runs it): a loop left unmetered would hang
        // here, which the hang guard fails. How fast the gas runs out is the benchmarks' to say.
        Outcome outcome = HangGuard.ends(() -> call("limits.test.near", "loop_forever"));
        assertThat(outcome.errorKind()).isEqualTo("GasExceeded");
        assertThat(outcome.gasBurnt()).isEqualTo(CallRequest.DEFAULT_GAS);
        // A smaller budget stops sooner and burns exactly that budget.
        Outcome small = sim.execute(CallRequest.call("limits.test.near", "loop_forever", new byte[0])
                .withGas(5_000_000_000_000L));
        assertThat(small.errorKind()).isEqualTo("GasExceeded");
        assertThat(small.gasBurnt()).isEqualTo(5_000_000_000_000L);
    }

    @Test
    void aLongFirstCallOnTheInterpreterFinishesCompiled() {
        try (ContractSimulator tiered = simulator(true)) {
            tiered.deploy("limits.test.near", wasm("limits"));
            Outcome outcome = tiered.execute(CallRequest.call("limits.test.near", "loop_forever", new byte[0]));
            assertThat(outcome.errorKind()).as(outcome.errorMessage()).isEqualTo("GasExceeded");
            assertThat(outcome.gasBurnt()).isEqualTo(CallRequest.DEFAULT_GAS);
            assertThat(tiered.account("limits.test.near")
                            .orElseThrow()
                            .contract()
                            .isCompiled())
                    .isTrue();
        }
    }

    @Test
    void aCompileThatEndsWithoutCompiledCodeLeavesTheRunningCallAlone() throws Exception {
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        CompileQueue queue = heldQueue(hold); // no compiled code arrives
        CompiledContract contract =
                new ContractCompiler(true, ContractCompiler.Path.TIERED, queue, null).compile(wasm("limits"));
        long gas = 1_000_000_000_000L; // about a second on the interpreter
        CallContext context = callContext("limits.test.near", gas);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Outcome> running = caller.submit(() -> ContractRuntime.run(
                    contract, context, StateOverlay.storageOf(new java.util.TreeMap<>()), "loop_forever"));
            Thread.sleep(100);
            contract.compilationFailed(); // as a background compile that failed ends (calls stay interpreted)
            Outcome outcome = running.get(60, TimeUnit.SECONDS);
            assertThat(outcome.errorKind())
                    .as("ran on to its gas limit, not stopped for code that never came: %s", outcome.errorMessage())
                    .isEqualTo("GasExceeded");
            assertThat(outcome.gasBurnt()).isEqualTo(gas);
        } finally {
            hold.countDown();
            caller.shutdownNow();
        }
    }

    @Test
    void aCallInterruptedWhileItsBindingWaitsRunsAgainOnTheCompiledCode() throws Exception {
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        CompileQueue queue = heldQueue(hold);
        CompiledContract contract =
                new ContractCompiler(true, ContractCompiler.Path.TIERED, queue, null).compile(wasm("counter"));
        int[] entered = {0};
        HostBinding waiting = new HostBinding() {
            @Override
            public com.dylibso.chicory.runtime.ImportValues imports() {
                return NearImports.importValues();
            }

            @Override
            public void enter(VmLogic logic) {
                if (entered[0]++ == 0) {
                    hold.countDown(); // the compile goes on while this call waits, as for a task worker
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for a task worker", e);
                    }
                }
            }

            @Override
            public void exit() {}
        };
        Outcome outcome = ContractRuntime.run(
                contract,
                callContext("counter.test.near", CallRequest.DEFAULT_GAS),
                StateOverlay.storageOf(new java.util.TreeMap<>()),
                "increment",
                waiting);
        assertThat(outcome.success())
                .as("%s: %s", outcome.errorKind(), outcome.errorMessage())
                .isTrue();
        assertThat(entered[0]).as("run again once compiled").isEqualTo(2);
        assertThat(contract.isCompiled()).isTrue();
    }

    @Test
    void aCallRunAgainOnTheCompiledCodeKeepsWhatItsBindingTook() throws Exception {
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        CompileQueue queue = heldQueue(hold);
        CompiledContract contract =
                new ContractCompiler(true, ContractCompiler.Path.TIERED, queue, null).compile(wasm("limits"));
        // As a linux-mode call's task worker: taken once, held across both runs, given back once. Given
        // back between them, the second run had to queue for a worker again after the signer had paid.
        List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
        boolean[] held = {false};
        HostBinding worker = new HostBinding() {
            @Override
            public void admit() {
                events.add("admit");
                held[0] = true;
            }

            @Override
            public com.dylibso.chicory.runtime.ImportValues imports() {
                return NearImports.importValues();
            }

            @Override
            public void enter(VmLogic logic) {
                if (!held[0]) {
                    admit();
                }
                events.add("enter");
            }

            @Override
            public void exit() {
                events.add("exit");
                held[0] = false;
            }
        };
        long gas = 1_000_000_000_000L;
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Outcome> running = caller.submit(() -> ContractRuntime.run(
                    contract,
                    callContext("limits.test.near", gas),
                    StateOverlay.storageOf(new java.util.TreeMap<>()),
                    "loop_forever",
                    worker));
            Thread.sleep(100);
            hold.countDown(); // the compile runs, its code arrives, the interpreted run is stopped
            Outcome outcome = running.get(60, TimeUnit.SECONDS);
            assertThat(outcome.errorKind()).as(outcome.errorMessage()).isEqualTo("GasExceeded");
            assertThat(contract.isCompiled()).isTrue();
            assertThat(events).containsExactly("admit", "enter", "enter", "exit");
        } finally {
            hold.countDown();
            caller.shutdownNow();
        }
    }

    @Test
    void onceCompiledAContractKeepsItsModuleWithoutFunctionBodies() {
        try (ContractSimulator tiered = simulator(true)) {
            tiered.deploy("counter.test.near", wasm("counter"));
            CompiledContract contract =
                    tiered.account("counter.test.near").orElseThrow().contract();
            // The interpreter runs the parsed bodies until compiled code arrives.
            if (!contract.isCompiled()) {
                assertThat(bodyInstructions(contract)).isPositive();
            }
            assertThat(text(call(tiered, "counter.test.near", "increment").result()))
                    .isEqualTo("1");
            assertThat(contract.awaitCompiled(30, TimeUnit.SECONDS)).isTrue();
            // Compiled code never reads them: the contract drops them (most of a parsed module's heap).
            assertThat(bodyInstructions(contract)).isZero();
            assertThat(contract.runner().module()).isSameAs(contract.module());
            assertThat(text(call(tiered, "counter.test.near", "increment").result()))
                    .isEqualTo("2");
            assertThat(text(tiered.execute(CallRequest.view("counter.test.near", "get_num", new byte[0]))
                            .result()))
                    .isEqualTo("2");
            // Deployed on the compiled path: the same from the start.
            sim.deploy("counter.test.near", wasm("counter"));
            assertThat(bodyInstructions(
                            sim.account("counter.test.near").orElseThrow().contract()))
                    .isZero();
            assertThat(text(call("counter.test.near", "increment").result())).isEqualTo("1");
        }
    }

    /** A compile queue whose one thread waits for {@code hold}: what is submitted after compiles only then. */
    private static CompileQueue heldQueue(java.util.concurrent.CountDownLatch hold) {
        CompileQueue queue = new CompileQueue(1, 0);
        queue.submit(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return queue;
    }

    private static long bodyInstructions(CompiledContract contract) {
        long count = 0;
        for (var body : contract.module().codeSection().functionBodies()) {
            count += body.instructions().size();
        }
        return count;
    }

    private static Outcome call(ContractSimulator simulator, String account, String method) {
        return simulator.execute(CallRequest.call(account, method, new byte[0]));
    }

    @Test
    void compiledCodeHonoursThreadInterruptionForTheWallClockSafetyNet() throws Exception {
        // Unmetered, a loop never runs out of gas: only the scheduler's watchdog stops it.
        try (ContractSimulator unmetered = new ContractSimulator(
                false,
                ContractCompiler.Path.COMPILED,
                dev.outlayer.bench.targetsystem.rpc.BlockClock.startingNow(1000))) {
            unmetered.deploy("limits.test.near", wasm("limits"));
            try (CallScheduler scheduler = new CallScheduler(1, 4, 300)) {
                java.util.concurrent.CompletableFuture<Outcome> result = new java.util.concurrent.CompletableFuture<>();
                scheduler.submit(
                        "limits.test.near",
                        () -> result.complete(
                                unmetered.execute(CallRequest.call("limits.test.near", "loop_forever", new byte[0]))));
                Outcome outcome = result.get(60, TimeUnit.SECONDS);
                assertThat(outcome.errorKind()).isEqualTo("ExecutionTimeout");
                java.util.concurrent.CompletableFuture<Outcome> next = new java.util.concurrent.CompletableFuture<>();
                scheduler.submit(
                        "limits.test.near",
                        () -> next.complete(
                                unmetered.execute(CallRequest.call("limits.test.near", "write", new byte[0]))));
                assertThat(next.get(60, TimeUnit.SECONDS).success())
                        .as("the worker survives")
                        .isTrue();
            }
        }
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
        assertThat(le32(within.result(), 0))
                .as("NEAR's 1,024 initial pages + 2, whatever the module declares (1 page)")
                .isEqualTo(1026);
        // 9 operations (finite-wasm charges memory.grow one regular operation, whatever it grows)
        // plus the frame of a function without locals: 64 bytes = 8 operations.
        assertThat(within.instructions()).isEqualTo(9 + 8);
    }

    @Test
    void deepRecursionFailsAndTheWorkerSurvives() {
        sim.deploy("limits.test.near", wasm("limits"));
        Outcome outcome = call("limits.test.near", "recurse");
        assertThat(outcome.success()).isFalse();
        // max_stack_height (finite-wasm's frame and operand-stack charge) stops it, not the JVM.
        assertThat(outcome.errorKind()).isEqualTo("WasmTrap");
        assertThat(outcome.errorMessage()).startsWith("StackOverflow");
        assertThat(call("limits.test.near", "write").success()).isTrue();
    }

    @Test
    void trapsAndUnknownMethodsAreNamed() {
        sim.deploy("limits.test.near", wasm("limits"));
        assertThat(call("limits.test.near", "divide_by_zero").errorMessage()).startsWith("IllegalArithmetic");
        assertThat(call("limits.test.near", "out_of_bounds").errorMessage()).startsWith("MemoryOutOfBounds");
        assertThat(call("limits.test.near", "nope").errorKind()).isEqualTo("MethodNotFound");
        assertThat(call("limits.test.near", "with_param").errorMessage()).startsWith("MethodInvalidSignature");
        assertThat(call("limits.test.near", "nope").errorMessage()).startsWith("MethodNotFound");
        // nearcore at 86 (FixContractLoadingCost off): a missing or ill-typed method is a nop
        // outcome (abort_but_nop_outcome_in_old_protocol), so not even contract_loading is burnt.
        assertThat(call("limits.test.near", "nope").gasBurnt()).isZero();
        assertThat(call("limits.test.near", "with_param").gasBurnt()).isZero();
        assertThat(call("limits.test.near", "divide_by_zero").gasBurnt())
                .as("a call that runs pays contract_loading_base + _bytes per byte first")
                .isGreaterThan(ExtCost.contract_loading_base.gas);
        Outcome badHostInput = call("limits.test.near", "bad_host_input");
        assertThat(badHostInput.errorKind()).isEqualTo("HostError");
        assertThat(badHostInput.errorMessage()).startsWith("AltBn128InvalidInput: ");
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
                results.add(threads.submit(
                        () -> call("counter.test.near", "increment").success()));
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

package dev.outlayer.bench.targetsystem.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.ExtCost;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.wasm.GasInstrumenter;
import dev.outlayer.bench.targetsystem.wasm.InstrumentedModule;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Where the deploy + first call of a never-seen 213 KiB contract spends its time (issue 14), phase
 * by phase, each the step {@link ContractCompiler} takes on the TIERED path: parse (without
 * validation); Chicory's validation on a second core while this thread instruments (wall time of
 * the two); building the instrumented module from what the instrumenter recorded (no second
 * parse; the bodies split over two threads); the first call on the interpreter; then what runs in
 * the background: validating the instrumented module and compiling it. The last rows are the
 * whole deploy and first call through the simulator. Prints medians and minima.
 * Usage: {@code DeployPhases [rounds]} (from the repository root, on the test classpath).
 */
public final class DeployPhases {
    private static final String[] PHASES = {
        "parse",
        "validate || instrument",
        "build instrumented module",
        "first call (interpreter)",
        "background: validate instrumented",
        "background: compile",
        "simulator deploy",
        "simulator first call"
    };

    private DeployPhases() {}

    public static void main(String[] args) throws Exception {
        ExecutorService helper = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "deploy-phases-helper");
            thread.setDaemon(true);
            return thread;
        });
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int compileEvery = 10; // a compile takes ~10x the rest: sample it
        byte[] large = BenchContracts.synthetic(2000, 0);
        byte[] noArgs = "{}".getBytes(StandardCharsets.UTF_8);
        try (ContractSimulator simulator =
                new ContractSimulator(true, ContractCompiler.Path.TIERED, BlockClock.startingNow(1000))) {
            long[][] nanos = new long[PHASES.length][rounds];
            for (int r = 0; r < rounds; r++) {
                byte[] code = BenchContracts.distinct(large, r + 1);
                long t0 = System.nanoTime();
                WasmModule module =
                        Parser.builder().withValidation(false).build().parse(() -> new ByteArrayInputStream(code));
                long t1 = System.nanoTime();
                FutureTask<Void> validation = new FutureTask<>(() -> {
                    InstrumentedModule.validate(module);
                    return null;
                });
                helper.execute(validation);
                GasInstrumenter.MeteredBinary binary = ContractCompiler.instrument(code, module);
                validation.run();
                validation.get();
                long t2 = System.nanoTime();
                WasmModule runnable = binary.instrumented().build(helper);
                long t3 = System.nanoTime();
                Instance instance = Instance.builder(runnable)
                        .withMachineFactory(InterpreterMachine::new)
                        .withStart(false)
                        .build();
                instance.global(binary.gasGlobalIndex()).setValue(ExtCost.MAX_GAS_BURNT);
                instance.export("increment").apply();
                long t4 = System.nanoTime();
                nanos[0][r] = t1 - t0;
                nanos[1][r] = t2 - t1;
                nanos[2][r] = t3 - t2;
                nanos[3][r] = t4 - t3;
                if (r % compileEvery == compileEvery - 1) {
                    long c0 = System.nanoTime();
                    InstrumentedModule.validate(runnable);
                    long c1 = System.nanoTime();
                    MachineFactoryCompiler.compile(runnable);
                    long c2 = System.nanoTime();
                    nanos[4][r] = c1 - c0;
                    nanos[5][r] = c2 - c1;
                }
                String account = "phases" + r + ".test.near";
                long s0 = System.nanoTime();
                simulator.deploy(account, code);
                long s1 = System.nanoTime();
                var outcome = simulator.execute(CallRequest.call(account, "increment", noArgs));
                long s2 = System.nanoTime();
                if (!outcome.success()) {
                    throw new IllegalStateException(outcome.errorKind() + ": " + outcome.errorMessage());
                }
                nanos[6][r] = s1 - s0;
                nanos[7][r] = s2 - s1;
            }
            System.out.printf(
                    "deploy phases of a never-seen 213 KiB contract, %d rounds (the first half is JIT warm-up):%n",
                    rounds);
            for (int i = 0; i < PHASES.length; i++) {
                long[] warm = Arrays.stream(nanos[i], rounds / 2, rounds)
                        .filter(n -> n > 0)
                        .sorted()
                        .toArray();
                if (warm.length > 0) {
                    System.out.printf(
                            "  %-34s p50 %7.1f ms  min %7.1f ms%n",
                            PHASES[i], warm[warm.length / 2] / 1e6, warm[0] / 1e6);
                }
            }
            // The simulator's deploys left compilations in the background: let them end, so that a probe
            // run next in the same JVM (bench/contract-calls.sh --quick) does not share the cores with them.
            for (var account : simulator.accounts()) {
                account.contract().awaitCompiled(120, TimeUnit.SECONDS);
            }
        }
    }
}

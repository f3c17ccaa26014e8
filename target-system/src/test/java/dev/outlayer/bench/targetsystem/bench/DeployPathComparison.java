package dev.outlayer.bench.targetsystem.bench;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.outlayer.bench.targetsystem.contracts.ContractCompiler;
import dev.outlayer.bench.targetsystem.contracts.ExtCost;
import dev.outlayer.bench.targetsystem.wasm.GasInstrumenter;
import dev.outlayer.bench.targetsystem.wasm.InstrumentedModule;
import dev.outlayer.bench.targetsystem.wasm.StackAnalysis;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;

/**
 * The deploy path of a never-seen 213 KiB contract up to the module the interpreter runs, old and
 * new alternating in one JVM (so both see the same load): old = validating parse, instrument,
 * re-parse of the instrumented bytes (background: validating parse of them); new = parse,
 * Chicory's validation on a helper thread while this one instruments, the instrumented module
 * built from the instrumenter's record (background: validation of that module). Prints medians,
 * 10th percentiles and minima of the second half. Usage: {@code DeployPathComparison [rounds]
 * [inline]} ({@code inline}: the new path on one thread), on the test classpath.
 */
public final class DeployPathComparison {
    private DeployPathComparison() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        Executor helper = args.length > 1 && args[1].equals("inline")
                ? Runnable::run
                : Executors.newSingleThreadExecutor(r -> {
                    Thread thread = new Thread(r, "deploy-comparison-helper");
                    thread.setDaemon(true);
                    return thread;
                });
        byte[] large = BenchContracts.synthetic(2000, 0);
        long[][] nanos = new long[4][rounds];
        for (int r = 0; r < rounds; r++) {
            byte[] code = BenchContracts.distinct(large, r + 1);
            for (int k = 0; k < 2; k++) {
                boolean old = (k == 0) == (r % 2 == 0); // alternate which goes first
                long t0 = System.nanoTime();
                if (old) {
                    WasmModule module = Parser.parse(code);
                    var limit = new StackAnalysis.Limit(StackAnalysis.analyze(module), ExtCost.MAX_STACK_HEIGHT);
                    var binary = GasInstrumenter.instrument(
                            code,
                            module,
                            ExtCost.REGULAR_OP_COST,
                            0,
                            ExtCost.LINEAR_OP_BASE_COST,
                            ExtCost.LINEAR_OP_UNIT_COST,
                            true,
                            limit);
                    Parser.builder()
                            .withValidation(false)
                            .build()
                            .parse(() -> new ByteArrayInputStream(binary.bytes()));
                    long t1 = System.nanoTime();
                    Parser.parse(binary.bytes());
                    nanos[0][r] = t1 - t0;
                    nanos[2][r] = System.nanoTime() - t1;
                } else {
                    WasmModule module =
                            Parser.builder().withValidation(false).build().parse(() -> new ByteArrayInputStream(code));
                    FutureTask<Void> validation = new FutureTask<>(() -> {
                        InstrumentedModule.validate(module);
                        return null;
                    });
                    helper.execute(validation);
                    var binary = ContractCompiler.instrument(code, module);
                    validation.run();
                    validation.get();
                    WasmModule runnable = binary.instrumented().build(helper);
                    long t1 = System.nanoTime();
                    InstrumentedModule.validate(runnable);
                    nanos[1][r] = t1 - t0;
                    nanos[3][r] = System.nanoTime() - t1;
                }
            }
        }
        String[] rows = {
            "old deploy path (parse+validate, instrument, re-parse)",
            "new deploy path (parse, validate||instrument, build)",
            "old background validation (parse+validate)",
            "new background validation (validate)"
        };
        System.out.printf(
                "deploy path of a never-seen 213 KiB contract, %d rounds, load %s%n",
                rounds, new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim());
        for (int i = 0; i < rows.length; i++) {
            long[] warm = Arrays.stream(nanos[i], rounds / 2, rounds).sorted().toArray();
            System.out.printf(
                    "  %-56s p50 %6.1f ms  p10 %6.1f ms  min %6.1f ms%n",
                    rows[i], warm[warm.length / 2] / 1e6, warm[warm.length / 10] / 1e6, warm[0] / 1e6);
        }
    }
}

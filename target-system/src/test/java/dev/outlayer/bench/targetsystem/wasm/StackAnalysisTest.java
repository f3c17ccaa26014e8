package dev.outlayer.bench.targetsystem.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.Parser;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** finite-wasm's stack figures, worked out by hand for each function of stack_shapes.wat. */
class StackAnalysisTest {
    private static byte[] wasm(String name) throws IOException {
        try (InputStream in = StackAnalysisTest.class.getResourceAsStream("/wat/" + name + ".wasm")) {
            return in.readAllBytes();
        }
    }

    @Test
    void framesAndOperandStacksFollowFiniteWasm() throws IOException {
        List<StackAnalysis.FunctionStack> stacks = StackAnalysis.analyze(Parser.parse(wasm("stack_shapes")));
        assertThat(stacks)
                .containsExactly(
                        // i64 + i64 on the stack; no locals: the 64-byte activation only.
                        new StackAnalysis.FunctionStack(64, 16),
                        // an i32 parameter; the else arm's two i32.
                        new StackAnalysis.FunctionStack(68, 8),
                        // unreachable makes the rest of the body not count.
                        new StackAnalysis.FunctionStack(64, 0),
                        // two i64 parameters and an f64 local; i64, i64 and the i32 index = 20.
                        new StackAnalysis.FunctionStack(64 + 8 + 8 + 8, 20),
                        // one i32 at a time.
                        new StackAnalysis.FunctionStack(64, 4),
                        // the address (4), then the loaded i32 (4) converted to an f64 (8).
                        new StackAnalysis.FunctionStack(64, 8));
        assertThat(stacks.get(3).charge()).isEqualTo(108);
    }

    @Test
    void theInstrumentedModuleWithAStackLimitValidates() throws IOException {
        byte[] original = wasm("stack_shapes");
        var module = Parser.parse(original);
        var binary = GasInstrumenter.instrument(
                original, module, 1, 0, 1, 0, true, new StackAnalysis.Limit(StackAnalysis.analyze(module), 1024));
        var instrumented = Parser.parse(binary.bytes());
        assertThat(binary.stackGlobalIndex()).isEqualTo(binary.gasGlobalIndex() + 1);
        assertThat(instrumented.globalSection().globalCount()).isEqualTo(2);
        assertThat(instrumented.codeSection().functionBodies()).hasSize(6);
    }
}

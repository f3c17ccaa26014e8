package dev.outlayer.bench.targetsystem.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.AnnotatedInstruction;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.Global;
import com.dylibso.chicory.wasm.types.Instruction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The instrumented module the instrumenter builds in memory is the module Chicory's parser (with
 * validation) makes of the instrumented bytes: every function body instruction by instruction
 * (address, opcode, operands, depth, labels, scope), locals, globals, the other sections and the
 * digest (which keys the compiled-code cache).
 */
class InstrumentedModuleTest {
    static Stream<Path> modules() throws IOException {
        String root = System.getProperty("outlayer.root", "..");
        List<Path> all = new ArrayList<>();
        for (Path dir : List.of(
                Path.of(root, "target-system", "src", "test", "resources", "wat"),
                Path.of(root, "resources", "contracts"))) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".wasm")).sorted().forEach(all::add);
            }
        }
        assertThat(all).as("test and bundled contracts").hasSizeGreaterThan(15);
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("modules")
    void theBuiltModuleIsTheParsedOne(Path file) throws IOException {
        byte[] code = Files.readAllBytes(file);
        WasmModule original = Parser.parse(code);
        StackAnalysis.Limit limit;
        try {
            limit = new StackAnalysis.Limit(StackAnalysis.analyze(original), 256 * 1024);
        } catch (RuntimeException notForNear) {
            limit = null; // an instruction NEAR refuses: metering without the stack limit
        }
        // NEAR's configuration (frames, bulk-operation fees, stack limit), and one charging memory.grow.
        assertBuiltAsParsed(GasInstrumenter.instrumentToModule(code, original, 3, 0, 7, 2, true, limit));
        assertBuiltAsParsed(GasInstrumenter.instrumentToModule(code, original, 1, 5, 1, 0, false, null));
    }

    @Test
    void theStartSectionIsLeftOutAndTheGlobalsAppended() throws IOException {
        byte[] code = Files.readAllBytes(Path.of(
                System.getProperty("outlayer.root", ".."), "target-system/src/test/resources/wat/control_flow.wasm"));
        WasmModule original = Parser.parse(code);
        var binary = GasInstrumenter.instrumentToModule(
                code, original, 1, 0, 1, 0, true, new StackAnalysis.Limit(StackAnalysis.analyze(original), 1000));
        WasmModule built = binary.buildModule();
        assertThat(original.startSection()).isPresent();
        assertThat(built.startSection()).isEmpty();
        assertThat(built.globalSection().globalCount()).isEqualTo(3);
        assertThat(binary.startFunction()).as("$init, after the one import").isEqualTo(1);
        assertBuiltAsParsed(binary);
    }

    private static void assertBuiltAsParsed(GasInstrumenter.MeteredBinary binary) {
        WasmModule built = binary.buildModule();
        assertThat(built).as("built in memory").isNotNull();
        // Built on two threads (the bodies split in halves): the same module.
        java.util.concurrent.ExecutorService helper = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            WasmModule parallel = binary.instrumented().build(helper);
            assertThat(parallel.codeSection().functionBodyCount())
                    .isEqualTo(built.codeSection().functionBodyCount());
            for (int f = 0; f < built.codeSection().functionBodyCount(); f++) {
                assertThat(parallel.codeSection().getFunctionBody(f).instructions())
                        .isEqualTo(built.codeSection().getFunctionBody(f).instructions());
            }
        } finally {
            helper.shutdownNow();
        }
        WasmModule parsed = Parser.parse(binary.bytes());
        assertThat(built.digest()).isEqualTo(parsed.digest());
        assertThat(built.typeSection()).isEqualTo(parsed.typeSection());
        assertThat(built.importSection()).isEqualTo(parsed.importSection());
        assertThat(built.functionSection()).isEqualTo(parsed.functionSection());
        assertThat(built.tableSection()).isEqualTo(parsed.tableSection());
        assertThat(built.memorySection()).isEqualTo(parsed.memorySection());
        assertThat(built.exportSection()).isEqualTo(parsed.exportSection());
        assertThat(built.startSection()).isEqualTo(parsed.startSection());
        assertThat(built.dataCountSection()).isEqualTo(parsed.dataCountSection());
        assertThat(built.customSections()).hasSameSizeAs(parsed.customSections());
        assertThat(built.elementSection().elementCount())
                .isEqualTo(parsed.elementSection().elementCount());
        assertThat(built.dataSection().dataSegmentCount())
                .isEqualTo(parsed.dataSection().dataSegmentCount());
        for (int i = 0; i < built.dataSection().dataSegmentCount(); i++) {
            assertThat(built.dataSection().getDataSegment(i).data())
                    .isEqualTo(parsed.dataSection().getDataSegment(i).data());
        }
        assertThat(built.globalSection().globalCount())
                .isEqualTo(parsed.globalSection().globalCount());
        for (int i = 0; i < built.globalSection().globalCount(); i++) {
            Global b = built.globalSection().getGlobal(i);
            Global p = parsed.globalSection().getGlobal(i);
            assertThat(b.valueType()).isEqualTo(p.valueType());
            assertThat(b.mutabilityType()).isEqualTo(p.mutabilityType());
            assertThat(b.initInstructions()).hasSameSizeAs(p.initInstructions());
            for (int k = 0; k < b.initInstructions().size(); k++) {
                assertThat(b.initInstructions().get(k).opcode())
                        .isEqualTo(p.initInstructions().get(k).opcode());
                assertThat(b.initInstructions().get(k).operands())
                        .isEqualTo(p.initInstructions().get(k).operands());
            }
        }
        assertThat(built.codeSection().isRequiresDataCount())
                .isEqualTo(parsed.codeSection().isRequiresDataCount());
        assertThat(built.codeSection().functionBodyCount())
                .isEqualTo(parsed.codeSection().functionBodyCount());
        for (int f = 0; f < built.codeSection().functionBodyCount(); f++) {
            FunctionBody b = built.codeSection().getFunctionBody(f);
            FunctionBody p = parsed.codeSection().getFunctionBody(f);
            assertThat(b.localTypes()).as("locals of %d", f).isEqualTo(p.localTypes());
            assertThat(b.instructions()).as("instructions of %d", f).hasSameSizeAs(p.instructions());
            for (int i = 0; i < b.instructions().size(); i++) {
                AnnotatedInstruction bi = b.instructions().get(i);
                AnnotatedInstruction pi = p.instructions().get(i);
                String where = "function " + f + ", instruction " + i + ": " + pi;
                assertThat(bi.address()).as(where).isEqualTo(pi.address());
                assertThat(bi.opcode()).as(where).isEqualTo(pi.opcode());
                assertThat(bi.operands()).as(where).isEqualTo(pi.operands());
                assertThat(bi.depth()).as(where).isEqualTo(pi.depth());
                assertThat(bi.labelTrue()).as(where).isEqualTo(pi.labelTrue());
                assertThat(bi.labelFalse()).as(where).isEqualTo(pi.labelFalse());
                assertThat(bi.labelTable()).as(where).isEqualTo(pi.labelTable());
                assertThat(bi.catches()).as(where).isEqualTo(pi.catches());
                assertSameInstruction(bi.scope(), pi.scope(), where);
                assertThat(bi).as(where).isEqualTo(pi);
            }
        }
        // Chicory's validation accepts it, as it accepted the bytes.
        InstrumentedModule.validate(built);
    }

    private static void assertSameInstruction(Instruction built, Instruction parsed, String where) {
        if (parsed == null) {
            assertThat(built).as(where).isNull();
            return;
        }
        assertThat(built).as(where).isNotNull();
        assertThat(built.address()).as(where).isEqualTo(parsed.address());
        assertThat(built.opcode()).as(where).isEqualTo(parsed.opcode());
        assertThat(built.operands()).as(where).isEqualTo(parsed.operands());
    }
}

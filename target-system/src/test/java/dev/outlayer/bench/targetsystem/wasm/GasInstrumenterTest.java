package dev.outlayer.bench.targetsystem.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.OpCode;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.List;
import org.junit.jupiter.api.Test;

class GasInstrumenterTest {
    /**
     * (import "env" "f" (func $f (param i64)))
     * (func (export "a") (local i32)
     *   i32.const 1  drop  (loop $l (br_if $l (i32.const 0)))
     *   (if (i32.const 1) (then nop nop) (else nop))  i64.const 5  call $f)
     */
    private static final byte[] MODULE = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x60, 0x01, 0x7e, 0x00, 0x60, 0x00, 0x00,
        0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01, 0x07, 0x05, 0x01,
        0x01, 0x61, 0x00, 0x01, 0x0a, 0x1d, 0x01, 0x1b, 0x01, 0x01, 0x7f, 0x41, 0x01, 0x1a, 0x03, 0x40, 0x41, 0x00,
        0x0d, 0x00, 0x0b, 0x41, 0x01, 0x04, 0x40, 0x01, 0x01, 0x05, 0x01, 0x0b, 0x42, 0x05, 0x10, 0x00, 0x0b
    };

    @Test
    void blocksAreChargedAtTheirStart() {
        WasmModule module = Parser.parse(MODULE);
        long[] costs = GasInstrumenter.meteredBlockCosts(
                module.codeSection().getFunctionBody(0).instructions());
        // Function body: const, drop, loop, const(cond), if, i64.const, call = 7 (end and else count 0).
        assertThat(costs[0]).isEqualTo(7);
        // Loop body (starts after the loop opcode at index 2): const, br_if.
        assertThat(costs[3]).isEqualTo(2);
        // Then arm: nop, nop; else arm: nop.
        assertThat(costs[8]).isEqualTo(2);
        assertThat(costs[11]).isEqualTo(1);
        // Gas and operation counts in one pass: the same blocks, gas at 3 a regular operation.
        long[] ops = new long[costs.length];
        long[] gas = GasInstrumenter.meteredBlockCosts(
                module.codeSection().getFunctionBody(0).instructions(), 3, 5, ops);
        assertThat(ops).isEqualTo(costs);
        assertThat(gas).isEqualTo(java.util.Arrays.stream(costs).map(c -> 3 * c).toArray());
    }

    /** (func (block nop)) */
    private static final byte[] BLOCK = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
        0x0a, 0x08, 0x01, 0x06, 0x00, 0x02, 0x40, 0x01, 0x0b, 0x0b
    };

    @Test
    void blockCostsNothingAsInNearcoresFiniteWasmConfig() {
        long[] costs = GasInstrumenter.meteredBlockCosts(
                Parser.parse(BLOCK).codeSection().getFunctionBody(0).instructions());
        assertThat(costs[0]).as("block, end: free").isZero();
        assertThat(costs[1]).as("nop inside the block").isEqualTo(1);
    }

    @Test
    void aFrameIsItsActivationInEightByteUnits() {
        // 64 bytes, an i64 parameter (8) and an i32 local (4): 76 bytes -> 10 operations.
        WasmModule module = Parser.parse(MODULE);
        long bytes = GasInstrumenter.activationBytes(
                java.util.List.of(com.dylibso.chicory.wasm.types.ValType.I64),
                module.codeSection().getFunctionBody(0).localTypes());
        assertThat(bytes).isEqualTo(64 + 8 + 4);
        GasInstrumenter.MeteredBinary framed = GasInstrumenter.instrument(MODULE, module, 1, 0, 1, 0, true);
        GasInstrumenter.MeteredBinary plain = GasInstrumenter.instrument(MODULE, module, 1);
        // The exported function has no parameters: 64 + 4 = 68 bytes -> 9 operations.
        assertThat(framed.staticOps() - plain.staticOps()).isEqualTo(9);
    }

    @Test
    void instrumentedModuleValidatesAndKeepsItsIndices() {
        WasmModule module = Parser.parse(MODULE);
        GasInstrumenter.MeteredBinary binary = GasInstrumenter.instrument(MODULE, module, 822_756);
        WasmModule metered = Parser.parse(binary.bytes());
        assertThat(binary.gasGlobalIndex()).isZero();
        assertThat(metered.globalSection().globalCount()).isEqualTo(1);
        assertThat(metered.exportSection().getExport(0).name()).isEqualTo("a");
        assertThat(metered.exportSection().getExport(0).index()).isEqualTo(1);
        assertThat(metered.importSection().importCount()).isEqualTo(1);
        assertThat(binary.staticOps()).isEqualTo(7 + 2 + 2 + 1);
    }

    @Test
    void wasmtimeFuelCountsTheOperatorsThatRunWithTheFreeOnesFree() {
        WasmModule module = Parser.parse(MODULE);
        GasInstrumenter.MeteredBinary binary = GasInstrumenter.instrumentWasmtimeFuel(MODULE, module);
        HostFunction f = new HostFunction(
                "env", "f", FunctionType.of(List.of(ValType.I64), List.of()), (instance, args) -> null);
        Instance instance = Instance.builder(Parser.parse(binary.bytes()))
                .withImportValues(ImportValues.builder().addFunction(f).build())
                .build();
        GasMeter meter = new GasMeter(1_000);
        meter.attach(instance, binary.gasGlobalIndex());
        instance.export("a").apply();
        // entry 1; i32.const 1, drop 0, loop 0; one pass of the loop: i32.const, br_if = 2; end 0;
        // i32.const, if = 2; nop nop (the arm taken) 0; end 0; i64.const, call = 2. The else arm never runs.
        assertThat(meter.used()).isEqualTo(1 + 1 + 2 + 2 + 2);
    }

    @Test
    void wasmtimeFuelOfAnEmptyBlockIsTheFunctionEntryOnly() {
        long[] costs = GasInstrumenter.wasmtimeFuelCosts(
                Parser.parse(BLOCK).codeSection().getFunctionBody(0).instructions());
        assertThat(java.util.Arrays.stream(costs).sum()).isEqualTo(1);
        assertThat(GasInstrumenter.wasmtimeFuel(OpCode.IF)).isEqualTo(1);
        assertThat(GasInstrumenter.wasmtimeFuel(OpCode.MEMORY_COPY)).isEqualTo(1);
        assertThat(GasInstrumenter.wasmtimeFuel(OpCode.RETURN)).isZero();
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Deploys accept the wasm features nearcore enables at protocol 86 and refuse the others with its
 * PrepareError (runtime/near-vm-runner/src/features.rs, prepare/prepare_v3.rs; 84.yaml turned on
 * reftypes_bulk_memory): bulk memory, reference types, sign-extension and saturating truncations
 * deploy and run; multi-value, tail calls and extended constants are Deserialization, a memory
 * import is Memory, a table import or an import from another module Instantiate.
 */
class WasmFeaturesTest {
    private static final byte[] VOID_TYPE = section(1, 1, 0x60, 0, 0);
    private static final byte[] ONE_FUNCTION = section(3, 1, 0);
    private static final byte[] ONE_PAGE = section(5, 1, 0, 1);
    private static final byte[] FUNCREF_TABLE = section(4, 1, 0x70, 0, 0);
    private static final byte[] EXPORT_MAIN = section(7, 1, 4, 'm', 'a', 'i', 'n', 0, 0);

    @Test
    void bulkMemoryReferenceTypesSignExtensionAndSaturatingTruncationsDeployAndRun() {
        byte[] code = module(
                VOID_TYPE,
                ONE_FUNCTION,
                FUNCREF_TABLE,
                ONE_PAGE,
                EXPORT_MAIN,
                code(
                        0x41, 0, 0x41, 7, 0x41, 16, 0xFC, 0x0B, 0, // memory.fill 0, 7, 16
                        0x41, 0, 0x41, 0, 0x41, 8, 0xFC, 0x0A, 0, 0, // memory.copy
                        0xD0, 0x70, 0x41, 2, 0xFC, 0x0F, 0, 0x1A, // table.grow (ref.null func) 2
                        0xFC, 0x10, 0, 0x1A, // table.size
                        0x41, 0xFF, 0x01, 0xC0, 0x1A, // i32.extend8_s 255
                        0x43, 0, 0, 0x80, 0x7F, 0xFC, 0, 0x1A)); // i32.trunc_sat_f32_s +inf
        try (ContractSimulator sim = TestContracts.simulator(true)) {
            sim.deploy("features.test.near", code);
            Outcome outcome = sim.execute(CallRequest.call("features.test.near", "main", new byte[0]));
            assertThat(outcome.errorKind()).as(outcome.errorMessage()).isNull();
        }
    }

    @Test
    void aFunctionTypeReturningTwoValuesIsDeserialization() {
        assertRefused(module(section(1, 1, 0x60, 0, 2, 0x7F, 0x7F)), "Deserialization: type 0 returns 2 values");
    }

    @Test
    void aBlockTypedByATypeIndexIsDeserialization() {
        byte[] code = module(VOID_TYPE, ONE_FUNCTION, EXPORT_MAIN, code(0x02, 0x00, 0x0B)); // block (type 0)
        assertRefused(code, "Deserialization: function 0 has a BLOCK typed by a type index");
    }

    @Test
    void aTailCallIsDeserialization() {
        byte[] code = module(VOID_TYPE, ONE_FUNCTION, EXPORT_MAIN, code(0x12, 0x00)); // return_call 0
        assertRefused(code, "Deserialization: function 0 uses RETURN_CALL");
    }

    @Test
    void anExtendedConstantExpressionIsRefused() {
        byte[] global = section(6, 1, 0x7F, 0, 0x41, 1, 0x41, 2, 0x6A, 0x0B); // i32.const 1 i32.const 2 i32.add
        assertThatThrownBy(() -> compile(module(global))).isInstanceOf(InvalidContractException.class);
    }

    @Test
    void aConstantThatReadsAGlobalOfTheModuleIsDeserialization() {
        // (global i32 (i32.const 8)) (data (global.get 0) "x"): wasmparser without GC validates a global.get in a
        // constant expression only of an imported global.
        byte[] global = section(6, 1, 0x7F, 0, 0x41, 8, 0x0B);
        byte[] data = section(11, 1, 0, 0x23, 0, 0x0B, 1, 'x');
        assertRefused(
                module(ONE_PAGE, global, data),
                "Deserialization: a data segment's offset reads global 0 (constant expression required: global.get"
                        + " of locally defined global)");
        byte[] second = section(6, 2, 0x7F, 0, 0x41, 8, 0x0B, 0x7F, 0, 0x23, 0, 0x0B);
        assertRefused(module(second), "Deserialization: a global's initializer reads global 0");
    }

    @Test
    void aMemoryImportIsMemoryAndOtherImportsAreInstantiate() {
        assertRefused(module(imports("env", "memory", 0x02, 0x01, 1, 1)), "Memory: import env.memory imports a memory");
        assertRefused(module(imports("env", "table", 0x01, 0x70, 0, 0)), "Instantiate: import env.table");
        assertRefused(module(VOID_TYPE, imports("wasi", "f", 0x00, 0)), "Instantiate: import wasi.f");
    }

    private static void assertRefused(byte[] code, String message) {
        for (ContractCompiler.Path path : ContractCompiler.Path.values()) {
            assertThatThrownBy(() -> new ContractCompiler(true, path, new CompileQueue(1, 1), null).compile(code))
                    .as(path.toString())
                    .isInstanceOf(InvalidContractException.class)
                    .hasMessageStartingWith(message);
        }
    }

    private static CompiledContract compile(byte[] code) {
        return new ContractCompiler(true, ContractCompiler.Path.INTERPRETED, new CompileQueue(1, 1), null)
                .compile(code);
    }

    private static byte[] imports(String module, String name, int... descriptor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        name(out, module);
        name(out, name);
        for (int b : descriptor) {
            out.write(b);
        }
        return section(2, out.toByteArray());
    }

    private static void name(ByteArrayOutputStream out, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    /** A code section with one body: no locals, {@code instructions}, end. */
    private static byte[] code(int... instructions) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0);
        for (int b : instructions) {
            body.write(b);
        }
        body.write(0x0B);
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write(1);
        content.write(body.size());
        content.writeBytes(body.toByteArray());
        return section(10, content.toByteArray());
    }

    private static byte[] section(int id, int... content) {
        byte[] bytes = new byte[content.length];
        for (int i = 0; i < content.length; i++) {
            bytes[i] = (byte) content[i];
        }
        return section(id, bytes);
    }

    private static byte[] section(int id, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(id);
        out.write(content.length); // every section here is under 128 bytes
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] module(byte[]... sections) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00});
        for (byte[] section : sections) {
            out.writeBytes(section);
        }
        return out.toByteArray();
    }
}

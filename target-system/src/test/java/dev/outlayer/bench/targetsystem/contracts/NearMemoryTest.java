package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every contract's linear memory is the one nearcore gives it, not the one its module declares:
 * prepare_v3.rs replaces the module's memory (or adds one to a module without) with 1,024 pages
 * (initial_memory_pages, 64 MiB) growing to at most 2,048 (max_memory_pages); data segments are
 * placed in that memory at instantiation, which traps past it; a memory import is
 * {@code PrepareError::Memory} and limits that are not valid wasm {@code Deserialization}.
 */
class NearMemoryTest {
    private static final String ACCOUNT = "mem.test.near";

    /** Runs a test on compiled code (reused instances) and on the interpreter (an instance per call). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ParameterizedTest
    @EnumSource(
            value = ContractCompiler.Path.class,
            names = {"COMPILED", "INTERPRETED"})
    @interface BothMachines {}

    private static ContractSimulator deployed(ContractCompiler.Path path, String contract) {
        ContractSimulator sim = new ContractSimulator(true, path, BlockClock.startingNow(1000));
        sim.deploy(ACCOUNT, wasm(contract));
        return sim;
    }

    private static Outcome call(ContractSimulator sim, String method, String input) {
        return sim.execute(CallRequest.call(ACCOUNT, method, utf8(input)));
    }

    private static byte[] ok(Outcome outcome) {
        assertThat(outcome.success())
                .as(outcome.errorKind() + ": " + outcome.errorMessage())
                .isTrue();
        return outcome.result();
    }

    @BothMachines
    void aContractDeclaring17PagesStartsEveryCallWith1024(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "near_memory")) {
            for (int i = 0; i < 2; i++) {
                assertThat(le32(ok(call(sim, "size", "")), 0)).isEqualTo(1024);
                ok(call(sim, "grow_to_max", ""));
            }
            assertThat(le32(ok(sim.execute(CallRequest.view(ACCOUNT, "size", new byte[0]))), 0))
                    .isEqualTo(1024);
        }
    }

    @BothMachines
    void memoryGrowsTo2048PagesAndPastThatGrowAnswersMinusOne(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "near_memory")) {
            byte[] grown = ok(call(sim, "grow_to_max", ""));
            assertThat(le32(grown, 0)).as("the first grow's old size").isEqualTo(1024);
            assertThat(le32(grown, 4)).as("one page past max_memory_pages").isEqualTo(-1);
            assertThat(le32(grown, 8)).as("the size after").isEqualTo(2048);
            for (int i = 0; i < 2; i++) {
                assertThat(ok(call(sim, "write_top", "")))
                        .as("the last byte of the 2,048th page, zero again in every call")
                        .containsExactly(1);
            }
        }
    }

    @BothMachines
    void memoryACallWroteIsZeroInTheNext(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "near_memory")) {
            for (int i = 0; i < 3; i++) {
                assertThat(le32(ok(call(sim, "read_then_write_far", "")), 0))
                        .as("call %d finds zeros at 40 MiB", i)
                        .isZero();
            }
        }
    }

    @BothMachines
    void dataSegmentsPastTheDeclaredPagesAreInNearsMemoryAndTheEndIsAt64MiB(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "near_memory")) {
            assertThat(text(ok(call(sim, "far_data", ""))))
                    .as("a segment at 2 MiB")
                    .isEqualTo("far");
            assertThat(text(ok(call(sim, "host_write_at_end", "1234")))).isEqualTo("1234");
            Outcome tooLong = call(sim, "host_write_at_end", "12345");
            assertThat(tooLong.errorKind()).isEqualTo("HostError");
            assertThat(tooLong.errorMessage()).startsWith("MemoryAccessViolation");
            Outcome load = call(sim, "load_past_initial", "");
            assertThat(load.errorKind()).isEqualTo("WasmTrap");
            assertThat(load.errorMessage()).startsWith("MemoryOutOfBounds");
        }
    }

    @BothMachines
    void aModuleWithoutMemoryGivesItsHostFunctionsNearsMemory(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "no_memory")) {
            for (int i = 0; i < 2; i++) {
                assertThat(ok(call(sim, "zeros", ""))).containsExactly(new byte[8]);
                assertThat(ok(call(sim, "host_write_at_end", "1234"))).isNull();
            }
            Outcome tooLong = call(sim, "host_write_at_end", "12345");
            assertThat(tooLong.errorKind()).isEqualTo("HostError");
            assertThat(tooLong.errorMessage()).startsWith("MemoryAccessViolation");
        }
    }

    @BothMachines
    void aDataSegmentPastNearsInitialMemoryDeploysAndTrapsAtEveryCallAfterTheLoadingFee(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "segment_past_memory")) {
            for (int i = 0; i < 2; i++) {
                Outcome outcome = call(sim, "run", "");
                assertThat(outcome.errorKind()).isEqualTo("WasmTrap");
                assertThat(outcome.errorMessage()).startsWith("MemoryOutOfBounds");
                assertThat(outcome.gasBurnt())
                        .as("nearcore charges contract_loading before instantiation")
                        .isGreaterThan(ExtCost.contract_loading_base.gas);
            }
        }
    }

    @Test
    void aDeclarationOverNearsMaximumDeploysAndIsIgnored() {
        try (ContractSimulator sim = deployed(ContractCompiler.Path.COMPILED, "declared_3000_pages")) {
            assertThat(le32(ok(call(sim, "size", "")), 0)).isEqualTo(1024);
        }
    }

    @Test
    void aMemoryImportIsMemoryAndLimitsThatAreNotValidWasmAreDeserialization() {
        // (import "env" "memory" (memory 1 2048)): PrepareError::Memory, as transform_import_section.
        byte[] imported =
                module(section(2, 1, 3, 'e', 'n', 'v', 6, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x01, 1, 0x80, 0x10));
        assertThat(refusal(imported)).isEqualTo("Memory");
        // (memory 3 2): minimum above maximum; (memory 65537): over 4 GiB. wasmparser refuses both.
        assertThat(refusal(module(section(5, 1, 0x01, 3, 2)))).isEqualTo("Deserialization");
        assertThat(refusal(module(section(5, 1, 0x00, 0x81, 0x80, 0x04)))).isEqualTo("Deserialization");
    }

    private static String refusal(byte[] code) {
        ContractCompiler compiler =
                new ContractCompiler(true, ContractCompiler.Path.INTERPRETED, new CompileQueue(1, 1), null);
        Throwable thrown = catchThrowable(() -> compiler.compile(code));
        assertThat(thrown).isInstanceOf(InvalidContractException.class);
        return CompilationErrors.prepareError(thrown.getMessage());
    }

    private static byte[] section(int id, int... content) {
        byte[] out = new byte[content.length + 2];
        out[0] = (byte) id;
        out[1] = (byte) content.length; // every section here is under 128 bytes
        for (int i = 0; i < content.length; i++) {
            out[i + 2] = (byte) content[i];
        }
        return out;
    }

    private static byte[] module(byte[] section) {
        byte[] header = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
        byte[] out = java.util.Arrays.copyOf(header, header.length + section.length);
        System.arraycopy(section, 0, out, header.length, section.length);
        return out;
    }
}

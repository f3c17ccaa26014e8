package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.TestContracts.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fresh linear memory per call, kept exact with copy-on-write memory images, on both machines:
 * writes do not reach the next call, memory.grow, out-of-bounds traps, host functions reading and
 * writing across page boundaries, and untouched memory costing nothing; an instance reused by the
 * next call on its thread starts as a new one would. Every contract's memory is NEAR's (1,024
 * pages, at most 2,048: {@link NearMemoryTest}), whatever its module declares.
 */
class ContractMemoryTest {
    private static final String ACCOUNT = "mem.test.near";

    /** Runs a test on compiled code and on the interpreter. */
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

    private static String ok(Outcome outcome) {
        assertThat(outcome.success())
                .as(outcome.errorKind() + ": " + outcome.errorMessage())
                .isTrue();
        return text(outcome.result());
    }

    @BothMachines
    void everyCallStartsFromTheModulesMemoryWhateverEarlierCallsWrote(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "memory_semantics")) {
            assertThat(sim.account(ACCOUNT).orElseThrow().contract().memoryImage())
                    .as("an image is built for this module")
                    .isNotNull();
            for (int i = 0; i < 3; i++) {
                assertThat(ok(call(sim, "bump", ""))).isEqualTo("bbcdefghijkl");
                assertThat(ok(call(sim, "scribble", ""))).isEqualTo("abXXXXXXXXkl");
            }
            assertThat(ok(call(sim, "read_straddling", ""))).isEqualTo("0123456789");
            assertThat(ok(sim.execute(CallRequest.view(ACCOUNT, "bump", new byte[0]))))
                    .isEqualTo("bbcdefghijkl");
        }
    }

    @BothMachines
    void aCallNeverSeesTheGlobalsMemoryOrSegmentsAnEarlierCallLeftEvenOneThatTrapped(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "reuse_state")) {
            for (int i = 0; i < 3; i++) {
                assertThat(ok(call(sim, "observe", ""))).as("call %d", i).isEqualTo("0A1P");
                assertThat(call(sim, "observe_then_trap", "").errorKind()).isEqualTo("WasmTrap");
            }
            assertThat(ok(sim.execute(CallRequest.view(ACCOUNT, "observe", new byte[0]))))
                    .isEqualTo("0A1P");
        }
    }

    @Test
    void compiledCallsOnOneThreadResetOneInstanceUnlessTheModuleChangesItsSegments() {
        try (ContractSimulator sim = deployed(ContractCompiler.Path.COMPILED, "reuse_state")) {
            CompiledContract contract = sim.account(ACCOUNT).orElseThrow().contract();
            ok(call(sim, "observe", ""));
            ReusableInstance first = contract.threadInstance();
            assertThat(first).as("built by this thread's first call").isNotNull();
            call(sim, "observe_then_trap", "");
            ok(call(sim, "observe", ""));
            assertThat(contract.threadInstance()).as("the same instance, reset").isSameAs(first);
        }

        try (ContractSimulator interpreted = deployed(ContractCompiler.Path.INTERPRETED, "reuse_state")) {
            ok(call(interpreted, "observe", ""));
            assertThat(interpreted.account(ACCOUNT).orElseThrow().contract().threadInstance())
                    .as("the interpreter keeps call state in its machine: an instance per call")
                    .isNull();
        }

        try (ContractSimulator dropping = deployed(ContractCompiler.Path.COMPILED, "segment_drop")) {
            for (int i = 0; i < 2; i++) {
                assertThat(ok(call(dropping, "copy_then_drop", "")))
                        .as("the segment again")
                        .isEqualTo("P");
            }
            assertThat(dropping.account(ACCOUNT).orElseThrow().contract().threadInstance())
                    .as("data.drop changes a segment: an instance per call")
                    .isNull();
        }
    }

    @BothMachines
    void growAddsZeroPagesUpToTheMaximumAndTheNextCallHasTheInitialSizeAgain(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "memory_semantics")) {
            for (int i = 0; i < 2; i++) {
                byte[] grown = call(sim, "grow_and_write", "").result();
                assertThat(le32(grown, 0))
                        .as("fresh memory: NEAR's 1,024 pages again (the module declares 2)")
                        .isEqualTo(1024);
                assertThat((char) grown[4]).isEqualTo('Z');
            }
            byte[] past = call(sim, "grow_past_max", "").result();
            assertThat(le32(past, 0)).as("past NEAR's 2,048 pages: -1").isEqualTo(-1);
            assertThat(le32(past, 4)).as("size unchanged").isEqualTo(1024);
        }
    }

    @BothMachines
    void wasmAccessesPastTheEndTrapAndHostAccessesPastItAreMemoryAccessViolations(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "memory_semantics")) {
            for (String method : new String[] {"load_past_end", "store_past_end"}) {
                Outcome trap = call(sim, method, "");
                assertThat(trap.errorKind()).as(method).isEqualTo("WasmTrap");
                assertThat(trap.errorMessage()).as(method).startsWith("MemoryOutOfBounds");
            }
            Outcome read = call(sim, "host_read_past_end", "");
            assertThat(read.errorKind()).isEqualTo("HostError");
            assertThat(read.errorMessage()).startsWith("MemoryAccessViolation");
            assertThat(ok(call(sim, "host_write_past_end", "1234")))
                    .as("exactly fits")
                    .isNull();
            Outcome write = call(sim, "host_write_past_end", "12345");
            assertThat(write.errorKind()).isEqualTo("HostError");
            assertThat(write.errorMessage()).startsWith("MemoryAccessViolation");
        }
    }

    @BothMachines
    void hostFunctionsReadAndWriteAcrossPageBoundaries(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "memory_semantics")) {
            String input = "x".repeat(5000) + "end"; // from 4094 over two 4 KiB page boundaries
            assertThat(ok(call(sim, "echo_across", input))).isEqualTo(input);
            assertThat(ok(call(sim, "bump", "")))
                    .as("and the next call does not see it")
                    .isEqualTo("bbcdefghijkl");
        }
    }

    @BothMachines
    void aContractGrownTo2048PagesCostsThePagesItTouchesNotThe128MiBItHas(ContractCompiler.Path path) {
        try (ContractSimulator sim = deployed(path, "huge_memory")) {
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            ok(call(sim, "touch", "")); // warm
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20; i++) {
                assertThat(ok(call(sim, "touch", ""))).isEqualTo("1");
            }
            long perCall = (threads.getCurrentThreadAllocatedBytes() - before) / 20;
            // A page table of 2,048 chunk slots, one chunk and one copied page, not 128 MiB.
            assertThat(perCall).as("bytes allocated per call").isLessThan(1L << 20);
        }
    }
}

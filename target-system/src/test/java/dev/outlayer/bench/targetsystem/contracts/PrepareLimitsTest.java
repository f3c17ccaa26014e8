package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Preparation's per-contract limits of protocol 86 (prepare_v3.rs, instrument_v3.rs), each at the
 * limit (deploys) and one past it (fails with nearcore's PrepareError name), on modules built here.
 */
class PrepareLimitsTest {
    private static final byte[] VOID_TYPE = {0x60, 0, 0};
    private static final byte[] EMPTY_BODY = {2, 0, 0x0b}; // size 2: no locals, end
    private static final int I32 = 0x7f;

    private final ContractSimulator sim = TestContracts.simulator(true);
    private int deployed;

    @AfterEach
    void closeSimulator() {
        sim.close(); // the large modules' background compilations are not needed after the test
    }

    private void deploys(byte[] code) {
        assertThatCode(() -> sim.deploy("ok" + deployed++ + ".test.near", code)).doesNotThrowAnyException();
    }

    private void refuses(byte[] code, String prepareError) {
        assertThatThrownBy(() -> sim.deploy("bad.test.near", code))
                .isInstanceOf(InvalidContractException.class)
                .hasMessageStartingWith(prepareError + ":");
    }

    @Test
    void functionsCountImportsAndDefinitions() {
        deploys(functions(10_000));
        refuses(functions(10_001), "TooManyFunctions");
        byte[] oneImport = module(
                section(1, vec(1, VOID_TYPE)),
                section(2, vec(1, concat(name("env"), name("abort"), new byte[] {0, 0}))),
                section(3, vec(10_000, new byte[] {0})),
                section(10, vec(10_000, EMPTY_BODY)));
        refuses(oneImport, "TooManyFunctions");
    }

    @Test
    void typesAreCountedFirst() {
        deploys(module(section(1, vec(1_024, VOID_TYPE))));
        refuses(module(section(1, vec(1_025, VOID_TYPE))), "TooManyTypes");
        byte[] both = module(
                section(1, vec(1_025, VOID_TYPE)),
                section(3, vec(10_001, new byte[] {0})),
                section(10, vec(10_001, EMPTY_BODY)));
        refuses(both, "TooManyTypes");
        // nearcore validates the section before it counts: a malformed one is not TooManyTypes.
        assertThatThrownBy(() -> sim.deploy("bad.test.near", module(section(1, concat(leb(2_000), VOID_TYPE)))))
                .isInstanceOf(InvalidContractException.class)
                .hasMessageStartingWith("invalid wasm");
    }

    @Test
    void oneTableOfAtMostTenThousandElements() {
        deploys(module(section(4, vec(1, table(10_000)))));
        refuses(module(section(4, vec(1, table(10_001)))), "TooManyTableElements");
        refuses(module(section(4, concat(leb(2), table(1), table(1)))), "TooManyTables");
    }

    @Test
    void localsAreSummedOverTheContractWithoutParameters() {
        refuses(withBodies(VOID_TYPE, body(locals(1_000_001))), "TooManyLocals");
        // One function may declare at most 50,000 locals (wasmparser's validation, Chicory's too),
        // so the contract's 1,000,000 are spread: 20 x 47,600 + 48,000 declared, each function
        // with 64 parameters on top, which are not counted.
        byte[][] atLimit = new byte[21][];
        java.util.Arrays.fill(atLimit, body(locals(47_600)));
        atLimit[20] = body(locals(48_000));
        deploys(withBodies(params(64), atLimit));
        atLimit[20] = body(locals(48_001));
        refuses(withBodies(params(64), atLimit), "TooManyLocals");
    }

    @Test
    void functionBodySizeIsCappedAt196608Bytes() {
        deploys(withBodies(VOID_TYPE, nops(196_608)));
        refuses(withBodies(VOID_TYPE, nops(196_609)), "FunctionBodyTooLarge");
    }

    @Test
    void parametersPerFunctionAndPerContract() {
        deploys(withBodies(params(64), body(new byte[] {0})));
        refuses(withBodies(params(65), body(new byte[] {0})), "TooManyParamsPerFunction");
        deploys(sameBodies(params(64), 781, body(new byte[] {0})));
        refuses(sameBodies(params(64), 782, body(new byte[] {0})), "TooManyParamsPerContract");
    }

    @Test
    void blocksPerFunctionAndPerContract() {
        deploys(withBodies(VOID_TYPE, body(new byte[] {0}, blocks(5_000))));
        refuses(withBodies(VOID_TYPE, body(new byte[] {0}, blocks(5_001))), "TooManyBlocksPerFunction");
        deploys(sameBodies(VOID_TYPE, 10, body(new byte[] {0}, blocks(5_000))));
        refuses(sameBodies(VOID_TYPE, 11, body(new byte[] {0}, blocks(5_000))), "TooManyBlocksPerContract");
    }

    // --- module building (the wasm binary format) ---

    private static byte[] functions(int n) {
        return sameBodies(VOID_TYPE, n, EMPTY_BODY);
    }

    private static byte[] withBodies(byte[] type, byte[]... bodies) {
        return module(
                section(1, vec(1, type)),
                section(3, vec(bodies.length, new byte[] {0})),
                section(10, concat(leb(bodies.length), concat(bodies))));
    }

    private static byte[] sameBodies(byte[] type, int n, byte[] body) {
        return module(section(1, vec(1, type)), section(3, vec(n, new byte[] {0})), section(10, vec(n, body)));
    }

    /** A function type of {@code n} i32 parameters and no results. */
    private static byte[] params(int n) {
        byte[] types = new byte[n];
        java.util.Arrays.fill(types, (byte) I32);
        return concat(new byte[] {0x60}, leb(n), types, new byte[] {0});
    }

    /** A locals vector of one group of {@code n} i32. */
    private static byte[] locals(int n) {
        return concat(leb(1), leb(n), new byte[] {(byte) I32});
    }

    /** {@code n} times {@code block end}. */
    private static byte[] blocks(int n) {
        byte[] out = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            out[i * 3] = 0x02;
            out[i * 3 + 1] = 0x40;
            out[i * 3 + 2] = 0x0b;
        }
        return out;
    }

    /** A body of exactly {@code size} bytes: no locals, nops, end. */
    private static byte[] nops(int size) {
        byte[] code = new byte[size - 1];
        java.util.Arrays.fill(code, (byte) 0x01);
        code[0] = 0; // no locals
        return concat(leb(size), code, new byte[] {0x0b});
    }

    /** A code entry: locals then instructions, then end, with its size in front. */
    private static byte[] body(byte[] locals, byte[]... instructions) {
        byte[] content = concat(locals, concat(instructions), new byte[] {0x0b});
        return concat(leb(content.length), content);
    }

    private static byte[] table(int initial) {
        return concat(new byte[] {0x70, 0}, leb(initial));
    }

    private static byte[] name(String s) {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return concat(leb(bytes.length), bytes);
    }

    private static byte[] module(byte[]... sections) {
        return concat(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, concat(sections));
    }

    private static byte[] section(int id, byte[] content) {
        return concat(new byte[] {(byte) id}, leb(content.length), content);
    }

    private static byte[] vec(int count, byte[] each) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(leb(count));
        for (int i = 0; i < count; i++) {
            out.writeBytes(each);
        }
        return out.toByteArray();
    }

    private static byte[] leb(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int b = (int) (value & 0x7f);
            value >>>= 7;
            out.write(value == 0 ? b : b | 0x80);
        } while (value != 0);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

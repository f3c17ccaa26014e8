package dev.outlayer.bench.targetsystem.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The bls12381_* host functions against known BLS12-381 values (the generators, 2G of EIP-2537's
 * G1ADD vectors, an EIP-2537 pairing vector), bilinearity, nearcore's error cases and their gas.
 */
class Bls12381Test {
    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger P = new BigInteger(
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", 16);
    private static final BigInteger R =
            new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);
    private static final byte[] G1 = HEX.parseHex(
            "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"
                    + "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1");
    private static final byte[] G1_COMPRESSED = HEX.parseHex(
            "97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb");
    // EIP-2537 G1ADD test vector: G + G.
    private static final byte[] TWO_G1 = HEX.parseHex(
            "0572cbea904d67468808c8eb50a9450c9721db309128012543902d0ac358a62ae28f75bb8f1c7c42c39a8c5529bf0f4e"
                    + "166a9d8cabc673a322fda673779d8e3822ba3ecb8670e461f73bb9021d5fd76a4c56d9d4cd16bd1bba86881979749d28");
    // The G2 generator in ZCash order: x.c1, x.c0, y.c1, y.c0.
    private static final byte[] G2 = HEX.parseHex(
            "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"
                    + "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
                    + "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"
                    + "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801");
    // EIP-2537 pairing vector (P, Q), (-P, Q): the product is one. Fp elements padded to 64 bytes, Fp2 as c0 || c1.
    private static final String EIP2537_PAIRING_TRUE =
            "000000000000000000000000000000001830f52d9bff64a623c6f5259e2cd2c2a08ea17a8797aaf83174ea1e8c3bd3955c2af1d39bfa474815bfe60714b7cd80000000000000000000000000000000000874389c02d4cf1c61bc54c4c24def11dfbe7880bc998a95e70063009451ee8226fec4b278aade3a7cea55659459f1d500000000000000000000000000000000197737f831d4dc7e708475f4ca7ca15284db2f3751fcaac0c17f517f1ddab35e1a37907d7b99b39d6c8d9001cd50e79e000000000000000000000000000000000af1a3f6396f0c983e7c2d42d489a3ae5a3ff0a553d93154f73ac770cd0af7467aa0cef79f10bbd34621b3ec9583a834000000000000000000000000000000001918cb6e448ed69fb906145de3f11455ee0359d030e90d673ce050a360d796de33ccd6a941c49a1414aca1c26f9e699e0000000000000000000000000000000019a915154a13249d784093facc44520e7f3a18410ab2a3093e0b12657788e9419eec25729944f7945e732104939e7a9e000000000000000000000000000000001830f52d9bff64a623c6f5259e2cd2c2a08ea17a8797aaf83174ea1e8c3bd3955c2af1d39bfa474815bfe60714b7cd8000000000000000000000000000000000118cd94e36ab177de95f52f180fdbdc584b8d30436eb882980306fa0625f07a1f7ad3b4c38a921c53d14aa9a6ba5b8d600000000000000000000000000000000197737f831d4dc7e708475f4ca7ca15284db2f3751fcaac0c17f517f1ddab35e1a37907d7b99b39d6c8d9001cd50e79e000000000000000000000000000000000af1a3f6396f0c983e7c2d42d489a3ae5a3ff0a553d93154f73ac770cd0af7467aa0cef79f10bbd34621b3ec9583a834000000000000000000000000000000001918cb6e448ed69fb906145de3f11455ee0359d030e90d673ce050a360d796de33ccd6a941c49a1414aca1c26f9e699e0000000000000000000000000000000019a915154a13249d784093facc44520e7f3a18410ab2a3093e0b12657788e9419eec25729944f7945e732104939e7a9e";

    private final Memory memory = new ByteArrayMemory(new MemoryLimits(2));
    private final VmLogic logic = TestContracts.hostFunctionLogic();

    private interface HostCall {
        long call(Memory memory, long len, long ptr, long register);
    }

    /** Runs a host function on {@code input}: the register's bytes on 0, null on 1. */
    private byte[] run(HostCall function, byte[] input) {
        memory.write(0, input);
        long status = function.call(memory, input.length, 0, 1);
        if (status == 1) {
            return null;
        }
        assertThat(status).isZero();
        logic.readRegister(memory, 1, 65_536);
        return memory.readBytes(65_536, (int) logic.registerLen(1));
    }

    private long pairing(byte[] input) {
        memory.write(0, input);
        return logic.bls12381PairingCheck(memory, input.length, 0);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    private static byte[] le(BigInteger value) {
        byte[] be = value.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    private static byte[] infinity(int size) {
        byte[] out = new byte[size];
        out[0] = 0x40;
        return out;
    }

    private byte[] g1Times(BigInteger k) {
        return run(logic::bls12381G1Multiexp, concat(G1, le(k)));
    }

    private byte[] g2Times(BigInteger k) {
        return run(logic::bls12381G2Multiexp, concat(G2, le(k)));
    }

    private byte[] negateG1(byte[] point) {
        return run(logic::bls12381P1Sum, concat(new byte[] {1}, point));
    }

    /** A point of y^2 = x^3 + 4 outside the order-r subgroup (the cofactor is far from 1). */
    private static byte[] g1PointOutsideSubgroup() {
        for (BigInteger x = BigInteger.ONE; ; x = x.add(BigInteger.ONE)) {
            BigInteger rhs = x.pow(3).add(BigInteger.valueOf(4)).mod(P);
            BigInteger y = rhs.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
            if (y.multiply(y).mod(P).equals(rhs)) {
                return concat(fp(x), fp(y));
            }
        }
    }

    private static byte[] fp(BigInteger value) {
        byte[] be = value.toByteArray();
        byte[] out = new byte[48];
        int n = Math.min(be.length, 48);
        System.arraycopy(be, be.length - n, out, 48 - n, n);
        return out;
    }

    @Test
    void p1SumAddsSubtractsAndGivesInfinityFlag() {
        assertThat(run(logic::bls12381P1Sum, concat(new byte[] {0}, G1, new byte[] {0}, G1)))
                .isEqualTo(TWO_G1);
        assertThat(run(logic::bls12381P1Sum, concat(new byte[] {0}, TWO_G1, new byte[] {1}, G1)))
                .isEqualTo(G1);
        assertThat(run(logic::bls12381P1Sum, concat(new byte[] {0}, G1, new byte[] {1}, G1)))
                .isEqualTo(infinity(96));
        assertThat(run(logic::bls12381P1Sum, new byte[0])).isEqualTo(infinity(96));
        assertThat(logic.profile().gas(ExtCost.bls12381_p1_sum_base)).isEqualTo(4 * ExtCost.bls12381_p1_sum_base.gas);
        assertThat(logic.profile().gas(ExtCost.bls12381_p1_sum_element))
                .isEqualTo(6 * ExtCost.bls12381_p1_sum_element.gas);
    }

    @Test
    void multiexpTakesLittleEndianScalarsOfAnySize() {
        assertThat(g1Times(BigInteger.TWO)).isEqualTo(TWO_G1);
        assertThat(g1Times(R.add(BigInteger.TWO))).as("r + 2 acts as 2").isEqualTo(TWO_G1);
        assertThat(g1Times(BigInteger.ZERO)).isEqualTo(infinity(96));
        BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        assertThat(g1Times(max)).isEqualTo(g1Times(max.mod(R)));
        assertThat(run(logic::bls12381G1Multiexp, concat(G1, le(BigInteger.ONE), G1, le(BigInteger.ONE))))
                .isEqualTo(TWO_G1);
        assertThat(run(logic::bls12381G1Multiexp, new byte[0])).isEqualTo(infinity(96));
        assertThat(run(logic::bls12381G2Multiexp, new byte[0])).isEqualTo(infinity(192));
        assertThat(g2Times(BigInteger.ONE)).isEqualTo(G2);
        assertThat(run(logic::bls12381P2Sum, concat(new byte[] {0}, G2, new byte[] {0}, G2)))
                .isEqualTo(g2Times(BigInteger.TWO));
        assertThat(run(logic::bls12381P2Sum, concat(new byte[] {0}, G2, new byte[] {1}, G2)))
                .isEqualTo(infinity(192));
    }

    @Test
    void pairingCheckIsBilinear() {
        byte[] twoG2 = g2Times(BigInteger.TWO);
        assertThat(pairing(concat(TWO_G1, G2, negateG1(G1), twoG2)))
                .as("e(2P, Q) e(-P, 2Q) = 1")
                .isZero();
        byte[] a = g1Times(BigInteger.valueOf(12345));
        byte[] b = g2Times(BigInteger.valueOf(678));
        byte[] ab = g1Times(BigInteger.valueOf(12345L * 678));
        assertThat(pairing(concat(a, b, negateG1(ab), G2))).isZero();
        assertThat(pairing(concat(G1, G2))).as("e(P, Q) is not one").isEqualTo(2);
        assertThat(pairing(concat(G1, G2, G1, G2))).isEqualTo(2);
        assertThat(pairing(concat(infinity(96), G2))).as("e(0, Q) = 1").isZero();
        assertThat(pairing(new byte[0])).isZero();
        assertThat(logic.profile().gas(ExtCost.bls12381_pairing_element))
                .isEqualTo(8 * ExtCost.bls12381_pairing_element.gas);
    }

    @Test
    void eip2537PairingVectorHolds() {
        byte[] eip = HEX.parseHex(EIP2537_PAIRING_TRUE);
        ByteArrayOutputStream blst = new ByteArrayOutputStream();
        for (int pair = 0; pair < 2; pair++) {
            int at = pair * 384;
            byte[][] fps = new byte[6][];
            for (int i = 0; i < 6; i++) {
                fps[i] = java.util.Arrays.copyOfRange(eip, at + i * 64 + 16, at + (i + 1) * 64);
            }
            // G1 (x, y), then G2 as x.c1, x.c0, y.c1, y.c0.
            for (int i : new int[] {0, 1, 3, 2, 5, 4}) {
                blst.write(fps[i], 0, 48);
            }
        }
        assertThat(pairing(blst.toByteArray())).isZero();
    }

    @Test
    void decompressGivesUncompressedPoints() {
        assertThat(run(logic::bls12381P1Decompress, concat(G1_COMPRESSED, G1_COMPRESSED)))
                .isEqualTo(concat(G1, G1));
        byte[] compressedInfinity = new byte[48];
        compressedInfinity[0] = (byte) 0xc0;
        assertThat(run(logic::bls12381P1Decompress, compressedInfinity)).isEqualTo(infinity(96));
        byte[] twoG2 = g2Times(BigInteger.TWO);
        byte[] twoG2Compressed = new supranational.blst.P2(twoG2).compress();
        assertThat(run(logic::bls12381P2Decompress, twoG2Compressed)).isEqualTo(twoG2);
        assertThat(run(logic::bls12381P1Decompress, new byte[0])).isEmpty();
        byte[] noFlag = G1_COMPRESSED.clone();
        noFlag[0] &= 0x7f;
        assertThat(run(logic::bls12381P1Decompress, noFlag)).isNull();
        assertThat(logic.profile().gas(ExtCost.bls12381_p1_decompress_element))
                .isEqualTo(4 * ExtCost.bls12381_p1_decompress_element.gas);
    }

    @Test
    void subgroupIsCheckedWhereNearcoreChecksIt() {
        byte[] outside = g1PointOutsideSubgroup();
        assertThat(run(logic::bls12381P1Sum, concat(new byte[] {0}, outside)))
                .as("sum checks the curve, not the subgroup")
                .isEqualTo(outside);
        assertThat(run(logic::bls12381G1Multiexp, concat(outside, le(BigInteger.ONE))))
                .isNull();
        assertThat(pairing(concat(outside, G2))).isEqualTo(1);
        byte[] compressed = new supranational.blst.P1_Affine(outside).compress();
        assertThat(run(logic::bls12381P1Decompress, compressed)).isEqualTo(outside);
    }

    @Test
    void badElementsReturnOne() {
        byte[] offCurve = G1.clone();
        offCurve[95] ^= 1;
        assertThat(run(logic::bls12381P1Sum, concat(new byte[] {0}, offCurve))).isNull();
        assertThat(run(logic::bls12381P1Sum, concat(new byte[] {2}, G1)))
                .as("sign 2")
                .isNull();
        byte[] flagged = G1.clone();
        flagged[0] |= (byte) 0x80;
        assertThat(run(logic::bls12381P1Sum, concat(new byte[] {0}, flagged))).isNull();
        byte[] xOverP = concat(
                fp(P.add(new BigInteger(1, java.util.Arrays.copyOf(G1, 48)))),
                java.util.Arrays.copyOfRange(G1, 48, 96));
        assertThat(run(logic::bls12381G1Multiexp, concat(xOverP, le(BigInteger.ONE))))
                .isNull();
        assertThat(pairing(concat(offCurve, G2))).isEqualTo(1);
        byte[] g2OffCurve = G2.clone();
        g2OffCurve[191] ^= 1;
        assertThat(pairing(concat(G1, g2OffCurve))).isEqualTo(1);
        assertThat(run(logic::bls12381P2Sum, concat(new byte[] {0}, g2OffCurve)))
                .isNull();
        byte[] zeroNoFlag = new byte[96];
        assertThat(run(logic::bls12381P1Sum, concat(new byte[] {0}, zeroNoFlag)))
                .as("(0, 0) without the infinity flag is not a point")
                .isNull();
    }

    @Test
    void lengthThatIsNotWholeElementsIsBls12381InvalidInput() {
        assertThatThrownBy(() -> run(logic::bls12381P1Sum, new byte[98]))
                .isInstanceOf(HostError.class)
                .hasMessage("Incorrect input length for bls12381_p1_sum: 98 is not divisible by 97")
                .extracting(e -> ((HostError) e).variant())
                .isEqualTo("BLS12381InvalidInput");
        assertThatThrownBy(() -> run(logic::bls12381G2Multiexp, new byte[225]))
                .hasMessage("Incorrect input length for bls12381_p2_multiexp: 225 is not divisible by 224");
        assertThatThrownBy(() -> run(logic::bls12381P2Decompress, new byte[95]))
                .hasMessage("Incorrect input length for bls12381_p2_decompress: 95 is not divisible by 96");
        assertThatThrownBy(() -> pairing(new byte[289]))
                .hasMessage("Incorrect input length for bls12381_pairing_check: 289 is not divisible by 288");
    }

    @Test
    void aContractReachesTheHostFunctions() {
        try (ContractSimulator sim = TestContracts.simulator(true)) {
            sim.deploy("bls.test.near", TestContracts.wasm("bls12381"));
            Outcome decompressed = sim.execute(CallRequest.call("bls.test.near", "p1_decompress", G1_COMPRESSED));
            assertThat(decompressed.success()).as(decompressed.errorMessage()).isTrue();
            assertThat(decompressed.result()).isEqualTo(concat(new byte[] {0}, G1));
            Outcome doubled =
                    sim.execute(CallRequest.call("bls.test.near", "g2_multiexp", concat(G2, le(BigInteger.TWO))));
            assertThat(doubled.result()).isEqualTo(concat(new byte[] {0}, g2Times(BigInteger.TWO)));
            Outcome notOne = sim.execute(CallRequest.call("bls.test.near", "pairing_check", concat(G1, G2)));
            assertThat(notOne.result()).containsExactly(2);
            assertThat(notOne.gasBurnt())
                    .isGreaterThan(ExtCost.bls12381_pairing_base.gas + ExtCost.bls12381_pairing_element.gas);
            Outcome bad = sim.execute(CallRequest.call("bls.test.near", "p1_decompress", new byte[47]));
            assertThat(bad.success()).isFalse();
            assertThat(bad.errorMessage()).contains("BLS12381InvalidInput");
        }
    }

    @Test
    void elementsAreChargedFromValueLenBeforeTheRead() {
        // A register input (len u64::MAX) is charged u64::MAX / 97 elements first, as nearcore.
        assertThatThrownBy(() -> logic.bls12381P1Sum(memory, -1L, 0, 1))
                .isInstanceOf(HostError.class)
                .extracting(e -> ((HostError) e).variant())
                .isEqualTo("IntegerOverflow");
        assertThat(logic.profile().gas(ExtCost.bls12381_p1_sum_base)).isEqualTo(ExtCost.bls12381_p1_sum_base.gas);
    }
}

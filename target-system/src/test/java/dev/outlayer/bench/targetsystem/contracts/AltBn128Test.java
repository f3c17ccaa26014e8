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
 * alt_bn128_g1_sum and alt_bn128_g1_multiexp against EIP-196 vectors (big-endian there; nearcore
 * takes and gives 32-byte little-endian values), their errors and their gas.
 */
class AltBn128Test {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] G = point("01", "02");
    // EIP-196 / go-ethereum bn256Add "chfast1": A + B = SUM.
    private static final byte[] A = point(
            "18b18acfb4c2c30276db5411368e7185b311dd124691610c5d3b74034e093dc9",
            "063c909c4720840cb5134cb9f59fa749755796819658d32efc0d288198f37266");
    private static final byte[] B = point(
            "07c2b7f58a84bd6145f00c9c2bc0bb1a187f20ff2c92963a88019e7c6a014eed",
            "06614e20c147e940f2d70da3f74c9a17df361706a4485c742bd6788478fa17d7");
    private static final byte[] SUM = point(
            "2243525c5efd4b9c3d3c45ac0ca3fe4dd85e830a4ce6b65fa1eeaee202839703",
            "301d1d33be6da8e509df21cc35964723180eed7532537db9ae5e7d48f195c915");
    // (1, 2) doubled (EIP-196's ecAdd of the generator with itself).
    private static final byte[] TWO_G = point(
            "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3",
            "15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4");

    private final Memory memory = new ByteArrayMemory(new MemoryLimits(1));
    private final VmLogic logic = TestContracts.hostFunctionLogic();

    /** A point in nearcore's encoding from big-endian hex coordinates. */
    private static byte[] point(String x, String y) {
        byte[] out = new byte[64];
        System.arraycopy(le(new BigInteger(x, 16)), 0, out, 0, 32);
        System.arraycopy(le(new BigInteger(y, 16)), 0, out, 32, 32);
        return out;
    }

    static byte[] le(BigInteger value) {
        byte[] be = value.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    private byte[] sum(byte[] input) {
        memory.write(0, input);
        logic.altBn128G1Sum(memory, input.length, 0, 1);
        return register();
    }

    private byte[] multiexp(byte[] input) {
        memory.write(0, input);
        logic.altBn128G1Multiexp(memory, input.length, 0, 1);
        return register();
    }

    private byte[] register() {
        logic.readRegister(memory, 1, 8192);
        return memory.readBytes(8192, (int) logic.registerLen(1));
    }

    @Test
    void g1SumAddsAndSubtractsAsEip196() {
        assertThat(sum(concat(new byte[] {0}, A, new byte[] {0}, B))).isEqualTo(SUM);
        assertThat(sum(concat(new byte[] {0}, G, new byte[] {0}, G))).isEqualTo(TWO_G);
        assertThat(sum(concat(new byte[] {0}, SUM, new byte[] {1}, B))).isEqualTo(A);
        assertThat(sum(concat(new byte[] {0}, G, new byte[] {1}, G)))
                .as("infinity is (0, 0)")
                .isEqualTo(new byte[64]);
        assertThat(sum(new byte[0])).isEqualTo(new byte[64]);
        assertThat(logic.profile().gas(ExtCost.alt_bn128_g1_sum_base)).isEqualTo(5 * ExtCost.alt_bn128_g1_sum_base.gas);
        assertThat(logic.profile().gas(ExtCost.alt_bn128_g1_sum_element))
                .isEqualTo(8 * ExtCost.alt_bn128_g1_sum_element.gas);
    }

    @Test
    void g1MultiexpMultipliesAndSums() {
        assertThat(multiexp(concat(G, le(BigInteger.TWO)))).isEqualTo(TWO_G);
        assertThat(multiexp(concat(A, le(BigInteger.ONE), B, le(BigInteger.ONE))))
                .isEqualTo(SUM);
        // (r - 1) * G = -G = (1, q - 2).
        byte[] minusG = point("01", AltBn128.Q.subtract(BigInteger.TWO).toString(16));
        assertThat(multiexp(concat(G, le(AltBn128.R.subtract(BigInteger.ONE))))).isEqualTo(minusG);
        assertThat(logic.profile().gas(ExtCost.alt_bn128_g1_multiexp_element))
                .isEqualTo(4 * ExtCost.alt_bn128_g1_multiexp_element.gas);
    }

    @Test
    void badInputIsAltBn128InvalidInput() {
        byte[] offCurve = point("01", "03");
        assertThatThrownBy(() -> sum(concat(new byte[] {0}, offCurve)))
                .isInstanceOf(HostError.class)
                .hasMessageStartingWith("invalid g1")
                .extracting(e -> ((HostError) e).variant())
                .isEqualTo("AltBn128InvalidInput");
        assertThatThrownBy(() -> sum(concat(new byte[] {2}, G))).hasMessageStartingWith("invalid bool");
        assertThatThrownBy(() -> sum(new byte[64]))
                .hasMessage("slice of size 64 cannot be precisely split into chunks of size 65");
        // Rust's {:X?} of the bytes, as nearcore formats them.
        assertThatThrownBy(() -> multiexp(concat(G, le(AltBn128.R))))
                .hasMessage("invalid fr: [1, 0, 0, F0, 93, F5, E1, 43, 91, 70, B9, 79, 48, E8, 33, 28, 5D, 58, 81, 81,"
                        + " B6, 45, 50, B8, 29, A0, 31, E1, 72, 4E, 64, 30]");
        assertThatThrownBy(() -> multiexp(concat(G, le(AltBn128.R)))).hasMessageStartingWith("invalid fr");
        assertThatThrownBy(() -> multiexp(concat(point(AltBn128.Q.toString(16), "02"), le(BigInteger.ONE))))
                .hasMessageStartingWith("invalid fq");
    }
}

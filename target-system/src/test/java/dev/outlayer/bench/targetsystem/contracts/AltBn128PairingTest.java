package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.AltBn128Test.concat;
import static dev.outlayer.bench.targetsystem.contracts.AltBn128Test.le;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outlayer.bench.targetsystem.contracts.AltBn128Pairing.Fq12;
import dev.outlayer.bench.targetsystem.contracts.AltBn128Pairing.Fq2;
import dev.outlayer.bench.targetsystem.contracts.AltBn128Pairing.G1;
import dev.outlayer.bench.targetsystem.contracts.AltBn128Pairing.G2;
import dev.outlayer.bench.targetsystem.contracts.AltBn128Pairing.Pair;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * alt_bn128_pairing_check: go-ethereum's EIP-197 vectors (bn256Pairing.json, converted to nearcore's
 * encoding), bilinearity with random scalars, nearcore's input errors and its gas.
 */
class AltBn128PairingTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger Q = AltBn128.Q;
    private static final BigInteger R = AltBn128.R;
    private static final byte[] G1_GENERATOR = g1(BigInteger.ONE, BigInteger.TWO);
    // EIP-197's G2 generator.
    private static final G2 G2_GENERATOR = new G2(
            new Fq2(
                    new BigInteger("1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed", 16),
                    new BigInteger("198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2", 16)),
            new Fq2(
                    new BigInteger("12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa", 16),
                    new BigInteger("090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b", 16)));

    private final Memory memory = new ByteArrayMemory(new MemoryLimits(2));
    private final VmLogic logic = TestContracts.hostFunctionLogic();
    private final Random random = new Random(197);

    private long check(byte[] input) {
        memory.write(0, input);
        return logic.altBn128PairingCheck(memory, input.length, 0);
    }

    @Test
    void goEthereumVectorsGiveTheirResults() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/alt_bn128/bn256Pairing.json")) {
            vectors = new ObjectMapper().readTree(in);
        }
        assertThat(vectors).hasSize(11);
        int trues = 0;
        for (JsonNode vector : vectors) {
            byte[] input = fromEthereum(HEX.parseHex(vector.get("Input").asText()));
            long expected = new BigInteger(vector.get("Expected").asText(), 16).longValueExact();
            assertThat(check(input)).as(vector.get("Name").asText()).isEqualTo(expected);
            trues += (int) expected;
        }
        assertThat(trues).as("true and false cases").isEqualTo(9);
    }

    @Test
    void bilinearWithRandomScalars() {
        BigInteger a = scalar();
        BigInteger b = scalar();
        G2 q = G2_GENERATOR.times(scalar());
        byte[] p = g1Times(G1_GENERATOR, scalar());
        // e(aP, bQ) e(-abP, Q) = 1
        assertThat(check(concat(
                        g1Times(p, a),
                        g2(q.times(b)),
                        negate(g1Times(p, a.multiply(b).mod(R))),
                        g2(q))))
                .isEqualTo(1);
        // e(aP, Q) e(-P, aQ) = 1
        assertThat(check(concat(g1Times(p, a), g2(q), negate(p), g2(q.times(a)))))
                .isEqualTo(1);
        // One scalar off by one breaks it.
        assertThat(check(concat(g1Times(p, a.add(BigInteger.ONE)), g2(q), negate(p), g2(q.times(a)))))
                .isZero();
        // Non-degenerate: e(P, Q) alone is not one, nor e(P, Q)^2.
        assertThat(check(concat(p, g2(q)))).isZero();
        assertThat(check(concat(p, g2(q), p, g2(q)))).isZero();
        // Three pairs: e(aP, Q) e(bP, Q) e(-(a + b)P, Q) = 1
        assertThat(check(concat(
                        g1Times(p, a),
                        g2(q),
                        g1Times(p, b),
                        g2(q),
                        negate(g1Times(p, a.add(b).mod(R))),
                        g2(q))))
                .isEqualTo(1);
    }

    @Test
    void pointsAtInfinityPairToOne() {
        byte[] infinityG1 = new byte[64];
        byte[] infinityG2 = new byte[128];
        byte[] p = g1Times(G1_GENERATOR, scalar());
        G2 q = G2_GENERATOR.times(scalar());
        assertThat(check(new byte[0])).as("empty product").isEqualTo(1);
        assertThat(check(concat(infinityG1, g2(q)))).isEqualTo(1);
        assertThat(check(concat(p, infinityG2))).isEqualTo(1);
        assertThat(check(concat(infinityG1, infinityG2))).isEqualTo(1);
        assertThat(check(concat(p, g2(q), infinityG1, g2(q), negate(p), g2(q)))).isEqualTo(1);
        assertThat(check(concat(p, g2(q), p, infinityG2))).isZero();
    }

    @Test
    void finalExponentiationIsThePowerOfTheDefinition() {
        G1 p = new G1(BigInteger.ONE, BigInteger.TWO);
        Fq12 f = AltBn128Pairing.millerLoop(List.of(new Pair(p, G2_GENERATOR.times(scalar()))));
        BigInteger exponent = Q.pow(12).subtract(BigInteger.ONE).divide(R);
        Fq12 expected = f.pow(exponent);
        assertThat(expected).isNotEqualTo(Fq12.ONE);
        assertThat(AltBn128Pairing.finalExponentiation(f)).isEqualTo(expected);
        assertThat(expected.pow(R)).as("in the order-r group").isEqualTo(Fq12.ONE);
    }

    @Test
    void montgomeryFieldArithmeticMatchesBigInteger() {
        List<BigInteger> values = new java.util.ArrayList<>(List.of(
                BigInteger.ZERO,
                BigInteger.ONE,
                BigInteger.TWO,
                Q.subtract(BigInteger.ONE),
                Q.subtract(BigInteger.TWO),
                Q.shiftRight(1),
                BigInteger.ONE.shiftLeft(64),
                BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(253)));
        for (int i = 0; i < 40; i++) {
            values.add(new BigInteger(254, random).mod(Q));
        }
        for (int i = 0; i < values.size(); i++) {
            BigInteger a = values.get(i);
            BigInteger b = values.get((i * 7 + 3) % values.size());
            BigInteger c = values.get((i * 5 + 1) % values.size());
            BigInteger d = values.get((i * 3 + 2) % values.size());
            Fq2 x = new Fq2(a, b);
            Fq2 y = new Fq2(c, d);
            assertThat(x.re()).isEqualTo(a);
            assertThat(x.im()).isEqualTo(b);
            Fq2 product = x.mul(y);
            assertThat(product.re())
                    .isEqualTo(a.multiply(c).subtract(b.multiply(d)).mod(Q));
            assertThat(product.im()).isEqualTo(a.multiply(d).add(b.multiply(c)).mod(Q));
            assertThat(x.square()).isEqualTo(x.mul(x));
            Fq2 sum = x.add(y);
            assertThat(sum.re()).isEqualTo(a.add(c).mod(Q));
            assertThat(sum.im()).isEqualTo(b.add(d).mod(Q));
            Fq2 difference = x.sub(y);
            assertThat(difference.re()).isEqualTo(a.subtract(c).mod(Q));
            assertThat(difference.im()).isEqualTo(b.subtract(d).mod(Q));
            assertThat(x.mulByXi()).isEqualTo(x.mul(AltBn128Pairing.XI));
            if (!x.isZero()) {
                assertThat(x.mul(x.inverse())).isEqualTo(Fq2.ONE);
            }
        }
    }

    @Test
    void badInputIsAltBn128InvalidInputWithNearcoresMessage() {
        byte[] q = g2(G2_GENERATOR);
        assertThatThrownBy(() -> check(new byte[191]))
                .isInstanceOf(HostError.class)
                .hasMessage("slice of size 191 cannot be precisely split into chunks of size 192")
                .extracting(e -> ((HostError) e).variant())
                .isEqualTo("AltBn128InvalidInput");
        assertThatThrownBy(() -> check(concat(g1(BigInteger.ONE, BigInteger.valueOf(3)), q)))
                .isInstanceOf(HostError.class)
                .hasMessageStartingWith("invalid g1: ");
        assertThatThrownBy(() -> check(concat(g1(Q, BigInteger.TWO), q))).hasMessage("invalid fq: " + rustHex(le(Q)));
        byte[] imaginaryOfX = q.clone();
        System.arraycopy(le(Q.add(BigInteger.ONE)), 0, imaginaryOfX, 32, 32);
        assertThatThrownBy(() -> check(concat(G1_GENERATOR, imaginaryOfX)))
                .hasMessage("invalid fq: " + rustHex(le(Q.add(BigInteger.ONE))));
        byte[] offTwist = q.clone();
        offTwist[64] ^= 1;
        assertThatThrownBy(() -> check(concat(G1_GENERATOR, offTwist)))
                .extracting(e -> ((HostError) e).variant(), Throwable::getMessage)
                .containsExactly("AltBn128InvalidInput", "invalid g2: " + rustHex(offTwist));
        G2 outside = twistPointOutsideG2();
        assertThat(outside.onCurve()).isTrue();
        assertThatThrownBy(() -> check(concat(G1_GENERATOR, g2(outside))))
                .hasMessage("invalid g2: " + rustHex(g2(outside)));
        // Every element is decoded before any pairing: a bad last one fails a check that would be 0.
        assertThatThrownBy(() -> check(concat(G1_GENERATOR, q, G1_GENERATOR, offTwist)))
                .hasMessageStartingWith("invalid g2");
    }

    @Test
    void gasIsTheBaseThenEachElementBeforeDecoding() {
        byte[] q = g2(G2_GENERATOR);
        assertThat(check(concat(G1_GENERATOR, q, negate(G1_GENERATOR), q))).isEqualTo(1);
        assertThat(logic.profile().gas(ExtCost.alt_bn128_pairing_check_base))
                .isEqualTo(ExtCost.alt_bn128_pairing_check_base.gas);
        assertThat(logic.profile().gas(ExtCost.alt_bn128_pairing_check_element))
                .isEqualTo(2 * ExtCost.alt_bn128_pairing_check_element.gas);
        byte[] offCurve = g1(BigInteger.ONE, BigInteger.valueOf(3));
        assertThatThrownBy(() -> check(concat(G1_GENERATOR, q, offCurve, q, G1_GENERATOR, q)))
                .hasMessageStartingWith("invalid g1");
        assertThat(logic.profile().gas(ExtCost.alt_bn128_pairing_check_element))
                .as("the three elements of the failed call are paid")
                .isEqualTo(5 * ExtCost.alt_bn128_pairing_check_element.gas);
        assertThatThrownBy(() -> check(new byte[193])).hasMessageContaining("chunks of size 192");
        assertThat(logic.profile().gas(ExtCost.alt_bn128_pairing_check_base))
                .isEqualTo(3 * ExtCost.alt_bn128_pairing_check_base.gas);
        assertThat(logic.profile().gas(ExtCost.alt_bn128_pairing_check_element))
                .as("a length that does not divide pays no element")
                .isEqualTo(5 * ExtCost.alt_bn128_pairing_check_element.gas);
    }

    @Test
    void readsItsInputFromARegister() {
        byte[] input = concat(G1_GENERATOR, g2(G2_GENERATOR), negate(G1_GENERATOR), g2(G2_GENERATOR));
        memory.write(0, input);
        logic.writeRegister(memory, 7, input.length, 0);
        assertThat(logic.altBn128PairingCheck(memory, -1L, 7)).isEqualTo(1);
        assertThat(logic.profile().gas(ExtCost.alt_bn128_pairing_check_element))
                .isEqualTo(2 * ExtCost.alt_bn128_pairing_check_element.gas);
    }

    @Test
    void aContractReachesTheHostFunction() {
        byte[] q = g2(G2_GENERATOR);
        try (ContractSimulator sim = TestContracts.simulator(true)) {
            sim.deploy("bn.test.near", TestContracts.wasm("alt_bn128"));
            Outcome one = sim.execute(CallRequest.call(
                    "bn.test.near", "pairing_check", concat(G1_GENERATOR, q, negate(G1_GENERATOR), q)));
            assertThat(one.success()).as(one.errorMessage()).isTrue();
            assertThat(one.result()).containsExactly(1);
            assertThat(one.gasBurnt())
                    .isGreaterThan(
                            ExtCost.alt_bn128_pairing_check_base.gas + 2 * ExtCost.alt_bn128_pairing_check_element.gas);
            Outcome notOne = sim.execute(CallRequest.call("bn.test.near", "pairing_check", concat(G1_GENERATOR, q)));
            assertThat(notOne.result()).containsExactly(0);
            Outcome bad = sim.execute(CallRequest.call("bn.test.near", "pairing_check", new byte[100]));
            assertThat(bad.success()).isFalse();
            assertThat(bad.errorKind()).isEqualTo("HostError");
            assertThat(bad.errorMessage()).startsWith("AltBn128InvalidInput: ");
        }
    }

    @Test
    void theHostFunctionIsLinkedAsNearcoresSignature() {
        var fn = NearImports.table().get("alt_bn128_pairing_check");
        assertThat(fn.type().params()).hasSize(2);
        assertThat(fn.type().returns()).hasSize(1);
    }

    // ---- helpers ----

    private BigInteger scalar() {
        return new BigInteger(256, random).mod(R.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    }

    /** EIP-197's 192-byte elements (big-endian; G2 as x_im, x_re, y_im, y_re) in nearcore's encoding. */
    private static byte[] fromEthereum(byte[] input) {
        byte[] out = new byte[input.length];
        int[] from = {0, 1, 3, 2, 5, 4}; // nearcore's words: x, y, x_re, x_im, y_re, y_im
        for (int element = 0; element < input.length; element += 192) {
            for (int word = 0; word < 6; word++) {
                for (int i = 0; i < 32; i++) {
                    out[element + word * 32 + i] = input[element + from[word] * 32 + 31 - i];
                }
            }
        }
        return out;
    }

    private static byte[] g1(BigInteger x, BigInteger y) {
        return concat(le(x), le(y));
    }

    private static byte[] g2(G2 point) {
        return concat(
                le(point.x().re()),
                le(point.x().im()),
                le(point.y().re()),
                le(point.y().im()));
    }

    private static byte[] g1Times(byte[] point, BigInteger k) {
        return AltBn128.g1Multiexp(concat(point, le(k)));
    }

    private static byte[] negate(byte[] point) {
        BigInteger y = new BigInteger(1, reverse(point, 32));
        return concat(java.util.Arrays.copyOf(point, 32), le(Q.subtract(y).mod(Q)));
    }

    /** The first twist point with x = k (k = 1, 2, ...) outside the order-r subgroup G2. */
    private static G2 twistPointOutsideG2() {
        for (int k = 1; ; k++) {
            Fq2 x = Fq2.of(BigInteger.valueOf(k));
            Fq2 y = sqrt(x.square().mul(x).add(AltBn128Pairing.TWIST_B));
            // [r]Q is not infinity: Q is outside G2 (as nearly every twist point is: the cofactor is ~p).
            if (y != null && new G2(x, y).times(R) != null) {
                return new G2(x, y);
            }
        }
    }

    /** A square root in Fq2 through the norm (q = 3 mod 4), or null. */
    private static Fq2 sqrt(Fq2 a) {
        BigInteger norm = a.re().pow(2).add(a.im().pow(2)).mod(Q);
        BigInteger s = fqSqrt(norm);
        if (s == null) {
            return null;
        }
        BigInteger half = BigInteger.TWO.modInverse(Q);
        for (BigInteger root : List.of(s, Q.subtract(s))) {
            BigInteger x0 = fqSqrt(a.re().add(root).multiply(half).mod(Q));
            if (x0 != null && x0.signum() != 0) {
                Fq2 candidate = new Fq2(
                        x0, a.im().multiply(x0.shiftLeft(1).modInverse(Q)).mod(Q));
                if (candidate.square().equals(a)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static BigInteger fqSqrt(BigInteger a) {
        BigInteger root = a.modPow(Q.add(BigInteger.ONE).shiftRight(2), Q);
        return root.multiply(root).mod(Q).equals(a) ? root : null;
    }

    /** Bytes as Rust's {@code {:X?}} prints them, as nearcore's messages carry them. */
    private static String rustHex(byte[] bytes) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < bytes.length; i++) {
            out.append(i == 0 ? "" : ", ").append(String.format("%X", bytes[i] & 0xff));
        }
        return out.append(']').toString();
    }

    private static byte[] reverse(byte[] data, int offset) {
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = data[offset + 31 - i];
        }
        return out;
    }
}

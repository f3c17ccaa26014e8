package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * nearcore's alt_bn128 G1 operations (logic/alt_bn128.rs) on Ethereum's BN254 curve
 * (y^2 = x^3 + 3 over Fq, EIP-196), with Bouncy Castle's elliptic-curve arithmetic. Values are
 * nearcore's encoding: 32-byte little-endian integers, a point as x || y with (0, 0) for the point
 * at infinity. G1 has cofactor 1, so a point on the curve is in the group. The pairing check has no
 * Bouncy Castle counterpart: {@link AltBn128Pairing} computes it.
 */
final class AltBn128 {
    static final BigInteger Q = new BigInteger("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47", 16);
    static final BigInteger R = new BigInteger("30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", 16);
    private static final ECCurve CURVE = new ECCurve.Fp(Q, BigInteger.ZERO, BigInteger.valueOf(3), R, BigInteger.ONE);
    private static final int SCALAR = 32;
    private static final int POINT = 64;

    private AltBn128() {}

    /** How many elements of {@code size} bytes {@code data} holds; AltBn128InvalidInput unless it divides. */
    static int elements(byte[] data, int size) {
        if (data.length % size != 0) {
            // nearcore's stdx::InexactChunkingError
            throw invalid("slice of size " + data.length + " cannot be precisely split into chunks of size " + size);
        }
        return data.length / size;
    }

    /** Sum of point_i * scalar_i over elements of 96 bytes (point, Fr scalar). */
    static byte[] g1Multiexp(byte[] data) {
        int n = elements(data, POINT + SCALAR);
        ECPoint sum = CURVE.getInfinity();
        for (int i = 0; i < n; i++) {
            ECPoint point = decodeG1(data, i * (POINT + SCALAR));
            BigInteger scalar = decodeU256(data, i * (POINT + SCALAR) + POINT);
            if (scalar.compareTo(R) >= 0) {
                throw invalid("invalid fr", data, i * (POINT + SCALAR) + POINT, SCALAR);
            }
            sum = sum.add(point.multiply(scalar));
        }
        return encodeG1(sum);
    }

    /** Sum of the points of 65-byte elements (sign byte: 0 add, 1 subtract; point). */
    static byte[] g1Sum(byte[] data) {
        int n = elements(data, 1 + POINT);
        ECPoint sum = CURVE.getInfinity();
        for (int i = 0; i < n; i++) {
            int at = i * (1 + POINT);
            byte sign = data[at];
            if (sign != 0 && sign != 1) {
                throw invalid("invalid bool", data, at, 1);
            }
            ECPoint point = decodeG1(data, at + 1);
            sum = sign == 1 ? sum.subtract(point) : sum.add(point);
        }
        return encodeG1(sum);
    }

    /** Whether the product of the pairings of 192-byte elements (G1 point, G2 point) is one. */
    static boolean pairingCheck(byte[] data) {
        int n = elements(data, POINT + 2 * POINT);
        List<AltBn128Pairing.Pair> pairs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = i * (POINT + 2 * POINT);
            ECPoint g1 = decodeG1(data, at);
            AltBn128Pairing.G2 g2 = decodeG2(data, at + POINT);
            // A point at infinity makes its pairing one: it leaves the product as it is.
            if (!g1.isInfinity() && g2 != null) {
                ECPoint affine = g1.normalize();
                AltBn128Pairing.G1 p = new AltBn128Pairing.G1(
                        affine.getAffineXCoord().toBigInteger(),
                        affine.getAffineYCoord().toBigInteger());
                pairs.add(new AltBn128Pairing.Pair(p, g2));
            }
        }
        return AltBn128Pairing.productIsOne(pairs);
    }

    private static ECPoint decodeG1(byte[] data, int at) {
        BigInteger x = decodeFq(data, at);
        BigInteger y = decodeFq(data, at + SCALAR);
        if (x.signum() == 0 && y.signum() == 0) {
            return CURVE.getInfinity();
        }
        try {
            return CURVE.validatePoint(x, y);
        } catch (IllegalArgumentException notOnCurve) {
            throw invalid("invalid g1", data, at, POINT);
        }
    }

    /**
     * A G2 point as x || y, each an Fq2 as real || imaginary (nearcore's order; EIP-197's is the
     * reverse); null for (0, 0), the point at infinity. The bn crate refuses a point off the twist
     * or outside the order-r subgroup, both as "invalid g2".
     */
    private static AltBn128Pairing.G2 decodeG2(byte[] data, int at) {
        AltBn128Pairing.Fq2 x = decodeFq2(data, at);
        AltBn128Pairing.Fq2 y = decodeFq2(data, at + POINT);
        if (x.isZero() && y.isZero()) {
            return null;
        }
        AltBn128Pairing.G2 point = new AltBn128Pairing.G2(x, y);
        if (!point.onCurve() || !point.inSubgroup()) {
            throw invalid("invalid g2", data, at, 2 * POINT);
        }
        return point;
    }

    private static AltBn128Pairing.Fq2 decodeFq2(byte[] data, int at) {
        return new AltBn128Pairing.Fq2(decodeFq(data, at), decodeFq(data, at + SCALAR));
    }

    private static BigInteger decodeFq(byte[] data, int at) {
        BigInteger value = decodeU256(data, at);
        if (value.compareTo(Q) >= 0) {
            throw invalid("invalid fq", data, at, SCALAR);
        }
        return value;
    }

    private static byte[] encodeG1(ECPoint point) {
        byte[] out = new byte[POINT];
        if (!point.isInfinity()) {
            ECPoint affine = point.normalize();
            encodeU256(affine.getAffineXCoord().toBigInteger(), out, 0);
            encodeU256(affine.getAffineYCoord().toBigInteger(), out, SCALAR);
        }
        return out;
    }

    private static BigInteger decodeU256(byte[] data, int at) {
        byte[] bigEndian = new byte[SCALAR];
        for (int i = 0; i < SCALAR; i++) {
            bigEndian[i] = data[at + SCALAR - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    private static void encodeU256(BigInteger value, byte[] out, int at) {
        byte[] bigEndian = value.toByteArray();
        for (int i = 0; i < SCALAR && i < bigEndian.length; i++) {
            out[at + i] = bigEndian[bigEndian.length - 1 - i];
        }
    }

    private static HostError invalid(String message) {
        return new HostError(new HostError.AltBn128InvalidInput(message));
    }

    /** nearcore's message: what is wrong and the offending bytes as Rust's {@code {:X?}} prints them. */
    private static HostError invalid(String what, byte[] data, int at, int length) {
        StringJoiner bytes = new StringJoiner(", ", "[", "]");
        for (int i = at; i < at + length; i++) {
            bytes.add(Integer.toHexString(data[i] & 0xff).toUpperCase(Locale.ROOT));
        }
        return invalid(what + ": " + bytes);
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import supranational.blst.P1;
import supranational.blst.P1_Affine;
import supranational.blst.P2;
import supranational.blst.P2_Affine;
import supranational.blst.PT;

/**
 * nearcore's bls12381_* host functions (logic/bls12381.rs) with Supranational's blst, the library
 * nearcore calls, through Consensys' Java binding (jblst). Points are blst's (ZCash) encoding:
 * big-endian, uncompressed 96 bytes for G1 and 192 for G2 (Fp2 as c1 || c0), the infinity flag 0x40,
 * compressed 48 and 96 bytes with the 0x80 flag. An input that is not whole elements is a
 * {@code BLS12381InvalidInput} HostError; an element that does not decode gives {@code null} (the
 * host function returns 1). Protocol 86 semantics: a point outside its subgroup with x = 0, the
 * (0, ±2) corner case of NEP-488, is refused by sum and decompress as blst's deserialize does.
 * {@code map_fp_to_g1} / {@code map_fp2_to_g2} decode here and map in {@link Bls12381MapToCurve}:
 * jblst binds hash-to-curve only, not blst's map of a raw field element.
 */
final class Bls12381 {
    static final int P1_SIZE = 96;
    static final int P2_SIZE = 192;
    static final int P1_COMPRESSED_SIZE = 48;
    static final int P2_COMPRESSED_SIZE = 96;
    static final int SCALAR_SIZE = 32;
    static final int FP_SIZE = 48;
    static final int FP2_SIZE = 96;
    static final int P1_SUM_ITEM = 1 + P1_SIZE;
    static final int P2_SUM_ITEM = 1 + P2_SIZE;
    static final int G1_MULTIEXP_ITEM = P1_SIZE + SCALAR_SIZE;
    static final int G2_MULTIEXP_ITEM = P2_SIZE + SCALAR_SIZE;
    static final int PAIRING_ITEM = P1_SIZE + P2_SIZE;

    /** One of the two groups, as the functions below need it (blst's P1 and P2 share no interface). */
    private record Group<P>(
            String name,
            int size,
            int compressedSize,
            Function<byte[], P> deserialize,
            Supplier<P> identity,
            BinaryOperator<P> add,
            UnaryOperator<P> negate,
            BiFunction<P, BigInteger, P> multiply,
            Predicate<P> inGroup,
            Function<P, byte[]> serialize,
            Function<byte[], byte[]> decompress) {}

    private static final Group<P1> G1 = new Group<>(
            "bls12381_p1",
            P1_SIZE,
            P1_COMPRESSED_SIZE,
            P1::new,
            P1::new,
            P1::add,
            P1::neg,
            P1::mult,
            P1::in_group,
            P1::serialize,
            bytes -> new P1_Affine(bytes).serialize());
    private static final Group<P2> G2 = new Group<>(
            "bls12381_p2",
            P2_SIZE,
            P2_COMPRESSED_SIZE,
            P2::new,
            P2::new,
            P2::add,
            P2::neg,
            P2::mult,
            P2::in_group,
            P2::serialize,
            bytes -> new P2_Affine(bytes).serialize());

    private Bls12381() {}

    static byte[] p1Sum(byte[] data) {
        return sum(G1, data);
    }

    static byte[] p2Sum(byte[] data) {
        return sum(G2, data);
    }

    static byte[] g1Multiexp(byte[] data) {
        return multiexp(G1, data);
    }

    static byte[] g2Multiexp(byte[] data) {
        return multiexp(G2, data);
    }

    static byte[] p1Decompress(byte[] data) {
        return decompress(G1, data);
    }

    static byte[] p2Decompress(byte[] data) {
        return decompress(G2, data);
    }

    /** nearcore's map_fp_to_g1: each 48-byte big-endian Fp element (below p) to its G1 point, 96 bytes. */
    static byte[] mapFpToG1(byte[] data) {
        checkLength(data, FP_SIZE, "bls12381_map_fp_to_g1");
        byte[] out = new byte[data.length / FP_SIZE * P1_SIZE];
        for (int at = 0, to = 0; at < data.length; at += FP_SIZE, to += P1_SIZE) {
            BigInteger u = canonicalFp(data, at);
            if (u == null) {
                return null;
            }
            System.arraycopy(Bls12381MapToCurve.mapToG1(u), 0, out, to, P1_SIZE);
        }
        return out;
    }

    /** nearcore's map_fp2_to_g2: each 96-byte Fp2 element (c1 || c0, each below p) to its G2 point, 192 bytes. */
    static byte[] mapFp2ToG2(byte[] data) {
        checkLength(data, FP2_SIZE, "bls12381_map_fp2_to_g2");
        byte[] out = new byte[data.length / FP2_SIZE * P2_SIZE];
        for (int at = 0, to = 0; at < data.length; at += FP2_SIZE, to += P2_SIZE) {
            BigInteger c1 = canonicalFp(data, at);
            BigInteger c0 = canonicalFp(data, at + FP_SIZE);
            if (c0 == null || c1 == null) {
                return null;
            }
            System.arraycopy(Bls12381MapToCurve.mapToG2(c0, c1), 0, out, to, P2_SIZE);
        }
        return out;
    }

    /** nearcore's read_fp_point: blst reduces the bytes mod p, and a value that changes (>= p) is refused. */
    private static BigInteger canonicalFp(byte[] data, int at) {
        BigInteger value = new BigInteger(1, Arrays.copyOfRange(data, at, at + FP_SIZE));
        return value.compareTo(Bls12381MapToCurve.P) < 0 ? value : null;
    }

    /** Signed sum over elements of (sign byte 0 or 1, uncompressed point); on-curve points, no subgroup check. */
    private static <P> byte[] sum(Group<P> group, byte[] data) {
        int item = 1 + group.size();
        checkLength(data, item, group.name() + "_sum");
        P total = group.identity().get();
        for (int at = 0; at < data.length; at += item) {
            P point = deserialize(group, data, at + 1);
            byte sign = data[at];
            if (point == null || (sign != 0 && sign != 1)) {
                return null;
            }
            total = group.add().apply(total, sign == 1 ? group.negate().apply(point) : point);
        }
        return group.serialize().apply(total);
    }

    /** Sum of point * scalar over elements of (uncompressed point in the subgroup, 32-byte little-endian scalar). */
    private static <P> byte[] multiexp(Group<P> group, byte[] data) {
        int item = group.size() + SCALAR_SIZE;
        checkLength(data, item, group.name() + "_multiexp");
        P total = group.identity().get();
        for (int at = 0; at < data.length; at += item) {
            P point = deserialize(group, data, at);
            if (point == null || !group.inGroup().test(point)) {
                return null;
            }
            BigInteger scalar = littleEndian(data, at + group.size(), SCALAR_SIZE);
            total = group.add().apply(total, group.multiply().apply(point, scalar));
        }
        return group.serialize().apply(total);
    }

    /** Each compressed point (0x80 flag set) to its uncompressed encoding; on the curve, no subgroup check. */
    private static <P> byte[] decompress(Group<P> group, byte[] data) {
        int item = group.compressedSize();
        checkLength(data, item, group.name() + "_decompress");
        byte[] out = new byte[data.length / item * group.size()];
        for (int at = 0, to = 0; at < data.length; at += item, to += group.size()) {
            if ((data[at] & 0x80) == 0) {
                return null;
            }
            try {
                byte[] point = group.decompress().apply(Arrays.copyOfRange(data, at, at + item));
                System.arraycopy(point, 0, out, to, group.size());
            } catch (RuntimeException notAPoint) {
                return null; // blst's BLST_ERROR: bad encoding, not on the curve, or x = 0
            }
        }
        return out;
    }

    /**
     * nearcore's pairing_check over elements of (G1 point, G2 point), both uncompressed and in their
     * subgroups: 0 when the product of the pairings is one, 2 when it is not, 1 for a bad element.
     */
    static long pairingCheck(byte[] data) {
        checkLength(data, PAIRING_ITEM, "bls12381_pairing_check");
        int n = data.length / PAIRING_ITEM;
        P1_Affine[] g1 = new P1_Affine[n];
        P2_Affine[] g2 = new P2_Affine[n];
        for (int i = 0; i < n; i++) {
            int at = i * PAIRING_ITEM;
            if ((data[at] & 0x80) != 0 || (data[at + P1_SIZE] & 0x80) != 0) {
                return 1;
            }
            try {
                g1[i] = new P1_Affine(Arrays.copyOfRange(data, at, at + P1_SIZE));
                g2[i] = new P2_Affine(Arrays.copyOfRange(data, at + P1_SIZE, at + PAIRING_ITEM));
            } catch (RuntimeException notAPoint) {
                return 1;
            }
            if (!g1[i].in_group() || !g2[i].in_group()) {
                return 1;
            }
        }
        PT product = PT.one();
        for (int i = 0; i < n; i++) {
            product = product.mul(new PT(g1[i], g2[i])); // blst's Miller loop
        }
        return product.final_exp().is_one() ? 0 : 2;
    }

    /** An uncompressed point, or null: the 0x80 (compressed) flag, or blst's BLST_ERROR for the bytes. */
    private static <P> P deserialize(Group<P> group, byte[] data, int at) {
        if ((data[at] & 0x80) != 0) {
            return null;
        }
        try {
            return group.deserialize().apply(Arrays.copyOfRange(data, at, at + group.size()));
        } catch (RuntimeException notAPoint) {
            return null;
        }
    }

    private static BigInteger littleEndian(byte[] data, int at, int length) {
        byte[] bigEndian = new byte[length];
        for (int i = 0; i < length; i++) {
            bigEndian[i] = data[at + length - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    /** nearcore's check_input_size, with its message. */
    private static void checkLength(byte[] data, int item, String function) {
        if (data.length % item != 0) {
            throw new HostError(new HostError.BLS12381InvalidInput(
                    "Incorrect input length for " + function + ": " + data.length + " is not divisible by " + item));
        }
    }
}

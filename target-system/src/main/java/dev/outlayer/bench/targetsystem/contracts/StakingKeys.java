package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;

/**
 * near-crypto's {@code is_valid_staking_key} ({@code core/crypto/src/key_conversion.rs}): an ed25519
 * key whose bytes decompress to a curve point (curve25519-dalek's {@code decompress}: the sign bit
 * apart, y taken mod p) that is torsion-free, i.e. of the prime order L (so it converts to
 * ristretto); a secp256k1 key never is. Edwards arithmetic in extended coordinates on BigIntegers:
 * one check per stake a contract sends.
 */
public final class StakingKeys {
    private StakingKeys() {}

    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger D = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(P))
            .mod(P);
    private static final BigInteger TWO_D = D.shiftLeft(1).mod(P);
    /** The order of the prime subgroup, 2^252 + 27742317777372353535851937790883648493. */
    private static final BigInteger L =
            BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
    /** sqrt(-1) = 2^((p-1)/4). */
    private static final BigInteger SQRT_M1 =
            BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

    public static boolean valid(PublicKey key) {
        if (key.curve() != PublicKey.ED25519) {
            return false;
        }
        byte[] bytes = key.data();
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = bytes[31 - i];
        }
        be[0] &= 0x7F;
        BigInteger y = new BigInteger(1, be).mod(P);
        BigInteger yy = y.multiply(y).mod(P);
        BigInteger u = yy.subtract(BigInteger.ONE).mod(P);
        BigInteger v = D.multiply(yy).add(BigInteger.ONE).mod(P);
        BigInteger x = sqrtRatio(u, v);
        if (x == null) {
            return false;
        }
        // The sign bit only negates x, and a point is torsion-free exactly when its negation is.
        BigInteger[] point = {x, y, BigInteger.ONE, x.multiply(y).mod(P)};
        BigInteger[] times = multiply(point, L);
        return times[0].signum() == 0 && times[1].equals(times[2]);
    }

    /** A square root of u / v mod p, or null when there is none. */
    private static BigInteger sqrtRatio(BigInteger u, BigInteger v) {
        BigInteger ratio = u.multiply(v.modInverse(P)).mod(P);
        BigInteger root = ratio.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (root.multiply(root).mod(P).equals(ratio)) {
            return root;
        }
        root = root.multiply(SQRT_M1).mod(P);
        return root.multiply(root).mod(P).equals(ratio) ? root : null;
    }

    private static BigInteger[] multiply(BigInteger[] point, BigInteger scalar) {
        BigInteger[] acc = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        for (int bit = scalar.bitLength() - 1; bit >= 0; bit--) {
            acc = add(acc, acc);
            if (scalar.testBit(bit)) {
                acc = add(acc, point);
            }
        }
        return acc;
    }

    /** The complete addition of extended twisted Edwards coordinates for a = -1 (add-2008-hwcd-3). */
    private static BigInteger[] add(BigInteger[] p1, BigInteger[] p2) {
        BigInteger a = p1[1].subtract(p1[0]).multiply(p2[1].subtract(p2[0])).mod(P);
        BigInteger b = p1[1].add(p1[0]).multiply(p2[1].add(p2[0])).mod(P);
        BigInteger c = p1[3].multiply(TWO_D).multiply(p2[3]).mod(P);
        BigInteger d = p1[2].shiftLeft(1).multiply(p2[2]).mod(P);
        BigInteger e = b.subtract(a);
        BigInteger f = d.subtract(c);
        BigInteger g = d.add(c);
        BigInteger h = b.add(a);
        return new BigInteger[] {
            e.multiply(f).mod(P),
            g.multiply(h).mod(P),
            f.multiply(g).mod(P),
            e.multiply(h).mod(P)
        };
    }
}

package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * The optimal ate pairing on BN254 (Ethereum's alt_bn128, EIP-197), for nearcore's
 * alt_bn128_pairing_check. Written here because no library on Maven Central has one: Bouncy Castle
 * has no pairings, and Besu's and gnark's are not published there.
 *
 * <p>The tower is Fq2 = Fq[i]/(i^2 + 1), Fq6 = Fq2[v]/(v^3 - xi) with xi = 9 + i, Fq12 =
 * Fq6[w]/(w^2 - v). G2 lives on the twist y^2 = x^3 + 3/xi over Fq2; (x, y) on the twist is (x w^2,
 * y w^3) on the curve over Fq12. Fq is Montgomery arithmetic on 64-bit limbs; above it the code
 * follows the textbook formulas, favouring being checkable over being fastest.
 */
final class AltBn128Pairing {
    private static final BigInteger P = AltBn128.Q;
    /** The BN parameter u: p and r are polynomials in it. */
    private static final long U = 4965661367192848881L;
    /** The optimal ate loop count, 6u + 2. */
    private static final BigInteger ATE_LOOP =
            BigInteger.valueOf(U).multiply(BigInteger.valueOf(6)).add(BigInteger.TWO);

    static final Fq2 XI = new Fq2(BigInteger.valueOf(9), BigInteger.ONE);
    /** The twist's b, 3 / xi. */
    static final Fq2 TWIST_B = new Fq2(BigInteger.valueOf(3), BigInteger.ZERO).mul(XI.inverse());
    /** xi^(k (p - 1) / 6) for k = 0..5: the Frobenius map multiplies the w^k coefficient by it. */
    private static final Fq2[] FROBENIUS = new Fq2[6];

    static {
        Fq2 gamma = XI.pow(P.subtract(BigInteger.ONE).divide(BigInteger.valueOf(6)));
        FROBENIUS[0] = Fq2.ONE;
        for (int k = 1; k < 6; k++) {
            FROBENIUS[k] = FROBENIUS[k - 1].mul(gamma);
        }
    }

    private AltBn128Pairing() {}

    /** A G1 point in affine coordinates (never the point at infinity here). */
    record G1(BigInteger x, BigInteger y) {}

    /** A point on the twist in affine coordinates (never the point at infinity here). */
    record G2(Fq2 x, Fq2 y) {
        boolean onCurve() {
            return y.square().equals(x.square().mul(x).add(TWIST_B));
        }

        /** In the order-r subgroup: the twist's cofactor is not 1, so being on it is not enough. */
        boolean inSubgroup() {
            // [r - 1]Q == -Q, i.e. [r]Q is the point at infinity (the bn crate's check).
            return negate().equals(times(AltBn128.R.subtract(BigInteger.ONE)));
        }

        /** [k] of this point; null for the point at infinity. */
        G2 times(BigInteger k) {
            return Jacobian.of(this).times(k).toAffine();
        }

        G2 negate() {
            return new G2(x, y.neg());
        }

        /** The untwist-Frobenius-twist endomorphism: the p-power Frobenius seen on the twist. */
        G2 frobenius() {
            return new G2(x.conj().mul(FROBENIUS[2]), y.conj().mul(FROBENIUS[3]));
        }
    }

    record Pair(G1 p, G2 q) {}

    /** Whether the product of e(p_i, q_i) is one; an empty product is. */
    static boolean productIsOne(List<Pair> pairs) {
        return finalExponentiation(millerLoop(pairs)).equals(Fq12.ONE);
    }

    /**
     * The optimal ate Miller loop of all pairs at once, sharing the squarings of f. T runs in
     * projective coordinates, so no step inverts; each line is then scaled by a factor in Fq2,
     * which the final exponentiation maps to one.
     */
    static Fq12 millerLoop(List<Pair> pairs) {
        int n = pairs.size();
        Projective[] t = new Projective[n];
        for (int j = 0; j < n; j++) {
            t[j] = Projective.of(pairs.get(j).q());
        }
        Fq12 f = Fq12.ONE;
        for (int bit = ATE_LOOP.bitLength() - 2; bit >= 0; bit--) {
            f = f.square();
            for (int j = 0; j < n; j++) {
                f = f.mul(t[j].tangent().at(pairs.get(j).p()));
                t[j] = t[j].twice();
            }
            if (ATE_LOOP.testBit(bit)) {
                for (int j = 0; j < n; j++) {
                    f = f.mul(t[j].chord(pairs.get(j).q()).at(pairs.get(j).p()));
                    t[j] = t[j].plus(pairs.get(j).q());
                }
            }
        }
        // The optimal ate correction: lines through T and pi(Q), then through T + pi(Q) and -pi^2(Q).
        for (int j = 0; j < n; j++) {
            G2 q1 = pairs.get(j).q().frobenius();
            G2 minusQ2 = q1.frobenius().negate();
            f = f.mul(t[j].chord(q1).at(pairs.get(j).p()));
            Projective last = t[j].plus(q1);
            // For Q in G2 this line is vertical (T + pi(Q) = pi^2(Q)): its value lies in Fq6, which
            // the final exponentiation maps to one, so it is left out.
            if (!last.verticalTo(minusQ2)) {
                f = f.mul(last.chord(minusQ2).at(pairs.get(j).p()));
            }
        }
        return f;
    }

    /**
     * f^((p^12 - 1) / r): the easy part (p^6 - 1)(p^2 + 1) with a conjugate, an inverse and a
     * Frobenius, then the hard part (p^4 - p^2 + 1) / r as a chain of powers of u and Frobenius
     * maps (Devegili, Scott and Dahab, "Implementing cryptographic pairings over Barreto-Naehrig
     * curves", as go-ethereum's bn256 computes it).
     */
    static Fq12 finalExponentiation(Fq12 f) {
        Fq12 t1 = f.conj().mul(f.inverse());
        t1 = t1.frobenius().frobenius().mul(t1);

        Fq12 fp = t1.frobenius();
        Fq12 fp2 = fp.frobenius();
        Fq12 fp3 = fp2.frobenius();
        Fq12 fu = t1.powU();
        Fq12 fu2 = fu.powU();
        Fq12 fu3 = fu2.powU();

        Fq12 y0 = fp.mul(fp2).mul(fp3);
        Fq12 y1 = t1.conj();
        Fq12 y2 = fu2.frobenius().frobenius();
        Fq12 y3 = fu.frobenius().conj();
        Fq12 y4 = fu.mul(fu2.frobenius()).conj();
        Fq12 y5 = fu2.conj();
        Fq12 y6 = fu3.mul(fu3.frobenius()).conj();

        Fq12 t0 = y6.square().mul(y4).mul(y5);
        Fq12 t = y3.mul(y5).mul(t0);
        t0 = t0.mul(y2);
        t = t.square().mul(t0).square();
        t0 = t.mul(y1);
        t = t.mul(y0);
        return t0.square().mul(t);
    }

    /** A line evaluated at p as y * yP + (x * xP) w + c w^3, which is sparse in the w basis. */
    private record Line(Fq2 y, Fq2 x, Fq2 c) {
        Fq12 at(G1 p) {
            return new Fq12(new Fq6(y.scale(p.y()), Fq2.ZERO, Fq2.ZERO), new Fq6(x.scale(p.x()), c, Fq2.ZERO));
        }
    }

    /** A twist point in homogeneous projective coordinates (x = X/Z, y = Y/Z), for the Miller loop. */
    private record Projective(Fq2 x, Fq2 y, Fq2 z) {
        static Projective of(G2 p) {
            return new Projective(p.x(), p.y(), Fq2.ONE);
        }

        /**
         * The tangent at this point, yP - yT - lambda (xP - xT) with lambda = 3 xT^2 / (2 yT),
         * times 2 Y Z^2: (2 Y Z^2) yP - (3 X^2 Z) xP w + (3 X^3 - 2 Y^2 Z) w^3.
         */
        Line tangent() {
            Fq2 xx3 = x.square().mul(Fq2.THREE);
            Fq2 yz = y.mul(z);
            Fq2 yy2z = y.mul(yz).add(y.mul(yz));
            return new Line(yz.add(yz).mul(z), xx3.mul(z).neg(), xx3.mul(x).sub(yy2z));
        }

        /** dbl-1998-cmo-2 with a = 0. */
        Projective twice() {
            Fq2 w = x.square().mul(Fq2.THREE);
            Fq2 s = y.mul(z);
            Fq2 b = x.mul(y).mul(s);
            Fq2 b4 = b.add(b).add(b.add(b));
            Fq2 h = w.square().sub(b4).sub(b4);
            Fq2 hs = h.mul(s);
            Fq2 ys = y.mul(s);
            Fq2 yyss8 = ys.square().mul(Fq2.EIGHT);
            Fq2 ss = s.square();
            return new Projective(
                    hs.add(hs), w.mul(b4.sub(h)).sub(yyss8), ss.mul(s).mul(Fq2.EIGHT));
        }

        /**
         * The line through this point and q, through q: with theta = yQ Z - Y and mu = xQ Z - X
         * (lambda = theta / mu), times mu: mu yP - theta xP w + (theta xQ - mu yQ) w^3.
         */
        Line chord(G2 q) {
            Fq2 theta = q.y().mul(z).sub(y);
            Fq2 mu = q.x().mul(z).sub(x);
            return new Line(mu, theta.neg(), theta.mul(q.x()).sub(mu.mul(q.y())));
        }

        boolean verticalTo(G2 q) {
            return q.x().mul(z).equals(x);
        }

        /** madd-1998-cmo: this + q for q affine and neither equal nor opposite to this. */
        Projective plus(G2 q) {
            Fq2 u = q.y().mul(z).sub(y);
            Fq2 v = q.x().mul(z).sub(x);
            Fq2 vv = v.square();
            Fq2 vvv = v.mul(vv);
            Fq2 r = vv.mul(x);
            Fq2 a = u.square().mul(z).sub(vvv).sub(r).sub(r);
            return new Projective(v.mul(a), u.mul(r.sub(a)).sub(vvv.mul(y)), vvv.mul(z));
        }
    }

    /** A twist point in Jacobian coordinates (x/z^2, y/z^3; z = 0 is infinity), for scalar multiplication. */
    private record Jacobian(Fq2 x, Fq2 y, Fq2 z) {
        static Jacobian of(G2 p) {
            return new Jacobian(p.x(), p.y(), Fq2.ONE);
        }

        boolean isInfinity() {
            return z.isZero();
        }

        /** Double and add from the top bit; the base stays affine (mixed addition). */
        Jacobian times(BigInteger k) {
            if (k.signum() == 0) {
                return new Jacobian(Fq2.ONE, Fq2.ONE, Fq2.ZERO);
            }
            G2 base = new G2(x, y); // z is one: made by of()
            Jacobian acc = this;
            for (int bit = k.bitLength() - 2; bit >= 0; bit--) {
                acc = acc.twice();
                if (k.testBit(bit)) {
                    acc = acc.plus(base);
                }
            }
            return acc;
        }

        /** dbl-2009-l (a = 0). */
        Jacobian twice() {
            if (isInfinity()) {
                return this;
            }
            Fq2 a = x.square();
            Fq2 b = y.square();
            Fq2 c = b.square();
            Fq2 d = x.add(b).square().sub(a).sub(c);
            d = d.add(d);
            Fq2 e = a.add(a).add(a);
            Fq2 x3 = e.square().sub(d).sub(d);
            Fq2 c8 = c.add(c);
            c8 = c8.add(c8);
            c8 = c8.add(c8);
            Fq2 y3 = e.mul(d.sub(x3)).sub(c8);
            Fq2 z3 = y.mul(z);
            return new Jacobian(x3, y3, z3.add(z3));
        }

        /** madd-2007-bl, with the equal and opposite cases it leaves out. */
        Jacobian plus(G2 q) {
            if (isInfinity()) {
                return of(q);
            }
            Fq2 z1z1 = z.square();
            Fq2 u2 = q.x().mul(z1z1);
            Fq2 s2 = q.y().mul(z).mul(z1z1);
            Fq2 h = u2.sub(x);
            Fq2 r = s2.sub(y);
            if (h.isZero()) {
                return r.isZero() ? twice() : new Jacobian(Fq2.ONE, Fq2.ONE, Fq2.ZERO);
            }
            r = r.add(r);
            Fq2 hh = h.square();
            Fq2 i = hh.add(hh);
            i = i.add(i);
            Fq2 j = h.mul(i);
            Fq2 v = x.mul(i);
            Fq2 x3 = r.square().sub(j).sub(v).sub(v);
            Fq2 yj = y.mul(j);
            Fq2 y3 = r.mul(v.sub(x3)).sub(yj).sub(yj);
            Fq2 z3 = z.add(h).square().sub(z1z1).sub(hh);
            return new Jacobian(x3, y3, z3);
        }

        G2 toAffine() {
            if (isInfinity()) {
                return null;
            }
            Fq2 zInverse = z.inverse();
            Fq2 zInverse2 = zInverse.square();
            return new G2(x.mul(zInverse2), y.mul(zInverse2).mul(zInverse));
        }
    }

    /**
     * Fq in Montgomery form (a 2^256 mod p) on four 64-bit little-endian limbs: with a BigInteger
     * division after each product, a two-pair check took several times as long.
     */
    private static final class Fp {
        // AltBn128.Q, not P: Fq2's constants initialise this class, possibly before the outer one.
        private static final long[] MODULUS = limbs(AltBn128.Q);
        /** -p^-1 mod 2^64. */
        private static final long INVERSE =
                AltBn128.Q.modInverse(BigInteger.ONE.shiftLeft(64)).negate().longValue();
        /** 2^512 mod p: a Montgomery product with it enters the form. */
        private static final long[] R2 = limbs(BigInteger.ONE.shiftLeft(512).mod(AltBn128.Q));

        private static final long[] ONE_PLAIN = {1, 0, 0, 0};

        private Fp() {}

        static long[] of(BigInteger value) {
            return mul(limbs(value), R2);
        }

        static BigInteger value(long[] a) {
            long[] plain = mul(a, ONE_PLAIN);
            BigInteger value = BigInteger.ZERO;
            for (int i = 3; i >= 0; i--) {
                value = value.shiftLeft(64).or(new BigInteger(Long.toUnsignedString(plain[i])));
            }
            return value;
        }

        private static long[] limbs(BigInteger value) {
            long[] limbs = new long[4];
            for (int i = 0; i < 4; i++) {
                limbs[i] = value.shiftRight(64 * i).longValue();
            }
            return limbs;
        }

        static boolean isZero(long[] a) {
            return (a[0] | a[1] | a[2] | a[3]) == 0;
        }

        static long[] add(long[] a, long[] b) {
            long[] sum = new long[4];
            long carry = 0;
            for (int i = 0; i < 4; i++) {
                long s = a[i] + b[i];
                long s2 = s + carry;
                carry = (Long.compareUnsigned(s, a[i]) < 0 || Long.compareUnsigned(s2, s) < 0) ? 1 : 0;
                sum[i] = s2;
            }
            // Below 2p < 2^255: no carry out of the top limb.
            return belowModulus(sum) ? sum : subtractModulus(sum);
        }

        static long[] sub(long[] a, long[] b) {
            long[] difference = new long[4];
            long borrow = 0;
            for (int i = 0; i < 4; i++) {
                long d = a[i] - b[i];
                long d2 = d - borrow;
                borrow = (Long.compareUnsigned(a[i], b[i]) < 0 || Long.compareUnsigned(d, borrow) < 0) ? 1 : 0;
                difference[i] = d2;
            }
            if (borrow != 0) {
                long carry = 0;
                for (int i = 0; i < 4; i++) {
                    long s = difference[i] + MODULUS[i];
                    long s2 = s + carry;
                    carry = (Long.compareUnsigned(s, difference[i]) < 0 || Long.compareUnsigned(s2, s) < 0) ? 1 : 0;
                    difference[i] = s2;
                }
            }
            return difference;
        }

        static long[] neg(long[] a) {
            return sub(new long[4], a);
        }

        /** Montgomery multiplication, coarsely integrated operand scanning (CIOS): a b 2^-256 mod p. */
        static long[] mul(long[] a, long[] b) {
            long[] t = new long[6];
            for (int i = 0; i < 4; i++) {
                // t += a[i] b
                long carry = 0;
                for (int j = 0; j < 4; j++) {
                    long low = a[i] * b[j];
                    long high = unsignedMultiplyHigh(a[i], b[j]);
                    low += t[j];
                    high += Long.compareUnsigned(low, t[j]) < 0 ? 1 : 0;
                    low += carry;
                    high += Long.compareUnsigned(low, carry) < 0 ? 1 : 0; // fits: x y + 2 (2^64 - 1) < 2^128
                    t[j] = low;
                    carry = high;
                }
                t[4] += carry;
                t[5] = Long.compareUnsigned(t[4], carry) < 0 ? 1 : 0;
                // t = (t + m p) / 2^64, with m chosen so that the low limb is zero
                long m = t[0] * INVERSE;
                carry = 0;
                for (int j = 0; j < 4; j++) {
                    long low = m * MODULUS[j];
                    long high = unsignedMultiplyHigh(m, MODULUS[j]);
                    low += t[j];
                    high += Long.compareUnsigned(low, t[j]) < 0 ? 1 : 0;
                    low += carry;
                    high += Long.compareUnsigned(low, carry) < 0 ? 1 : 0;
                    if (j > 0) {
                        t[j - 1] = low;
                    }
                    carry = high;
                }
                t[3] = t[4] + carry;
                t[4] = t[5] + (Long.compareUnsigned(t[3], carry) < 0 ? 1 : 0);
            }
            long[] result = {t[0], t[1], t[2], t[3]};
            return t[4] == 0 && belowModulus(result) ? result : subtractModulus(result);
        }

        private static long unsignedMultiplyHigh(long x, long y) {
            return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x); // Math's own is Java 18
        }

        private static boolean belowModulus(long[] a) {
            for (int i = 3; i >= 0; i--) {
                int c = Long.compareUnsigned(a[i], MODULUS[i]);
                if (c != 0) {
                    return c < 0;
                }
            }
            return false;
        }

        private static long[] subtractModulus(long[] a) {
            long[] difference = new long[4];
            long borrow = 0;
            for (int i = 0; i < 4; i++) {
                long d = a[i] - MODULUS[i];
                long d2 = d - borrow;
                borrow = (Long.compareUnsigned(a[i], MODULUS[i]) < 0 || Long.compareUnsigned(d, borrow) < 0) ? 1 : 0;
                difference[i] = d2;
            }
            return difference;
        }
    }

    /** re + im i, each coordinate in Montgomery form. */
    static final class Fq2 {
        static final Fq2 ZERO = of(BigInteger.ZERO);
        static final Fq2 ONE = of(BigInteger.ONE);
        static final Fq2 THREE = of(BigInteger.valueOf(3));
        static final Fq2 EIGHT = of(BigInteger.valueOf(8));

        private final long[] re;
        private final long[] im;

        /** From coordinates in [0, p). */
        Fq2(BigInteger re, BigInteger im) {
            this(Fp.of(re), Fp.of(im));
        }

        private Fq2(long[] re, long[] im) {
            this.re = re;
            this.im = im;
        }

        static Fq2 of(BigInteger re) {
            return new Fq2(re, BigInteger.ZERO);
        }

        BigInteger re() {
            return Fp.value(re);
        }

        BigInteger im() {
            return Fp.value(im);
        }

        boolean isZero() {
            return Fp.isZero(re) && Fp.isZero(im);
        }

        Fq2 add(Fq2 o) {
            return new Fq2(Fp.add(re, o.re), Fp.add(im, o.im));
        }

        Fq2 sub(Fq2 o) {
            return new Fq2(Fp.sub(re, o.re), Fp.sub(im, o.im));
        }

        Fq2 neg() {
            return new Fq2(Fp.neg(re), Fp.neg(im));
        }

        Fq2 conj() {
            return new Fq2(re, Fp.neg(im));
        }

        /** Karatsuba: three products. */
        Fq2 mul(Fq2 o) {
            long[] reRe = Fp.mul(re, o.re);
            long[] imIm = Fp.mul(im, o.im);
            long[] cross = Fp.mul(Fp.add(re, im), Fp.add(o.re, o.im));
            return new Fq2(Fp.sub(reRe, imIm), Fp.sub(Fp.sub(cross, reRe), imIm));
        }

        Fq2 square() {
            long[] reIm = Fp.mul(re, im);
            return new Fq2(Fp.mul(Fp.add(re, im), Fp.sub(re, im)), Fp.add(reIm, reIm));
        }

        Fq2 scale(BigInteger k) {
            long[] factor = Fp.of(k);
            return new Fq2(Fp.mul(re, factor), Fp.mul(im, factor));
        }

        /** Times xi = 9 + i: (9 re - im) + (re + 9 im) i. */
        Fq2 mulByXi() {
            return new Fq2(Fp.sub(nine(re), im), Fp.add(re, nine(im)));
        }

        private static long[] nine(long[] a) {
            long[] eight = Fp.add(a, a);
            eight = Fp.add(eight, eight);
            eight = Fp.add(eight, eight);
            return Fp.add(eight, a);
        }

        Fq2 inverse() {
            long[] norm = Fp.add(Fp.mul(re, re), Fp.mul(im, im));
            long[] inverse = Fp.of(Fp.value(norm).modInverse(AltBn128.Q));
            return new Fq2(Fp.mul(re, inverse), Fp.neg(Fp.mul(im, inverse)));
        }

        Fq2 pow(BigInteger e) {
            Fq2 result = ONE;
            for (int bit = e.bitLength() - 1; bit >= 0; bit--) {
                result = result.square();
                if (e.testBit(bit)) {
                    result = result.mul(this);
                }
            }
            return result;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Fq2 other && Arrays.equals(re, other.re) && Arrays.equals(im, other.im);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(re) + Arrays.hashCode(im);
        }

        @Override
        public String toString() {
            return re() + " + " + im() + " i";
        }
    }

    /** c0 + c1 v + c2 v^2, v^3 = xi. */
    record Fq6(Fq2 c0, Fq2 c1, Fq2 c2) {
        static final Fq6 ZERO = new Fq6(Fq2.ZERO, Fq2.ZERO, Fq2.ZERO);
        static final Fq6 ONE = new Fq6(Fq2.ONE, Fq2.ZERO, Fq2.ZERO);

        Fq6 add(Fq6 o) {
            return new Fq6(c0.add(o.c0), c1.add(o.c1), c2.add(o.c2));
        }

        Fq6 sub(Fq6 o) {
            return new Fq6(c0.sub(o.c0), c1.sub(o.c1), c2.sub(o.c2));
        }

        Fq6 neg() {
            return new Fq6(c0.neg(), c1.neg(), c2.neg());
        }

        /** Karatsuba over the three coefficients. */
        Fq6 mul(Fq6 o) {
            Fq2 t0 = c0.mul(o.c0);
            Fq2 t1 = c1.mul(o.c1);
            Fq2 t2 = c2.mul(o.c2);
            Fq2 r0 = c1.add(c2).mul(o.c1.add(o.c2)).sub(t1).sub(t2).mulByXi().add(t0);
            Fq2 r1 = c0.add(c1).mul(o.c0.add(o.c1)).sub(t0).sub(t1).add(t2.mulByXi());
            Fq2 r2 = c0.add(c2).mul(o.c0.add(o.c2)).sub(t0).sub(t2).add(t1);
            return new Fq6(r0, r1, r2);
        }

        /** Times v. */
        Fq6 mulByV() {
            return new Fq6(c2.mulByXi(), c0, c1);
        }

        Fq6 inverse() {
            Fq2 a = c0.square().sub(c1.mul(c2).mulByXi());
            Fq2 b = c2.square().mulByXi().sub(c0.mul(c1));
            Fq2 c = c1.square().sub(c0.mul(c2));
            Fq2 norm = c0.mul(a).add(c2.mul(b).add(c1.mul(c)).mulByXi());
            Fq2 inverse = norm.inverse();
            return new Fq6(a.mul(inverse), b.mul(inverse), c.mul(inverse));
        }
    }

    /** c0 + c1 w, w^2 = v. */
    record Fq12(Fq6 c0, Fq6 c1) {
        static final Fq12 ONE = new Fq12(Fq6.ONE, Fq6.ZERO);

        Fq12 mul(Fq12 o) {
            Fq6 t0 = c0.mul(o.c0);
            Fq6 t1 = c1.mul(o.c1);
            return new Fq12(
                    t0.add(t1.mulByV()), c0.add(c1).mul(o.c0.add(o.c1)).sub(t0).sub(t1));
        }

        /** (c0 + c1 w)^2 = c0^2 + c1^2 v + 2 c0 c1 w, with two Fq6 products. */
        Fq12 square() {
            Fq6 t = c0.mul(c1);
            Fq6 r0 = c0.add(c1).mul(c0.add(c1.mulByV())).sub(t).sub(t.mulByV());
            return new Fq12(r0, t.add(t));
        }

        /** The p^6-power Frobenius; the inverse of an element of norm one (all after the easy part). */
        Fq12 conj() {
            return new Fq12(c0, c1.neg());
        }

        Fq12 inverse() {
            Fq6 inverse = c0.mul(c0).sub(c1.mul(c1).mulByV()).inverse();
            return new Fq12(c0.mul(inverse), c1.mul(inverse).neg());
        }

        /** The p-power Frobenius: each w^k coefficient conjugated and multiplied by xi^(k (p - 1) / 6). */
        Fq12 frobenius() {
            return new Fq12(
                    new Fq6(
                            c0.c0().conj(),
                            c0.c1().conj().mul(FROBENIUS[2]),
                            c0.c2().conj().mul(FROBENIUS[4])),
                    new Fq6(
                            c1.c0().conj().mul(FROBENIUS[1]),
                            c1.c1().conj().mul(FROBENIUS[3]),
                            c1.c2().conj().mul(FROBENIUS[5])));
        }

        Fq12 pow(BigInteger e) {
            Fq12 result = ONE;
            for (int bit = e.bitLength() - 1; bit >= 0; bit--) {
                result = result.square();
                if (e.testBit(bit)) {
                    result = result.mul(this);
                }
            }
            return result;
        }

        Fq12 powU() {
            return pow(BigInteger.valueOf(U));
        }
    }
}

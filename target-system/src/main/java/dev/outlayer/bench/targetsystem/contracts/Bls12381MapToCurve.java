package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import supranational.blst.P1;
import supranational.blst.P2;

/**
 * blst's {@code blst_map_to_g1} / {@code blst_map_to_g2}, which nearcore's bls12381_map_fp_to_g1 and
 * bls12381_map_fp2_to_g2 call: RFC 9380's map_to_curve (simplified SWU onto a curve isogenous to
 * E1 or E2, then the 11- or 3-isogeny) followed by clear_cofactor. jblst binds only blst's
 * hash_to/encode_to of a message, not this map of a raw field element, so the map is written here
 * over BigInteger (RFC 9380 sections 6.6.2 and 6.6.3, constants from its appendix E); the cofactor
 * clearing and the encoding of the result are blst's. Nothing here is constant time: the inputs
 * are public contract data.
 */
final class Bls12381MapToCurve {
    static final BigInteger P = new BigInteger(
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", 16);
    private static final BigInteger SQRT_EXPONENT = P.add(BigInteger.ONE).shiftRight(2); // p = 3 mod 4
    /** |x| of the BLS parameter x = -0xd201000000010000. */
    private static final BigInteger X_ABS = new BigInteger("d201000000010000", 16);
    /** RFC 9380's h_eff for G1, 1 - x: blst multiplies by it too (map_to_g1.c). */
    private static final BigInteger G1_H_EFF = new BigInteger("d201000000010001", 16);

    private Bls12381MapToCurve() {}

    /** clear_cofactor(map_to_curve(u)) for u in Fp (u < p), as blst's 96-byte uncompressed encoding. */
    static byte[] mapToG1(BigInteger u) {
        Affine<Fp> point = mapToCurve(G1_MAP, new Fp(u));
        if (point == null) {
            return new P1().serialize(); // a few u land on the 11-isogeny's kernel: blst gives the identity too
        }
        P1 onCurve = new P1(concat(point.x().bytes(), point.y().bytes()));
        return onCurve.mult(G1_H_EFF).serialize();
    }

    /** clear_cofactor(map_to_curve(u)) for u = c0 + c1 * i in Fp2, as blst's 192-byte uncompressed encoding. */
    static byte[] mapToG2(BigInteger c0, BigInteger c1) {
        Affine<Fp2> point = mapToCurve(G2_MAP, new Fp2(new Fp(c0), new Fp(c1)));
        if (point == null) {
            return new P2().serialize(); // not reached: g is not a square at the 3-isogeny's kernel
        }
        return clearG2Cofactor(new P2(encode(point))).serialize();
    }

    // ---- RFC 9380 map_to_curve, generic over Fp and Fp2 ----

    /** The field operations the map needs; {@code sqrt} is null for a non-square. */
    interface Field<F extends Field<F>> {
        F plus(F other);

        F times(F other);

        F negate();

        /** inv0: 0 for 0. */
        F inverse();

        F sqrt();

        boolean isZero();

        /** RFC 9380 section 4.1's sgn0. */
        boolean sgn0();

        F one();

        F square();
    }

    record Affine<F>(F x, F y) {}

    /**
     * E': y^2 = x^3 + A'x + B' with SSWU's Z, and the isogeny map E' -> E as its four polynomials
     * (coefficients from x^0 up; the denominators' leading 1 included). -B/A and B/(Z A) are kept
     * so that a map pays no inversion for them.
     */
    record IsogenousCurve<F extends Field<F>>(
            F a,
            F b,
            F z,
            F minusBOverA,
            F bOverZA,
            List<F> xNumerator,
            List<F> xDenominator,
            List<F> yNumerator,
            List<F> yDenominator) {
        static <F extends Field<F>> IsogenousCurve<F> of(
                F a, F b, F z, List<F> xNumerator, List<F> xDenominator, List<F> yNumerator, List<F> yDenominator) {
            return new IsogenousCurve<>(
                    a,
                    b,
                    z,
                    b.negate().times(a.inverse()),
                    b.times(z.times(a).inverse()),
                    xNumerator,
                    xDenominator,
                    yNumerator,
                    yDenominator);
        }
    }

    /** map_to_curve_simple_swu then iso_map; null for the identity (u lands on the isogeny's kernel). */
    static <F extends Field<F>> Affine<F> mapToCurve(IsogenousCurve<F> curve, F u) {
        Affine<F> onIsogenous = simplifiedSwu(curve, u);
        F x = onIsogenous.x();
        F xDenominator = evaluate(curve.xDenominator(), x);
        F yDenominator = evaluate(curve.yDenominator(), x);
        if (xDenominator.isZero() || yDenominator.isZero()) {
            return null;
        }
        F bothInverse = xDenominator.times(yDenominator).inverse(); // one inversion for the two
        return new Affine<>(
                evaluate(curve.xNumerator(), x).times(yDenominator).times(bothInverse),
                onIsogenous
                        .y()
                        .times(evaluate(curve.yNumerator(), x))
                        .times(xDenominator)
                        .times(bothInverse));
    }

    /**
     * RFC 9380 section 6.6.2, the straightforward form: x1 = (-B / A) * (1 + 1 / (Z^2 u^4 + Z u^2)),
     * or B / (Z A) where that denominator is zero; x1 if g(x1) is a square, else Z u^2 x1; the sign of
     * y is that of u. The point is the one the RFC's optimized steps give (x and sgn0(y) fix it).
     */
    static <F extends Field<F>> Affine<F> simplifiedSwu(IsogenousCurve<F> curve, F u) {
        F zu2 = curve.z().times(u.square());
        F denominator = zu2.square().plus(zu2);
        F x1 = denominator.isZero()
                ? curve.bOverZA()
                : curve.minusBOverA().times(u.one().plus(denominator.inverse()));
        F x = x1;
        F y = g(curve, x1).sqrt();
        if (y == null) {
            x = zu2.times(x1);
            y = g(curve, x).sqrt(); // g(Z u^2 x1) = Z^3 u^6 g(x1): Z is not a square, so this one is
            if (y == null) {
                throw new IllegalStateException("SSWU found no square: wrong curve constants");
            }
        }
        return new Affine<>(x, u.sgn0() == y.sgn0() ? y : y.negate());
    }

    private static <F extends Field<F>> F g(IsogenousCurve<F> curve, F x) {
        return x.square().plus(curve.a()).times(x).plus(curve.b());
    }

    /** Horner's rule over coefficients from x^0 up. */
    private static <F extends Field<F>> F evaluate(List<F> coefficients, F x) {
        F sum = coefficients.get(coefficients.size() - 1);
        for (int i = coefficients.size() - 2; i >= 0; i--) {
            sum = sum.times(x).plus(coefficients.get(i));
        }
        return sum;
    }

    // ---- the fields ----

    /** An element of Fp, reduced. */
    record Fp(BigInteger value) implements Field<Fp> {
        static final Fp ZERO = new Fp(BigInteger.ZERO);
        static final Fp ONE = new Fp(BigInteger.ONE);

        Fp {
            if (value.signum() < 0 || value.compareTo(P) >= 0) {
                value = value.mod(P);
            }
        }

        static Fp hex(String hex) {
            return new Fp(new BigInteger(hex, 16));
        }

        static Fp of(long value) {
            return new Fp(BigInteger.valueOf(value));
        }

        @Override
        public Fp plus(Fp other) {
            return new Fp(value.add(other.value));
        }

        Fp minus(Fp other) {
            return new Fp(value.subtract(other.value));
        }

        @Override
        public Fp times(Fp other) {
            return new Fp(value.multiply(other.value));
        }

        @Override
        public Fp negate() {
            return new Fp(value.negate());
        }

        @Override
        public Fp inverse() {
            return isZero() ? ZERO : new Fp(value.modInverse(P));
        }

        @Override
        public Fp sqrt() {
            Fp root = new Fp(value.modPow(SQRT_EXPONENT, P));
            return root.square().equals(this) ? root : null;
        }

        @Override
        public boolean isZero() {
            return value.signum() == 0;
        }

        @Override
        public boolean sgn0() {
            return value.testBit(0);
        }

        @Override
        public Fp one() {
            return ONE;
        }

        @Override
        public Fp square() {
            return times(this);
        }

        /** 48 bytes big-endian, as blst encodes a coordinate. */
        byte[] bytes() {
            byte[] raw = value.toByteArray();
            byte[] out = new byte[48];
            int length = Math.min(raw.length, 48);
            System.arraycopy(raw, raw.length - length, out, 48 - length, length);
            return out;
        }
    }

    /** c0 + c1 * i with i^2 = -1. */
    record Fp2(Fp c0, Fp c1) implements Field<Fp2> {
        static final Fp2 ZERO = new Fp2(Fp.ZERO, Fp.ZERO);
        static final Fp2 ONE = new Fp2(Fp.ONE, Fp.ZERO);
        private static final Fp HALF = Fp.of(2).inverse();

        static Fp2 of(long c0, long c1) {
            return new Fp2(Fp.of(c0), Fp.of(c1));
        }

        static Fp2 hex(String c0, String c1) {
            return new Fp2(Fp.hex(c0), Fp.hex(c1));
        }

        @Override
        public Fp2 plus(Fp2 other) {
            return new Fp2(c0.plus(other.c0), c1.plus(other.c1));
        }

        /** Karatsuba: three Fp products, the imaginary part as (c0 + c1)(d0 + d1) - c0 d0 - c1 d1. */
        @Override
        public Fp2 times(Fp2 other) {
            Fp real = c0.times(other.c0);
            Fp imaginary = c1.times(other.c1);
            Fp mixed = c0.plus(c1).times(other.c0.plus(other.c1));
            return new Fp2(real.minus(imaginary), mixed.minus(real).minus(imaginary));
        }

        @Override
        public Fp2 negate() {
            return new Fp2(c0.negate(), c1.negate());
        }

        Fp2 conjugate() {
            return new Fp2(c0, c1.negate());
        }

        private Fp norm() {
            return c0.square().plus(c1.square());
        }

        @Override
        public Fp2 inverse() {
            Fp normInverse = norm().inverse();
            return new Fp2(c0.times(normInverse), c1.negate().times(normInverse));
        }

        /**
         * Through Fp: a is a square iff its norm c0^2 + c1^2 is; then sqrt(a) = x0 + x1 i with
         * x0^2 = t = (c0 + sqrt(norm)) / 2 and x1 = c1 / (2 x0). When t is not a square, r = t^((p+1)/4)
         * has r^2 = -t, and (c1 / (2r)) + r i is the root (its x0^2 is the other choice, (c0 - sqrt(norm)) / 2).
         * Either of the two roots may come out; the map fixes the sign afterwards.
         */
        @Override
        public Fp2 sqrt() {
            if (c1.isZero()) {
                Fp root = c0.sqrt();
                return root != null
                        ? new Fp2(root, Fp.ZERO)
                        : new Fp2(Fp.ZERO, c0.negate().sqrt()); // -1 is not a square in Fp
            }
            Fp normRoot = norm().sqrt();
            if (normRoot == null) {
                return null;
            }
            Fp t = c0.plus(normRoot).times(HALF);
            Fp r = new Fp(t.value().modPow(SQRT_EXPONENT, P));
            Fp other = c1.times(r.plus(r).inverse());
            Fp2 root = r.square().equals(t) ? new Fp2(r, other) : new Fp2(other, r);
            if (!root.square().equals(this)) {
                throw new IllegalStateException("Fp2 square root does not square back");
            }
            return root;
        }

        @Override
        public boolean isZero() {
            return c0.isZero() && c1.isZero();
        }

        @Override
        public boolean sgn0() {
            return c0.sgn0() || (c0.isZero() && c1.sgn0());
        }

        @Override
        public Fp2 one() {
            return ONE;
        }

        /** (c0 + c1 i)^2 = (c0 + c1)(c0 - c1) + 2 c0 c1 i. */
        @Override
        public Fp2 square() {
            return new Fp2(c0.plus(c1).times(c0.minus(c1)), c0.times(c1).plus(c0.times(c1)));
        }

        Fp2 pow(BigInteger exponent) {
            Fp2 result = ONE;
            for (int bit = exponent.bitLength() - 1; bit >= 0; bit--) {
                result = result.square();
                if (exponent.testBit(bit)) {
                    result = result.times(this);
                }
            }
            return result;
        }

        /** blst's (ZCash) order: c1 then c0. */
        byte[] bytes() {
            return concat(c1.bytes(), c0.bytes());
        }

        static Fp2 fromBytes(byte[] data, int at) {
            return new Fp2(
                    new Fp(new BigInteger(1, Arrays.copyOfRange(data, at + 48, at + 96))),
                    new Fp(new BigInteger(1, Arrays.copyOfRange(data, at, at + 48))));
        }
    }

    // ---- G2 cofactor clearing ----

    // psi(x, y) = (conj(x) * PSI_X, conj(y) * PSI_Y): RFC 9380 appendix G.3's untwist-Frobenius-twist.
    private static final Fp2 ONE_PLUS_I = Fp2.of(1, 1);
    private static final Fp2 PSI_X = ONE_PLUS_I
            .pow(P.subtract(BigInteger.ONE).divide(BigInteger.valueOf(3)))
            .inverse();
    private static final Fp2 PSI_Y =
            ONE_PLUS_I.pow(P.subtract(BigInteger.ONE).shiftRight(1)).inverse();

    /**
     * RFC 9380 appendix G.3's clear_cofactor_bls12381_g2 (Budroni-Pintore), equal to multiplying by
     * its 636-bit h_eff: blst_p2_mult takes a scalar of 144 bits or more through the GLS endomorphism, valid
     * only in G2, so the large scalar is not handed to blst; blst does the 64-bit multiplications.
     */
    static P2 clearG2Cofactor(P2 point) {
        P2 t1 = timesX(point);
        P2 t2 = psi(point);
        P2 t3 = psi(psi(point.dup().dbl()));
        t3 = t3.add(t2.dup().neg());
        t2 = timesX(t2.add(t1));
        t3 = t3.add(t2);
        t3 = t3.add(t1.dup().neg());
        return t3.add(point.dup().neg());
    }

    /**
     * [x]P for the (negative) BLS parameter x: double-and-add over |x|'s 64 bits (63 doublings, 5
     * additions, as blst's own times_minus_z), cheaper than blst_p2_mult's windowed method for this
     * sparse scalar. blst's P2 methods change the receiver, hence the dup.
     */
    private static P2 timesX(P2 point) {
        P2 sum = point.dup();
        for (int bit = X_ABS.bitLength() - 2; bit >= 0; bit--) {
            sum.dbl();
            if (X_ABS.testBit(bit)) {
                sum.add(point);
            }
        }
        return sum.neg();
    }

    static P2 psi(P2 point) {
        byte[] encoded = point.serialize();
        if ((encoded[0] & 0x40) != 0) {
            return point.dup(); // the identity
        }
        Fp2 x = Fp2.fromBytes(encoded, 0);
        Fp2 y = Fp2.fromBytes(encoded, 96);
        return new P2(
                encode(new Affine<>(x.conjugate().times(PSI_X), y.conjugate().times(PSI_Y))));
    }

    private static byte[] encode(Affine<Fp2> point) {
        return concat(point.x().bytes(), point.y().bytes());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- RFC 9380 appendix E constants ----

    /** E1': A', B' (section 8.8.1), Z = 11, and the 11-isogeny map of appendix E.2. */
    static final IsogenousCurve<Fp> G1_MAP = IsogenousCurve.of(
            Fp.hex("144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d"),
            Fp.hex("12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0"),
            Fp.of(11),
            fps(
                    "11a05f2b1e833340b809101dd99815856b303e88a2d7005ff2627b56cdb4e2c85610c2d5f2e62d6eaeac1662734649b7",
                    "17294ed3e943ab2f0588bab22147a81c7c17e75b2f6a8417f565e33c70d1e86b4838f2a6f318c356e834eef1b3cb83bb",
                    "d54005db97678ec1d1048c5d10a9a1bce032473295983e56878e501ec68e25c958c3e3d2a09729fe0179f9dac9edcb0",
                    "1778e7166fcc6db74e0609d307e55412d7f5e4656a8dbf25f1b33289f1b330835336e25ce3107193c5b388641d9b6861",
                    "e99726a3199f4436642b4b3e4118e5499db995a1257fb3f086eeb65982fac18985a286f301e77c451154ce9ac8895d9",
                    "1630c3250d7313ff01d1201bf7a74ab5db3cb17dd952799b9ed3ab9097e68f90a0870d2dcae73d19cd13c1c66f652983",
                    "d6ed6553fe44d296a3726c38ae652bfb11586264f0f8ce19008e218f9c86b2a8da25128c1052ecaddd7f225a139ed84",
                    "17b81e7701abdbe2e8743884d1117e53356de5ab275b4db1a682c62ef0f2753339b7c8f8c8f475af9ccb5618e3f0c88e",
                    "80d3cf1f9a78fc47b90b33563be990dc43b756ce79f5574a2c596c928c5d1de4fa295f296b74e956d71986a8497e317",
                    "169b1f8e1bcfa7c42e0c37515d138f22dd2ecb803a0c5c99676314baf4bb1b7fa3190b2edc0327797f241067be390c9e",
                    "10321da079ce07e272d8ec09d2565b0dfa7dccdde6787f96d50af36003b14866f69b771f8c285decca67df3f1605fb7b",
                    "6e08c248e260e70bd1e962381edee3d31d79d7e22c837bc23c0bf1bc24c6b68c24b1b80b64d391fa9c8ba2e8ba2d229"),
            fps(
                    "8ca8d548cff19ae18b2e62f4bd3fa6f01d5ef4ba35b48ba9c9588617fc8ac62b558d681be343df8993cf9fa40d21b1c",
                    "12561a5deb559c4348b4711298e536367041e8ca0cf0800c0126c2588c48bf5713daa8846cb026e9e5c8276ec82b3bff",
                    "b2962fe57a3225e8137e629bff2991f6f89416f5a718cd1fca64e00b11aceacd6a3d0967c94fedcfcc239ba5cb83e19",
                    "3425581a58ae2fec83aafef7c40eb545b08243f16b1655154cca8abc28d6fd04976d5243eecf5c4130de8938dc62cd8",
                    "13a8e162022914a80a6f1d5f43e7a07dffdfc759a12062bb8d6b44e833b306da9bd29ba81f35781d539d395b3532a21e",
                    "e7355f8e4e667b955390f7f0506c6e9395735e9ce9cad4d0a43bcef24b8982f7400d24bc4228f11c02df9a29f6304a5",
                    "772caacf16936190f3e0c63e0596721570f5799af53a1894e2e073062aede9cea73b3538f0de06cec2574496ee84a3a",
                    "14a7ac2a9d64a8b230b3f5b074cf01996e7f63c21bca68a81996e1cdf9822c580fa5b9489d11e2d311f7d99bbdcc5a5e",
                    "a10ecf6ada54f825e920b3dafc7a3cce07f8d1d7161366b74100da67f39883503826692abba43704776ec3a79a1d641",
                    "95fc13ab9e92ad4476d6e3eb3a56680f682b4ee96f7d03776df533978f31c1593174e4b4b7865002d6384d168ecdd0a",
                    "1"),
            fps(
                    "90d97c81ba24ee0259d1f094980dcfa11ad138e48a869522b52af6c956543d3cd0c7aee9b3ba3c2be9845719707bb33",
                    "134996a104ee5811d51036d776fb46831223e96c254f383d0f906343eb67ad34d6c56711962fa8bfe097e75a2e41c696",
                    "cc786baa966e66f4a384c86a3b49942552e2d658a31ce2c344be4b91400da7d26d521628b00523b8dfe240c72de1f6",
                    "1f86376e8981c217898751ad8746757d42aa7b90eeb791c09e4a3ec03251cf9de405aba9ec61deca6355c77b0e5f4cb",
                    "8cc03fdefe0ff135caf4fe2a21529c4195536fbe3ce50b879833fd221351adc2ee7f8dc099040a841b6daecf2e8fedb",
                    "16603fca40634b6a2211e11db8f0a6a074a7d0d4afadb7bd76505c3d3ad5544e203f6326c95a807299b23ab13633a5f0",
                    "4ab0b9bcfac1bbcb2c977d027796b3ce75bb8ca2be184cb5231413c4d634f3747a87ac2460f415ec961f8855fe9d6f2",
                    "987c8d5333ab86fde9926bd2ca6c674170a05bfe3bdd81ffd038da6c26c842642f64550fedfe935a15e4ca31870fb29",
                    "9fc4018bd96684be88c9e221e4da1bb8f3abd16679dc26c1e8b6e6a1f20cabe69d65201c78607a360370e577bdba587",
                    "e1bba7a1186bdb5223abde7ada14a23c42a0ca7915af6fe06985e7ed1e4d43b9b3f7055dd4eba6f2bafaaebca731c30",
                    "19713e47937cd1be0dfd0b8f1d43fb93cd2fcbcb6caf493fd1183e416389e61031bf3a5cce3fbafce813711ad011c132",
                    "18b46a908f36f6deb918c143fed2edcc523559b8aaf0c2462e6bfe7f911f643249d9cdf41b44d606ce07c8a4d0074d8e",
                    "b182cac101b9399d155096004f53f447aa7b12a3426b08ec02710e807b4633f06c851c1919211f20d4c04f00b971ef8",
                    "245a394ad1eca9b72fc00ae7be315dc757b3b080d4c158013e6632d3c40659cc6cf90ad1c232a6442d9d3f5db980133",
                    "5c129645e44cf1102a159f748c4a3fc5e673d81d7e86568d9ab0f5d396a7ce46ba1049b6579afb7866b1e715475224b",
                    "15e6be4e990f03ce4ea50b3b42df2eb5cb181d8f84965a3957add4fa95af01b2b665027efec01c7704b456be69c8b604"),
            fps(
                    "16112c4c3a9c98b252181140fad0eae9601a6de578980be6eec3232b5be72e7a07f3688ef60c206d01479253b03663c1",
                    "1962d75c2381201e1a0cbd6c43c348b885c84ff731c4d59ca4a10356f453e01f78a4260763529e3532f6102c2e49a03d",
                    "58df3306640da276faaae7d6e8eb15778c4855551ae7f310c35a5dd279cd2eca6757cd636f96f891e2538b53dbf67f2",
                    "16b7d288798e5395f20d23bf89edb4d1d115c5dbddbcd30e123da489e726af41727364f2c28297ada8d26d98445f5416",
                    "be0e079545f43e4b00cc912f8228ddcc6d19c9f0f69bbb0542eda0fc9dec916a20b15dc0fd2ededda39142311a5001d",
                    "8d9e5297186db2d9fb266eaac783182b70152c65550d881c5ecd87b6f0f5a6449f38db9dfa9cce202c6477faaf9b7ac",
                    "166007c08a99db2fc3ba8734ace9824b5eecfdfa8d0cf8ef5dd365bc400a0051d5fa9c01a58b1fb93d1a1399126a775c",
                    "16a3ef08be3ea7ea03bcddfabba6ff6ee5a4375efa1f4fd7feb34fd206357132b920f5b00801dee460ee415a15812ed9",
                    "1866c8ed336c61231a1be54fd1d74cc4f9fb0ce4c6af5920abc5750c4bf39b4852cfe2f7bb9248836b233d9d55535d4a",
                    "167a55cda70a6e1cea820597d94a84903216f763e13d87bb5308592e7ea7d4fbc7385ea3d529b35e346ef48bb8913f55",
                    "4d2f259eea405bd48f010a01ad2911d9c6dd039bb61a6290e591b36e636a5c871a5c29f4f83060400f8b49cba8f6aa8",
                    "accbb67481d033ff5852c1e48c50c477f94ff8aefce42d28c0f9a88cea7913516f968986f7ebbea9684b529e2561092",
                    "ad6b9514c767fe3c3613144b45f1496543346d98adf02267d5ceef9a00d9b8693000763e3b90ac11e99b138573345cc",
                    "2660400eb2e4f3b628bdd0d53cd76f2bf565b94e72927c1cb748df27942480e420517bd8714cc80d1fadc1326ed06f7",
                    "e0fa1d816ddc03e6b24255e0d7819c171c40f65e273b853324efcd6356caa205ca2f570f13497804415473a1d634b8f",
                    "1"));

    /** E2': A' = 240 i, B' = 1012 (1 + i), Z = -(2 + i) (section 8.8.2), and the 3-isogeny map of appendix E.3. */
    static final IsogenousCurve<Fp2> G2_MAP = IsogenousCurve.of(
            Fp2.of(0, 240),
            Fp2.of(1012, 1012),
            Fp2.of(-2, -1),
            List.of(
                    Fp2.hex(
                            "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6",
                            "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6"),
                    Fp2.hex(
                            "0",
                            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a"),
                    Fp2.hex(
                            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e",
                            "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d"),
                    Fp2.hex(
                            "171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1",
                            "0")),
            List.of(
                    Fp2.hex(
                            "0",
                            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63"),
                    Fp2.hex(
                            "c",
                            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f"),
                    Fp2.ONE),
            List.of(
                    Fp2.hex(
                            "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706",
                            "1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706"),
                    Fp2.hex(
                            "0",
                            "5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be"),
                    Fp2.hex(
                            "11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c",
                            "8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f"),
                    Fp2.hex(
                            "124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10",
                            "0")),
            List.of(
                    Fp2.hex(
                            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb",
                            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb"),
                    Fp2.hex(
                            "0",
                            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3"),
                    Fp2.hex(
                            "12",
                            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99"),
                    Fp2.ONE));

    private static List<Fp> fps(String... hex) {
        return Arrays.stream(hex).map(Fp::hex).toList();
    }
}

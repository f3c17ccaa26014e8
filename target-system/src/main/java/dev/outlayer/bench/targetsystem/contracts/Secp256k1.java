package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/** secp256k1 public key recovery (SEC 1, 4.1.6) with Bouncy Castle, as nearcore's ecrecover uses it. */
final class Secp256k1 {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    static final BigInteger N = CURVE.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);

    private Secp256k1() {}

    /**
     * near-crypto's check_signature_values: r and s in [1, n-1], and with {@code rejectUpper}
     * s at most n/2 (no malleable high-s signatures).
     */
    static boolean validValues(BigInteger r, BigInteger s, boolean rejectUpper) {
        boolean sInRange = rejectUpper ? s.compareTo(HALF_N) <= 0 : s.compareTo(N) < 0;
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(N) < 0 && sInRange;
    }

    /** The 64-byte uncompressed public key (x || y) that signed {@code hash}, or null. */
    static byte[] recover(byte[] hash, BigInteger r, BigInteger s, int recoveryId) {
        BigInteger x = r.add(N.multiply(BigInteger.valueOf(recoveryId / 2)));
        BigInteger p = CURVE.getCurve().getField().getCharacteristic();
        if (x.compareTo(p) >= 0) {
            return null;
        }
        byte[] compressed = new byte[33];
        compressed[0] = (byte) ((recoveryId & 1) == 0 ? 0x02 : 0x03);
        byte[] xBytes = x.toByteArray();
        int copy = Math.min(32, xBytes.length);
        System.arraycopy(xBytes, xBytes.length - copy, compressed, 33 - copy, copy);
        ECPoint bigR;
        try {
            bigR = CURVE.getCurve().decodePoint(compressed);
        } catch (IllegalArgumentException notOnCurve) {
            return null;
        }
        if (!bigR.multiply(N).isInfinity()) {
            return null;
        }
        BigInteger e = new BigInteger(1, hash);
        BigInteger rInv = r.modInverse(N);
        BigInteger u1 = e.negate().mod(N).multiply(rInv).mod(N);
        BigInteger u2 = s.multiply(rInv).mod(N);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(CURVE.getG(), u1, bigR, u2).normalize();
        if (q.isInfinity()) {
            return null;
        }
        byte[] encoded = q.getEncoded(false);
        return Arrays.copyOfRange(encoded, 1, 65);
    }
}

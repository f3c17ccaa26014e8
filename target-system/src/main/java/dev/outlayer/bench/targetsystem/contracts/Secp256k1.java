package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * secp256k1 with Bouncy Castle: public key recovery (SEC 1, 4.1.6) as nearcore's ecrecover uses
 * it, and near-crypto's signature verification for secp256k1 access keys.
 */
public final class Secp256k1 {
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

    /**
     * near-crypto's Signature::verify for SECP256K1: {@code signature} is r || s || v (65 bytes),
     * {@code publicKey} x || y (64 bytes), {@code hash} the 32 signed bytes. As libsecp256k1 does,
     * v must be a recovery id (0-3, otherwise unused), r and s in [1, n-1], s in the lower half
     * (verify_ecdsa accepts normalized signatures only) and the key a point of the curve.
     */
    public static boolean verify(byte[] publicKey, byte[] hash, byte[] signature) {
        if (publicKey.length != 64 || hash.length != 32 || signature.length != 65 || (signature[64] & 0xff) > 3) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (!validValues(r, s, true)) {
            return false;
        }
        byte[] uncompressed = new byte[65];
        uncompressed[0] = 0x04;
        System.arraycopy(publicKey, 0, uncompressed, 1, 64);
        ECPoint point;
        try {
            point = CURVE.getCurve().decodePoint(uncompressed);
        } catch (IllegalArgumentException notOnCurve) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(
                false,
                new ECPublicKeyParameters(
                        point, new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), N, CURVE.getH())));
        return verifier.verifySignature(hash, r, s);
    }

    /** The 64-byte uncompressed public key (x || y) that signed {@code hash}, or null. */
    public static byte[] recover(byte[] hash, BigInteger r, BigInteger s, int recoveryId) {
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

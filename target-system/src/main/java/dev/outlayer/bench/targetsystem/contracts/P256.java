package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA over NIST P-256 (secp256r1) with Bouncy Castle, for nearcore's {@code p256_verify}: the
 * message is a prehash (the host does not hash, NEP-635), the signature is r || s and the public
 * key a compressed SEC1 point, checked as RustCrypto's {@code p256} crate checks them.
 */
final class P256 {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
    private static final BigInteger N = CURVE.getN();

    private P256() {}

    /** p256's Signature::from_slice: both scalars in [1, n-1]. */
    static boolean validSignature(byte[] signature) {
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(N) < 0 && s.compareTo(N) < 0;
    }

    /** The point of a 33-byte compressed key, or null when it is not a valid point (from_sec1_bytes). */
    static ECPoint decompress(byte[] publicKey) {
        if (publicKey.length != 33 || (publicKey[0] != 0x02 && publicKey[0] != 0x03)) {
            return null;
        }
        try {
            ECPoint point = CURVE.getCurve().decodePoint(publicKey);
            return point.isInfinity() || !point.isValid() ? null : point;
        } catch (IllegalArgumentException notAPoint) {
            return null;
        }
    }

    /**
     * verify_prehash: a prehash shorter than half the field (16 bytes) is refused, a longer one
     * than 32 bytes is cut to its leftmost 32 (ecdsa's bits2field; Bouncy Castle's calculateE does
     * the same truncation).
     */
    static boolean verifyPrehash(ECPoint publicKey, byte[] prehash, byte[] signature) {
        if (prehash.length < 16) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(publicKey, DOMAIN));
        return verifier.verifySignature(
                prehash,
                new BigInteger(1, Arrays.copyOfRange(signature, 0, 32)),
                new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)));
    }
}

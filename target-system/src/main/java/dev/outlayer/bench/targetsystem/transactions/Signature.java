package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.contracts.PublicKey;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.util.Arrays;

/** near-crypto's Signature: the curve tag (0 ed25519, 1 secp256k1) and 64 or 65 bytes. */
public record Signature(int curve, byte[] data) {
    public Signature {
        data = data.clone();
    }

    static Signature read(BorshReader in) {
        int curve = in.u8();
        return switch (curve) {
            case PublicKey.ED25519 -> new Signature(curve, in.fixed(64));
            case PublicKey.SECP256K1 -> new Signature(curve, in.fixed(65));
            default -> throw new BorshReader.BorshException("invalid signature key type " + curve);
        };
    }

    byte[] rawData() {
        return data;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Signature signature && signature.curve == curve && Arrays.equals(signature.data, data);
    }

    @Override
    public int hashCode() {
        return curve * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return (curve == PublicKey.ED25519 ? "ed25519:" : "secp256k1:") + Base58.encode(data);
    }
}

package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.util.Arrays;

/** near-crypto's Signature: the key type tag and 64 (ed25519) or 65 (secp256k1) bytes. */
public record Signature(PublicKey.KeyType type, byte[] data) {
    public Signature {
        data = data.clone();
    }

    static Signature read(BorshReader in) {
        PublicKey.KeyType type = PublicKey.KeyType.ofTag(in.u8());
        return new Signature(type, in.fixed(type.signatureLength));
    }

    byte[] rawData() {
        return data;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Signature signature && signature.type == type && Arrays.equals(signature.data, data);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return type.prefix + ":" + Base58.encode(data);
    }
}

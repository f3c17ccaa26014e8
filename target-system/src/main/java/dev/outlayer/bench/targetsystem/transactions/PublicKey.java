package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.util.Arrays;

/**
 * near-crypto's PublicKey: a key type (0 ed25519 with 32 bytes, 1 secp256k1 with 64) and the key
 * data; Borsh is the tag then the bytes, text is {@code ed25519:<base58>}.
 */
public record PublicKey(KeyType type, byte[] data) {
    public enum KeyType {
        ED25519("ed25519", 32, 64),
        SECP256K1("secp256k1", 64, 65);

        final String prefix;
        final int keyLength;
        final int signatureLength;

        KeyType(String prefix, int keyLength, int signatureLength) {
            this.prefix = prefix;
            this.keyLength = keyLength;
            this.signatureLength = signatureLength;
        }

        static KeyType ofTag(int tag) {
            return switch (tag) {
                case 0 -> ED25519;
                case 1 -> SECP256K1;
                default -> throw new BorshReader.BorshException("invalid key type " + tag);
            };
        }
    }

    public PublicKey {
        if (data.length != type.keyLength) {
            throw new IllegalArgumentException(type.prefix + " public keys have " + type.keyLength + " bytes");
        }
        data = data.clone();
    }

    public static PublicKey ed25519(byte[] data) {
        return new PublicKey(KeyType.ED25519, data);
    }

    static PublicKey read(BorshReader in) {
        KeyType type = KeyType.ofTag(in.u8());
        return new PublicKey(type, in.fixed(type.keyLength));
    }

    /**
     * Reads NEAR's text form, {@code ed25519:<base58>} or {@code secp256k1:<base58>} (a bare base58
     * is ed25519, as near-crypto accepts it).
     *
     * @throws IllegalArgumentException with a message for the client when the text is no key
     */
    public static PublicKey parse(String text) {
        KeyType type = KeyType.ED25519;
        String base58 = text;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            String prefix = text.substring(0, colon);
            type = Arrays.stream(KeyType.values())
                    .filter(candidate -> candidate.prefix.equals(prefix))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown key type '" + prefix + "'"));
            base58 = text.substring(colon + 1);
        }
        byte[] data = Base58.decode(base58);
        if (data.length != type.keyLength) {
            throw new IllegalArgumentException("invalid key length " + data.length + " for " + type.prefix);
        }
        return new PublicKey(type, data);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    byte[] rawData() {
        return data;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublicKey key && key.type == type && Arrays.equals(key.data, data);
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

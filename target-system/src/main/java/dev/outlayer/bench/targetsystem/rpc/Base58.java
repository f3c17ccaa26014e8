package dev.outlayer.bench.targetsystem.rpc;

import java.math.BigInteger;

/** Bitcoin-alphabet base58, the encoding NEAR uses for hashes and keys. */
public final class Base58 {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);

    private Base58() {}

    /** 58^5: five base58 digits per long division pass over 32-bit limbs. */
    private static final long CHUNK = 58L * 58 * 58 * 58 * 58;

    public static String encode(byte[] bytes) {
        // Long division by 58^5 over 32-bit limbs (no BigInteger): receipt and outcome ids are
        // encoded on every contract call.
        int zeros = 0;
        while (zeros < bytes.length && bytes[zeros] == 0) {
            zeros++;
        }
        int[] limbs = new int[(bytes.length + 3) / 4];
        for (int i = 0; i < bytes.length; i++) {
            int fromEnd = bytes.length - 1 - i;
            limbs[limbs.length - 1 - fromEnd / 4] |= (bytes[i] & 0xFF) << (8 * (fromEnd % 4));
        }
        char[] encoded = new char[bytes.length * 2 + 5];
        int out = encoded.length;
        int start = 0;
        while (start < limbs.length && limbs[start] == 0) {
            start++;
        }
        while (start < limbs.length) {
            long remainder = 0;
            for (int i = start; i < limbs.length; i++) {
                long current = (remainder << 32) | (limbs[i] & 0xFFFFFFFFL);
                limbs[i] = (int) (current / CHUNK);
                remainder = current % CHUNK;
            }
            while (start < limbs.length && limbs[start] == 0) {
                start++;
            }
            for (int k = 0; k < 5; k++) {
                encoded[--out] = ALPHABET.charAt((int) (remainder % 58));
                remainder /= 58;
            }
        }
        while (out < encoded.length && encoded[out] == '1') {
            out++;
        }
        for (int i = 0; i < zeros; i++) {
            encoded[--out] = '1';
        }
        return new String(encoded, out, encoded.length - out);
    }

    /**
     * The longest text decoded: the largest base58 input any NEAR RPC call needs is a legacy query's
     * args (10 KiB, about 13,700 characters). Decoding costs the square of the length (100,000
     * characters took a second), so longer text is refused before any work.
     */
    static final int MAX_TEXT_LENGTH = 14_000;

    public static byte[] decode(String text) {
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException(
                    "base58 text of " + text.length() + " characters: at most " + MAX_TEXT_LENGTH + " are decoded");
        }
        BigInteger value = BigInteger.ZERO;
        for (int i = 0; i < text.length(); i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("invalid base58 character '" + text.charAt(i) + "'");
            }
            value = value.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        byte[] raw = value.toByteArray();
        int stripSign = raw.length > 1 && raw[0] == 0 ? 1 : 0;
        int leadingZeros = 0;
        while (leadingZeros < text.length() && text.charAt(leadingZeros) == '1') {
            leadingZeros++;
        }
        byte[] out = new byte[leadingZeros + raw.length - stripSign];
        System.arraycopy(raw, stripSign, out, leadingZeros, raw.length - stripSign);
        if (value.signum() == 0) {
            return new byte[leadingZeros];
        }
        return out;
    }
}

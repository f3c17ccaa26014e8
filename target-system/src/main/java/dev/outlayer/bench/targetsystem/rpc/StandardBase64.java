package dev.outlayer.bench.targetsystem.rpc;

import java.nio.charset.StandardCharsets;

/**
 * Standard-alphabet base64 decoded as nearcore decodes it, with its errors in the words of the Rust
 * {@code base64} crate (0.21, nearcore's version): "Invalid byte 45, offset 3.", "Encoded text cannot have a
 * 6-bit remainder.", "Invalid last symbol 66, offset 2.", "Invalid padding". The offset and the byte are
 * those of the text's UTF-8 bytes, found where the crate finds them: the crate decodes 8-byte chunks and
 * checks padding only in the last one ({@code engine/general_purpose/decode.rs}, {@code decode_suffix.rs}).
 * java.util.Base64 accepts other inputs and words its refusals in Java's terms, so it is not used here.
 */
public final class StandardBase64 {
    private static final int CHUNK = 8;
    private static final byte PAD = '=';
    private static final byte[] DECODE = new byte[256];

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = (byte) i;
        }
    }

    /** How the last quad's padding is checked. */
    public enum Padding {
        /** {@code STANDARD}: padded to a whole quad, as {@code from_base64} (signed transactions) decodes. */
        CANONICAL,
        /** serde_with's {@code Base64}, nearcore's params fields (prefix_base64, args_base64): with or without. */
        INDIFFERENT
    }

    /** A text the crate refuses; the message is the crate's {@code DecodeError} as displayed. */
    public static final class InvalidBase64 extends RuntimeException {
        InvalidBase64(String message) {
            super(message, null, false, false);
        }
    }

    private StandardBase64() {}

    public static byte[] decode(String text, Padding padding) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        int remainder = in.length % CHUNK;
        if (remainder == 1 || remainder == 5) {
            // The crate looks at the last byte first: trailing whitespace is the usual cause.
            int last = in[in.length - 1] & 0xFF;
            if (last != PAD && DECODE[last] < 0) {
                throw invalidByte(in.length - 1, last);
            }
            throw new InvalidBase64("Encoded text cannot have a 6-bit remainder.");
        }
        int suffixStart = in.length == 0 ? 0 : (in.length - 1) / CHUNK * CHUNK;
        byte[] out = new byte[in.length / 4 * 3 + 3];
        int written = 0;
        int bits = 0;
        int buffered = 0;
        for (int i = 0; i < suffixStart; i++) {
            int morsel = DECODE[in[i] & 0xFF];
            if (morsel < 0) {
                throw invalidByte(i, in[i] & 0xFF); // '=' too: padding belongs to the last chunk only
            }
            bits = bits << 6 | morsel;
            buffered += 6;
            if (buffered >= 8) {
                buffered -= 8;
                out[written++] = (byte) (bits >> buffered);
            }
        }
        int morsels = 0;
        int paddingBytes = 0;
        int firstPadding = 0;
        int lastSymbol = 0;
        int lastMorsel = 0;
        for (int i = 0; i < in.length - suffixStart; i++) {
            int b = in[suffixStart + i] & 0xFF;
            if (b == PAD) {
                if (i % 4 < 2) {
                    throw invalidByte(suffixStart + (paddingBytes > 0 ? firstPadding : i), b);
                }
                if (paddingBytes == 0) {
                    firstPadding = i;
                }
                paddingBytes++;
                continue;
            }
            if (paddingBytes > 0) {
                throw invalidByte(suffixStart + firstPadding, PAD);
            }
            int morsel = DECODE[b];
            if (morsel < 0) {
                throw invalidByte(suffixStart + i, b);
            }
            lastSymbol = b;
            lastMorsel = morsel;
            morsels++;
            bits = bits << 6 | morsel;
            buffered += 6;
            if (buffered >= 8) {
                buffered -= 8;
                out[written++] = (byte) (bits >> buffered);
            }
        }
        if (padding == Padding.CANONICAL && (paddingBytes + morsels) % 4 != 0) {
            throw new InvalidBase64("Invalid padding");
        }
        // Bits the last symbol carries past the last whole byte must be zero (a canonical encoding).
        int unused = (morsels * 6) % 8;
        if ((lastMorsel & ((1 << unused) - 1)) != 0) {
            throw new InvalidBase64(
                    "Invalid last symbol " + lastSymbol + ", offset " + (suffixStart + morsels - 1) + ".");
        }
        return java.util.Arrays.copyOf(out, written);
    }

    private static InvalidBase64 invalidByte(int offset, int b) {
        return new InvalidBase64("Invalid byte " + b + ", offset " + offset + ".");
    }
}

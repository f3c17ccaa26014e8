package dev.outlayer.bench.targetsystem.transactions;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads Borsh (little-endian integers, u32-length-prefixed strings and vectors, u8 enum tags) from
 * a byte array, refusing to read past its end or to allocate more than what is left: a length
 * prefix is checked against the remaining bytes before anything is copied.
 */
final class BorshReader {
    private final ByteBuffer buffer;

    BorshReader(byte[] bytes) {
        this.buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    int position() {
        return buffer.position();
    }

    /** The bytes read between two positions. */
    byte[] slice(int from, int to) {
        return java.util.Arrays.copyOfRange(buffer.array(), from, to);
    }

    int remaining() {
        return buffer.remaining();
    }

    int u8() {
        need(1, "u8");
        return buffer.get() & 0xff;
    }

    /** A u32 that must fit an int (a length or count); larger ones cannot be satisfied by the input anyway. */
    int u32() {
        need(4, "u32");
        int value = buffer.getInt();
        if (value < 0) {
            throw new BorshException("length " + Integer.toUnsignedString(value) + " exceeds the input");
        }
        return value;
    }

    /** A u64 as Java's long bit pattern; callers needing it unsigned use {@link Long#toUnsignedString}. */
    long u64() {
        need(8, "u64");
        return buffer.getLong();
    }

    BigInteger u128() {
        need(16, "u128");
        byte[] bigEndian = new byte[16];
        for (int i = 15; i >= 0; i--) {
            bigEndian[i] = buffer.get();
        }
        return new BigInteger(1, bigEndian);
    }

    byte[] fixed(int length) {
        need(length, length + " bytes");
        byte[] out = new byte[length];
        buffer.get(out);
        return out;
    }

    /** {@code Vec<u8>}: a u32 length and the bytes. */
    byte[] bytes() {
        return fixed(u32());
    }

    String string() {
        return utf8(bytes());
    }

    /** A vector's element count, checked so that each element takes at least {@code minElementBytes}. */
    int count(int minElementBytes) {
        int count = u32();
        if ((long) count * minElementBytes > buffer.remaining()) {
            throw new BorshException("vector of " + count + " elements exceeds the input");
        }
        return count;
    }

    boolean option() {
        int tag = u8();
        if (tag > 1) {
            throw new BorshException("invalid Option tag " + tag);
        }
        return tag == 1;
    }

    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BorshException("invalid UTF-8 in a string");
        }
    }

    private void need(int bytes, String what) {
        if (buffer.remaining() < bytes) {
            throw new BorshException("unexpected end of input reading " + what + " at byte " + buffer.position());
        }
    }

    /** The input is not the Borsh the reader expected; the message is safe to show a client. */
    static final class BorshException extends RuntimeException {
        BorshException(String message) {
            super(message, null, false, false);
        }
    }
}

package dev.outlayer.bench.targetsystem.wasm;

import java.io.ByteArrayOutputStream;

/** LEB128 as the wasm binary format uses it: unsigned for sizes and indices, signed for constants. */
public final class Leb128 {
    private Leb128() {}

    /** Reads an unsigned LEB128 at {@code pos[0]} and advances it; rejects encodings past 5 bytes. */
    public static long readUnsigned(byte[] bytes, int[] pos) {
        long result = 0;
        int shift = 0;
        while (true) {
            if (pos[0] >= bytes.length) {
                throw new IllegalArgumentException("unexpected end of module while reading a length");
            }
            int b = bytes[pos[0]++] & 0xFF;
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
            if (shift >= 35) {
                throw new IllegalArgumentException("malformed LEB128 length at byte " + pos[0]);
            }
        }
    }

    /** Bytes {@link #writeUnsigned} takes for {@code value}. */
    static int unsignedSize(long value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    static void writeUnsigned(ByteArrayOutputStream out, long value) {
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            out.write(value != 0 ? b | 0x80 : b);
        } while (value != 0);
    }

    static void writeSigned(ByteArrayOutputStream out, long value) {
        while (true) {
            int b = (int) (value & 0x7F);
            value >>= 7;
            boolean done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            out.write(done ? b : b | 0x80);
            if (done) {
                return;
            }
        }
    }
}

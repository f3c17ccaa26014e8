package dev.outlayer.bench.targetsystem.transactions;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** Writes Borsh: little-endian integers, u32-length-prefixed strings and byte vectors. */
final class BorshWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    BorshWriter u8(int value) {
        out.write(value);
        return this;
    }

    BorshWriter u32(int value) {
        for (int i = 0; i < 4; i++) {
            out.write(value >>> (8 * i));
        }
        return this;
    }

    BorshWriter u64(long value) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)));
        }
        return this;
    }

    BorshWriter u128(BigInteger value) {
        byte[] bigEndian = value.toByteArray();
        for (int i = 0; i < 16; i++) {
            int index = bigEndian.length - 1 - i;
            out.write(index >= 0 ? bigEndian[index] : 0);
        }
        return this;
    }

    BorshWriter fixed(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    BorshWriter bytes(byte[] bytes) {
        return u32(bytes.length).fixed(bytes);
    }

    BorshWriter string(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}

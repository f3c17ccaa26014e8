package dev.outlayer.bench.targetsystem.contracts;

import java.util.Arrays;

/** An immutable byte string usable as a map key, ordered as NEAR's trie orders keys (unsigned bytes). */
public final class Bytes implements Comparable<Bytes> {
    private final byte[] value;
    private final int hash;

    private Bytes(byte[] value) {
        this.value = value;
        this.hash = Arrays.hashCode(value);
    }

    /** Wraps without copying: the caller hands over the array. */
    public static Bytes wrap(byte[] value) {
        return new Bytes(value);
    }

    public byte[] array() {
        return value;
    }

    public int length() {
        return value.length;
    }

    public boolean startsWith(byte[] prefix) {
        return value.length >= prefix.length && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(value, other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && hash == b.hash && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}

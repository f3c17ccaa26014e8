package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.runtime.Memory;
import java.nio.charset.StandardCharsets;

/** Reads and writes WASI structures in a process's linear memory, bounds-checked (EFAULT). */
final class GuestMemory {
    private GuestMemory() {}

    static void check(Memory memory, long address, long length) {
        if (address < 0 || length < 0 || address + length > (long) memory.pages() * Memory.PAGE_SIZE) {
            throw new SyscallError(Errno.FAULT);
        }
    }

    static String string(Memory memory, long address, long length) {
        check(memory, address, length);
        return new String(memory.readBytes((int) address, (int) length), StandardCharsets.UTF_8);
    }

    static void writeI32(Memory memory, long address, long value) {
        check(memory, address, 4);
        memory.writeI32((int) address, (int) value);
    }

    static void writeI64(Memory memory, long address, long value) {
        check(memory, address, 8);
        memory.writeLong((int) address, value);
    }

    /** Total bytes described by an iovec array (buf u32, len u32 pairs). */
    static long iovecTotal(Memory memory, long iovs, long count) {
        check(memory, iovs, count * 8);
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += memory.readInt((int) iovs + i * 8 + 4) & 0xFFFFFFFFL;
        }
        return total;
    }

    /**
     * Gathers the bytes of an iovec array into one array (for writes), at most {@code max} of them:
     * a short write, as a pipe or socket may make. Every iovec is checked against memory first, so
     * one that claims more than memory holds is EFAULT before anything is allocated for it.
     */
    static byte[] gather(Memory memory, long iovs, long count, int max) {
        long total = iovecTotal(memory, iovs, count);
        for (int i = 0; i < count; i++) {
            check(
                    memory,
                    memory.readInt((int) iovs + i * 8) & 0xFFFFFFFFL,
                    memory.readInt((int) iovs + i * 8 + 4) & 0xFFFFFFFFL);
        }
        byte[] bytes = new byte[(int) Math.min(total, max)];
        int offset = 0;
        for (int i = 0; i < count && offset < bytes.length; i++) {
            int buf = memory.readInt((int) iovs + i * 8);
            int len = (int) Math.min(memory.readInt((int) iovs + i * 8 + 4) & 0xFFFFFFFFL, bytes.length - offset);
            System.arraycopy(memory.readBytes(buf, len), 0, bytes, offset, len);
            offset += len;
        }
        return bytes;
    }

    /** Scatters {@code length} bytes over an iovec array (for reads). */
    static void scatter(Memory memory, long iovs, long count, byte[] bytes, int length) {
        int offset = 0;
        for (int i = 0; i < count && offset < length; i++) {
            int buf = memory.readInt((int) iovs + i * 8);
            int len = memory.readInt((int) iovs + i * 8 + 4);
            int n = Math.min(len, length - offset);
            check(memory, buf & 0xFFFFFFFFL, n);
            memory.write(buf, bytes, offset, n);
            offset += n;
        }
    }
}

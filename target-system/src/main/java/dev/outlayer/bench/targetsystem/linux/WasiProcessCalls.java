package dev.outlayer.bench.targetsystem.linux;

import static dev.outlayer.bench.targetsystem.linux.SyscallTable.sig;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiExitException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** WASI process-level syscalls: argv, environment, clocks, randomness, poll, exit. */
final class WasiProcessCalls {
    static final String WASI = "wasi_snapshot_preview1";
    /**
     * The JDK's DRBG (NIST SP 800-90A Hash_DRBG, seeded by the system): the default NativePRNG
     * made three bytes of garbage per byte it gave and ran at a quarter of the speed (82 vs 300
     * MB/s measured here).
     */
    private static final SecureRandom RANDOM = drbg();
    /** random_get fills the guest's buffer this much at a time. */
    private static final int RANDOM_CHUNK = 64 * 1024;

    private WasiProcessCalls() {}

    static void register(SyscallTable.Builder table) {
        table.add(
                0,
                WASI,
                "args_get",
                sig("ii", "i"),
                KernelCosts.SIMPLE,
                (p, m, a) -> writeStrings(m, p.argv, a[0], a[1]));
        table.add(
                1,
                WASI,
                "args_sizes_get",
                sig("ii", "i"),
                KernelCosts.SIMPLE,
                (p, m, a) -> writeSizes(m, p.argv, a[0], a[1]));
        table.add(
                2,
                WASI,
                "environ_get",
                sig("ii", "i"),
                KernelCosts.SIMPLE,
                (p, m, a) -> writeStrings(m, environ(p.env), a[0], a[1]));
        table.add(
                3,
                WASI,
                "environ_sizes_get",
                sig("ii", "i"),
                KernelCosts.SIMPLE,
                (p, m, a) -> writeSizes(m, environ(p.env), a[0], a[1]));
        table.add(
                4,
                WASI,
                "clock_res_get",
                sig("ii", "i"),
                KernelCosts.SIMPLE,
                (p, m, a) -> clockResolution(p, m, a[0], a[1]));
        table.add(
                5,
                WASI,
                "clock_time_get",
                sig("iIi", "i"),
                KernelCosts.SIMPLE,
                (p, m, a) -> clockTime(p, m, a[0], a[2]));
        table.add(6, WASI, "proc_exit", sig("i", ""), KernelCosts.SIMPLE, (p, m, a) -> exit(p, (int) a[0]));
        table.add(7, WASI, "proc_raise", sig("i", "i"), KernelCosts.SIMPLE, (p, m, a) -> Errno.NOTSUP);
        table.add(8, WASI, "sched_yield", sig("", "i"), KernelCosts.SIMPLE, (p, m, a) -> {
            Thread.yield();
            return Errno.SUCCESS;
        });
        table.add(9, WASI, "random_get", sig("ii", "i"), KernelCosts.SIMPLE, (p, m, a) -> random(p, m, a[0], a[1]));
        table.add(
                10,
                WASI,
                "poll_oneoff",
                sig("iiii", "i"),
                KernelCosts.IO,
                (p, m, a) -> Poll.oneoff(p, m, a[0], a[1], a[2], a[3]));
    }

    static List<String> environ(Map<String, String> env) {
        List<String> pairs = new ArrayList<>(env.size());
        env.forEach((name, value) -> pairs.add(name + "=" + value));
        return pairs;
    }

    private static long writeStrings(Memory memory, List<String> strings, long pointers, long buffer) {
        long cursor = buffer;
        for (int i = 0; i < strings.size(); i++) {
            byte[] bytes = strings.get(i).getBytes(StandardCharsets.UTF_8);
            GuestMemory.writeI32(memory, pointers + 4L * i, cursor);
            GuestMemory.check(memory, cursor, bytes.length + 1L);
            memory.write((int) cursor, bytes);
            memory.writeByte((int) cursor + bytes.length, (byte) 0);
            cursor += bytes.length + 1;
        }
        return Errno.SUCCESS;
    }

    private static long writeSizes(Memory memory, List<String> strings, long countPtr, long sizePtr) {
        long size = 0;
        for (String s : strings) {
            size += s.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        GuestMemory.writeI32(memory, countPtr, strings.size());
        GuestMemory.writeI32(memory, sizePtr, size);
        return Errno.SUCCESS;
    }

    private static long clockResolution(Process process, Memory memory, long clock, long resultPtr) {
        if (clock < 0 || clock > 3) {
            return Errno.INVAL;
        }
        requireClock(process, clock);
        GuestMemory.writeI64(memory, resultPtr, clock == 0 ? 1_000L : 1L);
        return Errno.SUCCESS;
    }

    /** The CPU-time clocks (2, 3) exist only where the profile has them; wasmtime's preview1 says EBADF. */
    private static void requireClock(Process process, long clock) {
        if ((clock == 2 || clock == 3) && !process.profile().cpuClocks()) {
            throw new SyscallError(Errno.BADF);
        }
    }

    private static long clockTime(Process process, Memory memory, long clock, long resultPtr) {
        requireClock(process, clock);
        long nanos = switch ((int) clock) {
            case 0 -> {
                java.time.Instant now = java.time.Instant.now();
                yield now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }
            case 1 -> System.nanoTime();
            case 2, 3 -> process.cpuNanos();
            default -> throw new SyscallError(Errno.INVAL);
        };
        GuestMemory.writeI64(memory, resultPtr, nanos);
        return Errno.SUCCESS;
    }

    /**
     * Fills the guest's buffer a bounded chunk at a time (it may be all of its memory), each chunk
     * charged what making it costs before it is made (nothing in the outlayer profile, where host
     * calls cost no fuel); a process killed meanwhile (its wall time) stops at the next chunk.
     */
    private static long random(Process process, Memory memory, long buffer, long length) {
        GuestMemory.check(memory, buffer, length);
        byte[] chunk = new byte[(int) Math.min(length, RANDOM_CHUNK)];
        for (long done = 0; done < length; done += chunk.length) {
            if (Thread.interrupted() || System.nanoTime() >= process.deadlineNanos()) {
                throw new ProcessKilled(ProcessKilled.Reason.WALL_TIME);
            }
            int n = (int) Math.min(chunk.length, length - done);
            process.chargeKernel(KernelCosts.random(n));
            RANDOM.nextBytes(chunk);
            memory.write((int) (buffer + done), chunk, 0, n);
        }
        return Errno.SUCCESS;
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    private static long exit(Process process, int code) {
        process.exit(code);
        throw new WasiExitException(code);
    }
}

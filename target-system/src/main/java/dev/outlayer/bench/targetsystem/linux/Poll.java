package dev.outlayer.bench.targetsystem.linux;

import com.dylibso.chicory.runtime.Memory;
import java.util.concurrent.locks.LockSupport;

/**
 * poll_oneoff: clock subscriptions sleep (bounded by the process's wall-time limit), fd
 * subscriptions report ready with the bytes available. This is how sleep() and nanosleep() work
 * in wasi-libc.
 */
final class Poll {
    private static final int SUBSCRIPTION_SIZE = 48;
    private static final int EVENT_SIZE = 32;
    private static final int CLOCK = 0;
    private static final int ABSTIME = 1;

    private Poll() {}

    static long oneoff(Process process, Memory memory, long in, long out, long count, long eventsPtr) {
        if (count <= 0) {
            return Errno.INVAL;
        }
        GuestMemory.check(memory, in, count * SUBSCRIPTION_SIZE);
        GuestMemory.check(memory, out, count * EVENT_SIZE);
        long earliestWakeNanos = Long.MAX_VALUE;
        int clockIndex = -1;
        int events = 0;
        for (int i = 0; i < count; i++) {
            int sub = (int) in + i * SUBSCRIPTION_SIZE;
            int tag = memory.read(sub + 8);
            if (tag == CLOCK) {
                long timeout = memory.readLong(sub + 24);
                int flags = memory.readShort(sub + 40);
                long wake = (flags & ABSTIME) != 0
                        ? absoluteToMonotonic(memory.readInt(sub + 16), timeout)
                        : System.nanoTime() + timeout;
                if (wake < earliestWakeNanos) {
                    earliestWakeNanos = wake;
                    clockIndex = i;
                }
            } else {
                int fd = memory.readInt(sub + 16);
                int error = Errno.SUCCESS;
                long available = 0;
                try {
                    available = tag == 1 ? process.fd(fd).readableBytes() : 1;
                } catch (SyscallError e) {
                    error = e.errno;
                }
                writeEvent(memory, out, events++, memory.readLong(sub), error, tag, available);
            }
        }
        if (events == 0 && clockIndex >= 0) {
            sleepUntil(process, earliestWakeNanos);
            writeEvent(
                    memory,
                    out,
                    events++,
                    memory.readLong((int) in + clockIndex * SUBSCRIPTION_SIZE),
                    Errno.SUCCESS,
                    CLOCK,
                    0);
        }
        GuestMemory.writeI32(memory, eventsPtr, events);
        return Errno.SUCCESS;
    }

    private static long absoluteToMonotonic(int clockId, long timeout) {
        if (clockId == 0) {
            long nowRealtime = System.currentTimeMillis() * 1_000_000L;
            return System.nanoTime() + (timeout - nowRealtime);
        }
        return timeout;
    }

    /** The program asked to sleep; it may not sleep past its wall-time limit. */
    private static void sleepUntil(Process process, long wakeNanos) {
        long deadline = process.deadlineNanos();
        while (true) {
            long now = System.nanoTime();
            if (now >= deadline) {
                throw new ProcessKilled(ProcessKilled.Reason.WALL_TIME);
            }
            if (now >= wakeNanos) {
                return;
            }
            LockSupport.parkNanos(Math.min(wakeNanos, deadline) - now);
            if (Thread.interrupted()) {
                throw new ProcessKilled(ProcessKilled.Reason.WALL_TIME);
            }
        }
    }

    private static void writeEvent(Memory memory, long out, int index, long userdata, int error, int type, long bytes) {
        int event = (int) out + index * EVENT_SIZE;
        memory.writeLong(event, userdata);
        memory.writeShort(event + 8, (short) error);
        memory.writeByte(event + 10, (byte) type);
        memory.writeLong(event + 16, bytes);
        memory.writeShort(event + 24, (short) 0);
    }
}

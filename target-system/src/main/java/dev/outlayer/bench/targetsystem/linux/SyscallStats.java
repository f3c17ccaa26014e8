package dev.outlayer.bench.targetsystem.linux;

import java.util.LinkedHashMap;
import java.util.Map;

/** strace -c for one process: calls and time per syscall, indexed like the syscall table. */
final class SyscallStats {
    private final SyscallTable table;
    final long[] calls;
    final long[] nanos;

    SyscallStats(SyscallTable table) {
        this.table = table;
        this.calls = new long[table.size()];
        this.nanos = new long[table.size()];
    }

    /** {name: count} of the syscalls made, in table order. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < calls.length; i++) {
            if (calls[i] > 0) {
                counts.put(table.get(i).name(), calls[i]);
            }
        }
        return counts;
    }

    /** {name: microseconds} spent inside each syscall. */
    Map<String, Double> timesMicros() {
        Map<String, Double> times = new LinkedHashMap<>();
        for (int i = 0; i < calls.length; i++) {
            if (calls[i] > 0) {
                times.put(table.get(i).name(), Math.round(nanos[i] / 10.0) / 100.0);
            }
        }
        return times;
    }
}

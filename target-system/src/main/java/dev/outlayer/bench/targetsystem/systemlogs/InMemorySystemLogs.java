package dev.outlayer.bench.targetsystem.systemlogs;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * System logs in this process's memory: the newest {@value #MAX_LOGS} logs, and of them no more than {@value
 * #MAX_CHARS} characters of text, the oldest forgotten first (OutLayer's table keeps every row; a process's heap
 * cannot, when each log may be megabytes of compiler output).
 */
public final class InMemorySystemLogs implements SystemLogs {
    static final int MAX_LOGS = 10_000;
    static final long MAX_CHARS = 32L * 1024 * 1024;

    private final Clock clock;
    private final ArrayDeque<Stored> logs = new ArrayDeque<>();
    private final int maxLogs;
    private final long maxChars;
    private long nextId = 1;
    private long chars;

    public InMemorySystemLogs(Clock clock) {
        this(clock, MAX_LOGS, MAX_CHARS);
    }

    InMemorySystemLogs(Clock clock, int maxLogs, long maxChars) {
        this.clock = clock;
        this.maxLogs = maxLogs;
        this.maxChars = maxChars;
    }

    @Override
    public synchronized long store(Entry entry) {
        Stored stored = new Stored(nextId++, entry, Instant.now(clock).truncatedTo(ChronoUnit.MICROS));
        logs.addLast(stored);
        chars += chars(entry);
        while (logs.size() > maxLogs || (chars > maxChars && logs.size() > 1)) {
            chars -= chars(logs.removeFirst().entry());
        }
        return stored.id();
    }

    private static long chars(Entry entry) {
        return length(entry.logType())
                + length(entry.stderr())
                + length(entry.stdout())
                + length(entry.executionError());
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }

    @Override
    public synchronized List<Stored> forJob(long jobId) {
        List<Stored> found = new ArrayList<>();
        // newest first: the deque is in storing order, which is the clock's (ties keep the later id first)
        for (Iterator<Stored> it = logs.descendingIterator(); it.hasNext(); ) {
            Stored log = it.next();
            if (log.entry().jobId() != null && log.entry().jobId() == jobId) {
                found.add(log);
            }
        }
        found.sort((a, b) -> {
            int byTime = b.createdAt().compareTo(a.createdAt());
            return byTime != 0 ? byTime : Long.compare(b.id(), a.id());
        });
        return found;
    }
}

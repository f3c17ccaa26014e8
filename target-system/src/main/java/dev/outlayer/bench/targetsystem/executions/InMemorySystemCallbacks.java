package dev.outlayer.bench.targetsystem.executions;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/** The system-callbacks queue in this process's memory: a restart forgets queued tasks. */
public final class InMemorySystemCallbacks implements SystemCallbacks {
    private static final int REMEMBERED = 100_000;

    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final AtomicLong nextTaskId = new AtomicLong();
    /** Tasks created, by what identifies their event: a task is created once. */
    private final Map<String, Long> created = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED;
        }
    };

    @Override
    public Created create(String identity, LongFunction<Task> task) {
        synchronized (created) {
            Long known = created.get(identity);
            if (known != null) {
                return new Created(known, false);
            }
            long id = nextTaskId.incrementAndGet();
            created.put(identity, id);
            queue.add(task.apply(id));
            return new Created(id, true);
        }
    }

    @Override
    public Optional<Task> poll() {
        return Optional.ofNullable(queue.poll());
    }

    @Override
    public Optional<Task> poll(Duration wait) throws InterruptedException {
        return Optional.ofNullable(queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public int queued() {
        return queue.size();
    }
}

package dev.outlayer.bench.targetsystem.executions;

import java.util.EnumSet;
import java.util.Set;

/**
 * OutLayer's two task queues (coordinator config.rs {@code redis_queue_compile} and {@code
 * redis_queue_execute}): a task whose wasm must be built waits in the compile queue, one whose
 * wasm is ready (or whose compile ended) in the execute queue. A worker polls the queues its
 * capabilities allow, the compile queue first (handlers/tasks.rs {@code poll_task}).
 */
public enum TaskQueue {
    COMPILE("compile"),
    EXECUTE("execute");

    /** Both queues, compile first: what a worker with both capabilities polls. */
    public static final Set<TaskQueue> ALL = EnumSet.allOf(TaskQueue.class);

    private final String wire;

    TaskQueue(String wire) {
        this.wire = wire;
    }

    /** The name OutLayer's {@code ?queue=} parameter and the stand-in's tables use. */
    public String wire() {
        return wire;
    }

    public static TaskQueue ofWire(String wire) {
        for (TaskQueue queue : values()) {
            if (queue.wire.equals(wire)) {
                return queue;
            }
        }
        throw new IllegalArgumentException("no task queue '" + wire + "'");
    }

    /**
     * The queues a worker with these capabilities polls (OutLayer: compilation -> compile,
     * execution -> execute, both -> both).
     */
    public static Set<TaskQueue> forCapabilities(boolean canCompile, boolean canExecute) {
        Set<TaskQueue> queues = EnumSet.noneOf(TaskQueue.class);
        if (canCompile) {
            queues.add(COMPILE);
        }
        if (canExecute) {
            queues.add(EXECUTE);
        }
        return queues;
    }
}

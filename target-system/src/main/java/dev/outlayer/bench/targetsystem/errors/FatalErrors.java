package dev.outlayer.bench.targetsystem.errors;

/**
 * What a thread does with an error the JVM cannot recover from. After an OutOfMemoryError (or an
 * InternalError) any thread may have died mid-update, listeners may keep their ports while
 * answering nothing, and no supervisor notices: the process must end now, with a code a
 * supervisor restarts on. A StackOverflowError is not fatal: it unwinds one request's deep
 * recursion and leaves shared state as it was.
 */
public final class FatalErrors {
    /** The exit status of a halt for a fatal error (distinct from picocli's 1 and 2). */
    public static final int EXIT_CODE = 3;

    private FatalErrors() {}

    public static boolean isFatal(Throwable failure) {
        return failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError);
    }

    /** Halts the JVM if {@code failure} is fatal; returns otherwise. */
    public static void haltIfFatal(Throwable failure) {
        if (isFatal(failure)) {
            halt(failure);
        }
    }

    /**
     * Halts without running shutdown hooks (they may need the memory that is gone, or wait for
     * threads that died). Writes one line to stderr first; no logging framework, which may allocate.
     */
    public static void halt(Throwable failure) {
        try {
            System.err.println("FATAL " + failure.getClass().getName() + " in thread "
                    + Thread.currentThread().getName() + ": halting with status " + EXIT_CODE);
            System.err.flush();
        } finally {
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }
}

package dev.outlayer.bench.targetsystem;

/**
 * A child JVM for ShutdownDeadlineTest, wired as Main wires itself: {@code hang} has a close that
 * never returns (as after an OutOfMemoryError killed the threads it waits for); {@code oom} has a
 * worker thread die of an OutOfMemoryError.
 */
final class ShutdownProbe {
    private ShutdownProbe() {}

    public static void main(String[] args) throws Exception {
        Main.haltOnFatalErrors();
        long deadline = Long.parseLong(args[1]);
        Main.closeOnShutdown(
                () -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                deadline);
        if (args[0].equals("oom")) {
            Thread worker = new Thread(
                    () -> {
                        throw new OutOfMemoryError("Java heap space (probe)");
                    },
                    "probe-worker");
            worker.start();
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

package dev.outlayer.bench.targetsystem;

import java.io.IOException;
import java.io.InputStream;

/**
 * Exits the JVM when standard input reaches end-of-file. A parent that starts the target system
 * keeps the pipe open; if the parent dies, even by SIGKILL, the pipe closes and we follow it.
 */
final class StdinWatchdog {
    private StdinWatchdog() {}

    static void exitWhenClosed() {
        Thread watchdog = new Thread(
                () -> {
                    InputStream in = System.in;
                    byte[] buffer = new byte[256];
                    try {
                        while (in.read(buffer) >= 0) {
                            // Input is ignored; only its end matters.
                        }
                    } catch (IOException ignored) {
                        // A broken pipe means the parent is gone, as EOF does.
                    }
                    System.exit(0);
                },
                "stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}

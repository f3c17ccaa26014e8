package dev.outlayer.bench.targetsystem.throttle;

import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the tiers and keys files and reloads when either changes. A file that fails to parse is
 * logged and ignored: the last good configuration keeps serving.
 */
final class ConfigReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path[] files;
    private final FileTime[] seen;
    private final Supplier<ThrottleConfig> loader;
    private final Consumer<ThrottleConfig> onReload;
    private final OwnedThreads threads = OwnedThreads.named("throttle-config-reloader");
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(threads);

    ConfigReloader(Path tiersFile, Path keysFile, Supplier<ThrottleConfig> loader, Consumer<ThrottleConfig> onReload) {
        this.files = new Path[] {tiersFile, keysFile};
        this.seen = new FileTime[] {modified(tiersFile), modified(keysFile)};
        this.loader = loader;
        this.onReload = onReload;
    }

    void start(long intervalMillis) {
        timer.scheduleWithFixedDelay(this::check, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Reloads if any file changed since the last look; returns whether a new configuration was applied. */
    boolean check() {
        boolean changed = false;
        for (int i = 0; i < files.length; i++) {
            FileTime now = modified(files[i]);
            if (now != null && !now.equals(seen[i])) {
                seen[i] = now;
                changed = true;
            }
        }
        if (!changed) {
            return false;
        }
        try {
            ThrottleConfig config = loader.get();
            onReload.accept(config);
            LOG.info(
                    "throttle configuration reloaded: tiers {}, {} API keys",
                    config.tiers().values(),
                    config.keyCount());
            return true;
        } catch (RuntimeException e) {
            LOG.error("throttle configuration not reloaded, keeping the previous one: {}", e.getMessage());
            return false;
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        threads.stopNow(timer); // a reload in progress reads two small files
    }
}

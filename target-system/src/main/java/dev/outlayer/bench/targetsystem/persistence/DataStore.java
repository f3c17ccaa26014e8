package dev.outlayer.bench.targetsystem.persistence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.errors.FatalErrors;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.linux.ProgramArchive;
import dev.outlayer.bench.targetsystem.state.StateLog;
import dev.outlayer.bench.targetsystem.threads.OwnedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code --data-dir} keeps, in one H2 MVStore file ({@code state.mv.db}): the state trie's
 * entries (nearcore's flat state: account records, access keys, contract code and data, under
 * their trie keys), uploaded programs, the chain's genesis time and last committed height, and
 * records that stopped loading ({@code quarantine}).
 *
 * <p>Every write is committed (MVStore commits are atomic: a crash leaves the state before or
 * after one) and the file synced before the write returns, so whatever a client was answered is
 * on disk, through a SIGKILL or a power cut. A write that cannot be made durable halts the
 * process: memory has run ahead of the disk, and a restart from the disk is the consistent state
 * (the failed call was never answered as done). One writer at a time; the file is locked against a
 * second process.
 *
 * <p>Writes run on the store's own thread, which nothing interrupts: H2 writes through a
 * {@code FileChannel}, which an interrupt closes for good, and the threads that write here can be
 * interrupted (a contract call the wall-clock watchdog stopped still commits its burnt gas).
 */
public final class DataStore implements StateLog, ProgramArchive, AutoCloseable {
    public static final String FILE_NAME = "state.mv.db";
    private static final Logger LOG = LoggerFactory.getLogger(DataStore.class);
    private static final String GENESIS = "genesis_millis";
    private static final String HEIGHT = "height";

    private final MVStore store;
    private final MVMap<byte[], byte[]> state;
    private final MVMap<String, byte[]> programs;
    private final MVMap<String, Long> meta;
    private final MVMap<String, String> quarantine;

    /** Commits between two compactions of chunks that are mostly old versions. */
    private static final int COMPACT_EVERY = 1_000;

    private int commitsSinceCompaction;
    private final OwnedThreads writerThread = OwnedThreads.named("data-store-writer");
    private final ExecutorService writer = Executors.newSingleThreadExecutor(writerThread);

    private DataStore(MVStore store) {
        this.store = store;
        // Space of chunks no version needs any more is reused at once: every commit is synced before
        // the next one is written, so nothing the file's last durable version refers to is overwritten.
        // (MVStore's default keeps them 45 s: a file growing by one chunk per commit meanwhile.)
        store.setRetentionTime(0);
        this.state = store.openMap("state");
        this.programs = store.openMap("programs");
        this.meta = store.openMap("meta");
        this.quarantine = store.openMap("quarantine");
    }

    /** Opens (or creates) the store in {@code dir}. */
    public static DataStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
        Path file = dir.resolve(FILE_NAME);
        DataStore opened = new DataStore(new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                .open());
        LOG.info(
                "data directory {}: {} state records, {} programs, {} quarantined",
                dir,
                opened.state.size(),
                opened.programs.size(),
                opened.quarantine.size());
        return opened;
    }

    /** The chain's genesis time: the first start's {@code now}, kept so heights go on after a restart. */
    public synchronized long genesisMillis(long now) {
        return write(() -> {
            Long kept = meta.get(GENESIS);
            if (kept != null) {
                return kept;
            }
            meta.put(GENESIS, now);
            commit();
            return now;
        });
    }

    @Override
    public synchronized void append(Map<byte[], byte[]> changes, long height) {
        write(() -> {
            for (Map.Entry<byte[], byte[]> change : changes.entrySet()) {
                if (change.getValue() == null) {
                    state.remove(change.getKey());
                } else {
                    state.put(change.getKey(), change.getValue());
                }
            }
            meta.put(HEIGHT, Math.max(height, meta.getOrDefault(HEIGHT, 0L)));
            commit();
            return null;
        });
    }

    @Override
    public void forEach(BiConsumer<byte[], byte[]> entry) {
        state.forEach(entry);
    }

    @Override
    public synchronized void quarantine(byte[] key, String reason) {
        write(() -> {
            byte[] value = state.remove(key);
            quarantine.put("state/" + HexFormat.of().formatHex(key), entry(reason, value));
            commit();
            return null;
        });
    }

    @Override
    public long lastHeight() {
        return meta.getOrDefault(HEIGHT, 0L);
    }

    @Override
    public synchronized void putProgram(String name, byte[] wasm) {
        write(() -> {
            programs.put(name, wasm);
            commit();
            return null;
        });
    }

    @Override
    public void forEachProgram(BiConsumer<String, byte[]> program) {
        programs.forEach(program);
    }

    @Override
    public synchronized void quarantineProgram(String name, String reason) {
        write(() -> {
            byte[] value = programs.remove(name);
            quarantine.put("program/" + name, entry(reason, value));
            commit();
            return null;
        });
    }

    /**
     * Runs {@code work} on the writer thread and waits for it without giving way to an interrupt
     * (kept for the caller to see after): a write that was started is finished, or halts the process.
     */
    private <T> T write(Callable<T> work) {
        Future<T> done = writer.submit(work);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException failure) {
                        throw failure;
                    }
                    throw new IllegalStateException("the data store's writer failed", e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Records set aside because they no longer load. */
    public int quarantined() {
        return quarantine.size();
    }

    private static String entry(String reason, byte[] value) {
        ObjectNode entry = JsonCodec.object();
        entry.put("reason", String.valueOf(reason));
        entry.put("quarantined_at", Instant.now().toString());
        entry.put("record_base64", value == null ? "" : Base64.getEncoder().encodeToString(value));
        return entry.toString();
    }

    /** Commit and sync; a failure halts the process (see the class comment). */
    private void commit() {
        try {
            store.commit();
            store.sync();
            if (++commitsSinceCompaction >= COMPACT_EVERY) {
                // Pages still live in chunks that are mostly dead move to new ones (at most 1 MiB of them),
                // so those chunks free up: the file stays near the size of the live state. After the sync
                // above, like any commit, so it never overwrites what the last durable version refers to.
                commitsSinceCompaction = 0;
                if (store.compact(80, 1 << 20)) {
                    store.commit();
                    store.sync();
                }
            }
        } catch (RuntimeException e) {
            LOG.error(
                    "the data directory cannot be written ({}); stopping so that memory never runs ahead of it",
                    e.toString());
            FatalErrors.halt(e);
        }
    }

    @Override
    public synchronized void close() {
        // Idle here (every write waits for its task under this lock): the thread ends before the file closes.
        writerThread.finishThenStop(writer, OwnedThreads.STOP_BOUND);
        if (!store.isClosed()) {
            store.close();
        }
    }
}

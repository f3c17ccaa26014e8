package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which account owns each API key, from the coordinator's keys file ({@code api_key,tier,owner}).
 * Re-read when the file changes, checked at most once per reload interval, so keys added for the
 * coordinator also work here. A file that fails to parse leaves the previous keys in force.
 */
final class ApiKeyOwners {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyOwners.class);
    private static final CsvMapper CSV = new CsvMapper();

    private final Path file;
    private final long reloadIntervalNanos;
    private volatile Map<String, String> owners = Map.of();
    private volatile FileTime loadedModified;
    private volatile long nextCheckNanos;

    ApiKeyOwners(Path file, long reloadIntervalMillis) {
        this.file = file;
        this.reloadIntervalNanos = Math.max(0, reloadIntervalMillis) * 1_000_000L;
        reloadIfChanged();
    }

    Optional<String> ownerOf(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        if (now - nextCheckNanos >= 0) {
            nextCheckNanos = now + reloadIntervalNanos;
            reloadIfChanged();
        }
        return Optional.ofNullable(owners.get(apiKey));
    }

    private synchronized void reloadIfChanged() {
        if (file == null) {
            return;
        }
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loadedModified)) {
                return;
            }
            owners = parse(file);
            loadedModified = modified;
            LOG.info("keystore: {} API key owners loaded from {}", owners.size(), file);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn(
                    "keystore: cannot load API keys from {} ({}); keeping {} known keys",
                    file,
                    e.getMessage(),
                    owners.size());
        }
    }

    /** Reads the keys CSV with the throttle's dialect (header row, # comments); blank owners are skipped. */
    static Map<String, String> parse(Path file) throws IOException {
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withComments();
        Map<String, String> owners = new HashMap<>();
        try (MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class)
                .with(schema)
                .readValues(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                String key = row.getOrDefault("api_key", "").trim();
                String owner = row.getOrDefault("owner", "").trim();
                if (!key.isEmpty() && !owner.isEmpty()) {
                    owners.put(key, owner);
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return Map.copyOf(owners);
    }
}

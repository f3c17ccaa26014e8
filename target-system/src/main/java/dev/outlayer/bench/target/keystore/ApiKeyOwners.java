package dev.outlayer.bench.target.keystore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which account owns each API key, from the coordinator's keys file ({@code api_key,tier,owner}).
 * Re-read when the file changes, checked at most once per reload interval, so keys added for the
 * coordinator also work here. A file that fails to parse leaves the previous keys in force.
 */
final class ApiKeyOwners {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyOwners.class);

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
            owners = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
            loadedModified = modified;
            LOG.info("keystore: {} API key owners loaded from {}", owners.size(), file);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("keystore: cannot load API keys from {} ({}); keeping {} known keys", file, e.getMessage(), owners.size());
        }
    }

    static Map<String, String> parse(List<String> lines) {
        Map<String, String> owners = new HashMap<>();
        int keyColumn = -1;
        int ownerColumn = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (keyColumn < 0) {
                List<String> header = List.of(cells).stream().map(String::trim).toList();
                keyColumn = header.indexOf("api_key");
                ownerColumn = header.indexOf("owner");
                if (keyColumn < 0 || ownerColumn < 0) {
                    throw new IllegalArgumentException("header must name the columns api_key and owner");
                }
                continue;
            }
            if (cells.length <= Math.max(keyColumn, ownerColumn)) {
                throw new IllegalArgumentException("line " + (i + 1) + " has too few columns");
            }
            String key = cells[keyColumn].trim();
            String owner = cells[ownerColumn].trim();
            if (!key.isEmpty() && !owner.isEmpty()) {
                owners.put(key, owner);
            }
        }
        return Map.copyOf(owners);
    }
}

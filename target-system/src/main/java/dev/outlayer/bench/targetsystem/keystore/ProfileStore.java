package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stored profiles, in memory for reads and in one JSON file for restarts. Every change writes the
 * whole file to a temporary sibling, syncs it and renames it over the old one, so a crash leaves
 * either the old or the new state; memory changes only after the file did.
 */
final class ProfileStore {
    static final String FILE_NAME = "profiles.json";
    private static final Logger LOG = LoggerFactory.getLogger(ProfileStore.class);

    private final Path file;
    private volatile Map<String, SecretProfile> profiles;

    private ProfileStore(Path file, Map<String, SecretProfile> profiles) {
        this.file = file;
        this.profiles = Map.copyOf(profiles);
    }

    /** Opens the store in {@code dataDir}, or a memory-only store when it is null. */
    static ProfileStore open(Path dataDir) {
        if (dataDir == null) {
            return new ProfileStore(null, Map.of());
        }
        Path file = dataDir.resolve(FILE_NAME);
        Map<String, SecretProfile> loaded = new HashMap<>();
        if (Files.exists(file)) {
            try {
                JsonNode root = JsonCodec.MAPPER.readTree(file.toFile());
                for (JsonNode node : root.path("profiles")) {
                    SecretProfile profile = SecretProfile.fromStoredJson(node);
                    loaded.put(key(profile.owner(), profile.profile()), profile);
                }
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot read stored profiles from " + file + ": " + e.getMessage(), e);
            }
            LOG.info("keystore: {} stored profiles loaded from {}", loaded.size(), file);
        }
        return new ProfileStore(file, loaded);
    }

    Optional<SecretProfile> get(String owner, String profile) {
        return Optional.ofNullable(profiles.get(key(owner, profile)));
    }

    List<SecretProfile> list(String owner) {
        return profiles.values().stream()
                .filter(p -> p.owner().equals(owner))
                .sorted(Comparator.comparing(SecretProfile::profile))
                .toList();
    }

    int size() {
        return profiles.size();
    }

    /** Stores or replaces; returns true when the profile is new. */
    synchronized boolean put(SecretProfile profile) throws IOException {
        Map<String, SecretProfile> next = new HashMap<>(profiles);
        boolean created = next.put(key(profile.owner(), profile.profile()), profile) == null;
        commit(next);
        return created;
    }

    synchronized boolean delete(String owner, String profile) throws IOException {
        Map<String, SecretProfile> next = new HashMap<>(profiles);
        if (next.remove(key(owner, profile)) == null) {
            return false;
        }
        commit(next);
        return true;
    }

    private void commit(Map<String, SecretProfile> next) throws IOException {
        if (file != null) {
            write(next);
        }
        profiles = Map.copyOf(next);
    }

    private void write(Map<String, SecretProfile> next) throws IOException {
        ObjectNode root = JsonCodec.object();
        root.put("version", 1);
        ArrayNode list = root.putArray("profiles");
        next.values().stream()
                .sorted(Comparator.comparing(SecretProfile::owner).thenComparing(SecretProfile::profile))
                .forEach(p -> list.add(p.toStoredJson()));
        byte[] bytes = JsonCodec.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);

        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.deleteIfExists(temp);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (FileChannel channel = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String key(String owner, String profile) {
        return owner + "/" + profile;
    }
}

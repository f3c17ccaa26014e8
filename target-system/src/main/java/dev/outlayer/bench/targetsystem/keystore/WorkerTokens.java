package dev.outlayer.bench.targetsystem.keystore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The callers allowed on a set of routes, known only by the SHA-256 of their bearer tokens (as
 * OutLayer's keystore configures them), so the keystore never stores a usable token: the workers
 * ({@code /decrypt} and the other worker routes) and, a separate set, the coordinators
 * ({@code /add_generated_secret}, {@code /update_user_secrets}).
 */
public final class WorkerTokens {
    private final List<byte[]> hashes;

    private WorkerTokens(List<byte[]> hashes) {
        this.hashes = List.copyOf(hashes);
    }

    /** From hex SHA-256 hashes; a malformed entry is an IllegalArgumentException naming its position. */
    public static WorkerTokens ofHashes(Collection<String> hexHashes) {
        return ofHashes(hexHashes, "worker");
    }

    /** As above; {@code kind} ("worker", "coordinator") names the set in an error. */
    public static WorkerTokens ofHashes(Collection<String> hexHashes, String kind) {
        List<byte[]> hashes = new ArrayList<>();
        int position = 0;
        for (String hex : hexHashes) {
            position++;
            String clean = hex.trim().toLowerCase(Locale.ROOT);
            if (clean.isEmpty()) {
                continue;
            }
            if (!clean.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(
                        kind + " token hash #" + position + " is not 64 hex characters (a SHA-256)");
            }
            hashes.add(HexFormat.of().parseHex(clean));
        }
        return new WorkerTokens(hashes);
    }

    /** Reads one hex hash per line; blank lines and lines starting with # are skipped. */
    public static List<String> readHashFile(Path file) throws IOException {
        List<String> hashes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                hashes.add(trimmed);
            }
        }
        return hashes;
    }

    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    public WorkerTokens plus(String token) {
        List<byte[]> more = new ArrayList<>(hashes);
        more.add(sha256(token));
        return new WorkerTokens(more);
    }

    public WorkerTokens plusAll(WorkerTokens other) {
        List<byte[]> more = new ArrayList<>(hashes);
        more.addAll(other.hashes);
        return new WorkerTokens(more);
    }

    /** Compares against every configured hash with MessageDigest.isEqual and no early exit. */
    public boolean accepts(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] candidate = sha256(token);
        boolean accepted = false;
        for (byte[] hash : hashes) {
            accepted |= MessageDigest.isEqual(hash, candidate);
        }
        return accepted;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}

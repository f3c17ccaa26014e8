package dev.outlayer.bench.targetsystem.keystore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keystore's 32-byte master secret: given as hex by flag or environment, or kept in
 * {@code master.key} under the data directory, created on first start readable by its owner only.
 * Losing it orphans every stored profile, so it is never regenerated once the file exists.
 */
final class MasterSecret {
    static final String FILE_NAME = "master.key";
    private static final Logger LOG = LoggerFactory.getLogger(MasterSecret.class);
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private MasterSecret() {}

    static byte[] resolve(String givenHex, Path dataDir) {
        if (givenHex != null && !givenHex.isBlank()) {
            LOG.info("keystore master secret given by --keystore-master-secret / OUTLAYER_KEYSTORE_MASTER_SECRET");
            return parse(givenHex, "--keystore-master-secret");
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("the keystore needs --keystore-data-dir or --keystore-master-secret");
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(dataDir, file);
            }
            checkOwnerOnly(file);
            LOG.info("keystore master secret loaded from {}", file);
            return parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read or create the keystore master secret " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path dataDir, Path file) throws IOException {
        Files.createDirectories(dataDir);
        byte[] secret = new byte[ScopeKeys.MASTER_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        try {
            if (supportsPosix(dataDir)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
            // Written with CREATE_NEW semantics above: two keystores starting at once never swap keys.
            Files.writeString(
                    file,
                    HexFormat.of().formatHex(secret) + "\n",
                    StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.SYNC);
            LOG.info(
                    "keystore master secret created in {} (owner-only permissions); back it up to keep stored secrets",
                    file);
        } catch (FileAlreadyExistsException raced) {
            // Another process created it first; use theirs.
        }
    }

    private static void checkOwnerOnly(Path file) throws IOException {
        if (!supportsPosix(file)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
            throw new IllegalStateException(file + " is readable by other users ("
                    + PosixFilePermissions.toString(permissions) + "); run chmod 600 on it");
        }
    }

    private static boolean supportsPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static byte[] parse(String hex, String source) {
        String clean = hex.trim();
        if (!clean.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(
                    "the master secret from " + source + " must be 64 hex characters (32 bytes)");
        }
        return HexFormat.of().parseHex(clean);
    }
}

package dev.outlayer.bench.targetsystem.wasm;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The class bytes Chicory's compiler made for a module, on disk, so a restart (or another target
 * system on the machine) loads them instead of compiling again. Chicory asks by the module's
 * digest (sha256 of the instrumented module it compiles); the file name also carries the Chicory
 * version, so an upgrade never loads classes an older compiler made. Files are written to a
 * temporary name and moved into place: a reader sees a whole entry or none.
 */
public final class CompiledCodeCache implements Cache {
    /** The Chicory compiler's version, from its jar. */
    public static final String CHICORY_VERSION = chicoryVersion();

    /**
     * What entries hold, part of every file name: only whole compilations (no function left to
     * Chicory's interpreter), so instances of a loaded entry need no function bodies
     * ({@link PausableCompiler#load}); entries written before this rule have other names and are
     * never read.
     */
    private static final String ENTRIES = "whole compilations";

    private final Path dir;

    public CompiledCodeCache(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the compiled-contract cache " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    private Path file(String digest) {
        try {
            byte[] name = MessageDigest.getInstance("SHA-256")
                    .digest(("chicory " + CHICORY_VERSION + "\n" + ENTRIES + "\n" + digest)
                            .getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(name) + ".classes");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True if classes for {@code digest} are stored. */
    public boolean contains(String digest) {
        return digest != null && Files.isRegularFile(file(digest));
    }

    /** Drops an entry that could not be loaded. */
    public void remove(String digest) {
        try {
            Files.deleteIfExists(file(digest));
        } catch (IOException e) {
            // the next store replaces it anyway
        }
    }

    @Override
    public byte[] get(String digest) throws IOException {
        try {
            return Files.readAllBytes(file(digest));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void putIfAbsent(String digest, byte[] classes) throws IOException {
        Path target = file(digest);
        if (Files.exists(target)) {
            return;
        }
        Path temp = Files.createTempFile(dir, "entry", ".tmp");
        try {
            Files.write(temp, classes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String chicoryVersion() {
        String resource = "/META-INF/maven/com.dylibso.chicory/compiler/pom.properties";
        try (InputStream in = MachineFactoryCompiler.class.getResourceAsStream(resource)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                if (version != null) {
                    return version;
                }
            }
        } catch (IOException e) {
            // fall through: an unknown version never matches a stored one
        }
        return "unknown-" + MachineFactoryCompiler.class.getProtectionDomain().getCodeSource();
    }
}

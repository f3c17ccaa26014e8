package dev.outlayer.bench.targetsystem.executions;

import java.util.regex.Pattern;

/**
 * A compiled wasm a worker shares through the coordinator (OutLayer's {@code POST /wasm/upload},
 * coordinator handlers/wasm.rs): its bytes under its checksum, with where it was built from.
 *
 * @param checksum the compile cache's key (OutLayer's {@code calculate_wasm_checksum}: a
 *     WasmUrl's hash, or sha256 of {@code repo:commit:build_target}), 64 lowercase hex digits
 * @param repoUrl the repository it was built from, or a WasmUrl's url (OutLayer's {@code repo_url})
 * @param commitHash the commit it was built from (OutLayer's {@code commit_hash})
 * @param buildTarget {@code wasm32-wasip1}, ... (OutLayer's worker sends it; may be null)
 */
public record WasmFile(String checksum, byte[] wasm, String repoUrl, String commitHash, String buildTarget) {
    private static final Pattern CHECKSUM = Pattern.compile("[0-9a-f]{64}");

    public WasmFile {
        requireChecksum(checksum);
        if (wasm == null || wasm.length == 0) {
            throw new IllegalArgumentException("wasm_file is required and must not be empty");
        }
        if (repoUrl == null || repoUrl.isEmpty() || commitHash == null || commitHash.isEmpty()) {
            throw new IllegalArgumentException("repo_url and commit_hash are required");
        }
        wasm = wasm.clone();
    }

    @Override
    public byte[] wasm() {
        return wasm.clone();
    }

    /** The wasm's size in bytes (OutLayer's {@code file_size}). */
    public int size() {
        return wasm.length;
    }

    /**
     * A checksum is 64 lowercase hex digits (OutLayer names the file after it unchecked; the
     * stand-in refuses anything else).
     */
    public static String requireChecksum(String checksum) {
        if (checksum == null || checksum.isEmpty()) {
            throw new IllegalArgumentException("checksum is required");
        }
        if (!CHECKSUM.matcher(checksum).matches()) {
            throw new IllegalArgumentException("checksum must be 64 lowercase hex digits (a sha256)");
        }
        return checksum;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WasmFile f
                && f.checksum.equals(checksum)
                && java.util.Arrays.equals(f.wasm, wasm)
                && f.repoUrl.equals(repoUrl)
                && f.commitHash.equals(commitHash)
                && java.util.Objects.equals(f.buildTarget, buildTarget);
    }

    @Override
    public int hashCode() {
        return checksum.hashCode();
    }

    @Override
    public String toString() {
        return "WasmFile[" + checksum + ", " + wasm.length + " bytes, " + repoUrl + "@" + commitHash + "]";
    }
}

package dev.outlayer.bench.targetsystem.executions;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a request's code comes from, as OutLayer's {@code CodeSource}: {@code GitHub} (repo,
 * commit, build target) or {@code WasmUrl} (url and the wasm's sha256 {@code hash}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CodeSource(
        @JsonProperty("type") String type,
        @JsonProperty("repo") String repo,
        @JsonProperty("commit") String commit,
        @JsonProperty("build_target") String buildTarget,
        @JsonProperty("url") String url,
        @JsonProperty("hash") String hash) {

    public static CodeSource gitHub(String repo, String commit, String buildTarget) {
        return new CodeSource("GitHub", repo, commit, buildTarget, null, null);
    }

    public static CodeSource wasmUrl(String url, String hash, String buildTarget) {
        return new CodeSource("WasmUrl", null, null, buildTarget, url, hash);
    }

    /**
     * The compile cache's key, as OutLayer's {@code calculate_wasm_checksum}: the given hash for
     * a WasmUrl, sha256 of {@code repo:commit:build_target} for GitHub.
     */
    @JsonIgnore
    public String wasmChecksum() {
        if (hash != null) {
            return hash;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((repo + ":" + commit + ":" + buildTarget).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}

package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.function.UnaryOperator;

/**
 * What a ciphertext is bound to: an accessor (a repository and optional branch, a wasm hash, a
 * project or a system secret), the account that owns the secrets, and the profile's name (only a
 * System secret's seed uses it, as its nonce). {@link #seed()} selects the key, exactly as
 * OutLayer's keystore builds it.
 */
public record Scope(SecretAccessor accessor, String owner, String profile) {

    public Scope {
        if (accessor == null) {
            throw ApiException.invalid("an accessor (repo, or accessor {type, ...}) is required");
        }
        owner = require(owner, "owner");
        profile = profile == null || profile.isBlank() ? null : profile;
        if (accessor instanceof SecretAccessor.System && profile == null) {
            throw ApiException.invalid("a System secret's seed needs its profile name (the nonce)");
        }
    }

    /** A repository scope as the keystore opens it (OutLayer keystore-worker's normalisation). */
    public Scope(String repo, String owner, String branch) {
        this(new SecretAccessor.Repo(RepoUrls.forDecryption(require(repo, "repo")), branch), owner, null);
    }

    /**
     * A scope from a request's fields: either {@code repo} (and {@code branch}) or an
     * {@code accessor} in OutLayer keystore-worker's form, not both. {@code normalizeRepo} is the
     * OutLayer rule that applies where the request arrives ({@link RepoUrls}).
     */
    public static Scope of(
            String repo,
            String branch,
            JsonNode accessor,
            String owner,
            String profile,
            UnaryOperator<String> normalizeRepo) {
        boolean hasAccessor = accessor != null && !accessor.isNull();
        if (hasAccessor && repo != null) {
            throw ApiException.invalid("give either repo (and branch) or accessor, not both");
        }
        if (hasAccessor) {
            return new Scope(SecretAccessor.fromJson(accessor, normalizeRepo), owner, profile);
        }
        if (repo == null || repo.isBlank()) {
            throw ApiException.invalid("'repo' (or 'accessor') is required");
        }
        return new Scope(new SecretAccessor.Repo(normalizeRepo.apply(require(repo, "repo")), branch), owner, profile);
    }

    public String seed() {
        return accessor.seed(owner, profile);
    }

    /** The same accessor and owner for another profile name (a System seed changes with it). */
    public Scope withProfile(String profileName) {
        return new Scope(accessor, owner, profileName);
    }

    /** The repository, or null for a scope that is not a repository's. */
    public String repo() {
        return accessor instanceof SecretAccessor.Repo r ? r.repo() : null;
    }

    /** The branch of a repository scope, or null. */
    public String branch() {
        return accessor instanceof SecretAccessor.Repo r ? r.branch() : null;
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(name + " is required");
        }
        if (value.length() > 256) {
            throw ApiException.invalid(name + " is longer than 256 characters");
        }
        return value.strip();
    }
}

package dev.outlayer.bench.targetsystem.keystore;

import dev.outlayer.bench.targetsystem.errors.ApiException;

/**
 * What a ciphertext is bound to: a repository, the account that owns the secrets, and optionally
 * a branch. Its seed {@code repo:owner[:branch]} selects the key, exactly as OutLayer's keystore.
 */
public record Scope(String repo, String owner, String branch) {

    public Scope {
        repo = normalizeRepo(require(repo, "repo"));
        owner = require(owner, "owner");
        branch = branch == null || branch.isBlank() ? null : branch.trim();
    }

    public String seed() {
        return branch == null ? repo + ":" + owner : repo + ":" + owner + ":" + branch;
    }

    /**
     * OutLayer's repository normalisation: scheme, {@code git@} and {@code .git} removed, so
     * {@code https://github.com/a/b.git}, {@code git@github.com:a/b} and {@code github.com/a/b} are
     * one scope; a bare {@code a/b} means GitHub, as OutLayer's clients assume.
     */
    public static String normalizeRepo(String repo) {
        String r = repo.trim();
        for (String scheme : new String[] {"https://", "http://", "ssh://"}) {
            if (r.regionMatches(true, 0, scheme, 0, scheme.length())) {
                r = r.substring(scheme.length());
                break;
            }
        }
        if (r.startsWith("git@")) {
            r = r.substring(4).replace(':', '/');
        }
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        if (r.endsWith(".git")) {
            r = r.substring(0, r.length() - 4);
        }
        int slash = r.indexOf('/');
        if (slash > 0 && !r.substring(0, slash).contains(".")) {
            r = "github.com/" + r;
        }
        if (r.isEmpty()) {
            throw ApiException.invalid("repo is empty");
        }
        return r;
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(name + " is required");
        }
        if (value.length() > 256) {
            throw ApiException.invalid(name + " is longer than 256 characters");
        }
        return value.trim();
    }
}

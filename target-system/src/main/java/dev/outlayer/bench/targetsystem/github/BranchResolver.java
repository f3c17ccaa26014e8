package dev.outlayer.bench.targetsystem.github;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.keystore.RepoUrls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The branch of a GitHub source's commit, as OutLayer's coordinator resolves it for its workers
 * (handlers/github.rs {@code resolve_branch}, {@code GET /github/resolve-branch}): the repository
 * normalised by the coordinator's {@code parse_github_repo}; a commit that is not a SHA (40 hex
 * digits, or 7 or 8) is a branch name, answered as it is; a SHA is asked of GitHub
 * ({@link GitHubApi}). A branch found is kept for 7 days, as OutLayer keeps it in Redis; a commit
 * GitHub does not know (no branch) is not kept. The workers inject a repository's branch-bound
 * secrets with the answer.
 *
 * <p>Kept in this process, the newest {@code capacity} answers (OutLayer's Redis keeps every one
 * for its 7 days): a coordinator that forgot one asks GitHub again, and gets the same branch.
 */
public final class BranchResolver {
    /** OutLayer's {@code BRANCH_CACHE_TTL}. */
    public static final Duration CACHE_TTL = Duration.ofDays(7);
    /** Answers kept by default: some 200 bytes each. */
    public static final int DEFAULT_CAPACITY = 10_000;

    /** The answer: the branch (null when GitHub does not know the commit) and whether it was kept from before. */
    public record Resolution(String branch, String repoNormalized, boolean cached) {}

    private record Key(String repoNormalized, String commit) {}

    private record Kept(String branch, Instant expires) {}

    private final GitHubApi github;
    private final Clock clock;
    private final int capacity;
    /** Oldest first; guarded by itself. */
    private final LinkedHashMap<Key, Kept> kept = new LinkedHashMap<>();

    public BranchResolver(GitHubApi github, Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.github = github;
        this.clock = clock;
        this.capacity = capacity;
    }

    /**
     * OutLayer's {@code resolve_branch}: 400 ({@link ApiException.Kind#INVALID}) {@code Invalid repo
     * format: ...}; 404 ({@link ApiException.Kind#NOT_FOUND}) {@code Failed to resolve branch: ...}
     * when GitHub's answer cannot be had or read. May call GitHub: not on an I/O thread.
     */
    public Resolution resolve(String repo, String commit) {
        String normalized;
        try {
            normalized = RepoUrls.forEncryption(repo);
        } catch (ApiException e) {
            throw ApiException.invalid("Invalid repo format: " + e.getMessage());
        }
        Key key = new Key(normalized, commit);
        String known = lookup(key);
        if (known != null) {
            return new Resolution(known, normalized, true);
        }
        String branch;
        if (isSha(commit)) {
            try {
                branch = github.branchOf(normalized, commit);
            } catch (GitHubApi.Failure e) {
                throw ApiException.notFound("Failed to resolve branch: " + e.getMessage());
            }
        } else {
            branch = commit; // a branch name: no call
        }
        if (branch != null) {
            keep(key, branch);
        }
        return new Resolution(branch, normalized, false);
    }

    /**
     * What OutLayer's worker hands its keystore as a GitHub source's {@code branch}: the branch the
     * coordinator resolved, or none when it could not (404, or any failure: "using wildcard
     * (branch=None)"), so that only the secrets stored without a branch are found.
     */
    public String branchOrNone(String repo, String commit) {
        try {
            return resolve(repo, commit).branch();
        } catch (ApiException e) {
            return null;
        }
    }

    /** OutLayer's test: 40 hex digits, or 7 or 8 (a short SHA); anything else is a branch name. */
    static boolean isSha(String commit) {
        int length = commit.length();
        if (length != 40 && length != 7 && length != 8) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = commit.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private String lookup(Key key) {
        synchronized (kept) {
            Kept entry = kept.get(key);
            if (entry == null) {
                return null;
            }
            if (!clock.instant().isBefore(entry.expires())) {
                kept.remove(key);
                return null;
            }
            return entry.branch();
        }
    }

    /** As Redis's SET EX: a new answer replaces the old and starts its 7 days again. */
    private void keep(Key key, String branch) {
        Instant now = clock.instant();
        synchronized (kept) {
            kept.remove(key);
            kept.put(key, new Kept(branch, now.plus(CACHE_TTL)));
            Iterator<Map.Entry<Key, Kept>> oldest = kept.entrySet().iterator();
            while (kept.size() > capacity && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
    }

    /** Answers kept now (expired ones until they are looked up or pushed out). */
    int keptCount() {
        synchronized (kept) {
            return kept.size();
        }
    }
}

package dev.outlayer.bench.targetsystem.keystore;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OutLayer's two repository normalisations, exactly: a different string means a different seed, a
 * different key, and a blob nobody can open. The coordinator's ({@link #forEncryption}) runs where
 * a client asks for a scope's public key; the keystore's ({@link #forDecryption}) where a stored
 * profile is looked up and opened. They agree on the usual forms ({@code https://github.com/a/b.git},
 * {@code git@github.com:a/b}, {@code github.com/a/b}); only the coordinator's turns {@code a/b} into
 * {@code github.com/a/b}, and neither changes case or drops a trailing slash.
 */
public final class RepoUrls {
    private static final Pattern SSH = Pattern.compile("^git@([^:]+):([^/]+)/([^/]+?)(?:\\.git)?$");
    private static final Pattern HTTPS = Pattern.compile("^https?://([^/]+)/([^/]+)/([^/]+?)(?:\\.git)?$");
    private static final Pattern HOST_OWNER_REPO = Pattern.compile("^([^/]+)/([^/]+)/([^/]+?)(?:\\.git)?$");
    private static final Pattern OWNER_REPO = Pattern.compile("^([^/]+)/([^/]+?)(?:\\.git)?$");

    private RepoUrls() {}

    /**
     * OutLayer keystore-worker's {@code utils::normalize_repo_url}: trim; strip one of
     * {@code https://}, {@code http://}, {@code ssh://} (case-sensitive); after {@code git@}, every
     * ':' becomes '/'; strip one {@code .git} suffix. Nothing else.
     */
    public static String forDecryption(String repo) {
        String r = repo.strip();
        for (String scheme : new String[] {"https://", "http://", "ssh://"}) {
            if (r.startsWith(scheme)) {
                r = r.substring(scheme.length());
                break;
            }
        }
        if (r.startsWith("git@")) {
            r = r.substring(4).replace(':', '/');
        }
        if (r.endsWith(".git")) {
            r = r.substring(0, r.length() - 4);
        }
        if (r.isEmpty()) {
            throw ApiException.invalid("repo is empty");
        }
        return r;
    }

    /**
     * OutLayer coordinator's {@code github::parse_github_repo}: {@code git@host:owner/repo[.git]},
     * {@code http(s)://host/owner/repo[.git]}, {@code host/owner/repo[.git]} or {@code owner/repo[.git]}
     * (GitHub) become {@code host/owner/repo}; anything else is refused (400).
     */
    public static String forEncryption(String repo) {
        String input = repo.strip();
        if (input.isEmpty()) {
            throw ApiException.invalid("Repository URL cannot be empty");
        }
        for (Pattern form : new Pattern[] {SSH, HTTPS, HOST_OWNER_REPO}) {
            Matcher m = form.matcher(input);
            if (m.matches()) {
                return m.group(1) + "/" + m.group(2) + "/" + m.group(3);
            }
        }
        Matcher shortForm = OWNER_REPO.matcher(input);
        if (shortForm.matches()) {
            return "github.com/" + shortForm.group(1) + "/" + shortForm.group(2);
        }
        throw ApiException.invalid(
                "Invalid repository format: " + (input.length() > 80 ? input.substring(0, 80) + "..." : input)
                        + " (expected owner/repo, host/owner/repo, https://host/owner/repo or git@host:owner/repo)");
    }
}

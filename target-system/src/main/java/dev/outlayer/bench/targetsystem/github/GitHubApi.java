package dev.outlayer.bench.targetsystem.github;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which branch holds a commit, asked of GitHub's REST API as OutLayer's coordinator asks it
 * (handlers/github.rs {@code fetch_branch_from_github}): the branches whose head the commit is
 * ({@code commits/{sha}/branches-where-head}), {@code main} or {@code master} first, else the
 * first; when it heads none, the repository's branches ({@code branches}, the first 100) compared
 * with it ({@code compare/{sha}...{branch}}: {@code behind} or {@code identical} means the branch
 * holds it), {@code main}/{@code master} before the others; {@code main} when none does or the
 * branch list cannot be had. Unauthenticated, with OutLayer's {@code User-Agent} and {@code Accept}.
 * The base URL is {@code https://api.github.com} for real use, a local stand-in in tests.
 */
public final class GitHubApi {
    private static final Logger LOG = LoggerFactory.getLogger(GitHubApi.class);
    /** OutLayer's headers, on every call. */
    static final String USER_AGENT = "offchainvm-coordinator";

    static final String ACCEPT = "application/vnd.github.v3+json";
    /** GitHub answers a list of 100 branches in some 20 KB; more than this is not GitHub's answer. */
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** OutLayer quotes the first 200 characters of an error's body; 4 bytes each at most. */
    private static final int ERROR_QUOTE_CHARS = 200;

    /** Why no branch could be had, in OutLayer's words (its handler prefixes {@code Failed to resolve branch: }). */
    public static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private record BranchInfo(@JsonProperty("name") String name) {}

    private record CompareInfo(@JsonProperty("status") String status) {}

    private static final TypeReference<List<BranchInfo>> BRANCHES = new TypeReference<>() {};

    private final String base;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param baseUrl GitHub's API, {@code https://api.github.com} (a GitHub Enterprise {@code .../api/v3} works too)
     * @param timeout the longest one call may take (OutLayer's reqwest client has none)
     */
    public GitHubApi(URI baseUrl, Duration timeout) {
        String text = baseUrl.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                // reqwest follows up to 10 redirects (GitHub moves a renamed repository's API with a 301)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** The API's base URL, without a trailing slash. */
    public String baseUrl() {
        return base;
    }

    /**
     * The branch holding {@code commit} in {@code normalizedRepo} ({@code github.com/owner/repo}), or
     * null when GitHub does not know the commit (a 404 from {@code branches-where-head}).
     */
    public String branchOf(String normalizedRepo, String commit) throws Failure {
        String[] parts = normalizedRepo.split("/", -1);
        if (parts.length != 3) {
            throw new Failure("Invalid normalized repo format: " + normalizedRepo);
        }
        if (!parts[0].equals("github.com")) {
            throw new Failure("Only github.com is supported, got: " + parts[0]);
        }
        String repoPath = "/repos/" + segment(parts[1]) + "/" + segment(parts[2]);

        String headsUrl = base + repoPath + "/commits/" + segment(commit) + "/branches-where-head?per_page=100";
        Answer heads = get(headsUrl, "GitHub API request failed: ");
        if (heads.status() == 404) {
            return null;
        }
        if (!heads.success()) {
            throw new Failure("GitHub API error " + statusLine(heads.status()) + ": " + quote(heads.body()));
        }
        List<BranchInfo> headOf = branches(heads.body(), "Failed to parse GitHub response: ");
        if (!headOf.isEmpty()) {
            return headOf.stream()
                    .map(BranchInfo::name)
                    .filter(GitHubApi::mainOrMaster)
                    .findFirst()
                    .orElse(headOf.get(0).name());
        }

        // not the head of any branch: which branch holds it in its history
        Answer list = get(base + repoPath + "/branches?per_page=100", "Failed to fetch branches list: ");
        if (!list.success()) {
            LOG.warn("GitHub's branch list of {} answered {}, assuming 'main'", normalizedRepo, list.status());
            return "main";
        }
        List<BranchInfo> all = branches(list.body(), "Failed to parse branches response: ");
        for (boolean mainFirst : new boolean[] {true, false}) {
            for (BranchInfo branch : all) {
                if (mainOrMaster(branch.name()) == mainFirst
                        && holds(base + repoPath + "/compare/" + segment(commit) + "..." + branchPath(branch.name()))) {
                    return branch.name();
                }
            }
        }
        LOG.warn("commit {} of {} not found in any branch, assuming 'main'", commit, normalizedRepo);
        return "main";
    }

    private static boolean mainOrMaster(String name) {
        return name.equals("main") || name.equals("master");
    }

    /** Whether the compare says the branch holds the commit; any failure is a no, as OutLayer's loop takes it. */
    private boolean holds(String compareUrl) {
        try {
            Answer compare = get(compareUrl, "");
            if (!compare.success()) {
                return false;
            }
            CompareInfo info = JsonCodec.MAPPER.readValue(compare.body(), CompareInfo.class);
            return info != null
                    && info.status() != null
                    && (info.status().equals("behind") || info.status().equals("identical"));
        } catch (Failure | IOException e) {
            return false;
        }
    }

    private static List<BranchInfo> branches(byte[] body, String prefix) throws Failure {
        List<BranchInfo> branches;
        try {
            branches = JsonCodec.MAPPER.readValue(body, BRANCHES);
        } catch (IOException e) {
            throw new Failure(prefix + "expected a JSON array of branches, each with a name");
        }
        if (branches == null || branches.stream().anyMatch(b -> b == null || b.name() == null)) {
            throw new Failure(prefix + "expected a JSON array of branches, each with a name");
        }
        return branches;
    }

    private record Answer(int status, byte[] body) {
        boolean success() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * One GET with OutLayer's headers. A call that gets no answer is a failure in reqwest's words
     * ({@code error sending request for url (...)}), without the cause below it (refused, reset,
     * DNS), which goes to the log only.
     */
    private Answer get(String url, String failurePrefix) throws Failure {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("User-Agent", USER_AGENT)
                    .header("Accept", ACCEPT)
                    .GET()
                    .build();
        } catch (IllegalArgumentException e) {
            throw new Failure(failurePrefix + "builder error for url (" + url + ")");
        }
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            boolean success = response.statusCode() >= 200 && response.statusCode() < 300;
            try (InputStream in = response.body()) {
                // an error's body is only quoted (its first 200 characters are within 800 bytes); a list
                // cut at the limit is no JSON any more: a parse failure
                byte[] body = in.readNBytes(success ? MAX_BODY_BYTES + 1 : ERROR_QUOTE_CHARS * 4);
                return new Answer(response.statusCode(), body);
            }
        } catch (HttpTimeoutException e) {
            LOG.info("GitHub API call timed out: {}", url);
            throw new Failure(failurePrefix + "error sending request for url (" + url + "): operation timed out");
        } catch (IOException e) {
            LOG.info("GitHub API call failed: {}: {}", url, e.toString());
            throw new Failure(failurePrefix + "error sending request for url (" + url + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(failurePrefix + "error sending request for url (" + url + ")");
        }
    }

    /** OutLayer quotes the first 200 characters of an error's body. */
    private static String quote(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        int end = text.offsetByCodePoints(0, Math.min(ERROR_QUOTE_CHARS, text.codePointCount(0, text.length())));
        return text.substring(0, end);
    }

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(300, "Multiple Choices"),
            Map.entry(301, "Moved Permanently"),
            Map.entry(302, "Found"),
            Map.entry(303, "See Other"),
            Map.entry(304, "Not Modified"),
            Map.entry(307, "Temporary Redirect"),
            Map.entry(308, "Permanent Redirect"),
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(409, "Conflict"),
            Map.entry(410, "Gone"),
            Map.entry(422, "Unprocessable Entity"),
            Map.entry(429, "Too Many Requests"),
            Map.entry(451, "Unavailable For Legal Reasons"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    /** A status as the {@code http} crate's {@code StatusCode} displays it: {@code 403 Forbidden}. */
    static String statusLine(int status) {
        return status + " " + REASONS.getOrDefault(status, "<unknown status code>");
    }

    /** One path segment, percent-encoded but for RFC 3986's unreserved characters. */
    static String segment(String text) {
        return encode(text, false);
    }

    /** A branch name in a compare's path: its '/' kept, as GitHub reads {@code base...feature/x}. */
    private static String branchPath(String name) {
        return encode(name, true);
    }

    private static String encode(String text, boolean keepSlash) {
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
        return keepSlash ? encoded.replace("%2F", "/") : encoded;
    }
}

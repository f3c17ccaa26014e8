package dev.outlayer.bench.reports.site;

import dev.outlayer.bench.reports.results.RunCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Writes the site's pages from the runs stored under the reports folder. */
public final class ReportSite {

    public static final String INDEX = "index.html";
    public static final String SUMMARY_HTML = "summary.html";
    public static final String SUMMARY_MD = "summary.md";
    public static final String SUMMARY_JSON = "summary.json";

    private ReportSite() {}

    public static final String TRENDS_HTML = "trends.html";

    /** @param suite the suite whose runs the matrices show, or null for the newest */
    public static Summary render(Path reportsRoot, String suite, Optional<Comparison> comparison) {
        RunCatalog catalog = SiteLoader.load(reportsRoot);
        Summary summary =
                Summary.of(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), catalog, suite, comparison);
        try {
            Files.createDirectories(reportsRoot);
            Files.writeString(reportsRoot.resolve(INDEX), SitePages.index(summary));
            Files.writeString(reportsRoot.resolve(SUMMARY_HTML), SitePages.summary(summary));
            Files.writeString(reportsRoot.resolve(TRENDS_HTML), Trends.page(summary));
            Files.writeString(reportsRoot.resolve(SUMMARY_MD), SummaryMarkdown.render(summary));
            Files.writeString(reportsRoot.resolve(SUMMARY_JSON), SummaryJson.render(summary));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the report site into " + reportsRoot + ": " + e.getMessage(), e);
        }
        return summary;
    }
}

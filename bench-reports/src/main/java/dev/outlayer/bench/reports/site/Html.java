package dev.outlayer.bench.reports.site;

/** Escaping and the page frame shared by the site's pages (inline CSS: nothing is fetched). */
final class Html {

    private Html() {}

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A page of the site; every page names the run set its numbers come from and its form. */
    static String page(String title, Summary summary, String body) {
        return page(title, summary.generatedAt(), setBanner(summary), body);
    }

    /** The run set and form, on top of every page: a CI-form site says so in a banner no reader can miss. */
    static String setBanner(Summary summary) {
        String css = summary.ciForm() ? "set ci-form" : "set full-form";
        String lead = summary.ciForm() ? "<strong>CI FORM</strong> · " : "";
        return "<p id=\"run-set\" class=\"" + css + "\">" + lead + "Matrix built from: " + esc(summary.setDescription())
                + "</p>";
    }

    static String page(String title, String generatedAt, String banner, String body) {
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>%s</title>
        <link rel="icon" href="data:,">
        <style>%s</style>
        </head>
        <body>
        <header><h1>OutLayer Bench</h1><nav><a href="index.html">Runs &amp; matrix</a><a href="summary.html">Full summary</a><a href="trends.html">Trends</a></nav></header>
        %s
        <main>
        %s
        </main>
        <footer>Generated %s by the OutLayer Bench reports tool. Each cell: the median over the set's runs, their spread (min-max) and count. Colours: green meets the Target, amber meets Acceptable only, red misses Acceptable, purple inconclusive (the spread is wider than the distance to a bound), dark red failed (a run's assertions failed), grey not measured. Thresholds marked "spec" are the spec's, "ours" this project's.</footer>
        </body>
        </html>
        """.formatted(esc(title), CSS, banner, body, esc(generatedAt));
    }

    private static final String CSS = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
      header{display:flex;align-items:baseline;gap:2rem;padding:.8rem 1.5rem;background:#24292f;color:#fff}
      header h1{font-size:1.2rem;margin:0}
      header nav a{color:#c9d1d9;margin-right:1.2rem;text-decoration:none}
      header nav a:hover{color:#fff;text-decoration:underline}
      main{padding:1rem 1.5rem;max-width:1200px}
      h2{margin-top:1.8rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
      table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.92rem}
      th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}
      th{background:#f6f8fa}
      td.num{text-align:right;font-variant-numeric:tabular-nums}
      td.group{background:#eaeef2;font-weight:600}
      td.green{background:#dafbe1}
      td.amber{background:#fff1c2}
      td.red{background:#ffd7d5}
      td.inconclusive{background:#eddeff}
      td.failed{background:#cf222e;color:#fff}
      td.failed small,td.failed a{color:#fff}
      td.not-measured{background:#f0f0f0;color:#57606a}
      .set{margin:0;padding:.5rem 1.5rem;font-size:.9rem;border-bottom:1px solid #d0d7de}
      .set.full-form{background:#f6f8fa}
      .set.ci-form{background:#fff1c2;border-bottom:2px solid #bf8700}
      td.not-applicable{background:#fafafa;color:#8c959f}
      td .value{font-weight:600;font-size:1rem}
      td small,.muted{color:#57606a;font-size:.8rem}
      .tally span{display:inline-block;margin-right:1rem;padding:.15rem .6rem;border-radius:1rem}
      .tally .green{background:#dafbe1}.tally .amber{background:#fff1c2}.tally .red{background:#ffd7d5}.tally .not-measured{background:#f0f0f0}.tally .inconclusive{background:#eddeff}.tally .failed{background:#cf222e;color:#fff}
      .chart{margin:.5rem 0 1.5rem}
      footer{padding:1rem 1.5rem;color:#57606a;font-size:.8rem;border-top:1px solid #d0d7de}
      a{color:#0969da}
      """;
}

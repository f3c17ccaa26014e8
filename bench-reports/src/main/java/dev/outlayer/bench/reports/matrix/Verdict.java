package dev.outlayer.bench.reports.matrix;

/** How a measured value stands against a row's Target and Acceptable. */
public enum Verdict {
    GREEN("meets target", "🟢"),
    AMBER("acceptable, misses target", "🟡"),
    RED("misses acceptable", "🔴"),
    INCONCLUSIVE("inconclusive: the runs' spread is wider than the distance to a bound", "🟣"),
    FAILED("failed: a run's assertions failed, so none of its numbers count", "❌"),
    NOT_MEASURED("not measured", "⚪"),
    NOT_APPLICABLE("not applicable", "➖");

    private final String meaning;
    private final String emoji;

    Verdict(String meaning, String emoji) {
        this.meaning = meaning;
        this.emoji = emoji;
    }

    public String meaning() {
        return meaning;
    }

    public String emoji() {
        return emoji;
    }

    public String css() {
        return name().toLowerCase().replace('_', '-');
    }
}

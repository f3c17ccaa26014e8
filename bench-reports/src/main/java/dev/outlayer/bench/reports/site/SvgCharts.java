package dev.outlayer.bench.reports.site;

import static dev.outlayer.bench.reports.site.Html.esc;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts, drawn here so that the report renders offline from any static host: no
 * script, no CDN, nothing fetched when viewed.
 */
final class SvgCharts {

    private static final String[] PALETTE = {"#0969da", "#1a7f37", "#bf8700", "#cf222e", "#8250df", "#57606a"};
    private static final int WIDTH = 760;
    private static final int LABEL_WIDTH = 240;

    /** One group of bars per category, one bar per series (e.g. p50/p90/p95/p99 per request). */
    record Bars(String category, double[] values) {}

    /** A named line of (x, y) points. */
    record Line(String name, List<double[]> points) {}

    /** A suite's point on a trend: median with min-max, or a failed suite. */
    record TrendPoint(double median, double min, double max, int n, String failure) {
        static TrendPoint failed(String why) {
            return new TrendPoint(Double.NaN, Double.NaN, Double.NaN, 0, why);
        }
    }

    /** One line of a trend chart (e.g. a mode column); a null point is a suite without a value. */
    record Trend(String name, List<TrendPoint> points) {}

    private SvgCharts() {}

    /** Median and min-max per suite along a categorical x axis, with the row's two bounds as dashed lines. */
    static String trend(
            String title, List<String> xLabels, List<Trend> trends, String unit, double target, double acceptable) {
        int height = 260;
        int left = 70;
        int right = WIDTH - 20;
        int top = 45;
        int bottom = height - 50;
        double maxY = Math.max(target, acceptable);
        double minY = 0;
        for (Trend t : trends) {
            for (TrendPoint p : t.points()) {
                if (p != null && p.failure() == null) {
                    maxY = Math.max(maxY, p.max());
                    minY = Math.min(minY, p.min());
                }
            }
        }
        maxY = maxY <= minY ? minY + 1 : maxY * 1.1;
        double low = minY;
        double span = maxY - minY;
        int n = xLabels.size();
        java.util.function.IntToDoubleFunction x =
                i -> n == 1 ? (left + right) / 2.0 : left + 20 + (right - left - 40) * i / (double) (n - 1);
        java.util.function.DoubleUnaryOperator y = v -> bottom - (v - low) / span * (bottom - top);
        StringBuilder svg = open(title, height);
        legend(svg, trends.stream().map(Trend::name).toList(), left, 32);
        axes(svg, left, top, right, bottom);
        for (int i = 0; i <= 4; i++) {
            double value = minY + span * i / 4;
            svg.append(text(left - 6, y.applyAsDouble(value) + 4, "end", 10, number(value)));
        }
        svg.append(text(14, (top + bottom) / 2.0, "middle", 11, unit));
        bound(svg, left, right, y.applyAsDouble(target), "#1a7f37", "Target " + number(target) + " " + unit);
        bound(
                svg,
                left,
                right,
                y.applyAsDouble(acceptable),
                "#bf8700",
                "Acceptable " + number(acceptable) + " " + unit);
        for (int i = 0; i < n; i++) {
            String[] parts = xLabels.get(i).split(" ", 2);
            svg.append(text(x.applyAsDouble(i), bottom + 15, "middle", 10, parts[0]));
            svg.append(text(x.applyAsDouble(i), bottom + 28, "middle", 9, parts.length > 1 ? parts[1] : ""));
        }
        for (int t = 0; t < trends.size(); t++) {
            String colour = PALETTE[t % PALETTE.length];
            StringBuilder path = new StringBuilder();
            List<TrendPoint> points = trends.get(t).points();
            for (int i = 0; i < points.size(); i++) {
                TrendPoint p = points.get(i);
                double px = x.applyAsDouble(i) + t * 4;
                if (p == null) {
                    continue;
                }
                if (p.failure() != null) {
                    double py = bottom - 8;
                    svg.append(String.format(
                            Locale.ROOT,
                            "<text class=\"failed-point\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"14\" fill=\"#cf222e\">×<title>%s: failed (%s)</title></text>",
                            px,
                            py + 5,
                            esc(xLabels.get(i)),
                            esc(p.failure())));
                    continue;
                }
                double py = y.applyAsDouble(p.median());
                path.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                svg.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\"/>",
                        px,
                        y.applyAsDouble(p.min()),
                        px,
                        y.applyAsDouble(p.max()),
                        colour));
                svg.append(String.format(
                        Locale.ROOT,
                        "<circle class=\"median\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"><title>%s %s: median %s, min-max %s-%s, n=%d</title></circle>",
                        px,
                        py,
                        colour,
                        esc(xLabels.get(i)),
                        esc(trends.get(t).name()),
                        esc(number(p.median()) + " " + unit),
                        esc(number(p.min())),
                        esc(number(p.max()) + " " + unit),
                        p.n()));
            }
            if (path.length() > 0) {
                svg.append("<polyline fill=\"none\" stroke=\"")
                        .append(colour)
                        .append("\" stroke-width=\"1.5\" points=\"")
                        .append(path.toString().strip())
                        .append("\"/>");
            }
        }
        return svg.append("</svg>").toString();
    }

    /** The x axis along the bottom and the y axis along the left. */
    private static void axes(StringBuilder svg, int left, int top, int right, int bottom) {
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#57606a\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#57606a\"/>",
                left,
                bottom,
                right,
                bottom,
                left,
                top,
                left,
                bottom));
    }

    private static void bound(StringBuilder svg, int left, int right, double y, String colour, String label) {
        svg.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"5,4\"/>",
                left,
                y,
                right,
                y,
                colour));
        svg.append(text(right - 4, y - 3, "end", 9, label));
    }

    static String groupedBars(String title, List<String> seriesNames, List<Bars> groups, String unit) {
        int bar = 13;
        int groupGap = 10;
        int top = 40;
        int height = top + groups.size() * (seriesNames.size() * bar + groupGap) + 10;
        double max = groups.stream()
                .flatMapToDouble(g -> java.util.Arrays.stream(g.values()))
                .max()
                .orElse(1);
        max = max <= 0 ? 1 : max;
        double plotWidth = WIDTH - LABEL_WIDTH - 90;
        StringBuilder svg = open(title, height);
        legend(svg, seriesNames, LABEL_WIDTH, 28);
        int y = top;
        for (Bars group : groups) {
            int groupHeight = seriesNames.size() * bar;
            svg.append(text(LABEL_WIDTH - 8, y + groupHeight / 2.0 + 4, "end", 12, truncate(group.category(), 34)));
            for (int i = 0; i < seriesNames.size(); i++) {
                double value = i < group.values().length ? group.values()[i] : 0;
                double w = Math.max(1, value / max * plotWidth);
                svg.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s: %s</title></rect>",
                        LABEL_WIDTH,
                        y + i * bar,
                        w,
                        bar - 2,
                        PALETTE[i % PALETTE.length],
                        esc(group.category()),
                        esc(seriesNames.get(i)),
                        esc(number(value) + " " + unit)));
                svg.append(text(LABEL_WIDTH + w + 4, y + i * bar + bar - 3, "start", 10, number(value) + " " + unit));
            }
            y += groupHeight + groupGap;
        }
        return svg.append("</svg>").toString();
    }

    static String lines(String title, List<Line> lines, String xLabel, String unit) {
        int height = 320;
        int left = 70;
        int right = WIDTH - 20;
        int top = 45;
        int bottom = height - 45;
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = 0, maxY = -Double.MAX_VALUE;
        for (Line line : lines) {
            for (double[] p : line.points()) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        if (maxX <= minX) maxX = minX + 1;
        if (maxY <= minY) maxY = minY + 1;
        maxY = maxY * 1.1;
        StringBuilder svg = open(title, height);
        legend(svg, lines.stream().map(Line::name).toList(), left, 30);
        axes(svg, left, top, right, bottom);
        for (int i = 0; i <= 4; i++) {
            double yValue = minY + (maxY - minY) * i / 4;
            double y = bottom - (bottom - top) * i / 4.0;
            double xValue = minX + (maxX - minX) * i / 4;
            double x = left + (right - left) * i / 4.0;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eaeef2\"/>",
                    left,
                    y,
                    right,
                    y));
            svg.append(text(left - 6, y + 4, "end", 10, number(yValue)));
            svg.append(text(x, bottom + 15, "middle", 10, number(xValue)));
        }
        svg.append(text((left + right) / 2.0, height - 8, "middle", 11, xLabel));
        svg.append(text(14, (top + bottom) / 2.0, "middle", 11, unit));
        for (int i = 0; i < lines.size(); i++) {
            StringBuilder path = new StringBuilder();
            String colour = PALETTE[i % PALETTE.length];
            for (double[] p : lines.get(i).points()) {
                double x = left + (p[0] - minX) / (maxX - minX) * (right - left);
                double y = bottom - (p[1] - minY) / (maxY - minY) * (bottom - top);
                path.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                svg.append(String.format(
                        Locale.ROOT,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s: %s at %s</title></circle>",
                        x,
                        y,
                        colour,
                        esc(lines.get(i).name()),
                        esc(number(p[1]) + " " + unit),
                        esc(number(p[0]))));
            }
            svg.append("<polyline fill=\"none\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"2\" points=\"")
                    .append(path.toString().strip())
                    .append("\"/>");
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String title, int height) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"system-ui,sans-serif\">",
                WIDTH,
                height,
                WIDTH,
                height));
        svg.append("<title>").append(esc(title)).append("</title>");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        svg.append(text(8, 18, "start", 14, title).replace("<text ", "<text font-weight=\"600\" "));
        return svg;
    }

    private static void legend(StringBuilder svg, List<String> names, int x, int y) {
        int offset = x;
        for (int i = 0; i < names.size(); i++) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>",
                    offset,
                    y - 9,
                    PALETTE[i % PALETTE.length]));
            svg.append(text(offset + 14, y, "start", 11, names.get(i)));
            offset += 24 + names.get(i).length() * 7;
        }
    }

    private static String text(double x, double y, String anchor, int size, String content) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" fill=\"#1f2328\">%s</text>",
                x,
                y,
                anchor,
                size,
                esc(content));
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static String number(double value) {
        double abs = Math.abs(value);
        if (abs == 0) return "0";
        if (abs < 10) return String.format(Locale.ROOT, "%.3f", value);
        if (abs < 1000) return String.format(Locale.ROOT, "%.1f", value);
        return String.format(Locale.ROOT, "%.0f", value);
    }
}

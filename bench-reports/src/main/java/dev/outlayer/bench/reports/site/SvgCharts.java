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

    private SvgCharts() {}

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

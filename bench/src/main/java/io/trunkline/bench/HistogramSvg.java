package io.trunkline.bench;

import java.util.List;
import java.util.Locale;

/**
 * A small latency histogram as SVG, written by hand: logarithmic buckets (10 per decade, 0.1 ms to 100 s), the
 * share of requests per bucket, one step line per series.
 */
final class HistogramSvg {

    record Series(String label, String colour, Latencies latencies) {
    }

    private static final int BUCKETS_PER_DECADE = 10;
    private static final double LOWEST_MS = 0.1;
    private static final int DECADES = 6;
    private static final int WIDTH = 720;
    private static final int HEIGHT = 390;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 70;
    private static final int BOTTOM = 50;

    private HistogramSvg() {
    }

    static String render(String title, List<Series> series) {
        int buckets = BUCKETS_PER_DECADE * DECADES;
        double[][] shares = new double[series.size()][buckets];
        double highest = 0.01;
        for (int s = 0; s < series.size(); s++) {
            long[] micros = series.get(s).latencies().sortedMicros();
            for (long each : micros) {
                double ms = Math.max(LOWEST_MS, each / 1000.0);
                int bucket = (int) Math.floor(Math.log10(ms / LOWEST_MS) * BUCKETS_PER_DECADE);
                shares[s][Math.min(buckets - 1, bucket)] += 1.0 / Math.max(1, micros.length);
            }
            for (double share : shares[s]) {
                highest = Math.max(highest, share);
            }
        }
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
        for (int decade = 0; decade <= DECADES; decade++) {
            double x = LEFT + plotWidth * decade / DECADES;
            double ms = LOWEST_MS * Math.pow(10, decade);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, TOP, x, HEIGHT - BOTTOM));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x, HEIGHT - BOTTOM + 16, ms >= 1000 ? (long) (ms / 1000) + " s" : (ms < 1 ? "0.1" : String.valueOf((long) ms)) + " ms"));
        }
        for (int tick = 0; tick <= 4; tick++) {
            double share = highest * tick / 4;
            double y = HEIGHT - BOTTOM - plotHeight * tick / 4;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n",
                    LEFT, y, WIDTH - RIGHT, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f%%</text>%n",
                    LEFT - 6, y + 4, share * 100));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">latency (log scale), "
                + "share of requests per bucket (%d per decade)</text>%n", LEFT + plotWidth / 2, HEIGHT - 12, BUCKETS_PER_DECADE));
        for (int s = 0; s < series.size(); s++) {
            StringBuilder points = new StringBuilder();
            double bucketWidth = plotWidth / buckets;
            for (int b = 0; b < buckets; b++) {
                double y = HEIGHT - BOTTOM - plotHeight * shares[s][b] / highest;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f %.1f,%.1f ", LEFT + b * bucketWidth, y,
                        LEFT + (b + 1) * bucketWidth, y));
            }
            Series each = series.get(s);
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    each.colour(), points.toString().trim()));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + 10, 34 + s * 16, each.colour(),
                    LEFT + 28, 40 + s * 16, escape(each.label() + ": " + each.latencies().summary())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

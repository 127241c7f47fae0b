package io.meshdesk.loadtests;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A run's report: {@code summary.json} for machines (figures, ratios, parameters, machine) and
 * {@code report.html} for people, with latency percentiles, throughput and errors over time.
 */
public final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String scenario;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, Timeline> timelines = new LinkedHashMap<>();
    private final List<String> notes = new java.util.ArrayList<>();

    public Report(String scenario) {
        this.scenario = scenario;
    }

    public Report parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    public Report figure(String name, Object value) {
        figures.put(name, value instanceof Double d ? Math.round(d * 1000) / 1000.0 : value);
        return this;
    }

    public Report timeline(Timeline t) {
        timelines.put(t.name(), t);
        return this;
    }

    public Report note(String text) {
        notes.add(text);
        return this;
    }

    public Map<String, Object> figures() {
        return figures;
    }

    /** Writes summary.json and report.html into dir and answers the summary's path. */
    public Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("scenario", scenario);
            summary.put("machine", Machine.describe());
            summary.put("parameters", parameters);
            summary.put("figures", figures);
            Map<String, Object> ops = new LinkedHashMap<>();
            timelines.forEach((name, t) -> ops.put(
                    name,
                    Map.of(
                            "count",
                            t.total().getTotalCount(),
                            "errors",
                            t.errors(),
                            "p50_ms",
                            t.percentileMs(50),
                            "p95_ms",
                            t.percentileMs(95),
                            "p99_ms",
                            t.percentileMs(99),
                            "max_ms",
                            t.percentileMs(100),
                            "seconds",
                            t.seconds())));
            summary.put("operations", ops);
            summary.put("notes", notes);
            Path json = dir.resolve("summary.json");
            JSON.writeValue(json.toFile(), summary);
            Files.writeString(dir.resolve("report.html"), html());
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    private String html() throws IOException {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>meshdesk load: ")
                .append(scenario)
                .append("</title><style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                        + "th{background:#eee}</style></head><body><h1>meshdesk load: ")
                .append(escape(scenario))
                .append("</h1><p>")
                .append(escape(Machine.describe().toString()))
                .append("</p>");
        h.append("<h2>Figures</h2><table>");
        figures.forEach((k, v) -> h.append("<tr><th>")
                .append(escape(k))
                .append("</th><td>")
                .append(escape(String.valueOf(v)))
                .append("</td></tr>"));
        h.append("</table><h2>Parameters</h2><table>");
        parameters.forEach((k, v) -> h.append("<tr><th>")
                .append(escape(k))
                .append("</th><td>")
                .append(escape(String.valueOf(v)))
                .append("</td></tr>"));
        h.append("</table>");
        for (String note : notes) {
            h.append("<p>").append(escape(note)).append("</p>");
        }
        for (Timeline t : timelines.values()) {
            h.append("<h2>")
                    .append(escape(t.name()))
                    .append("</h2><table><tr><th>count</th><th>errors</th><th>p50 ms</th>"
                            + "<th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr><tr><td>")
                    .append(t.total().getTotalCount())
                    .append("</td><td>")
                    .append(t.errors())
                    .append("</td><td>")
                    .append(fmt(t.percentileMs(50)))
                    .append("</td><td>")
                    .append(fmt(t.percentileMs(95)))
                    .append("</td><td>")
                    .append(fmt(t.percentileMs(99)))
                    .append("</td><td>")
                    .append(fmt(t.percentileMs(100)))
                    .append("</td></tr></table>");
            List<Timeline.Second> s = t.seconds();
            h.append(chart(
                    t.name() + ": latency percentiles per second",
                    "ms",
                    s,
                    Map.of(
                            "p50",
                            Timeline.Second::p50Ms,
                            "p95",
                            Timeline.Second::p95Ms,
                            "p99",
                            Timeline.Second::p99Ms)));
            h.append(chart(
                    t.name() + ": throughput and errors per second",
                    "per second",
                    s,
                    Map.of("ok", x -> x.count(), "errors", x -> x.errors())));
        }
        return h.append("</body></html>\n").toString();
    }

    private static String chart(
            String title,
            String unit,
            List<Timeline.Second> seconds,
            Map<String, ToDoubleFunction<Timeline.Second>> lines)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        lines.forEach((name, f) -> {
            XYSeries series = new XYSeries(name);
            seconds.forEach(s -> series.add(s.second(), f.applyAsDouble(s)));
            data.addSeries(series);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, "second", unit, data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, 900, 320);
        return "<p><img alt=\"" + escape(title) + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png.toByteArray()) + "\"></p>";
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

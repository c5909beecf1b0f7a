package dev.obs.exporter.http;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.resources.Resource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes OTel metric data as Prometheus text (format 0.0.4) or OpenMetrics 1.0 text, following
 * OpenTelemetry's Prometheus compatibility rules: names and labels per {@link PrometheusNames}, monotonic sums
 * as counters ({@code _total}), other sums and gauges as gauges, explicit-bucket histograms with cumulative
 * {@code le} buckets, and the resource as {@code target_info}. Series of the same name from several
 * {@link MetricData} (one per scope) are written under one family; a name reused with another type keeps the
 * first. Stateless apart from caches, so one instance serves concurrent scrapes.
 */
public final class PrometheusWriter {
    public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusNames names = new PrometheusNames();
    /** Bucket bounds as {@code le} values: the shortest exact decimal ({@code 0.000001}, not {@code 1.0E-6}). */
    private final ConcurrentHashMap<Double, String> boundTexts = new ConcurrentHashMap<>();

    /** Appends the exposition of {@code metrics} to {@code out}. */
    public void write(Collection<MetricData> metrics, boolean openMetrics, StringBuilder out) {
        Map<String, List<MetricData>> byFamily = new LinkedHashMap<>();
        Map<String, Kind> kinds = new LinkedHashMap<>();
        Resource resource = null;
        for (MetricData m : metrics) {
            Kind kind = Kind.of(m);
            if (kind == null) {
                continue;
            }
            if (resource == null) {
                resource = m.getResource();
            }
            String family = names.family(m.getName(), m.getUnit(), kind == Kind.COUNTER, kind == Kind.GAUGE);
            Kind known = kinds.putIfAbsent(family, kind);
            if (known != null && known != kind) {
                continue;
            }
            byFamily.computeIfAbsent(family, k -> new ArrayList<>()).add(m);
        }
        if (resource != null) {
            writeTargetInfo(resource, openMetrics, out);
        }
        for (Map.Entry<String, List<MetricData>> e : byFamily.entrySet()) {
            writeFamily(e.getKey(), kinds.get(e.getKey()), e.getValue(), openMetrics, out);
        }
        if (openMetrics) {
            out.append("# EOF\n");
        }
    }

    private enum Kind {
        COUNTER, GAUGE, HISTOGRAM;

        static Kind of(MetricData m) {
            MetricDataType t = m.getType();
            switch (t) {
                case LONG_SUM:
                case DOUBLE_SUM:
                    SumData<?> sum = t == MetricDataType.LONG_SUM ? m.getLongSumData() : m.getDoubleSumData();
                    return sum.isMonotonic() ? COUNTER : GAUGE;
                case LONG_GAUGE:
                case DOUBLE_GAUGE:
                    return GAUGE;
                case HISTOGRAM:
                    return HISTOGRAM;
                default:
                    return null; // exponential histograms and summaries: obs records none
            }
        }
    }

    private void writeTargetInfo(Resource resource, boolean openMetrics, StringBuilder out) {
        out.append("# HELP target_info Target metadata\n");
        out.append(openMetrics ? "# TYPE target info\n" : "# TYPE target_info gauge\n");
        out.append("target_info");
        appendLabels(resource.getAttributes(), out);
        out.append(" 1\n");
    }

    private void writeFamily(String family, Kind kind, List<MetricData> metrics, boolean openMetrics,
                             StringBuilder out) {
        MetricData first = metrics.get(0);
        String help = first.getDescription() == null || first.getDescription().isEmpty() ? first.getName()
                : first.getDescription();
        String typeName = kind == Kind.COUNTER && !openMetrics ? family + "_total" : family;
        out.append("# HELP ").append(typeName).append(' ');
        appendHelp(help, openMetrics, out);
        out.append('\n');
        out.append("# TYPE ").append(typeName).append(' ').append(kind.name().toLowerCase(java.util.Locale.ROOT))
                .append('\n');
        if (openMetrics) {
            String unit = PrometheusNames.unitWord(first.getUnit(), kind == Kind.GAUGE);
            if (unit != null && !unit.isEmpty() && family.endsWith("_" + unit)) {
                out.append("# UNIT ").append(family).append(' ').append(unit).append('\n');
            }
        }
        for (MetricData m : metrics) {
            switch (m.getType()) {
                case LONG_SUM:
                    writeLongs(kind == Kind.COUNTER ? family + "_total" : family, m.getLongSumData().getPoints(), out);
                    break;
                case LONG_GAUGE:
                    writeLongs(family, m.getLongGaugeData().getPoints(), out);
                    break;
                case DOUBLE_SUM:
                    writeDoubles(kind == Kind.COUNTER ? family + "_total" : family, m.getDoubleSumData().getPoints(),
                            out);
                    break;
                case DOUBLE_GAUGE:
                    writeDoubles(family, m.getDoubleGaugeData().getPoints(), out);
                    break;
                case HISTOGRAM:
                    writeHistograms(family, m.getHistogramData().getPoints(), openMetrics, out);
                    break;
                default:
                    break;
            }
        }
    }

    private void writeLongs(String sample, Collection<LongPointData> points, StringBuilder out) {
        for (LongPointData p : points) {
            out.append(sample);
            appendLabels(p.getAttributes(), out);
            out.append(' ').append(p.getValue()).append('\n');
        }
    }

    private void writeDoubles(String sample, Collection<DoublePointData> points, StringBuilder out) {
        for (DoublePointData p : points) {
            out.append(sample);
            appendLabels(p.getAttributes(), out);
            out.append(' ');
            appendDouble(p.getValue(), out);
            out.append('\n');
        }
    }

    private void writeHistograms(String family, Collection<HistogramPointData> points, boolean openMetrics,
                                 StringBuilder out) {
        String bucket = family + "_bucket";
        StringBuilder labels = new StringBuilder();
        for (HistogramPointData p : points) {
            labels.setLength(0);
            appendLabelPairs(p.getAttributes(), labels);
            List<Double> bounds = p.getBoundaries();
            List<Long> counts = p.getCounts();
            long cumulative = 0;
            for (int i = 0; i < counts.size(); i++) {
                cumulative += counts.get(i);
                out.append(bucket).append('{').append(labels);
                if (labels.length() > 0) {
                    out.append(',');
                }
                out.append("le=\"").append(i < bounds.size() ? boundText(bounds.get(i)) : "+Inf").append("\"} ")
                        .append(cumulative);
                if (openMetrics && !p.getExemplars().isEmpty()) {
                    appendExemplar(p.getExemplars(), bounds, i, out);
                }
                out.append('\n');
            }
            out.append(family).append("_sum");
            appendBraced(labels, out);
            out.append(' ');
            appendDouble(p.getSum(), out);
            out.append('\n');
            out.append(family).append("_count");
            appendBraced(labels, out);
            out.append(' ').append(p.getCount()).append('\n');
        }
    }

    /**
     * OpenMetrics: the exemplar whose value falls in bucket {@code i} ({@code (bounds[i-1], bounds[i]]}), as
     * {@code # {trace_id="...",span_id="..."} value timestamp}; nothing when the bucket has none.
     */
    private static void appendExemplar(List<? extends DoubleExemplarData> exemplars, List<Double> bounds, int i,
                                       StringBuilder out) {
        double upper = i < bounds.size() ? bounds.get(i) : Double.POSITIVE_INFINITY;
        double lower = i == 0 ? Double.NEGATIVE_INFINITY : bounds.get(i - 1);
        for (DoubleExemplarData e : exemplars) {
            double v = e.getValue();
            if (v > lower && v <= upper && e.getSpanContext().isValid()) {
                out.append(" # {trace_id=\"").append(e.getSpanContext().getTraceId()).append("\",span_id=\"")
                        .append(e.getSpanContext().getSpanId()).append("\"} ");
                appendDouble(v, out);
                long nanos = e.getEpochNanos();
                out.append(' ').append(nanos / 1_000_000_000L).append('.');
                String fraction = Long.toString(1_000_000_000L + nanos % 1_000_000_000L).substring(1);
                out.append(fraction, 0, 3);
                return;
            }
        }
    }

    private String boundText(Double bound) {
        String s = boundTexts.get(bound);
        if (s == null) {
            double d = bound;
            if (Double.isInfinite(d)) {
                s = d > 0 ? "+Inf" : "-Inf";
            } else {
                s = new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
                if (s.indexOf('.') < 0) {
                    s = s + ".0"; // OpenMetrics' canonical form of a whole bound (le="1.0")
                }
            }
            boundTexts.put(bound, s);
        }
        return s;
    }

    private static void appendBraced(CharSequence labels, StringBuilder out) {
        if (labels.length() > 0) {
            out.append('{').append(labels).append('}');
        }
    }

    private void appendLabels(Attributes attributes, StringBuilder out) {
        if (attributes.isEmpty()) {
            return;
        }
        out.append('{');
        appendLabelPairs(attributes, out);
        out.append('}');
    }

    /**
     * {@code key="value",...}; keys that sanitize to the same label are joined with {@code ;} in the order of
     * their original keys, as the compatibility rules say.
     */
    private void appendLabelPairs(Attributes attributes, StringBuilder out) {
        List<String> labels = new ArrayList<>(attributes.size());
        List<String> keys = new ArrayList<>(attributes.size());
        List<String> values = new ArrayList<>(attributes.size());
        boolean[] clash = new boolean[1];
        attributes.forEach((key, value) -> {
            String label = names.label(key.getKey());
            if (labels.contains(label)) {
                clash[0] = true;
            }
            labels.add(label);
            keys.add(key.getKey());
            values.add(String.valueOf(value));
        });
        if (clash[0]) {
            Map<String, String> byKey = new TreeMap<>();
            for (int i = 0; i < keys.size(); i++) {
                byKey.put(keys.get(i), values.get(i));
            }
            Map<String, String> merged = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : byKey.entrySet()) {
                merged.merge(names.label(e.getKey()), e.getValue(), (a, b) -> a + ";" + b);
            }
            labels.clear();
            values.clear();
            labels.addAll(merged.keySet());
            values.addAll(merged.values());
        }
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(labels.get(i)).append("=\"");
            appendLabelValue(values.get(i), out);
            out.append('"');
        }
    }

    private static void appendLabelValue(String v, StringBuilder out) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    private static void appendHelp(String v, boolean openMetrics, StringBuilder out) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(openMetrics ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }

    private static void appendDouble(double d, StringBuilder out) {
        if (Double.isNaN(d)) {
            out.append("NaN");
        } else if (Double.isInfinite(d)) {
            out.append(d > 0 ? "+Inf" : "-Inf");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            out.append((long) d).append(".0");
        } else {
            out.append(d);
        }
    }
}

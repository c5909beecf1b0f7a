package dev.obs.it.harness;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Everything an OTLP endpoint received, with the queries the tests need. Shared by the HTTP and gRPC
 * receivers and by {@link OtlpJsonStore} (which fills one from the agent's local files). Thread-safe:
 * receivers add from their server threads while a test polls.
 */
public class TelemetryStore {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final List<ExportTraceServiceRequest> traceRequests = new CopyOnWriteArrayList<>();
    private final List<ExportMetricsServiceRequest> metricRequests = new CopyOnWriteArrayList<>();
    private final List<RawRequest> rawRequests = new CopyOnWriteArrayList<>();
    private final List<io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest> logRequests =
            new CopyOnWriteArrayList<>();

    public void addLogs(io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest request) {
        logRequests.add(request);
    }

    /** Every log record received, in the order received. */
    public List<io.opentelemetry.proto.logs.v1.LogRecord> logRecords() {
        List<io.opentelemetry.proto.logs.v1.LogRecord> out = new java.util.ArrayList<>();
        for (io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest r : logRequests) {
            r.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> out.addAll(sl.getLogRecordsList())));
        }
        return out;
    }

    public void addTraces(ExportTraceServiceRequest request) {
        traceRequests.add(request);
    }

    public void addMetrics(ExportMetricsServiceRequest request) {
        metricRequests.add(request);
    }

    public void addRawRequest(RawRequest request) {
        rawRequests.add(request);
    }

    /** Forgets everything received so far, so one receiver can serve several child JVMs in turn. */
    public void clear() {
        traceRequests.clear();
        metricRequests.clear();
        rawRequests.clear();
        logRequests.clear();
    }

    public List<ExportTraceServiceRequest> traceRequests() {
        return List.copyOf(traceRequests);
    }

    public List<ExportMetricsServiceRequest> metricRequests() {
        return List.copyOf(metricRequests);
    }

    public List<RawRequest> rawRequests() {
        return List.copyOf(rawRequests);
    }

    // ---------------------------------------------------------------- spans

    public List<ReceivedSpan> spans() {
        List<ReceivedSpan> out = new ArrayList<>();
        for (ExportTraceServiceRequest request : traceRequests) {
            for (ResourceSpans rs : request.getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span span : ss.getSpansList()) {
                        out.add(new ReceivedSpan(rs.getResource(), ss.getScope(), span));
                    }
                }
            }
        }
        return out;
    }

    public List<ReceivedSpan> spans(Predicate<ReceivedSpan> filter) {
        return spans().stream().filter(filter).collect(Collectors.toList());
    }

    public List<ReceivedSpan> spansNamed(String name) {
        return spans(s -> s.name().equals(name));
    }

    /** Waits until at least {@code count} spans match, then returns all matching spans. */
    public List<ReceivedSpan> awaitSpans(Predicate<ReceivedSpan> filter, int count, Duration timeout) {
        awaitCondition(() -> spans(filter).size() >= count, timeout,
                () -> "expected at least " + count + " matching spans");
        return spans(filter);
    }

    public List<ReceivedSpan> awaitSpans(int count, Duration timeout) {
        return awaitSpans(s -> true, count, timeout);
    }

    // ---------------------------------------------------------------- metrics

    public List<ReceivedMetric> metrics() {
        List<ReceivedMetric> out = new ArrayList<>();
        for (ExportMetricsServiceRequest request : metricRequests) {
            for (ResourceMetrics rm : request.getResourceMetricsList()) {
                for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                    for (Metric metric : sm.getMetricsList()) {
                        out.add(new ReceivedMetric(rm.getResource(), sm.getScope(), metric));
                    }
                }
            }
        }
        return out;
    }

    public List<ReceivedMetric> metrics(String name) {
        return metrics().stream().filter(m -> m.name().equals(name)).collect(Collectors.toList());
    }

    /** Waits until some received metric called {@code name} satisfies {@code predicate}, and returns it. */
    public ReceivedMetric awaitMetric(String name, Predicate<ReceivedMetric> predicate, Duration timeout) {
        awaitCondition(() -> metrics(name).stream().anyMatch(predicate), timeout,
                () -> "expected a metric named " + name + " matching the predicate");
        return metrics(name).stream().filter(predicate).findFirst().orElseThrow();
    }

    public ReceivedMetric awaitMetric(String name, Duration timeout) {
        return awaitMetric(name, m -> true, timeout);
    }

    /**
     * For a cumulative histogram: the call count, added up over every series whose attributes include
     * {@code attributes}, taking each series' latest data point (the newest cumulative value).
     */
    public long latestHistogramCount(String name, Map<String, String> attributes) {
        return latestPoints(name, attributes, HistogramPoint.class).stream().mapToLong(p -> p.point.getCount()).sum();
    }

    /** Like {@link #latestHistogramCount} for the histogram's sum of recorded values. */
    public double latestHistogramSum(String name, Map<String, String> attributes) {
        return latestPoints(name, attributes, HistogramPoint.class).stream().mapToDouble(p -> p.point.getSum()).sum();
    }

    /**
     * For a cumulative sum or a gauge: the latest value of each series whose attributes include
     * {@code attributes}, added up. {@code NaN} when no such series was received.
     */
    public double latestValue(String name, Map<String, String> attributes) {
        List<NumberPoint> points = latestPoints(name, attributes, NumberPoint.class);
        if (points.isEmpty()) {
            return Double.NaN;
        }
        return points.stream().mapToDouble(p -> numberValue(p.point)).sum();
    }

    /** Every histogram data point ever received for {@code name} whose attributes include {@code attributes}. */
    public List<HistogramDataPoint> histogramPoints(String name, Map<String, String> attributes) {
        return allPoints(name, attributes, HistogramPoint.class).stream().map(p -> p.point).collect(Collectors.toList());
    }

    /** Every sum or gauge data point ever received for {@code name} whose attributes include {@code attributes}. */
    public List<NumberDataPoint> numberPoints(String name, Map<String, String> attributes) {
        return allPoints(name, attributes, NumberPoint.class).stream().map(p -> p.point).collect(Collectors.toList());
    }

    /** The distinct data-point attribute sets seen for {@code name}. */
    public List<Map<String, String>> seriesAttributes(String name) {
        return allPoints(name, Map.of(), SeriesPoint.class).stream().map(SeriesPoint::attributes).distinct()
                .collect(Collectors.toList());
    }

    /** Every data point of {@code name} as {@code attributes=value}, one per line, for assertion messages. */
    public String describeSeries(String name) {
        StringBuilder out = new StringBuilder(name).append(":");
        for (SeriesPoint p : allPoints(name, Map.of(), SeriesPoint.class)) {
            Object value = p instanceof HistogramPoint h ? "count " + h.point.getCount() + ", sum " + h.point.getSum()
                    : numberValue(((NumberPoint) p).point);
            out.append("\n  ").append(p.attributes()).append(" = ").append(value).append(" @").append(p.timeUnixNano());
        }
        return out.toString();
    }

    public static double numberValue(NumberDataPoint point) {
        return point.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? point.getAsInt() : point.getAsDouble();
    }

    // ---------------------------------------------------------------- waiting and diagnostics

    /** Polls {@code condition} until it holds; fails with a summary of everything received otherwise. */
    public void awaitCondition(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms: " + what.get()
                        + "\n" + describe());
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + what.get(), e);
            }
        }
    }

    /** A short account of what was received, for assertion messages. */
    public String describe() {
        Map<String, Long> spanNames = spans().stream()
                .collect(Collectors.groupingBy(ReceivedSpan::name, TreeMap::new, Collectors.counting()));
        Map<String, Long> metricNames = metrics().stream()
                .collect(Collectors.groupingBy(ReceivedMetric::name, TreeMap::new, Collectors.counting()));
        return "received " + traceRequests.size() + " trace requests, spans by name " + spanNames + "; "
                + metricRequests.size() + " metric requests, metrics " + metricNames + "; raw requests "
                + rawRequests;
    }

    // ---------------------------------------------------------------- series bookkeeping

    private interface SeriesPoint {
        Map<String, String> attributes();

        String seriesKey();

        long timeUnixNano();
    }

    private record HistogramPoint(String seriesKey, Map<String, String> attributes, HistogramDataPoint point)
            implements SeriesPoint {
        @Override
        public long timeUnixNano() {
            return point.getTimeUnixNano();
        }
    }

    private record NumberPoint(String seriesKey, Map<String, String> attributes, NumberDataPoint point)
            implements SeriesPoint {
        @Override
        public long timeUnixNano() {
            return point.getTimeUnixNano();
        }
    }

    private <P extends SeriesPoint> List<P> allPoints(String name, Map<String, String> wanted, Class<P> type) {
        List<P> out = new ArrayList<>();
        for (ReceivedMetric received : metrics(name)) {
            Metric metric = received.metric();
            // A series is one resource (i.e. one process) + one attribute set + one start time.
            String resourceKey = Otlp.attributes(received.resource().getAttributesList()).toString()
                    + "|" + received.scope().getName();
            if (type == HistogramPoint.class || type == SeriesPoint.class) {
                for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
                    Map<String, String> attrs = Otlp.attributes(p.getAttributesList());
                    if (includes(attrs, wanted)) {
                        out.add(type.cast(new HistogramPoint(
                                resourceKey + "|" + new TreeMap<>(attrs) + "|" + p.getStartTimeUnixNano(), attrs, p)));
                    }
                }
            }
            if (type == NumberPoint.class || type == SeriesPoint.class) {
                List<NumberDataPoint> numbers = new ArrayList<>(metric.getSum().getDataPointsList());
                numbers.addAll(metric.getGauge().getDataPointsList());
                for (NumberDataPoint p : numbers) {
                    Map<String, String> attrs = Otlp.attributes(p.getAttributesList());
                    if (includes(attrs, wanted)) {
                        out.add(type.cast(new NumberPoint(
                                resourceKey + "|" + new TreeMap<>(attrs) + "|" + p.getStartTimeUnixNano(), attrs, p)));
                    }
                }
            }
        }
        return out;
    }

    private <P extends SeriesPoint> List<P> latestPoints(String name, Map<String, String> wanted, Class<P> type) {
        Map<String, P> latest = new LinkedHashMap<>();
        for (P point : allPoints(name, wanted, type)) {
            // Ties go to the later arrival: a final flush may repeat the last timestamp.
            latest.merge(point.seriesKey(), point,
                    (old, neu) -> neu.timeUnixNano() >= old.timeUnixNano() ? neu : old);
        }
        return new ArrayList<>(latest.values());
    }

    private static boolean includes(Map<String, String> attributes, Map<String, String> wanted) {
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!Objects.equals(attributes.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }
}

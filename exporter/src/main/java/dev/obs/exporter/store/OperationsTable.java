package dev.obs.exporter.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The operations table: each family's rows for a window's series, filtered by family and operation glob. */
public final class OperationsTable {
    private OperationsTable() {
    }

    /** {@code family} and {@code operationGlob} may be null (no filter). */
    public static List<OperationRow> rows(Map<SeriesKey, MetricPoint> series, double seconds, String family,
                                          String operationGlob) {
        Pattern glob = operationGlob == null ? null : globPattern(operationGlob);
        List<OperationRow> out = new ArrayList<>();
        for (StoreFamily f : StoreFamilies.ALL) {
            if (family != null && !family.equals(f.name())) {
                continue;
            }
            List<OperationRow> rows = new ArrayList<>();
            f.operations(series, seconds, rows);
            rows.sort(java.util.Comparator.comparing(OperationRow::operation));
            for (OperationRow r : rows) {
                if (glob == null || glob.matcher(r.operation()).matches()) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Shell-style: {@code *} any text, {@code ?} one character, case-insensitive, whole name. */
    public static Pattern globPattern(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}

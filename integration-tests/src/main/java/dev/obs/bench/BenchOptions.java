package dev.obs.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of a benchmark main: {@code --name value} options, {@code --jar PATH} (the agent jar, as
 * {@code -Dobs.jar}), and after {@code --} the extra JVM arguments of the agent child. An unknown option or
 * one without a value is a usage error: the benchmark prints it and exits with 2.
 */
final class BenchOptions {
    private final Map<String, String> values = new HashMap<>();
    /** What followed {@code --}. */
    final List<String> extra = new ArrayList<>();

    private BenchOptions() {
    }

    /** The options; null (after printing the problem) for an unknown option or one without a value. */
    static BenchOptions parse(String[] args, String... names) {
        Set<String> known = Set.of(names);
        BenchOptions o = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                o.extra.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if ((!known.contains(a) && !a.equals("--jar")) || i + 1 >= args.length) {
                System.err.println((i + 1 >= args.length ? "no value for option " : "unknown option ") + a);
                return null;
            }
            if (a.equals("--jar")) {
                System.setProperty("obs.jar", args[++i]);
            } else {
                o.values.put(a, args[++i]);
            }
        }
        return o;
    }

    int integer(String name, int otherwise) {
        String v = values.get(name);
        return v == null ? otherwise : Integer.parseInt(v);
    }

    long longInteger(String name, long otherwise) {
        String v = values.get(name);
        return v == null ? otherwise : Long.parseLong(v);
    }

    double decimal(String name, double otherwise) {
        String v = values.get(name);
        return v == null ? otherwise : Double.parseDouble(v);
    }

    String text(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }
}

package dev.obs.it.harness;

import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the agent's local store: a directory of {@code traces-*.jsonl} and {@code metrics-*.jsonl} files,
 * each line one OTLP/JSON export request (the Collector file-exporter format).
 */
public final class OtlpJsonStore {
    private final Path dir;

    public OtlpJsonStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public List<Path> traceFiles() {
        return files("traces-", ".jsonl");
    }

    public List<Path> metricFiles() {
        return files("metrics-", ".jsonl");
    }

    /** Every regular file below the store directory, whatever its name. */
    public List<Path> allFiles() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses every line of every trace and metric file; a line that is not valid OTLP/JSON fails the test. */
    public TelemetryStore read() {
        TelemetryStore store = new TelemetryStore();
        for (Path file : traceFiles()) {
            forEachLine(file, line -> store.addTraces(OtlpJson.parseTraces(line)));
        }
        for (Path file : metricFiles()) {
            forEachLine(file, line -> store.addMetrics(OtlpJson.parseMetrics(line)));
        }
        return store;
    }

    private interface LineParser {
        void parse(String line) throws InvalidProtocolBufferException;
    }

    private static void forEachLine(Path file, LineParser parser) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                parser.parse(line);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                throw new AssertionError(file + ":" + (i + 1) + " is not valid OTLP/JSON (" + e.getMessage() + "): "
                        + abbreviate(line), e);
            }
        }
    }

    private List<Path> files(String prefix, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(suffix) && Files.isRegularFile(p);
            }).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }
}

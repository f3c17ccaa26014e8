package dev.outlayer.bench.results;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.StringJoiner;

/** Reads and writes {@code results.json} and {@code results.csv}. */
public final class ResultsFiles {

    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";

    /** snake_case keys, as the rest of the project's JSON. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private ResultsFiles() {}

    public static RunResults read(Path json) {
        try {
            RunResults results = MAPPER.readValue(json.toFile(), RunResults.class);
            if (!RunResults.SCHEMA.equals(results.schema())) {
                throw new IllegalArgumentException(
                        json + ": schema " + results.schema() + ", expected " + RunResults.SCHEMA);
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json + ": " + e.getMessage(), e);
        }
    }

    /** Writes results.json and results.csv into {@code dir}. */
    public static void write(RunResults results, Path dir) {
        try {
            Files.createDirectories(dir);
            MAPPER.writeValue(dir.resolve(JSON).toFile(), results);
            Files.writeString(dir.resolve(CSV), csv(results));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** One row per metric, named value and verdict; spreadsheets and pandas read it as is. */
    public static String csv(RunResults results) {
        StringBuilder out = new StringBuilder(
                "simulation,run_id,kind,id,request,source,attempt,phase,count,ok,ko,mean_ms,min_ms,p50_ms,p90_ms,p95_ms,p99_ms,max_ms,throughput_rps,value,unit,passed\n");
        for (MetricResult m : results.metrics()) {
            row(
                    out,
                    results.simulation(),
                    results.runId(),
                    "metric",
                    m.id(),
                    m.request(),
                    m.source().json(),
                    m.attempt().json(),
                    m.phase(),
                    m.count(),
                    m.ok(),
                    m.ko(),
                    m.meanMs(),
                    m.minMs(),
                    m.p50Ms(),
                    m.p90Ms(),
                    m.p95Ms(),
                    m.p99Ms(),
                    m.maxMs(),
                    m.throughputRps(),
                    null,
                    "ms",
                    null);
        }
        for (NamedValue v : results.values()) {
            row(
                    out,
                    results.simulation(),
                    results.runId(),
                    "value",
                    v.name(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    v.value(),
                    v.unit(),
                    null);
        }
        for (VerdictResult v : results.verdicts()) {
            row(
                    out,
                    results.simulation(),
                    results.runId(),
                    "verdict",
                    v.name(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    v.value(),
                    v.unit(),
                    v.passed());
        }
        return out.toString();
    }

    private static void row(StringBuilder out, Object... cells) {
        StringJoiner line = new StringJoiner(",");
        for (Object cell : cells) {
            line.add(cell == null ? "" : escape(cell instanceof Double d ? format(d) : cell.toString()));
        }
        out.append(line).append('\n');
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String escape(String cell) {
        if (cell.contains(",") || cell.contains("\"") || cell.contains("\n")) {
            return '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }
}

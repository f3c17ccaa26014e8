package dev.outlayer.bench.targetsystem.throttle;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An immutable snapshot of the tiers and API keys files. Reloading builds a new snapshot and swaps
 * it in whole, so the request path reads it without locks.
 */
public final class ThrottleConfig {
    public static final String ANONYMOUS = "anonymous";
    private static final CsvMapper CSV = new CsvMapper();

    private final Map<String, Tier> tiers;
    private final Map<String, ApiKey> keys;

    private ThrottleConfig(Map<String, Tier> tiers, Map<String, ApiKey> keys) {
        this.tiers = tiers;
        this.keys = keys;
        if (!tiers.containsKey(ANONYMOUS)) {
            throw new IllegalArgumentException("the tiers file must define the '" + ANONYMOUS + "' tier");
        }
    }

    /** Reads both files; any malformed row fails the whole load with a message naming file and row. */
    public static ThrottleConfig load(Path tiersFile, Path keysFile, Function<String, TierStats> statsByTier) {
        Map<String, Tier> tiers = new LinkedHashMap<>();
        int row = 1;
        for (Map<String, String> r : rows(tiersFile)) {
            row++;
            try {
                String name = required(r, "tier");
                tiers.put(
                        name,
                        new Tier(
                                name,
                                Long.parseLong(required(r, "rate_per_second")),
                                Long.parseLong(required(r, "burst")),
                                Integer.parseInt(required(r, "max_in_flight")),
                                statsByTier.apply(name)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(tiersFile + " row " + row + ": " + e.getMessage(), e);
            }
        }
        Map<String, ApiKey> keys = new HashMap<>();
        row = 1;
        for (Map<String, String> r : rows(keysFile)) {
            row++;
            String key = required(r, "api_key");
            String tierName = required(r, "tier");
            Tier tier = tiers.get(tierName);
            if (tier == null) {
                throw new IllegalArgumentException(keysFile + " row " + row + ": unknown tier '" + tierName + "'");
            }
            keys.put(key, new ApiKey(key, tier, r.getOrDefault("owner", "").trim()));
        }
        return new ThrottleConfig(Collections.unmodifiableMap(tiers), Map.copyOf(keys));
    }

    private static List<Map<String, String>> rows(Path file) {
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withComments();
        try (MappingIterator<Map<String, String>> it =
                CSV.readerForMapOf(String.class).with(schema).readValues(Files.newBufferedReader(file))) {
            return it.readAll();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> row, String column) {
        String value = row.get(column);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing value for column '" + column + "'");
        }
        return value.trim();
    }

    public Tier anonymous() {
        return tiers.get(ANONYMOUS);
    }

    /** The key's row, or null for a key that is not in the file. */
    public ApiKey key(String apiKey) {
        return keys.get(apiKey);
    }

    public Map<String, Tier> tiers() {
        return tiers;
    }

    public int keyCount() {
        return keys.size();
    }
}

package dev.outlayer.bench.simulations.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Without -Dtier.* the simulations expect what feeders/tiers.csv holds, the file the embedded target loads. */
class TiersTest {
    @Test
    void theExpectedTiersAreTheRowsOfTheFileTheEmbeddedTargetLoads() throws IOException {
        Map<String, String[]> rows = Files.readAllLines(Path.of("..", "feeders", "tiers.csv")).stream()
                .skip(1)
                .map(line -> line.split(","))
                .collect(Collectors.toMap(cells -> cells[0], cells -> cells));
        assertThat(Tiers.ANONYMOUS_RATE).isEqualTo(Double.parseDouble(rows.get("anonymous")[1]));
        assertThat(Tiers.ANONYMOUS_BURST).isEqualTo(Integer.parseInt(rows.get("anonymous")[2]));
        assertThat(Tiers.ANONYMOUS_IN_FLIGHT).isEqualTo(Integer.parseInt(rows.get("anonymous")[3]));
        assertThat(Tiers.KEYED_RATE).isEqualTo(Double.parseDouble(rows.get(Tiers.KEYED_TIER)[1]));
        assertThat(Tiers.KEYED_BURST).isEqualTo(Integer.parseInt(rows.get(Tiers.KEYED_TIER)[2]));
    }
}

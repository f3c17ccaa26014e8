package dev.outlayer.bench.targetsystem.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.executions.CodeSource;
import dev.outlayer.bench.targetsystem.executions.ExecutionTask;
import dev.outlayer.bench.targetsystem.executions.ResourceLimits;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Rows the coordinator stored are read back as schema evolution needs, not as strictly as requests. */
class StoredJsonTest {
    record Row(
            @JsonProperty("id") String id,
            @JsonProperty("count") long count,
            @JsonProperty("done") boolean done) {}

    @Test
    void aRowWrittenBeforeAPrimitiveMemberExistedReadsItAsZeroOrFalse() {
        assertThat(PostgresDatabase.fromJson("{\"id\":\"a\"}", Row.class)).isEqualTo(new Row("a", 0, false));
        assertThat(PostgresDatabase.fromJson("{\"id\":\"a\",\"count\":null,\"done\":null}", Row.class))
                .isEqualTo(new Row("a", 0, false));
        // The same JSON as a request is refused, as serde refuses a missing or null u64
        assertThatThrownBy(() -> JsonCodec.read("{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8), Row.class))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("'count' is required");
    }

    @Test
    void aStoredTaskWithoutItsNewerFlagsStillReads() throws Exception {
        ExecutionTask written = new ExecutionTask(
                7,
                "ab".repeat(32),
                CodeSource.wasmUrl("program://x", "cd".repeat(32), "wasm32-wasip1"),
                new ResourceLimits(1_000_000, 64, 10),
                "",
                null,
                "Text",
                null,
                "alice.near",
                "0",
                "tx",
                5,
                false,
                false,
                false,
                null,
                null,
                null,
                null);
        // the row as an earlier version wrote it: without store_on_fastfs and is_https_call
        ObjectNode row = (ObjectNode) JsonCodec.MAPPER.readTree(PostgresDatabase.json(written));
        row.remove("store_on_fastfs");
        row.remove("is_https_call");

        assertThat(PostgresDatabase.fromJson(row.toString(), ExecutionTask.class))
                .isEqualTo(written);
    }
}

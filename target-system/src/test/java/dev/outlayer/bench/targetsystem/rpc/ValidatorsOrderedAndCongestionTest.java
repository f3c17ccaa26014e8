package dev.outlayer.bench.targetsystem.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** EXPERIMENTAL_validators_ordered and EXPERIMENTAL_congestion_level in nearcore's shapes and errors. */
class ValidatorsOrderedAndCongestionTest {
    private static final long HEAD = BlockClock.GENESIS_HEIGHT + 10;

    private final RpcTestNode rpc = new RpcTestNode();

    @Test
    void validatorsOrderedListsTheBlockProducersOfTheBlocksEpochInOrder() {
        JsonNode ordered = rpc.call("EXPERIMENTAL_validators_ordered", "[null]").result();

        assertThat(ordered).as("%s", ordered).hasSize(1);
        JsonNode validator = ordered.get(0);
        assertThat(validator.get("validator_stake_struct_version").asText()).isEqualTo("V1");
        assertThat(validator.get("account_id").asText()).isEqualTo(NearRpcEmulator.VALIDATOR_ACCOUNT);
        assertThat(validator.get("public_key").asText())
                .isEqualTo(rpc.call("status", "[]")
                        .result()
                        .get("validator_public_key")
                        .asText());
        assertThat(validator.get("stake").asText()).isEqualTo(BlockViews.VALIDATOR_STAKE);
        assertThat(rpc.call("EXPERIMENTAL_validators_ordered", "{\"block_id\":" + HEAD + "}")
                        .result())
                .isEqualTo(ordered);
        assertThat(rpc.call("EXPERIMENTAL_validators_ordered", "{}").result()).isEqualTo(ordered);

        JsonNode unknown = rpc.call("EXPERIMENTAL_validators_ordered", "{\"block_id\":" + (HEAD + 100) + "}")
                .error();
        assertThat(unknown.at("/cause/name").asText()).isEqualTo("UNKNOWN_EPOCH");
        assertThat(unknown.get("data").asText()).isEqualTo("Unknown Epoch");
        assertThat(rpc.call("EXPERIMENTAL_validators_ordered", "{\"block_id\":true}")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Failed parsing args: data did not match any variant of untagged enum BlockId");
    }

    @Test
    void congestionLevelOfAChunkIsNearcoresLevelOfItsCongestionInfo() {
        JsonNode level = rpc.call("EXPERIMENTAL_congestion_level", "{\"block_id\":" + HEAD + ",\"shard_id\":0}")
                .result();
        assertThat(level.toString()).isEqualTo("{\"congestion_level\":0.0}");
        assertThat(rpc.call("EXPERIMENTAL_congestion_level", "{\"chunk_id\":\"" + rpc.clock.chunkHash(HEAD) + "\"}")
                        .result())
                .isEqualTo(level);

        assertThat(rpc.call("EXPERIMENTAL_congestion_level", "{\"block_id\":" + HEAD + ",\"shard_id\":3}")
                        .error()
                        .at("/cause/name")
                        .asText())
                .isEqualTo("INVALID_SHARD_ID");
        assertThat(rpc.call("EXPERIMENTAL_congestion_level", "{\"block_id\":" + (HEAD + 100) + ",\"shard_id\":0}")
                        .error()
                        .at("/cause/name")
                        .asText())
                .isEqualTo("UNKNOWN_BLOCK");
        assertThat(rpc.call("EXPERIMENTAL_congestion_level", "{}")
                        .error()
                        .at("/cause/name")
                        .asText())
                .isEqualTo("PARSE_ERROR");
    }
}

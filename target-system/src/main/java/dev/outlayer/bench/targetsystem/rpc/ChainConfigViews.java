package dev.outlayer.bench.targetsystem.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.outlayer.bench.targetsystem.contracts.Fee;
import dev.outlayer.bench.targetsystem.contracts.RuntimeConfigView;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The emulated chain's genesis and protocol configuration in nearcore's shapes:
 * {@code EXPERIMENTAL_genesis_config}'s GenesisConfig and {@code EXPERIMENTAL_protocol_config}'s
 * ProtocolConfigView ({@code core/chain-configs/src/genesis_config.rs}; members as
 * {@code chain/jsonrpc/openapi/openapi.json} lists them). What this chain decides is its own (chain id,
 * genesis height and time, epoch length, the one validator and its one producer seat, the constant gas
 * price, no inflation or rewards, one shard, blocks per year from the block time); the thresholds of a
 * staking network it does not have (kickouts, online ratios, minimum stake) are mainnet genesis's and
 * nearcore's defaults, inert here.
 */
final class ChainConfigViews {
    /** nearcore's MAX_GAS_PRICE, mainnet genesis's max_gas_price: never reached, the price never moves. */
    static final String MAX_GAS_PRICE = "10000000000000000000000";

    private static final long MILLIS_PER_YEAR = 365L * 24 * 3600 * 1000;
    /** A rational as nearcore serialises Rational32: [numerator, denominator]. */
    private static final List<Integer> ZERO = List.of(0, 1);

    private ChainConfigViews() {}

    /** nearcore's AccountInfo: a genesis validator and its stake. */
    record AccountInfo(
            @JsonProperty("account_id") String accountId,
            @JsonProperty("public_key") String publicKey,
            @JsonProperty("amount") String amount) {}

    /** ShardLayout::V2 of one shard, nearcore's default genesis layout (ShardLayout::single_shard). */
    record ShardLayoutV2(
            @JsonProperty("boundary_accounts") List<String> boundaryAccounts,
            @JsonProperty("id_to_index_map") Map<String, Integer> idToIndexMap,
            @JsonProperty("index_to_id_map") Map<String, Integer> indexToIdMap,
            @JsonProperty("shard_ids") List<Integer> shardIds,
            @JsonProperty("version") int version) {}

    record ShardLayout(@JsonProperty("V2") ShardLayoutV2 v2) {
        static final ShardLayout SINGLE_SHARD =
                new ShardLayout(new ShardLayoutV2(List.of(), Map.of("0", 0), Map.of("0", 0), List.of(0), 0));
    }

    /** The members GenesisConfig and ProtocolConfigView share, in nearcore's order. */
    @JsonPropertyOrder({
        "protocol_version",
        "genesis_time",
        "chain_id",
        "genesis_height",
        "num_block_producer_seats",
        "num_block_producer_seats_per_shard",
        "avg_hidden_validator_seats_per_shard",
        "dynamic_resharding",
        "protocol_upgrade_stake_threshold",
        "epoch_length",
        "gas_limit",
        "min_gas_price",
        "max_gas_price",
        "block_producer_kickout_threshold",
        "chunk_producer_kickout_threshold",
        "chunk_validator_only_kickout_threshold",
        "online_min_threshold",
        "online_max_threshold",
        "gas_price_adjustment_rate",
        "runtime_config",
        "validators",
        "transaction_validity_period",
        "protocol_reward_rate",
        "max_inflation_rate",
        "total_supply",
        "num_blocks_per_year",
        "protocol_treasury_account",
        "fishermen_threshold",
        "minimum_stake_divisor",
        "shard_layout",
        "num_chunk_only_producer_seats",
        "minimum_validators_per_shard",
        "max_kickout_stake_perc",
        "minimum_stake_ratio",
        "use_production_config",
        "num_chunk_producer_seats",
        "num_chunk_validator_seats",
        "chunk_producer_assignment_changes_limit",
        "shuffle_shard_assignment_for_chunk_producers",
        "target_validator_mandates_per_shard"
    })
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ConfigView(
            @JsonProperty("protocol_version") int protocolVersion,
            @JsonProperty("genesis_time") String genesisTime,
            @JsonProperty("chain_id") String chainId,
            @JsonProperty("genesis_height") long genesisHeight,
            @JsonProperty("num_block_producer_seats") long numBlockProducerSeats,

            @JsonProperty("num_block_producer_seats_per_shard")
            List<Long> numBlockProducerSeatsPerShard,

            @JsonProperty("avg_hidden_validator_seats_per_shard")
            List<Long> avgHiddenValidatorSeatsPerShard,

            @JsonProperty("dynamic_resharding") boolean dynamicResharding,

            @JsonProperty("protocol_upgrade_stake_threshold")
            List<Integer> protocolUpgradeStakeThreshold,

            @JsonProperty("epoch_length") long epochLength,
            @JsonProperty("gas_limit") long gasLimit,
            @JsonProperty("min_gas_price") String minGasPrice,
            @JsonProperty("max_gas_price") String maxGasPrice,

            @JsonProperty("block_producer_kickout_threshold")
            int blockProducerKickoutThreshold,

            @JsonProperty("chunk_producer_kickout_threshold")
            int chunkProducerKickoutThreshold,

            @JsonProperty("chunk_validator_only_kickout_threshold")
            int chunkValidatorOnlyKickoutThreshold,

            @JsonProperty("online_min_threshold") List<Integer> onlineMinThreshold,
            @JsonProperty("online_max_threshold") List<Integer> onlineMaxThreshold,
            @JsonProperty("gas_price_adjustment_rate") List<Integer> gasPriceAdjustmentRate,
            /* ProtocolConfigView only */
            @JsonProperty("runtime_config") RuntimeConfigView runtimeConfig,
            /* GenesisConfig only */
            @JsonProperty("validators") List<AccountInfo> validators,
            @JsonProperty("transaction_validity_period") long transactionValidityPeriod,
            @JsonProperty("protocol_reward_rate") List<Integer> protocolRewardRate,
            @JsonProperty("max_inflation_rate") List<Integer> maxInflationRate,
            /* GenesisConfig only */
            @JsonProperty("total_supply") String totalSupply,
            @JsonProperty("num_blocks_per_year") long numBlocksPerYear,
            @JsonProperty("protocol_treasury_account") String protocolTreasuryAccount,
            @JsonProperty("fishermen_threshold") String fishermenThreshold,
            @JsonProperty("minimum_stake_divisor") long minimumStakeDivisor,
            @JsonProperty("shard_layout") ShardLayout shardLayout,
            /* GenesisConfig only */
            @JsonProperty("num_chunk_only_producer_seats") Long numChunkOnlyProducerSeats,
            @JsonProperty("minimum_validators_per_shard") long minimumValidatorsPerShard,
            @JsonProperty("max_kickout_stake_perc") int maxKickoutStakePerc,
            @JsonProperty("minimum_stake_ratio") List<Integer> minimumStakeRatio,
            /* GenesisConfig only */
            @JsonProperty("use_production_config") Boolean useProductionConfig,
            @JsonProperty("num_chunk_producer_seats") long numChunkProducerSeats,
            @JsonProperty("num_chunk_validator_seats") long numChunkValidatorSeats,

            @JsonProperty("chunk_producer_assignment_changes_limit")
            long chunkProducerAssignmentChangesLimit,

            @JsonProperty("shuffle_shard_assignment_for_chunk_producers")
            boolean shuffleShardAssignmentForChunkProducers,

            @JsonProperty("target_validator_mandates_per_shard")
            long targetValidatorMandatesPerShard) {}

    /**
     * {@code genesis}: GenesisConfig (with validators, total supply and the genesis-only members), else
     * ProtocolConfigView (with the runtime config).
     */
    static ConfigView render(
            boolean genesis,
            BlockClock clock,
            String chainId,
            ValidatorKey validator,
            long transactionValidityPeriod,
            RuntimeConfigView runtimeConfig) {
        long genesisNanos = clock.timestampNanos(BlockClock.GENESIS_HEIGHT);
        String genesisTime = Instant.ofEpochSecond(
                        Math.floorDiv(genesisNanos, 1_000_000_000L), Math.floorMod(genesisNanos, 1_000_000_000L))
                .toString();
        return new ConfigView(
                BlockViews.PROTOCOL_VERSION,
                genesisTime,
                chainId,
                BlockClock.GENESIS_HEIGHT,
                1,
                List.of(1L),
                List.of(0L),
                false,
                List.of(4, 5),
                BlockClock.EPOCH_LENGTH,
                BlockViews.CHUNK_GAS_LIMIT,
                Fee.GAS_PRICE.toString(),
                MAX_GAS_PRICE,
                90,
                90,
                80,
                List.of(9, 10),
                List.of(99, 100),
                ZERO, // the gas price never moves
                genesis ? null : runtimeConfig,
                genesis
                        ? List.of(new AccountInfo(
                                validator.accountId(), validator.publicKey(), BlockViews.VALIDATOR_STAKE))
                        : null,
                transactionValidityPeriod,
                ZERO, // no protocol reward and no inflation: the total supply stays as at genesis
                ZERO,
                genesis ? BlockViews.TOTAL_SUPPLY : null,
                MILLIS_PER_YEAR / clock.blockTimeMillis(),
                "near",
                "10000000000000000000000000",
                10,
                ShardLayout.SINGLE_SHARD,
                genesis ? 300L : null,
                1,
                100,
                List.of(1, 6250),
                genesis ? Boolean.FALSE : null,
                1,
                1,
                5,
                false,
                68);
    }
}

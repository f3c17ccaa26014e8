package dev.outlayer.bench.targetsystem.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.ExtCost;
import dev.outlayer.bench.targetsystem.contracts.Fee;
import dev.outlayer.bench.targetsystem.transactions.TransactionLimits;
import org.junit.jupiter.api.Test;

/**
 * EXPERIMENTAL_protocol_config and EXPERIMENTAL_genesis_config / genesis_config in nearcore's shapes
 * (ProtocolConfigView, GenesisConfig), built from the tables the simulator charges.
 */
class ChainConfigTest {
    private static final long HEAD = BlockClock.GENESIS_HEIGHT + 10;

    private final RpcTestNode rpc = new RpcTestNode();

    @Test
    void protocolConfigIsTheChainsAndTheRuntimeConfigIsWhatTheSimulatorCharges() {
        RpcTestNode.Reply reply = rpc.call("EXPERIMENTAL_protocol_config", "{\"finality\":\"final\"}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode config = reply.result();
        assertThat(config).as("%s", reply.body()).isNotNull();
        assertThat(config.get("protocol_version").asInt()).isEqualTo(ExtCost.PROTOCOL_VERSION);
        assertThat(config.get("chain_id").asText()).isEqualTo("outlayer-test");
        assertThat(config.get("genesis_height").asLong()).isEqualTo(BlockClock.GENESIS_HEIGHT);
        assertThat(config.get("genesis_time").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(config.get("epoch_length").asLong()).isEqualTo(BlockClock.EPOCH_LENGTH);
        assertThat(config.get("min_gas_price").asText()).isEqualTo(Fee.GAS_PRICE.toString());
        assertThat(config.get("transaction_validity_period").asLong())
                .isEqualTo(TransactionLimits.PINNED.transactionValidityPeriod());
        assertThat(config.get("num_blocks_per_year").asLong()).isEqualTo(31_536_000L);
        assertThat(config.at("/shard_layout/V2/shard_ids").toString()).isEqualTo("[0]");
        assertThat(config.has("validators")).isFalse();
        assertThat(config.has("total_supply")).isFalse();

        JsonNode runtime = config.get("runtime_config");
        // near-api-js's Account.getAccountBalance reads this one
        assertThat(runtime.get("storage_amount_per_byte").asText()).isEqualTo("10000000000000000000");
        // Protocol 85's AccountCostIncrease, the 86 snapshot's values (10^9 a gas, 0.007 NEAR), as charged
        assertThat(runtime.get("min_gas_purchase_price").asText()).isEqualTo("1000000000");
        assertThat(runtime.get("account_creation_charge").asText()).isEqualTo("7000000000000000000000");
        JsonNode call = runtime.at("/transaction_costs/action_creation_config/function_call_cost");
        assertThat(call.get("send_sir").asLong()).isEqualTo(Fee.action_function_call.sendSir);
        assertThat(call.get("execution").asLong()).isEqualTo(780_000_000_000L); // protocol 86's
        assertThat(runtime.at("/transaction_costs/data_receipt_creation_config/cost_per_byte/send_not_sir")
                        .asLong())
                .isEqualTo(47_683_715L);
        assertThat(runtime.at("/transaction_costs/burnt_gas_reward").toString()).isEqualTo("[3,10]");
        JsonNode extCosts = runtime.at("/wasm_config/ext_costs");
        for (ExtCost cost : ExtCost.values()) {
            assertThat(extCosts.get(cost.name()).asLong()).as(cost.name()).isEqualTo(cost.gas);
        }
        assertThat(extCosts.get("storage_iter_next_base").asLong()).isZero();
        assertThat(extCosts.size()).isEqualTo(90);
        assertThat(runtime.at("/wasm_config/regular_op_cost").asLong()).isEqualTo(ExtCost.REGULAR_OP_COST);
        JsonNode limits = runtime.at("/wasm_config/limit_config");
        assertThat(limits.get("max_gas_burnt").asLong()).isEqualTo(ExtCost.MAX_GAS_BURNT);
        assertThat(limits.get("max_transaction_size").asLong())
                .isEqualTo(TransactionLimits.PINNED.maxTransactionSize());
        assertThat(limits.get("yield_timeout_length_in_blocks").asLong()).isEqualTo(200);
        assertThat(limits.get("max_operand_stack_bytes_per_function").asLong()).isEqualTo(8_192);
        assertThat(runtime.at("/account_creation_config/min_allowed_top_level_account_length")
                        .asInt())
                .isEqualTo(65);
        assertThat(runtime.at("/account_creation_config/registrar_account_id").asText())
                .isEqualTo("registrar");
        assertThat(runtime.at("/congestion_control_config/reject_tx_congestion_threshold")
                        .asDouble())
                .isEqualTo(0.8);
    }

    @Test
    void protocolConfigIsAnsweredAtAnyProducedBlockAndUnknownBlocksAreNearcoresError() {
        String byFinality = rpc.call("EXPERIMENTAL_protocol_config", "{\"finality\":\"optimistic\"}")
                .result()
                .toString();
        assertThat(rpc.call("EXPERIMENTAL_protocol_config", "{\"block_id\":" + HEAD + "}")
                        .result()
                        .toString())
                .isEqualTo(byFinality);
        assertThat(rpc.call(
                                "EXPERIMENTAL_protocol_config",
                                "{\"block_id\":\"" + rpc.clock.hash(BlockClock.GENESIS_HEIGHT) + "\"}")
                        .result()
                        .toString())
                .isEqualTo(byFinality);
        assertThat(rpc.call("EXPERIMENTAL_protocol_config", "{\"sync_checkpoint\":\"genesis\"}")
                        .result()
                        .toString())
                .isEqualTo(byFinality);

        RpcTestNode.Reply future = rpc.call("EXPERIMENTAL_protocol_config", "{\"block_id\":" + (HEAD + 5) + "}");
        assertThat(future.status()).isEqualTo(200);
        assertThat(future.error().get("name").asText()).isEqualTo("HANDLER_ERROR");
        assertThat(future.error().at("/cause/name").asText()).isEqualTo("UNKNOWN_BLOCK");
        assertThat(future.error().get("data").asText()).isEqualTo("Block Not Found: BLOCK HEIGHT: " + (HEAD + 5));
        String unknownHash = Base58.encode(new byte[32]);
        assertThat(rpc.call("EXPERIMENTAL_protocol_config", "{\"block_id\":\"" + unknownHash + "\"}")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Block Not Found: BLOCK HEADER: " + unknownHash);
        assertThat(rpc.call("EXPERIMENTAL_protocol_config", "{\"block_id\":5}").status())
                .isEqualTo(422);
    }

    @Test
    void badProtocolConfigParamsAreParseErrorsInSerdesWords() {
        RpcTestNode.Reply finality = rpc.call("EXPERIMENTAL_protocol_config", "{\"finality\":\"latest\"}");
        assertThat(finality.status()).isEqualTo(400);
        assertThat(finality.error().at("/cause/name").asText()).isEqualTo("PARSE_ERROR");
        assertThat(finality.error().get("data").asText())
                .isEqualTo("Failed parsing args: unknown variant `latest`, expected one of `optimistic`,"
                        + " `near-final`, `final`");
        assertThat(rpc.call("EXPERIMENTAL_protocol_config", "{}")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Failed parsing args: no variant of enum BlockReference found in flattened data");
        assertThat(rpc.call("EXPERIMENTAL_protocol_config", "[1]")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Failed parsing args: invalid type: sequence, expected struct RpcProtocolConfigRequest");
        assertThat(rpc.call("EXPERIMENTAL_protocol_config", "null")
                        .error()
                        .get("data")
                        .asText())
                .isEqualTo("Require at least one parameter");
        // the node keeps serving
        assertThat(rpc.call("EXPERIMENTAL_protocol_config", "{\"finality\":\"final\"}")
                        .result())
                .isNotNull();
    }

    @Test
    void genesisConfigIsNearcoresGenesisConfigOfThisChain() {
        RpcTestNode.Reply reply = rpc.call("EXPERIMENTAL_genesis_config", "[]");

        JsonNode genesis = reply.result();
        assertThat(genesis).as("%s", reply.body()).isNotNull();
        assertThat(genesis.get("protocol_version").asInt()).isEqualTo(ExtCost.PROTOCOL_VERSION);
        assertThat(genesis.get("chain_id").asText()).isEqualTo("outlayer-test");
        assertThat(genesis.get("genesis_height").asLong()).isEqualTo(BlockClock.GENESIS_HEIGHT);
        assertThat(genesis.get("epoch_length").asLong()).isEqualTo(BlockClock.EPOCH_LENGTH);
        assertThat(genesis.get("gas_limit").asLong()).isEqualTo(BlockViews.CHUNK_GAS_LIMIT);
        assertThat(genesis.get("total_supply").asText()).isEqualTo(BlockViews.TOTAL_SUPPLY);
        assertThat(genesis.at("/validators/0/account_id").asText()).isEqualTo(NearRpcEmulator.VALIDATOR_ACCOUNT);
        assertThat(genesis.at("/validators/0/public_key").asText())
                .isEqualTo(rpc.call("status", "[]")
                        .result()
                        .get("validator_public_key")
                        .asText());
        assertThat(genesis.at("/validators/0/amount").asText()).isEqualTo(BlockViews.VALIDATOR_STAKE);
        assertThat(genesis.get("transaction_validity_period").asLong()).isEqualTo(86_400);
        assertThat(genesis.get("gas_price_adjustment_rate").toString()).isEqualTo("[0,1]");
        assertThat(genesis.get("use_production_config").asBoolean()).isFalse();
        assertThat(genesis.has("runtime_config")).isFalse();

        assertThat(rpc.call("genesis_config", "{}").result()).isEqualTo(genesis);
        assertThat(rpc.call("EXPERIMENTAL_genesis_config", "null").result()).isEqualTo(genesis);
    }
}

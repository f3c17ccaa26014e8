package dev.outlayer.bench.targetsystem.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.outlayer.bench.targetsystem.wasm.StackAnalysis;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * nearcore's RuntimeConfigView ({@code core/parameters/src/view.rs}) of the pinned protocol
 * {@value ExtCost#PROTOCOL_VERSION}, in the member layout of nearcore's resolved snapshot
 * {@code core/parameters/src/snapshots/near_parameters__config_store__tests__86.json.snap}: what
 * {@code EXPERIMENTAL_protocol_config} shows as {@code runtime_config}. Every number the simulator
 * charges or checks is read from the table that charges or checks it ({@link ExtCost}, {@link Fee},
 * {@link StackAnalysis}, the transaction engine's size limit); only what the simulator has no use for
 * (congestion control and witness limits of a sharded network, ML-DSA signatures) is written here,
 * as protocol 86 has it.
 */
@JsonPropertyOrder({
    "storage_amount_per_byte",
    "transaction_costs",
    "wasm_config",
    "account_creation_config",
    "congestion_control_config",
    "witness_config",
    "min_gas_purchase_price",
    "account_creation_charge"
})
public record RuntimeConfigView(
        @JsonProperty("storage_amount_per_byte") String storageAmountPerByte,
        @JsonProperty("transaction_costs") TransactionCosts transactionCosts,
        @JsonProperty("wasm_config") WasmConfig wasmConfig,
        @JsonProperty("account_creation_config") AccountCreationConfig accountCreationConfig,
        @JsonProperty("congestion_control_config") Map<String, Object> congestionControlConfig,
        @JsonProperty("witness_config") Map<String, Object> witnessConfig,
        @JsonProperty("min_gas_purchase_price") String minGasPurchasePrice,
        @JsonProperty("account_creation_charge") String accountCreationCharge) {

    /** A fee's three parts, in gas (nearcore's Fee). */
    public record FeeView(
            @JsonProperty("send_sir") long sendSir,
            @JsonProperty("send_not_sir") long sendNotSir,
            @JsonProperty("execution") long execution) {
        static FeeView of(Fee fee) {
            return new FeeView(fee.sendSir, fee.sendNotSir, fee.execution);
        }
    }

    @JsonPropertyOrder({
        "action_receipt_creation_config",
        "data_receipt_creation_config",
        "action_creation_config",
        "storage_usage_config",
        "burnt_gas_reward",
        "pessimistic_gas_price_inflation_ratio",
        "ml_dsa_65_verification_cost"
    })
    public record TransactionCosts(
            @JsonProperty("action_receipt_creation_config") FeeView actionReceiptCreationConfig,
            @JsonProperty("data_receipt_creation_config") DataReceiptCreationConfig dataReceiptCreationConfig,
            @JsonProperty("action_creation_config") ActionCreationConfig actionCreationConfig,
            @JsonProperty("storage_usage_config") StorageUsageConfig storageUsageConfig,
            @JsonProperty("burnt_gas_reward") List<Long> burntGasReward,

            @JsonProperty("pessimistic_gas_price_inflation_ratio")
            List<Long> pessimisticGasPriceInflationRatio,

            @JsonProperty("ml_dsa_65_verification_cost") long mlDsa65VerificationCost) {}

    public record DataReceiptCreationConfig(
            @JsonProperty("base_cost") FeeView baseCost,
            @JsonProperty("cost_per_byte") FeeView costPerByte) {}

    @JsonPropertyOrder({
        "create_account_cost",
        "deploy_contract_cost",
        "deploy_contract_cost_per_byte",
        "function_call_cost",
        "function_call_cost_per_byte",
        "transfer_cost",
        "stake_cost",
        "add_key_cost",
        "delete_key_cost",
        "delete_account_cost",
        "delegate_cost"
    })
    public record ActionCreationConfig(
            @JsonProperty("create_account_cost") FeeView createAccountCost,
            @JsonProperty("deploy_contract_cost") FeeView deployContractCost,
            @JsonProperty("deploy_contract_cost_per_byte") FeeView deployContractCostPerByte,
            @JsonProperty("function_call_cost") FeeView functionCallCost,
            @JsonProperty("function_call_cost_per_byte") FeeView functionCallCostPerByte,
            @JsonProperty("transfer_cost") FeeView transferCost,
            @JsonProperty("stake_cost") FeeView stakeCost,
            @JsonProperty("add_key_cost") AddKeyCost addKeyCost,
            @JsonProperty("delete_key_cost") FeeView deleteKeyCost,
            @JsonProperty("delete_account_cost") FeeView deleteAccountCost,
            @JsonProperty("delegate_cost") FeeView delegateCost) {}

    public record AddKeyCost(
            @JsonProperty("full_access_cost") FeeView fullAccessCost,
            @JsonProperty("function_call_cost") FeeView functionCallCost,
            @JsonProperty("function_call_cost_per_byte") FeeView functionCallCostPerByte) {}

    public record StorageUsageConfig(
            @JsonProperty("num_bytes_account") long numBytesAccount,
            @JsonProperty("num_extra_bytes_record") long numExtraBytesRecord) {}

    @JsonPropertyOrder({
        "ext_costs",
        "grow_mem_cost",
        "regular_op_cost",
        "linear_op_base_cost",
        "linear_op_unit_cost",
        "vm_kind",
        "discard_custom_sections",
        "global_contract_host_fns",
        "reftypes_bulk_memory",
        "gas_key_host_fns",
        "one_yocto_on_promise",
        "p256_verify_host_fn",
        "yield_with_id_host_fns",
        "chain_id_host_fn",
        "bls12381_not_in_group_fix",
        "storage_get_mode",
        "fix_contract_loading_cost",
        "implicit_account_creation",
        "eth_implicit_accounts",
        "limit_config"
    })
    public record WasmConfig(
            @JsonProperty("ext_costs") Map<String, Long> extCosts,
            @JsonProperty("grow_mem_cost") long growMemCost,
            @JsonProperty("regular_op_cost") long regularOpCost,
            @JsonProperty("linear_op_base_cost") long linearOpBaseCost,
            @JsonProperty("linear_op_unit_cost") long linearOpUnitCost,
            @JsonProperty("vm_kind") String vmKind,
            @JsonProperty("discard_custom_sections") boolean discardCustomSections,
            @JsonProperty("global_contract_host_fns") boolean globalContractHostFns,
            @JsonProperty("reftypes_bulk_memory") boolean reftypesBulkMemory,
            @JsonProperty("gas_key_host_fns") boolean gasKeyHostFns,
            @JsonProperty("one_yocto_on_promise") boolean oneYoctoOnPromise,
            @JsonProperty("p256_verify_host_fn") boolean p256VerifyHostFn,
            @JsonProperty("yield_with_id_host_fns") boolean yieldWithIdHostFns,
            @JsonProperty("chain_id_host_fn") boolean chainIdHostFn,
            @JsonProperty("bls12381_not_in_group_fix") boolean bls12381NotInGroupFix,
            @JsonProperty("storage_get_mode") String storageGetMode,
            @JsonProperty("fix_contract_loading_cost") boolean fixContractLoadingCost,
            @JsonProperty("implicit_account_creation") boolean implicitAccountCreation,
            @JsonProperty("eth_implicit_accounts") boolean ethImplicitAccounts,
            @JsonProperty("limit_config") Map<String, Object> limitConfig) {}

    public record AccountCreationConfig(
            @JsonProperty("min_allowed_top_level_account_length")
            int minAllowedTopLevelAccountLength,

            @JsonProperty("registrar_account_id") String registrarAccountId) {}

    /**
     * nearcore's ExtCosts in its order. The storage iterator and compile costs are 0 in 86 (nearcore
     * charges neither any more), so the simulator has no entry for them.
     */
    private static final List<String> EXT_COST_ORDER = List.of(
            "base",
            "contract_loading_base",
            "contract_loading_bytes",
            "read_memory_base",
            "read_memory_byte",
            "write_memory_base",
            "write_memory_byte",
            "read_register_base",
            "read_register_byte",
            "write_register_base",
            "write_register_byte",
            "utf8_decoding_base",
            "utf8_decoding_byte",
            "utf16_decoding_base",
            "utf16_decoding_byte",
            "sha256_base",
            "sha256_byte",
            "keccak256_base",
            "keccak256_byte",
            "keccak512_base",
            "keccak512_byte",
            "ripemd160_base",
            "ripemd160_block",
            "ed25519_verify_base",
            "ed25519_verify_byte",
            "ecrecover_base",
            "p256_verify_base",
            "p256_verify_byte",
            "log_base",
            "log_byte",
            "storage_write_base",
            "storage_write_key_byte",
            "storage_write_value_byte",
            "storage_write_evicted_byte",
            "storage_read_base",
            "storage_read_key_byte",
            "storage_read_value_byte",
            "storage_large_read_overhead_base",
            "storage_large_read_overhead_byte",
            "storage_remove_base",
            "storage_remove_key_byte",
            "storage_remove_ret_value_byte",
            "storage_has_key_base",
            "storage_has_key_byte",
            "storage_iter_create_prefix_base",
            "storage_iter_create_prefix_byte",
            "storage_iter_create_range_base",
            "storage_iter_create_from_byte",
            "storage_iter_create_to_byte",
            "storage_iter_next_base",
            "storage_iter_next_key_byte",
            "storage_iter_next_value_byte",
            "touching_trie_node",
            "read_cached_trie_node",
            "promise_and_base",
            "promise_and_per_promise",
            "promise_return",
            "validator_stake_base",
            "validator_total_stake_base",
            "contract_compile_base",
            "contract_compile_bytes",
            "alt_bn128_g1_multiexp_base",
            "alt_bn128_g1_multiexp_element",
            "alt_bn128_g1_sum_base",
            "alt_bn128_g1_sum_element",
            "alt_bn128_pairing_check_base",
            "alt_bn128_pairing_check_element",
            "yield_create_base",
            "yield_create_byte",
            "yield_create_with_id_base",
            "yield_resume_base",
            "yield_resume_byte",
            "bls12381_p1_sum_base",
            "bls12381_p1_sum_element",
            "bls12381_p2_sum_base",
            "bls12381_p2_sum_element",
            "bls12381_g1_multiexp_base",
            "bls12381_g1_multiexp_element",
            "bls12381_g2_multiexp_base",
            "bls12381_g2_multiexp_element",
            "bls12381_map_fp_to_g1_base",
            "bls12381_map_fp_to_g1_element",
            "bls12381_map_fp2_to_g2_base",
            "bls12381_map_fp2_to_g2_element",
            "bls12381_pairing_base",
            "bls12381_pairing_element",
            "bls12381_p1_decompress_base",
            "bls12381_p1_decompress_element",
            "bls12381_p2_decompress_base",
            "bls12381_p2_decompress_element");

    /**
     * The view of what the simulator charges. {@code maxTransactionSize} is the transaction engine's
     * limit (transactions.TransactionLimits), which is checked before any receipt exists.
     */
    public static RuntimeConfigView pinned(long maxTransactionSize) {
        TransactionCosts costs = new TransactionCosts(
                FeeView.of(Fee.action_receipt_creation),
                new DataReceiptCreationConfig(
                        FeeView.of(Fee.data_receipt_creation_base), FeeView.of(Fee.data_receipt_creation_per_byte)),
                new ActionCreationConfig(
                        FeeView.of(Fee.action_create_account),
                        FeeView.of(Fee.action_deploy_contract),
                        FeeView.of(Fee.action_deploy_contract_per_byte),
                        FeeView.of(Fee.action_function_call),
                        FeeView.of(Fee.action_function_call_per_byte),
                        FeeView.of(Fee.action_transfer),
                        FeeView.of(Fee.action_stake),
                        new AddKeyCost(
                                FeeView.of(Fee.action_add_full_access_key),
                                FeeView.of(Fee.action_add_function_call_key),
                                FeeView.of(Fee.action_add_function_call_key_per_byte)),
                        FeeView.of(Fee.action_delete_key),
                        FeeView.of(Fee.action_delete_account),
                        FeeView.of(Fee.action_delegate)),
                new StorageUsageConfig(ExtCost.STORAGE_NUM_BYTES_ACCOUNT, ExtCost.STORAGE_NUM_EXTRA_BYTES_RECORD),
                List.of(Fee.BURNT_GAS_REWARD_NUMERATOR, Fee.BURNT_GAS_REWARD_DENOMINATOR),
                // no pessimistic inflation: a receipt is bought at the block's gas price (docs/rpc-emulator.md)
                List.of(1L, 1L),
                // protocol 86's; no ML-DSA key can sign a transaction here, so it is never charged
                100_000_000_000L);
        Map<String, Long> extCosts = new LinkedHashMap<>();
        for (String name : EXT_COST_ORDER) {
            extCosts.put(name, extCost(name));
        }
        WasmConfig wasm = new WasmConfig(
                extCosts,
                ExtCost.GROW_MEM_COST,
                ExtCost.REGULAR_OP_COST,
                ExtCost.LINEAR_OP_BASE_COST,
                ExtCost.LINEAR_OP_UNIT_COST,
                // nearcore's VMKind of protocol 86 on x86_64; the simulator itself runs Chicory
                "NearVm",
                true,
                true,
                true,
                true,
                true,
                true,
                true,
                true,
                false,
                "FlatStorage",
                false,
                true,
                true,
                limitConfig(maxTransactionSize));
        Map<String, Object> congestion = new LinkedHashMap<>();
        congestion.put("max_congestion_incoming_gas", 400_000_000_000_000_000L);
        congestion.put("max_congestion_outgoing_gas", 10_000_000_000_000_000L);
        congestion.put("max_congestion_memory_consumption", 1_000_000_000L);
        congestion.put("max_congestion_missed_chunks", 125);
        congestion.put("max_outgoing_gas", 300_000_000_000_000_000L);
        congestion.put("min_outgoing_gas", 1_000_000_000_000_000L);
        congestion.put("allowed_shard_outgoing_gas", 1_000_000_000_000_000L);
        congestion.put("max_tx_gas", 500_000_000_000_000L);
        congestion.put("min_tx_gas", 20_000_000_000_000L);
        congestion.put("reject_tx_congestion_threshold", 0.8);
        congestion.put("outgoing_receipts_usual_size_limit", 102_400);
        congestion.put("outgoing_receipts_big_size_limit", 4_718_592);
        Map<String, Object> witness = new LinkedHashMap<>();
        witness.put("main_storage_proof_size_soft_limit", 4_000_000);
        witness.put("combined_transactions_size_limit", 4_194_304);
        witness.put("new_transactions_validation_state_size_soft_limit", 572_864);
        return new RuntimeConfigView(
                Fee.STORAGE_AMOUNT_PER_BYTE.toString(),
                costs,
                wasm,
                new AccountCreationConfig(Fee.MIN_ALLOWED_TOP_LEVEL_ACCOUNT_LENGTH, ReceiptEngine.REGISTRAR),
                congestion,
                witness,
                // Protocol 85's AccountCostIncrease, as TransactionCost and ReceiptEngine charge them.
                Fee.MIN_GAS_PURCHASE_PRICE.toString(),
                Fee.ACCOUNT_CREATION_CHARGE.toString());
    }

    private static long extCost(String name) {
        try {
            return ExtCost.valueOf(name).gas;
        } catch (IllegalArgumentException e) {
            return 0; // storage_iter_* and contract_compile_*: 0 in 86, charged by nobody
        }
    }

    private static Map<String, Object> limitConfig(long maxTransactionSize) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("max_gas_burnt", ExtCost.MAX_GAS_BURNT);
        limits.put("max_stack_height", ExtCost.MAX_STACK_HEIGHT);
        limits.put("initial_memory_pages", ExtCost.INITIAL_MEMORY_PAGES);
        limits.put("max_memory_pages", ExtCost.MAX_MEMORY_PAGES);
        limits.put("registers_memory_limit", ExtCost.REGISTERS_MEMORY_LIMIT);
        limits.put("max_register_size", ExtCost.MAX_REGISTER_SIZE);
        limits.put("max_number_registers", ExtCost.MAX_NUMBER_REGISTERS);
        limits.put("max_number_logs", ExtCost.MAX_NUMBER_LOGS);
        limits.put("max_total_log_length", ExtCost.MAX_TOTAL_LOG_LENGTH);
        limits.put("max_total_prepaid_gas", ExtCost.MAX_TOTAL_PREPAID_GAS);
        limits.put("max_actions_per_receipt", ExtCost.MAX_ACTIONS_PER_RECEIPT);
        limits.put("max_deploy_actions_per_receipt", ExtCost.MAX_DEPLOY_ACTIONS_PER_RECEIPT);
        limits.put("max_number_bytes_method_names", ExtCost.MAX_NUMBER_BYTES_METHOD_NAMES);
        limits.put("max_length_method_name", ExtCost.MAX_LENGTH_METHOD_NAME);
        limits.put("max_arguments_length", ExtCost.MAX_ARGUMENTS_LENGTH);
        limits.put("max_length_returned_data", ExtCost.MAX_LENGTH_RETURNED_DATA);
        limits.put("max_contract_size", ExtCost.MAX_CONTRACT_SIZE);
        limits.put("max_transaction_size", maxTransactionSize);
        limits.put("max_receipt_size", ExtCost.MAX_RECEIPT_SIZE);
        limits.put("max_length_storage_key", ExtCost.MAX_LENGTH_STORAGE_KEY);
        limits.put("max_length_storage_value", ExtCost.MAX_LENGTH_STORAGE_VALUE);
        limits.put("max_promises_per_function_call_action", ExtCost.MAX_PROMISES_PER_CALL);
        limits.put("max_number_input_data_dependencies", ExtCost.MAX_NUMBER_INPUT_DATA_DEPENDENCIES);
        limits.put("max_functions_number_per_contract", ExtCost.MAX_FUNCTIONS_NUMBER_PER_CONTRACT);
        limits.put("max_locals_per_contract", ExtCost.MAX_LOCALS_PER_CONTRACT);
        limits.put("max_params_per_contract", ExtCost.MAX_PARAMS_PER_CONTRACT);
        limits.put("max_params_per_function", ExtCost.MAX_PARAMS_PER_FUNCTION);
        limits.put("max_operand_stack_bytes_per_function", StackAnalysis.MAX_OPERAND_STACK_BYTES_PER_FUNCTION);
        limits.put("max_tables_per_contract", ExtCost.MAX_TABLES_PER_CONTRACT);
        limits.put("max_elements_per_contract_table", ExtCost.MAX_ELEMENTS_PER_CONTRACT_TABLE);
        limits.put("max_function_body_size", ExtCost.MAX_FUNCTION_BODY_SIZE);
        limits.put("max_instrumented_code_size", ExtCost.MAX_INSTRUMENTED_CODE_SIZE);
        limits.put("max_blocks_per_function", ExtCost.MAX_BLOCKS_PER_FUNCTION);
        limits.put("max_blocks_per_contract", ExtCost.MAX_BLOCKS_PER_CONTRACT);
        limits.put("max_types_per_contract", ExtCost.MAX_TYPES_PER_CONTRACT);
        // nearcore's AccountIdValidityRulesVersion::V2, the rules ActionValidation applies to AddKey
        limits.put("account_id_validity_rules_version", 2);
        limits.put("yield_timeout_length_in_blocks", Fee.YIELD_TIMEOUT_LENGTH_IN_BLOCKS);
        limits.put("max_yield_payload_size", Fee.MAX_YIELD_PAYLOAD_SIZE);
        // a sharded network's state witness limit; the simulator has no state witness
        limits.put("per_receipt_storage_proof_size_limit", 4_000_000);
        return limits;
    }
}

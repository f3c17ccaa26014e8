package dev.outlayer.bench.targetsystem.contracts;

/**
 * NEAR's gas and limit table of the pinned protocol version {@value #PROTOCOL_VERSION}: nearcore's
 * {@code core/parameters/res/runtime_configs/parameters.yaml} with every {@code NN.yaml} diff up to
 * 86 applied (in gas units), checked against nearcore's own resolved snapshot
 * {@code core/parameters/src/snapshots/near_parameters__config_store__tests__86.json.snap}. Values
 * that changed since the base file: {@code contract_loading_bytes} (216,750 -> 1,089,295),
 * {@code touching_trie_node} (16,101,955,926 -> 2,280,000,000 in 81: first and cached reads now cost
 * the same), {@code storage_read_base}/{@code storage_read_value_byte} (one unit each moved to
 * {@code storage_large_read_overhead_*}), {@code max_length_storage_key} (4 MiB -> 2,048 in 53),
 * {@code max_gas_burnt} (200 Tgas -> 1 Pgas in 83), {@code max_stack_height} (16 KiB -> 256 KiB).
 * Every host function in {@link VmLogic} charges from this table and nowhere else.
 */
public enum ExtCost {
    /** Charged by every host function call (nearcore's {@code wasm_base}). */
    base(264_768_111L),
    contract_loading_base(35_445_963L),
    contract_loading_bytes(1_089_295L),
    read_memory_base(2_609_863_200L),
    read_memory_byte(3_801_333L),
    write_memory_base(2_803_794_861L),
    write_memory_byte(2_723_772L),
    read_register_base(2_517_165_186L),
    read_register_byte(98_562L),
    write_register_base(2_865_522_486L),
    write_register_byte(3_801_564L),
    utf8_decoding_base(3_111_779_061L),
    utf8_decoding_byte(291_580_479L),
    utf16_decoding_base(3_543_313_050L),
    utf16_decoding_byte(163_577_493L),
    sha256_base(4_540_970_250L),
    sha256_byte(24_117_351L),
    keccak256_base(5_879_491_275L),
    keccak256_byte(21_471_105L),
    keccak512_base(5_811_388_236L),
    keccak512_byte(36_649_701L),
    ripemd160_base(853_675_086L),
    ripemd160_block(680_107_584L),
    ecrecover_base(278_821_988_457L),
    ed25519_verify_base(210_000_000_000L),
    ed25519_verify_byte(9_000_000L),
    p256_verify_base(1_300_000_000_000L),
    p256_verify_byte(13_000_000L),
    log_base(3_543_313_050L),
    log_byte(13_198_791L),
    storage_write_base(64_196_736_000L),
    storage_write_key_byte(70_482_867L),
    storage_write_value_byte(31_018_539L),
    storage_write_evicted_byte(32_117_307L),
    storage_read_base(56_356_845_749L),
    storage_read_key_byte(30_952_533L),
    storage_read_value_byte(5_611_004L),
    /** Charged (with the per-byte part) only for values over {@link #INLINE_DISK_VALUE_THRESHOLD}. */
    storage_large_read_overhead_base(1L),
    storage_large_read_overhead_byte(1L),
    storage_remove_base(53_473_030_500L),
    storage_remove_key_byte(38_220_384L),
    storage_remove_ret_value_byte(11_531_556L),
    storage_has_key_base(54_039_896_625L),
    storage_has_key_byte(30_790_845L),
    touching_trie_node(2_280_000_000L),
    read_cached_trie_node(2_280_000_000L),
    promise_and_base(1_465_013_400L),
    promise_and_per_promise(5_452_176L),
    promise_return(560_152_386L),
    validator_stake_base(911_834_726_400L),
    validator_total_stake_base(911_834_726_400L),
    alt_bn128_g1_multiexp_base(713_000_000_000L),
    alt_bn128_g1_multiexp_element(320_000_000_000L),
    alt_bn128_g1_sum_base(3_000_000_000L),
    alt_bn128_g1_sum_element(5_000_000_000L),
    alt_bn128_pairing_check_base(9_686_000_000_000L),
    alt_bn128_pairing_check_element(5_102_000_000_000L),
    yield_create_base(153_411_779_276L),
    yield_create_byte(15_643_988L),
    yield_create_with_id_base(290_000_000_000L),
    yield_resume_base(1_195_627_285_210L),
    yield_resume_byte(47_683_715L),
    bls12381_p1_sum_base(16_500_000_000L),
    bls12381_p1_sum_element(6_000_000_000L),
    bls12381_p2_sum_base(18_600_000_000L),
    bls12381_p2_sum_element(15_000_000_000L),
    bls12381_g1_multiexp_base(16_500_000_000L),
    bls12381_g1_multiexp_element(930_000_000_000L),
    bls12381_g2_multiexp_base(18_600_000_000L),
    bls12381_g2_multiexp_element(1_995_000_000_000L),
    bls12381_map_fp_to_g1_base(1_500_000_000L),
    bls12381_map_fp_to_g1_element(252_000_000_000L),
    bls12381_map_fp2_to_g2_base(1_500_000_000L),
    bls12381_map_fp2_to_g2_element(900_000_000_000L),
    bls12381_pairing_base(2_130_000_000_000L),
    bls12381_pairing_element(2_130_000_000_000L),
    bls12381_p1_decompress_base(15_000_000_000L),
    bls12381_p1_decompress_element(81_000_000_000L),
    bls12381_p2_decompress_base(15_000_000_000L),
    bls12381_p2_decompress_element(165_000_000_000L);

    /** The protocol version every number here is from (nearcore's STABLE_PROTOCOL_VERSION). */
    public static final int PROTOCOL_VERSION = 86;

    /** nearcore's {@code wasm_regular_op_cost}: the gas of one metered wasm operation. */
    public static final long REGULAR_OP_COST = 822_756L;

    /** {@code wasm_linear_op_base_cost}: the constant part of memory/table init, copy and fill (84). */
    public static final long LINEAR_OP_BASE_COST = 26_328_192L;

    /** {@code wasm_linear_op_unit_cost}: per byte (or element) those operations move (84). */
    public static final long LINEAR_OP_UNIT_COST = 822_756L;

    /**
     * nearcore's {@code wasm_grow_mem_cost}. Still in the table, but finite-wasm (preparation v3)
     * charges memory.grow one regular operation and no longer reads it.
     */
    public static final long GROW_MEM_COST = 1L;

    /** {@code max_gas_burnt}: over it a call fails with GasLimitExceeded (1 Pgas since 83). */
    public static final long MAX_GAS_BURNT = 1_000_000_000_000_000L;

    /** {@code max_gas_burnt_view}: a view's budget. */
    public static final long MAX_GAS_BURNT_VIEW = 1_000_000_000_000_000L;

    /** {@code max_total_prepaid_gas}: the most gas one call may attach. */
    public static final long MAX_TOTAL_PREPAID_GAS = 1_000_000_000_000_000L;

    /** Limits from the same version ({@code max_*}), enforced by {@link VmLogic}. */
    public static final long MAX_REGISTER_SIZE = 104_857_600L;

    public static final long REGISTERS_MEMORY_LIMIT = 1_073_741_824L;
    public static final int MAX_NUMBER_REGISTERS = 100;
    public static final int MAX_NUMBER_LOGS = 100;
    public static final long MAX_TOTAL_LOG_LENGTH = 16_384L;
    /** 2,048 bytes since protocol 53 (the base file's 4 MiB no longer applies). */
    public static final long MAX_LENGTH_STORAGE_KEY = 2_048L;

    public static final long MAX_LENGTH_STORAGE_VALUE = 4_194_304L;
    public static final long MAX_LENGTH_RETURNED_DATA = 4_194_304L;
    public static final long MAX_ARGUMENTS_LENGTH = 4_194_304L;
    public static final int MAX_PROMISES_PER_CALL = 1_024;
    /** {@code max_number_input_data_dependencies}: data receipts one receipt may wait for. */
    public static final int MAX_NUMBER_INPUT_DATA_DEPENDENCIES = 128;

    public static final int MAX_ACTIONS_PER_RECEIPT = 100;
    /** {@code max_deploy_actions_per_receipt}: 10 since protocol 84 (100 in the base file). */
    public static final int MAX_DEPLOY_ACTIONS_PER_RECEIPT = 10;
    /** {@code max_receipt_size}: the Borsh size of a receipt a call creates. */
    public static final long MAX_RECEIPT_SIZE = 4_194_304L;

    public static final int MAX_LENGTH_METHOD_NAME = 256;
    public static final int MAX_NUMBER_BYTES_METHOD_NAMES = 2_000;
    /** {@code yield_timeout_length_in_blocks} and {@code max_yield_payload_size}. */
    public static final int YIELD_TIMEOUT_LENGTH_IN_BLOCKS = 200;

    public static final int MAX_YIELD_PAYLOAD_SIZE = 1_024;
    /** Values longer than this (nearcore's INLINE_DISK_VALUE_THRESHOLD) pay the large-read overhead. */
    public static final int INLINE_DISK_VALUE_THRESHOLD = 4_000;
    /** {@code storage_num_extra_bytes_record}: per-entry overhead counted in storage usage. */
    public static final long STORAGE_NUM_EXTRA_BYTES_RECORD = 40L;
    /** {@code storage_num_bytes_account}: the account record itself. */
    public static final long STORAGE_NUM_BYTES_ACCOUNT = 100L;
    /** {@code storage_amount_per_byte}: yoctoNEAR the balance must hold per byte of storage usage. */
    public static final java.math.BigInteger STORAGE_AMOUNT_PER_BYTE = new java.math.BigInteger("10000000000000000000");

    public static final int INITIAL_MEMORY_PAGES = 1_024;
    public static final int MAX_MEMORY_PAGES = 2_048;
    public static final int MAX_CONTRACT_SIZE = 4_194_304;
    /** {@code max_stack_height}: bytes of wasm stack finite-wasm lets one call use (256 KiB). */
    public static final long MAX_STACK_HEIGHT = 262_144L;

    public static final int MAX_FUNCTIONS_NUMBER_PER_CONTRACT = 10_000;
    public static final int MAX_LOCALS_PER_CONTRACT = 1_000_000;
    public static final int MAX_FUNCTION_BODY_SIZE = 196_608;
    public static final int MAX_TABLES_PER_CONTRACT = 1;
    public static final int MAX_ELEMENTS_PER_CONTRACT_TABLE = 10_000;
    public static final int MAX_TYPES_PER_CONTRACT = 1_024;
    public static final int MAX_PARAMS_PER_FUNCTION = 64;
    public static final int MAX_PARAMS_PER_CONTRACT = 50_000;
    public static final int MAX_BLOCKS_PER_FUNCTION = 5_000;
    public static final int MAX_BLOCKS_PER_CONTRACT = 50_000;
    /** {@code max_instrumented_code_size}: not checked, this instrumenter's output is not nearcore's (docs/contracts.md). */
    public static final int MAX_INSTRUMENTED_CODE_SIZE = 16_777_216;

    public final long gas;

    ExtCost(long gas) {
        this.gas = gas;
    }

    /** {@code gas * count}, saturating so a huge length cannot wrap into a small charge. */
    public long times(long count) {
        if (count <= 0) {
            return 0;
        }
        long high = Math.multiplyHigh(gas, count);
        long product = gas * count;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }
}

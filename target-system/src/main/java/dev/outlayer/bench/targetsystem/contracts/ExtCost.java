package dev.outlayer.bench.targetsystem.contracts;

/**
 * NEAR's gas cost table: the values of nearcore's
 * {@code core/parameters/res/runtime_configs/parameters.yaml} (wasm_* entries), in gas units.
 * Every host function in {@link VmLogic} charges from this table and nowhere else.
 */
public enum ExtCost {
    /** Charged by every host function call (nearcore's {@code wasm_base}). */
    base(264_768_111L),
    contract_loading_base(35_445_963L),
    contract_loading_bytes(216_750L),
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
    log_base(3_543_313_050L),
    log_byte(13_198_791L),
    storage_write_base(64_196_736_000L),
    storage_write_key_byte(70_482_867L),
    storage_write_value_byte(31_018_539L),
    storage_write_evicted_byte(32_117_307L),
    storage_read_base(56_356_845_750L),
    storage_read_key_byte(30_952_533L),
    storage_read_value_byte(5_611_005L),
    storage_remove_base(53_473_030_500L),
    storage_remove_key_byte(38_220_384L),
    storage_remove_ret_value_byte(11_531_556L),
    storage_has_key_base(54_039_896_625L),
    storage_has_key_byte(30_790_845L),
    touching_trie_node(16_101_955_926L),
    read_cached_trie_node(2_280_000_000L),
    promise_and_base(1_465_013_400L),
    promise_and_per_promise(5_452_176L),
    promise_return(560_152_386L),
    validator_stake_base(911_834_726_400L),
    validator_total_stake_base(911_834_726_400L),
    // The base file prices yields out (300 Tgas); protocol 67 set these.
    yield_create_base(153_411_779_276L),
    yield_create_byte(15_643_988L),
    yield_resume_base(1_195_627_285_210L),
    yield_resume_byte(47_683_715L);

    /** nearcore's {@code wasm_regular_op_cost}: the gas of one metered wasm operation. */
    public static final long REGULAR_OP_COST = 822_756L;

    /** nearcore's {@code wasm_grow_mem_cost}: operations charged per page memory.grow asks for. */
    public static final long GROW_MEM_OPS_PER_PAGE = 1L;

    /** Limits from the same file ({@code max_*}), enforced by {@link VmLogic}. */
    public static final long MAX_REGISTER_SIZE = 104_857_600L;

    public static final long REGISTERS_MEMORY_LIMIT = 1_073_741_824L;
    public static final int MAX_NUMBER_REGISTERS = 100;
    public static final int MAX_NUMBER_LOGS = 100;
    public static final long MAX_TOTAL_LOG_LENGTH = 16_384L;
    public static final long MAX_LENGTH_STORAGE_KEY = 4_194_304L;
    public static final long MAX_LENGTH_STORAGE_VALUE = 4_194_304L;
    public static final long MAX_LENGTH_RETURNED_DATA = 4_194_304L;
    public static final int MAX_PROMISES_PER_CALL = 1_024;
    /** {@code storage_num_extra_bytes_record}: per-entry overhead counted in storage usage. */
    public static final long STORAGE_NUM_EXTRA_BYTES_RECORD = 40L;
    /** {@code storage_num_bytes_account}: the account record itself. */
    public static final long STORAGE_NUM_BYTES_ACCOUNT = 100L;

    public static final int MAX_MEMORY_PAGES = 2_048;
    public static final int MAX_CONTRACT_SIZE = 4_194_304;

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

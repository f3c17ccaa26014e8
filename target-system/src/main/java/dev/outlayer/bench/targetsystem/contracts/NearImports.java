package dev.outlayer.bench.targetsystem.contracts;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one table of NEAR's host functions: every import of near-sdk-rs's {@code near-sys}
 * ({@code env} module) with its wasm signature and the {@link VmLogic} method it runs. Gas for
 * each lives in that method, charged from {@link ExtCost}. Functions this simulator does not
 * implement still link, so any near-sdk 4.x/5.x contract instantiates, and fail the call with
 * a {@code HostError} naming themselves.
 *
 * <p>{@link #importValues()} binds the table for Chicory; another binding layer can walk
 * {@link #table()} and call {@link HostFn#invoke} itself.
 */
public final class NearImports {
    public static final String MODULE = "env";

    /** A host function body: the call's logic, the guest memory and the raw wasm arguments. */
    @FunctionalInterface
    public interface Body {
        long call(VmLogic logic, Memory memory, long[] args);
    }

    /** One row of the table. {@code result} is null for functions returning nothing. */
    public record HostFn(String name, FunctionType type, Body body) {
        public long invoke(VmLogic logic, Memory memory, long[] args) {
            return body.call(logic, logic.memoryOf(memory), args);
        }
    }

    private static final ThreadLocal<VmLogic> CURRENT = new ThreadLocal<>();
    private static final Map<String, HostFn> TABLE = new LinkedHashMap<>();
    private static final ImportValues IMPORTS;

    static {
        // Registers
        fn("read_register", 2, false, (l, m, a) -> {
            l.readRegister(m, a[0], a[1]);
            return 0;
        });
        fn("register_len", 1, true, (l, m, a) -> l.registerLen(a[0]));
        fn("write_register", 3, false, (l, m, a) -> {
            l.writeRegister(m, a[0], a[1], a[2]);
            return 0;
        });
        // Context
        fn("current_account_id", 1, false, (l, m, a) -> {
            l.currentAccountId(a[0]);
            return 0;
        });
        fn("signer_account_id", 1, false, (l, m, a) -> {
            l.signerAccountId(a[0]);
            return 0;
        });
        fn("signer_account_pk", 1, false, (l, m, a) -> {
            l.signerAccountPk(a[0]);
            return 0;
        });
        fn("predecessor_account_id", 1, false, (l, m, a) -> {
            l.predecessorAccountId(a[0]);
            return 0;
        });
        fn("current_contract_code", 1, true, (l, m, a) -> l.currentContractCode(a[0]));
        fn("refund_to_account_id", 1, false, (l, m, a) -> {
            l.refundToAccountId(a[0]);
            return 0;
        });
        fn("input", 1, false, (l, m, a) -> {
            l.input(a[0]);
            return 0;
        });
        fn("block_index", 0, true, (l, m, a) -> l.blockIndex());
        fn("block_timestamp", 0, true, (l, m, a) -> l.blockTimestamp());
        fn("epoch_height", 0, true, (l, m, a) -> l.epochHeight());
        fn("storage_usage", 0, true, (l, m, a) -> l.storageUsageNow());
        // Economics
        fn("account_balance", 1, false, (l, m, a) -> {
            l.accountBalance(m, a[0]);
            return 0;
        });
        fn("account_locked_balance", 1, false, (l, m, a) -> {
            l.accountLockedBalance(m, a[0]);
            return 0;
        });
        fn("attached_deposit", 1, false, (l, m, a) -> {
            l.attachedDeposit(m, a[0]);
            return 0;
        });
        fn("prepaid_gas", 0, true, (l, m, a) -> l.prepaidGas());
        fn("used_gas", 0, true, (l, m, a) -> l.usedGas());
        // Math
        fn("random_seed", 1, false, (l, m, a) -> {
            l.randomSeed(a[0]);
            return 0;
        });
        fn("sha256", 3, false, (l, m, a) -> {
            l.sha256(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("keccak256", 3, false, (l, m, a) -> {
            l.keccak256(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("keccak512", 3, false, (l, m, a) -> {
            l.keccak512(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("ripemd160", 3, false, (l, m, a) -> {
            l.ripemd160(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("ecrecover", 7, true, (l, m, a) -> l.ecrecover(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6]));
        fn("ed25519_verify", 6, true, (l, m, a) -> l.ed25519Verify(m, a[0], a[1], a[2], a[3], a[4], a[5]));
        fn("p256_verify", 6, true, (l, m, a) -> l.p256Verify(m, a[0], a[1], a[2], a[3], a[4], a[5]));
        // Miscellaneous
        fn("value_return", 2, false, (l, m, a) -> {
            l.valueReturn(m, a[0], a[1]);
            return 0;
        });
        fn("panic", 0, false, (l, m, a) -> {
            l.panic();
            return 0;
        });
        fn("panic_utf8", 2, false, (l, m, a) -> {
            l.panicUtf8(m, a[0], a[1]);
            return 0;
        });
        fn("log_utf8", 2, false, (l, m, a) -> {
            l.logUtf8(m, a[0], a[1]);
            return 0;
        });
        fn("log_utf16", 2, false, (l, m, a) -> {
            l.logUtf16(m, a[0], a[1]);
            return 0;
        });
        add("abort", List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of(), (l, m, a) -> {
            l.abort(m, (int) a[0], (int) a[1], (int) a[2], (int) a[3]);
            return 0;
        });
        // Promises
        fn("promise_create", 8, true, (l, m, a) -> l.promiseCreate(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]));
        fn(
                "promise_then",
                9,
                true,
                (l, m, a) -> l.promiseThen(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]));
        fn("promise_and", 2, true, (l, m, a) -> l.promiseAnd(m, a[0], a[1]));
        fn("promise_batch_create", 2, true, (l, m, a) -> l.promiseBatchCreate(m, a[0], a[1]));
        fn("promise_batch_then", 3, true, (l, m, a) -> l.promiseBatchThen(m, a[0], a[1], a[2]));
        fn("promise_set_refund_to", 3, false, (l, m, a) -> {
            l.promiseSetRefundTo(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("promise_batch_action_create_account", 1, false, (l, m, a) -> {
            l.promiseBatchActionCreateAccount(a[0]);
            return 0;
        });
        fn("promise_batch_action_deploy_contract", 3, false, (l, m, a) -> {
            l.promiseBatchActionDeployContract(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("promise_batch_action_function_call", 7, false, (l, m, a) -> {
            l.promiseBatchActionFunctionCall(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
            return 0;
        });
        fn("promise_batch_action_function_call_weight", 8, false, (l, m, a) -> {
            l.promiseBatchActionFunctionCallWeight(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
            return 0;
        });
        fn("promise_batch_action_transfer", 2, false, (l, m, a) -> {
            l.promiseBatchActionTransfer(m, a[0], a[1]);
            return 0;
        });
        fn("promise_batch_action_stake", 4, false, (l, m, a) -> {
            l.promiseBatchActionStake(m, a[0], a[1], a[2], a[3]);
            return 0;
        });
        fn("promise_batch_action_add_key_with_full_access", 4, false, (l, m, a) -> {
            l.promiseBatchActionAddKeyWithFullAccess(m, a[0], a[1], a[2], a[3]);
            return 0;
        });
        fn("promise_batch_action_add_key_with_function_call", 9, false, (l, m, a) -> {
            l.promiseBatchActionAddKeyWithFunctionCall(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
            return 0;
        });
        fn("promise_batch_action_delete_key", 3, false, (l, m, a) -> {
            l.promiseBatchActionDeleteKey(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("promise_batch_action_delete_account", 3, false, (l, m, a) -> {
            l.promiseBatchActionDeleteAccount(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("promise_results_count", 0, true, (l, m, a) -> l.promiseResultsCount());
        fn("promise_result", 2, true, (l, m, a) -> l.promiseResult(a[0], a[1]));
        fn("promise_return", 1, false, (l, m, a) -> {
            l.promiseReturn(a[0]);
            return 0;
        });
        // Storage
        fn("storage_write", 5, true, (l, m, a) -> l.storageWrite(m, a[0], a[1], a[2], a[3], a[4]));
        fn("storage_read", 3, true, (l, m, a) -> l.storageRead(m, a[0], a[1], a[2]));
        fn("storage_remove", 3, true, (l, m, a) -> l.storageRemove(m, a[0], a[1], a[2]));
        fn("storage_has_key", 2, true, (l, m, a) -> l.storageHasKey(m, a[0], a[1]));
        // Validators
        fn("validator_stake", 3, false, (l, m, a) -> {
            l.validatorStake(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("validator_total_stake", 1, false, (l, m, a) -> {
            l.validatorTotalStake(m, a[0]);
            return 0;
        });

        // NEP-616 deterministic state init
        fn(
                "promise_batch_action_state_init",
                4,
                true,
                (l, m, a) -> l.promiseBatchActionStateInit(m, a[0], a[1], a[2], a[3], false));
        fn(
                "promise_batch_action_state_init_by_account_id",
                4,
                true,
                (l, m, a) -> l.promiseBatchActionStateInit(m, a[0], a[1], a[2], a[3], true));
        fn("set_state_init_data_entry", 6, false, (l, m, a) -> {
            l.setStateInitDataEntry(m, a[0], a[1], a[2], a[3], a[4], a[5]);
            return 0;
        });
        // NEP-591 global contracts
        fn("promise_batch_action_deploy_global_contract", 3, false, (l, m, a) -> {
            l.promiseBatchActionDeployGlobalContract(m, a[0], a[1], a[2], false);
            return 0;
        });
        fn("promise_batch_action_deploy_global_contract_by_account_id", 3, false, (l, m, a) -> {
            l.promiseBatchActionDeployGlobalContract(m, a[0], a[1], a[2], true);
            return 0;
        });
        fn("promise_batch_action_use_global_contract", 3, false, (l, m, a) -> {
            l.promiseBatchActionUseGlobalContract(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("promise_batch_action_use_global_contract_by_account_id", 3, false, (l, m, a) -> {
            l.promiseBatchActionUseGlobalContractByAccountId(m, a[0], a[1], a[2]);
            return 0;
        });
        fn(
                "promise_yield_create",
                7,
                true,
                (l, m, a) -> l.promiseYieldCreate(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6]));
        add(
                "promise_yield_resume",
                i64s(4),
                List.of(ValType.I32),
                (l, m, a) -> l.promiseYieldResume(m, a[0], a[1], a[2], a[3]));
        // nearcore removed the iterator API (HostError::Deprecated); near-sys still declares it.
        fn("storage_iter_prefix", 2, true, (l, m, a) -> l.storageIterDeprecated("storage_iter_prefix"));
        fn("storage_iter_range", 4, true, (l, m, a) -> l.storageIterDeprecated("storage_iter_range"));
        fn("storage_iter_next", 3, true, (l, m, a) -> l.storageIterDeprecated("storage_iter_next"));
        fn("alt_bn128_g1_multiexp", 3, false, (l, m, a) -> {
            l.altBn128G1Multiexp(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("alt_bn128_g1_sum", 3, false, (l, m, a) -> {
            l.altBn128G1Sum(m, a[0], a[1], a[2]);
            return 0;
        });
        fn("alt_bn128_pairing_check", 2, true, (l, m, a) -> l.altBn128PairingCheck(m, a[0], a[1]));
        fn("bls12381_p1_sum", 3, true, (l, m, a) -> l.bls12381P1Sum(m, a[0], a[1], a[2]));
        fn("bls12381_p2_sum", 3, true, (l, m, a) -> l.bls12381P2Sum(m, a[0], a[1], a[2]));
        fn("bls12381_g1_multiexp", 3, true, (l, m, a) -> l.bls12381G1Multiexp(m, a[0], a[1], a[2]));
        fn("bls12381_g2_multiexp", 3, true, (l, m, a) -> l.bls12381G2Multiexp(m, a[0], a[1], a[2]));
        fn("bls12381_map_fp_to_g1", 3, true, (l, m, a) -> l.bls12381MapFpToG1(m, a[0], a[1], a[2]));
        fn("bls12381_map_fp2_to_g2", 3, true, (l, m, a) -> l.bls12381MapFp2ToG2(m, a[0], a[1], a[2]));
        fn("bls12381_pairing_check", 2, true, (l, m, a) -> l.bls12381PairingCheck(m, a[0], a[1]));
        fn("bls12381_p1_decompress", 3, true, (l, m, a) -> l.bls12381P1Decompress(m, a[0], a[1], a[2]));
        fn("bls12381_p2_decompress", 3, true, (l, m, a) -> l.bls12381P2Decompress(m, a[0], a[1], a[2]));
        // Added after near-sys's list, so every function above keeps its linux-mode syscall number
        // (NearSyscalls numbers the table in order).
        fn("chain_id", 1, false, (l, m, a) -> { // NEP-638, protocol 85
            l.chainId(a[0]);
            return 0;
        });
        // nearcore's gas_seen_from_wasm, importable as env.gas: opcodes the contract counted itself
        add("gas", List.of(ValType.I32), List.of(), (l, m, a) -> {
            l.gasSeenFromWasm((int) a[0]);
            return 0;
        });
        // Protocol 85's yield_with_id_host_fns (nearcore imports.rs): yields named by a 32-byte id;
        // after near-sys's list and chain_id and gas, so that the linux mode's syscall numbers above stay.
        fn(
                "promise_yield_create_with_id",
                9,
                true,
                (l, m, a) -> l.promiseYieldCreateWithId(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]));
        add(
                "promise_yield_resume_with_yield_id",
                i64s(4),
                List.of(ValType.I32),
                (l, m, a) -> l.promiseYieldResumeWithYieldId(m, a[0], a[1], a[2], a[3]));
        // Protocol 85's gas_key_host_fns (nearcore imports.rs): gas keys made and funded by contracts;
        // last, so that the linux mode's syscall numbers above stay.
        fn("promise_batch_action_transfer_to_gas_key", 4, false, (l, m, a) -> {
            l.promiseBatchActionTransferToGasKey(m, a[0], a[1], a[2], a[3]);
            return 0;
        });
        fn("promise_batch_action_add_gas_key_with_full_access", 4, false, (l, m, a) -> {
            l.promiseBatchActionAddGasKeyWithFullAccess(m, a[0], a[1], a[2], a[3]);
            return 0;
        });
        fn("promise_batch_action_add_gas_key_with_function_call", 9, false, (l, m, a) -> {
            l.promiseBatchActionAddGasKeyWithFunctionCall(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
            return 0;
        });

        List<com.dylibso.chicory.runtime.ImportFunction> functions = new ArrayList<>();
        for (HostFn fn : TABLE.values()) {
            boolean returns = !fn.type().returns().isEmpty();
            Body body = fn.body();
            functions.add(new HostFunction(MODULE, fn.name(), fn.type(), (instance, args) -> {
                VmLogic logic = CURRENT.get();
                long result = body.call(logic, logic.memoryOf(instance.memory()), args);
                return returns ? new long[] {result} : null;
            }));
        }
        IMPORTS = ImportValues.builder().withFunctions(functions).build();
    }

    private NearImports() {}

    private static List<ValType> i64s(int count) {
        return Collections.nCopies(count, ValType.I64);
    }

    private static void fn(String name, int params, boolean returnsU64, Body body) {
        add(name, i64s(params), returnsU64 ? List.of(ValType.I64) : List.of(), body);
    }

    private static void add(String name, List<ValType> params, List<ValType> results, Body body) {
        TABLE.put(name, new HostFn(name, FunctionType.of(params, results), body));
    }

    /** Every host function, in near-sys order. */
    public static Map<String, HostFn> table() {
        return Collections.unmodifiableMap(TABLE);
    }

    /** The Chicory imports, shared by every instance; each call's logic comes from {@link #enter}. */
    public static ImportValues importValues() {
        return IMPORTS;
    }

    /** Makes {@code logic} the one the host functions of this thread's instance use. */
    static void enter(VmLogic logic) {
        CURRENT.set(logic);
    }

    static void exit() {
        CURRENT.remove();
    }
}

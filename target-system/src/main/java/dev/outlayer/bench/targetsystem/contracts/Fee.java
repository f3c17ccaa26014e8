package dev.outlayer.bench.targetsystem.contracts;

/**
 * nearcore's action and receipt fees ({@code RuntimeFeesConfig}) of the pinned protocol version
 * {@value ExtCost#PROTOCOL_VERSION}, in gas: {@code transaction_costs} of nearcore's resolved snapshot
 * {@code core/parameters/src/snapshots/near_parameters__config_store__tests__86.json.snap} (near/nearcore
 * commit 11babcf8be1aebd68ca750b9efd59172218e03c5). Changed since the base {@code parameters.yaml}:
 * create_account, function_call (base), the per-byte send_not_sir fees (47,683,715: a byte sent to
 * another account costs more than one to oneself) and deploy_contract_per_byte's execution. The send
 * fee is burnt where a receipt is created (SIR: sender is receiver), the execution fee where it runs.
 * Every receipt and action charge of the simulator comes from this table and nowhere else; the most
 * gas a transaction may attach is {@link ExtCost#MAX_TOTAL_PREPAID_GAS}.
 *
 * <p>The snapshot's view does not show the global-contract fees (NEP-591, protocol 77): they are
 * {@code core/parameters/res/runtime_configs/77.yaml}'s, which no later diff up to 86 changes (the base
 * file's 999,999,999,999,999 placeholders until then). Nor the deterministic-state-init fees (NEP-616,
 * protocol 82): the base {@code parameters.yaml}'s (near/nearcore commit 000b8da7e6faf48948e32764bb6b9c0a6e4ba562).
 */
public enum Fee {
    action_receipt_creation(108_059_500_000L, 108_059_500_000L, 108_059_500_000L),
    data_receipt_creation_base(36_486_732_312L, 36_486_732_312L, 36_486_732_312L),
    data_receipt_creation_per_byte(17_212_011L, 47_683_715L, 17_212_011L),
    action_create_account(500_000_000_000L, 500_000_000_000L, 7_200_000_000_000L),
    action_delete_account(147_489_000_000L, 147_489_000_000L, 147_489_000_000L),
    action_deploy_contract(184_765_750_000L, 184_765_750_000L, 184_765_750_000L),
    action_deploy_contract_per_byte(6_812_999L, 47_683_715L, 64_572_944L),
    action_function_call(200_000_000_000L, 200_000_000_000L, 780_000_000_000L),
    action_function_call_per_byte(2_235_934L, 47_683_715L, 2_235_934L),
    action_transfer(115_123_062_500L, 115_123_062_500L, 115_123_062_500L),
    action_stake(141_715_687_500L, 141_715_687_500L, 102_217_625_000L),
    action_add_full_access_key(101_765_125_000L, 101_765_125_000L, 101_765_125_000L),
    action_add_function_call_key(102_217_625_000L, 102_217_625_000L, 102_217_625_000L),
    action_add_function_call_key_per_byte(1_925_331L, 47_683_715L, 1_925_331L),
    action_delete_key(94_946_625_000L, 94_946_625_000L, 94_946_625_000L),
    /** NEP-366's {@code delegate_cost} (action_delegate). */
    action_delegate(200_000_000_000L, 200_000_000_000L, 200_000_000_000L),
    /** NEP-591 (77.yaml): a DeployGlobalContract, and per byte of its code. */
    action_deploy_global_contract(184_765_750_000L, 184_765_750_000L, 184_765_750_000L),
    action_deploy_global_contract_per_byte(6_812_999L, 47_683_715L, 70_000_000L),
    /** NEP-591 (77.yaml): a UseGlobalContract, and per byte of its identifier (32 for a hash, else the id's length). */
    action_use_global_contract(184_765_750_000L, 184_765_750_000L, 184_765_750_000L),
    action_use_global_contract_per_identifier_byte(6_812_999L, 47_683_715L, 64_572_944L),
    /**
     * NEP-616 (parameters.yaml, which no diff up to 86 changes; enabled at 82): a DeterministicStateInit
     * (3.85 Tgas send, 4.08 Tgas execution), per entry of its data (0.2 Tgas execution), per byte of
     * its keys and values (72 / 70 Mgas).
     */
    action_deterministic_state_init(3_850_000_000_000L, 3_850_000_000_000L, 4_080_000_000_000L),
    action_deterministic_state_init_per_entry(0L, 0L, 200_000_000_000L),
    action_deterministic_state_init_per_byte(72_000_000L, 72_000_000L, 70_000_000L),
    /**
     * NEP-611 gas keys (parameters.yaml, which no diff up to 86 changes; GasKeys stable at 85): a
     * TransferToGasKey, per byte of what gas-key actions send or write, and per nonce slot an AddKey
     * of a gas key writes (core/parameters/src/cost.rs, runtime/runtime/src/config.rs).
     */
    action_gas_key_transfer(115_123_062_500L, 115_123_062_500L, 235_676_644_250L),
    action_gas_key_byte(59_357_464L, 59_357_464L, 101_435_400L),
    action_gas_key_nonce_write_base(0L, 0L, 64_196_736_000L);

    /** GasKeyInfo::borsh_len: balance u128 and num_nonces u16. */
    static final long GAS_KEY_INFO_BORSH_LEN = 18;
    /** AccessKey::min_gas_key_borsh_len: a GasKeyFullAccess key (nonce, tag, GasKeyInfo). */
    static final long MIN_GAS_KEY_BORSH_LEN = 8 + 1 + GAS_KEY_INFO_BORSH_LEN;

    /** nearcore's {@code burnt_gas_reward} (3/10 in 86): the share of a call's burnt gas paid to the contract account. */
    public static final long BURNT_GAS_REWARD_NUMERATOR = 3;

    public static final long BURNT_GAS_REWARD_DENOMINATOR = 10;
    /**
     * Mainnet genesis {@code min_gas_price} (yoctoNEAR per gas): this simulator's gas price, constant. A
     * genesis value, not a runtime parameter, so not in the protocol-86 snapshot.
     */
    public static final java.math.BigInteger GAS_PRICE = java.math.BigInteger.valueOf(100_000_000L);
    /**
     * {@code min_gas_purchase_price} (85.yaml, protocol 85's AccountCostIncrease; 10^9 yoctoNEAR a gas,
     * 0.001 NEAR a Tgas, in the 86 snapshot): the least a transaction's receipts buy their gas at.
     */
    public static final java.math.BigInteger MIN_GAS_PURCHASE_PRICE = java.math.BigInteger.valueOf(1_000_000_000L);
    /**
     * {@code account_creation_charge} (85.yaml: 0.007 NEAR): what a receipt that creates an account
     * costs in all, its create_account execution fee included (lib.rs refund_unspent_gas_and_deposits).
     */
    public static final java.math.BigInteger ACCOUNT_CREATION_CHARGE =
            new java.math.BigInteger("7000000000000000000000");
    /**
     * nearcore's config.rs tx_cost {@code receipt_gas_price}: max(gas price, min_gas_purchase_price), the
     * price a transaction's prepaid gas (execution fees, attached gas) is bought at and its receipts
     * carry (the conversion's send fees are burnt at the gas price). One gas price here, so one value.
     */
    public static final java.math.BigInteger RECEIPT_GAS_PRICE = GAS_PRICE.max(MIN_GAS_PURCHASE_PRICE);
    /**
     * lib.rs apply_action_receipt {@code gas_burn_price} with AccountCostIncrease: min(the receipt's
     * purchase price, the block's gas price). A receipt burns its gas at this price and the signer gets
     * the difference back ({@link #PRICE_SURPLUS_PER_GAS} per gas burnt).
     */
    public static final java.math.BigInteger GAS_BURN_PRICE = RECEIPT_GAS_PRICE.min(GAS_PRICE);
    /** {@code gas_purchase_price - gas_burn_price}: refunded for every gas a receipt burnt ({@code price_surplus}). */
    public static final java.math.BigInteger PRICE_SURPLUS_PER_GAS = RECEIPT_GAS_PRICE.subtract(GAS_BURN_PRICE);
    /**
     * lib.rs refund_unspent_gas_and_deposits {@code amount_to_charge}: the account creation charge less the
     * create_account execution fee already burnt at the burn price (saturating at 0), taken from the
     * receipt's price surplus refund when the receipt created its receiver.
     */
    public static final java.math.BigInteger ACCOUNT_CREATION_CHARGE_BEYOND_GAS = ACCOUNT_CREATION_CHARGE
            .subtract(GAS_BURN_PRICE.multiply(java.math.BigInteger.valueOf(action_create_account.execution)))
            .max(java.math.BigInteger.ZERO);
    /** {@code storage_amount_per_byte}: the balance an account must keep per byte of storage. */
    public static final java.math.BigInteger STORAGE_AMOUNT_PER_BYTE = new java.math.BigInteger("10000000000000000000");
    /**
     * {@code global_contract_storage_amount_per_byte} (77.yaml: 0.0001 NEAR): what a DeployGlobalContract
     * burns from the deployer's balance per byte of code (global_contracts.rs action_deploy_global_contract).
     */
    public static final java.math.BigInteger GLOBAL_CONTRACT_STORAGE_AMOUNT_PER_BYTE =
            new java.math.BigInteger("100000000000000000000");
    /** {@code yield_timeout_length_in_blocks}. */
    public static final long YIELD_TIMEOUT_LENGTH_IN_BLOCKS = 200;
    /** {@code max_yield_payload_size}, bytes. */
    public static final int MAX_YIELD_PAYLOAD_SIZE = 1_024;
    /** {@code max_number_input_data_dependencies}. */
    public static final int MAX_NUMBER_INPUT_DATA_DEPENDENCIES = 128;
    /**
     * {@code account_creation_config.min_allowed_top_level_account_length} (65 in 86, 32 in the base
     * file): shorter top-level names only the registrar creates.
     */
    public static final int MIN_ALLOWED_TOP_LEVEL_ACCOUNT_LENGTH = 65;

    public final long sendSir;
    public final long sendNotSir;
    public final long execution;

    Fee(long sendSir, long sendNotSir, long execution) {
        this.sendSir = sendSir;
        this.sendNotSir = sendNotSir;
        this.execution = execution;
    }

    public long send(boolean senderIsReceiver) {
        return senderIsReceiver ? sendSir : sendNotSir;
    }

    /** {@code fee * count}, saturating. */
    static long times(long fee, long count) {
        if (count <= 0) {
            return 0;
        }
        long high = Math.multiplyHigh(fee, count);
        long product = fee * count;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    /** nearcore's {@code send_fee} of one action to {@code receiverId} (config.rs, total_send_fees). */
    static long sendFee(Action action, boolean sir, String receiverId) {
        if (action instanceof Action.Delegate d) {
            // The inner actions' send fees with the transaction's own sender-is-receiver flag, as nearcore,
            // to the delegate's receiver.
            long fee = action_delegate.send(sir);
            for (Action inner : d.actions()) {
                fee = plus(fee, sendFee(inner, sir, d.receiverId()));
            }
            return fee;
        }
        if (action instanceof Action.Transfer) {
            return transferSendFee(sir, AccountType.of(receiverId));
        }
        if (action instanceof Action.DeployContract d) {
            return plus(
                    action_deploy_contract.send(sir),
                    times(action_deploy_contract_per_byte.send(sir), d.code().length));
        }
        if (action instanceof Action.FunctionCall f) {
            return functionCallSendFee(sir, functionCallBytes(f));
        }
        if (action instanceof Action.DeployGlobalContract d) {
            return deployGlobalContractSendFee(sir, d.code().length);
        }
        if (action instanceof Action.UseGlobalContract u) {
            return useGlobalContractSendFee(sir, u.contractId().len());
        }
        if (action instanceof Action.DeterministicStateInit init) {
            // config.rs: base + per entry + per byte of the keys and values (len_bytes)
            return plus(
                    action_deterministic_state_init.send(sir),
                    plus(
                            times(
                                    action_deterministic_state_init_per_entry.send(sir),
                                    init.data().size()),
                            times(action_deterministic_state_init_per_byte.send(sir), init.dataBytes())));
        }
        if (action instanceof Action.AddKey k) {
            // config.rs permission_send_fees: the key's fee, and for a gas key its GasKeyInfo's bytes
            AccessKey.FunctionCallPermission p = k.accessKey().functionCall();
            long fee = p != null
                    ? addFunctionCallKeySendFee(sir, methodNameBytes(p))
                    : action_add_full_access_key.send(sir);
            if (k.accessKey().gasKey() != null) {
                fee = plus(fee, times(action_gas_key_byte.send(sir), GAS_KEY_INFO_BORSH_LEN));
            }
            return fee;
        }
        if (action instanceof Action.TransferToGasKey t) {
            return gasKeyTransferSendFee(sir, t.publicKey().toBorsh().length);
        }
        if (action instanceof Action.WithdrawFromGasKey w) {
            // config.rs: a withdrawal costs what a transfer to the key does
            return gasKeyTransferSendFee(sir, w.publicKey().toBorsh().length);
        }
        return base(action).send(sir);
    }

    /** config.rs gas_key_transfer_send_fee: base and per byte of the public key. */
    static long gasKeyTransferSendFee(boolean sir, long publicKeyLength) {
        return plus(action_gas_key_transfer.send(sir), times(action_gas_key_byte.send(sir), publicKeyLength));
    }

    /**
     * config.rs gas_key_transfer_exec_fee: base and per byte of the access key's trie key (column, account
     * id, separator, public key) and of the smallest gas key value.
     */
    static long gasKeyTransferExecFee(String receiverId, long publicKeyLength) {
        long trieKey = accessKeyKeyLength(receiverId, publicKeyLength);
        return plus(
                action_gas_key_transfer.execution,
                times(action_gas_key_byte.execution, trieKey + MIN_GAS_KEY_BORSH_LEN));
    }

    /**
     * cost.rs gas_key_add_key_exec_fee: per nonce slot, nonce_write_base and gas_key_byte for its trie key
     * (the access key's and the u16 index) and its u64 value.
     */
    static long gasKeyNoncesExecFee(String receiverId, long publicKeyLength, int numNonces) {
        long slotBytes = accessKeyKeyLength(receiverId, publicKeyLength) + 2 + 8;
        long perNonce =
                plus(action_gas_key_nonce_write_base.execution, times(action_gas_key_byte.execution, slotBytes));
        return times(perNonce, numNonces);
    }

    /** trie_key.rs access_key_key_len. */
    private static long accessKeyKeyLength(String accountId, long publicKeyLength) {
        return 1 + accountId.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1 + publicKeyLength;
    }

    /**
     * cost.rs transfer_send_fee (implicit_account_creation and eth_implicit_accounts both on at 86): a
     * transfer to an implicit id pays for the account it may create whether or not the account exists
     * (the sender's shard cannot know): create_account for every implicit kind, add_full_access_key as
     * well for a NEAR-implicit id, whose creation installs a key.
     */
    static long transferSendFee(boolean sir, AccountType receiver) {
        long fee = action_transfer.send(sir);
        if (receiver.isImplicit()) {
            fee = plus(fee, action_create_account.send(sir));
        }
        if (receiver == AccountType.NEAR_IMPLICIT) {
            fee = plus(fee, action_add_full_access_key.send(sir));
        }
        return fee;
    }

    /** cost.rs transfer_exec_fee: as {@link #transferSendFee}, the execution fees. */
    static long transferExecFee(AccountType receiver) {
        long fee = action_transfer.execution;
        if (receiver.isImplicit()) {
            fee = plus(fee, action_create_account.execution);
        }
        if (receiver == AccountType.NEAR_IMPLICIT) {
            fee = plus(fee, action_add_full_access_key.execution);
        }
        return fee;
    }

    /** nearcore's {@code exec_fee} of one action on {@code receiverId}. */
    static long execFee(Action action, String receiverId) {
        if (action instanceof Action.Transfer) {
            return transferExecFee(AccountType.of(receiverId));
        }
        if (action instanceof Action.DeployContract d) {
            return plus(
                    action_deploy_contract.execution,
                    times(action_deploy_contract_per_byte.execution, d.code().length));
        }
        if (action instanceof Action.FunctionCall f) {
            return functionCallExecFee(functionCallBytes(f));
        }
        if (action instanceof Action.DeployGlobalContract d) {
            return deployGlobalContractExecFee(d.code().length);
        }
        if (action instanceof Action.UseGlobalContract u) {
            return useGlobalContractExecFee(u.contractId().len());
        }
        if (action instanceof Action.DeterministicStateInit init) {
            return plus(
                    action_deterministic_state_init.execution,
                    plus(
                            times(
                                    action_deterministic_state_init_per_entry.execution,
                                    init.data().size()),
                            times(action_deterministic_state_init_per_byte.execution, init.dataBytes())));
        }
        if (action instanceof Action.AddKey k) {
            // config.rs permission_exec_fees: the key's fee, and for a gas key each nonce slot's write
            AccessKey.FunctionCallPermission p = k.accessKey().functionCall();
            long fee = p != null ? addFunctionCallKeyExecFee(methodNameBytes(p)) : action_add_full_access_key.execution;
            AccessKey.GasKeyInfo gasKey = k.accessKey().gasKey();
            if (gasKey != null) {
                fee = plus(fee, gasKeyNoncesExecFee(receiverId, k.publicKey().toBorsh().length, gasKey.numNonces()));
            }
            return fee;
        }
        if (action instanceof Action.TransferToGasKey t) {
            return gasKeyTransferExecFee(receiverId, t.publicKey().toBorsh().length);
        }
        if (action instanceof Action.WithdrawFromGasKey w) {
            return gasKeyTransferExecFee(receiverId, w.publicKey().toBorsh().length);
        }
        return base(action).execution;
    }

    /** A function call's send fee for {@code bytes} of method name and arguments. */
    static long functionCallSendFee(boolean sir, long bytes) {
        return plus(action_function_call.send(sir), times(action_function_call_per_byte.send(sir), bytes));
    }

    static long functionCallExecFee(long bytes) {
        return plus(action_function_call.execution, times(action_function_call_per_byte.execution, bytes));
    }

    /** config.rs total_send_fees of a DeployGlobalContract of {@code bytes} of code. */
    static long deployGlobalContractSendFee(boolean sir, long bytes) {
        return plus(
                action_deploy_global_contract.send(sir),
                times(action_deploy_global_contract_per_byte.send(sir), bytes));
    }

    static long deployGlobalContractExecFee(long bytes) {
        return plus(
                action_deploy_global_contract.execution,
                times(action_deploy_global_contract_per_byte.execution, bytes));
    }

    /** config.rs total_send_fees of a UseGlobalContract whose identifier is {@code bytes} long. */
    static long useGlobalContractSendFee(boolean sir, long bytes) {
        return plus(
                action_use_global_contract.send(sir),
                times(action_use_global_contract_per_identifier_byte.send(sir), bytes));
    }

    static long useGlobalContractExecFee(long bytes) {
        return plus(
                action_use_global_contract.execution,
                times(action_use_global_contract_per_identifier_byte.execution, bytes));
    }

    /** A function-call key's send fee for {@code bytes} of method names (a terminating byte each). */
    static long addFunctionCallKeySendFee(boolean sir, long bytes) {
        return plus(
                action_add_function_call_key.send(sir), times(action_add_function_call_key_per_byte.send(sir), bytes));
    }

    static long addFunctionCallKeyExecFee(long bytes) {
        return plus(
                action_add_function_call_key.execution, times(action_add_function_call_key_per_byte.execution, bytes));
    }

    /**
     * nearcore's total_prepaid_exec_fees for one action: its exec fee, and for a Delegate also the
     * exec fees of the receipt it sends (receipt creation and the inner actions).
     */
    static long prepaidExecFee(Action action, String receiverId) {
        long fee = execFee(action, receiverId);
        if (action instanceof Action.Delegate d) {
            fee = plus(fee, action_receipt_creation.execution);
            for (Action inner : d.actions()) {
                fee = plus(fee, execFee(inner, d.receiverId()));
            }
        }
        return fee;
    }

    /**
     * The gas an action carries beyond its fees (nearcore's total_prepaid_gas plus
     * total_prepaid_send_fees): a call's attached gas; for a Delegate the inner calls' gas and
     * {@link #prepaidSendFees}.
     */
    static long prepaidGas(Action action) {
        if (action instanceof Action.FunctionCall f) {
            return f.gas();
        }
        if (action instanceof Action.Delegate d) {
            long gas = prepaidSendFees(d);
            for (Action inner : d.actions()) {
                gas = plus(gas, prepaidGas(inner));
            }
            return gas;
        }
        return 0;
    }

    /**
     * nearcore's total_prepaid_send_fees: for a Delegate the send fees of the receipt it sends,
     * with the delegate's own sender-is-receiver flag; 0 for every other action.
     */
    static long prepaidSendFees(Action action) {
        if (!(action instanceof Action.Delegate d)) {
            return 0;
        }
        boolean sir = d.senderId().equals(d.receiverId());
        long fees = 0;
        for (Action inner : d.actions()) {
            fees = plus(fees, sendFee(inner, sir, d.receiverId()));
        }
        return fees;
    }

    /** The fee of an action that has no per-byte part. */
    private static Fee base(Action action) {
        if (action instanceof Action.CreateAccount) {
            return action_create_account;
        }
        if (action instanceof Action.Stake) {
            return action_stake;
        }
        if (action instanceof Action.AddKey) {
            return action_add_full_access_key;
        }
        if (action instanceof Action.DeleteKey) {
            return action_delete_key;
        }
        if (action instanceof Action.DeleteAccount) {
            return action_delete_account;
        }
        if (action instanceof Action.Delegate) {
            return action_delegate;
        }
        throw new IllegalArgumentException(
                "no base fee for " + action.getClass().getSimpleName());
    }

    private static long functionCallBytes(Action.FunctionCall f) {
        return (long) f.methodName().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + f.args().length;
    }

    /** Method names plus one byte each for the separator, as nearcore counts them. */
    private static long methodNameBytes(AccessKey.FunctionCallPermission p) {
        long bytes = 0;
        for (String name : p.methodNames()) {
            bytes += name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        }
        return bytes;
    }

    /** Saturating addition of gas amounts. */
    static long plus(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}

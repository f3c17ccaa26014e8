package dev.outlayer.bench.targetsystem.contracts;

import static dev.outlayer.bench.targetsystem.contracts.ReceiptEngine.REGISTRAR;
import static dev.outlayer.bench.targetsystem.contracts.ReceiptEngine.SYSTEM;

import dev.outlayer.bench.targetsystem.contracts.ReceiptEngine.DataReceiver;
import dev.outlayer.bench.targetsystem.contracts.ReceiptEngine.Distribution;
import dev.outlayer.bench.targetsystem.contracts.ReceiptEngine.Kind;
import dev.outlayer.bench.targetsystem.contracts.ReceiptEngine.Receipt;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Applies a receipt's actions to its receiver's account, as nearcore's {@code
 * runtime/runtime/src/actions.rs} does: each action checked, charged and applied to an {@link
 * AccountDraft}, its failure named with nearcore's ActionErrorKind, fields and message. The receipt
 * around them (inputs, commit, outcomes, refunds, new receipts) is {@link ReceiptEngine}'s.
 */
final class ReceiptActions {
    private final ContractSimulator simulator;
    private final BlockClock clock;
    /** The yields a call of the receipt sees: those waiting in the engine and those its earlier actions made. */
    private final Function<ActionResult, ReceiptContext.Yields> yieldsSeenBy;

    ReceiptActions(
            ContractSimulator simulator, BlockClock clock, Function<ActionResult, ReceiptContext.Yields> yieldsSeenBy) {
        this.simulator = simulator;
        this.clock = clock;
        this.yieldsSeenBy = yieldsSeenBy;
    }

    /**
     * nearcore's check_actor_permissions (actions.rs): deploys, stakes, key changes, global contract
     * actions and DeleteAccount only by the account itself (the predecessor, or the receipt that
     * created the account).
     */
    private static boolean needsActor(Action action) {
        return action instanceof Action.DeployContract
                || action instanceof Action.Stake
                || action instanceof Action.AddKey
                || action instanceof Action.DeleteKey
                || action instanceof Action.DeployGlobalContract
                || action instanceof Action.UseGlobalContract
                || action instanceof Action.WithdrawFromGasKey
                || action instanceof Action.DeleteAccount;
    }

    /** Applies one action to the draft; returns nearcore's ActionErrorKind on failure, else null. */
    String apply(
            Receipt receipt,
            Action action,
            AccountDraft draft,
            List<ReceiptContext.PromiseResult> inputs,
            long height,
            ActionResult result) {
        if (action instanceof Action.CreateAccount) {
            if (draft.exists) {
                return "AccountAlreadyExists";
            }
            if (AccountType.of(receipt.receiverId).isImplicit()) {
                // actions.rs check_account_existence: an implicit id is made only by a lone Transfer, so that
                // no batch can add a key the id does not spell (nearcore's NEP-71).
                return "OnlyImplicitAccountCreationAllowed";
            }
            String id = receipt.receiverId;
            int dot = id.indexOf('.');
            if (dot < 0) {
                if (id.length() < Fee.MIN_ALLOWED_TOP_LEVEL_ACCOUNT_LENGTH
                        && !receipt.predecessorId.equals(REGISTRAR)) {
                    return "CreateAccountOnlyByRegistrar";
                }
            } else if (!id.endsWith("." + receipt.predecessorId)
                    || id.substring(0, id.length() - receipt.predecessorId.length() - 1)
                            .contains(".")) {
                return "CreateAccountNotAllowed";
            }
            draft.exists = true;
            draft.created = true;
            draft.storageUsage = ExtCost.STORAGE_NUM_BYTES_ACCOUNT;
            draft.actor = receipt.receiverId;
            return null;
        }
        if (action instanceof Action.DeterministicStateInit init) {
            return stateInit(receipt, init, draft, result); // an existing account and a missing one are both fine
        }
        if (!draft.exists || draft.deleted) {
            if (action instanceof Action.Transfer t && implicitCreationEligible(receipt)) {
                createImplicitAccount(receipt, t.deposit(), draft, height);
                return null;
            }
            return "AccountDoesNotExist";
        }
        if (needsActor(action) && !draft.actor.equals(receipt.receiverId)) {
            return "ActorNoPermission";
        }
        if (action instanceof Action.Transfer t) {
            // lib.rs action_transfer_or_implicit_account_creation: a gas refund goes to the signing key's
            // balance when that key is a gas key (try_refund_gas_key_balance), else to the account, and
            // raises a function-call key's allowance (try_refund_allowance).
            AccessKey signingKey =
                    receipt.kind == Kind.GAS_REFUND && receipt.signerKey != null ? draft.key(receipt.signerKey) : null;
            if (signingKey != null && signingKey.gasKey() != null) {
                BigInteger refunded = signingKey.gasKey().balance().add(t.deposit());
                if (refunded.compareTo(VmLogic.U128_MAX) > 0) {
                    return "IntegerOverflow";
                }
                draft.keyChanges.put(receipt.signerKey, signingKey.withGasKeyBalance(refunded));
                return null;
            }
            BigInteger after = draft.balance.add(t.deposit());
            if (after.compareTo(VmLogic.U128_MAX) > 0) {
                return "IntegerOverflow";
            }
            draft.balance = after;
            if (signingKey != null
                    && signingKey.permission() instanceof AccessKey.FunctionCallPermission permission
                    && permission.allowance() != null) {
                // actions.rs try_refund_allowance: the gas refund goes back to the key's allowance too, which
                // paid the whole cost up front (saturating at u128::MAX).
                BigInteger raised = permission.allowance().add(t.deposit()).min(VmLogic.U128_MAX);
                if (raised.compareTo(permission.allowance()) > 0) {
                    draft.keyChanges.put(
                            receipt.signerKey, new AccessKey(signingKey.nonce(), permission.withAllowance(raised)));
                }
            }
            return null;
        }
        if (action instanceof Action.DeployContract d) {
            // nearcore's action_deploy_contract stores any code (precompile_contract(..).ok() drops the
            // compile error): the deploy succeeds and the account's calls fail with CompilationError.
            GlobalContracts.Code stored = simulator.storedCode(d.code());
            draft.storageUsage += d.code().length - draft.contractStorage();
            draft.local = stored;
            draft.contract = stored.compiled();
            draft.global = null;
            draft.compileError = stored.compileError();
            draft.contractChanged = true;
            draft.deployedCode = d.code();
            return null;
        }
        if (action instanceof Action.DeployGlobalContract d) {
            return deployGlobal(receipt, d, draft, result);
        }
        if (action instanceof Action.UseGlobalContract u) {
            return useGlobal(u, draft, result);
        }
        if (action instanceof Action.FunctionCall call) {
            return call(receipt, call, draft, inputs, height, result);
        }
        if (action instanceof Action.Stake s) {
            if (s.publicKey().curve() != PublicKey.ED25519) {
                return "UnsuitableStakingKey";
            }
            if (s.stake().signum() == 0 && draft.locked.signum() == 0) {
                return "TriesToUnstake";
            }
            BigInteger increase = s.stake().subtract(draft.locked);
            if (increase.signum() > 0) {
                if (draft.balance.compareTo(increase) < 0) {
                    return "TriesToStake";
                }
                draft.balance = draft.balance.subtract(increase);
                draft.locked = s.stake();
            }
            // A lower stake is a proposal: the difference is returned at an epoch's end, which
            // this simulator does not run; the proposal is recorded in the outcome only.
            return null;
        }
        if (action instanceof Action.AddKey k) {
            if (draft.key(k.publicKey()) != null) {
                return "AddKeyAlreadyExists";
            }
            // nearcore's action_add_key (AccessKeyNonceRange): the key starts at (height - 1) * 10^6,
            // so a transaction signed with it needs a nonce above that, whatever nonce the action carried.
            // A gas key (access_keys.rs add_gas_key) keeps nonce 0; each of its slots starts there instead.
            AccessKey added = k.accessKey().gasKey() != null
                    ? k.accessKey().storedGasKey((height - 1) * NONCE_RANGE_MULTIPLIER)
                    : k.accessKey().withNonce((height - 1) * NONCE_RANGE_MULTIPLIER);
            draft.keyChanges.put(k.publicKey(), added);
            draft.storageUsage += AccountState.keyStorage(k.publicKey(), added);
            return null;
        }
        if (action instanceof Action.DeleteKey k) {
            AccessKey existing = draft.key(k.publicKey());
            if (existing == null) {
                return "DeleteKeyDoesNotExist";
            }
            AccessKey.GasKeyInfo gasKey = existing.gasKey();
            if (gasKey != null) {
                // access_keys.rs delete_gas_key: its balance is burnt, at most 1 NEAR of it.
                if (gasKey.balance().compareTo(AccessKey.MAX_GAS_KEY_BALANCE_TO_BURN) > 0) {
                    return "GasKeyBalanceTooHigh";
                }
                result.tokensBurnt = result.tokensBurnt.add(gasKey.balance());
                draft.removedGasKeys.put(k.publicKey(), existing);
            }
            draft.keyChanges.put(k.publicKey(), null);
            draft.storageUsage -= AccountState.keyStorage(k.publicKey(), existing);
            return null;
        }
        if (action instanceof Action.TransferToGasKey t) {
            // access_keys.rs action_transfer_to_gas_key: the deposit goes to the key's balance.
            AccessKey key = draft.key(t.publicKey());
            if (key == null || key.gasKey() == null) {
                return "GasKeyDoesNotExist";
            }
            BigInteger after = key.gasKey().balance().add(t.deposit());
            if (after.compareTo(VmLogic.U128_MAX) > 0) {
                return "IntegerOverflow";
            }
            draft.keyChanges.put(t.publicKey(), key.withGasKeyBalance(after));
            return null;
        }
        if (action instanceof Action.WithdrawFromGasKey w) {
            // access_keys.rs action_withdraw_from_gas_key: the amount leaves the key for the account.
            AccessKey key = draft.key(w.publicKey());
            if (key == null || key.gasKey() == null) {
                return "GasKeyDoesNotExist";
            }
            if (key.gasKey().balance().compareTo(w.amount()) < 0) {
                return "InsufficientGasKeyBalance";
            }
            BigInteger after = draft.balance.add(w.amount());
            if (after.compareTo(VmLogic.U128_MAX) > 0) {
                return "IntegerOverflow";
            }
            draft.keyChanges.put(
                    w.publicKey(), key.withGasKeyBalance(key.gasKey().balance().subtract(w.amount())));
            draft.balance = after;
            return null;
        }
        if (action instanceof Action.Delegate d) {
            return delegate(receipt, d, draft, height, result);
        }
        if (action instanceof Action.DeleteAccount d) {
            if (draft.locked.signum() > 0) {
                return "DeleteAccountStaking";
            }
            // nearcore's action_delete_account: over 10,000 bytes beside the contract (its code or, since
            // FixDeleteAccountGlobalContractStorageUsage at 85, a global contract's identifier) is refused.
            if (draft.storageUsage - draft.contractStorage() > MAX_ACCOUNT_DELETION_STORAGE_USAGE) {
                return "DeleteAccountWithLargeState";
            }
            // actions.rs action_delete_account: the gas keys' balances are burnt, at most 1 NEAR in all.
            BigInteger gasKeyBalances = gasKeyBalances(draft);
            if (gasKeyBalances.compareTo(AccessKey.MAX_GAS_KEY_BALANCE_TO_BURN) > 0) {
                return "GasKeyBalanceTooHigh";
            }
            result.tokensBurnt = result.tokensBurnt.add(gasKeyBalances);
            if (draft.balance.signum() > 0) {
                // nearcore's action_delete_account: the whole balance goes to the beneficiary as
                // receipt.rs new_balance_refund, a receipt from system at gas price 0: it burns no tokens,
                // sends no refunds of its own, and if it fails (no such beneficiary) the amount is burnt.
                Receipt transfer = new Receipt(
                        null,
                        SYSTEM,
                        d.beneficiaryId(),
                        SYSTEM,
                        null,
                        List.of(new Action.Transfer(draft.balance)),
                        receipt.tree,
                        null,
                        HostBinding.DIRECT);
                transfer.kind = Kind.BALANCE_REFUND;
                result.produced.add(transfer);
            }
            draft.deleted = true;
            draft.actor = receipt.predecessorId;
            return null;
        }
        throw new IllegalArgumentException("unknown action " + action);
    }

    /**
     * lib.rs apply_action / actions.rs check_transfer_to_nonexisting_account: a Transfer creates a missing
     * implicit account only when it is its receipt's one action (so no other action of the batch can act
     * on the new account) and the receipt is no refund (refunds are free: a refund to a deleted account
     * fails and burns, whatever its id).
     */
    private static boolean implicitCreationEligible(Receipt receipt) {
        return receipt.actions.size() == 1
                && !receipt.refund()
                && AccountType.of(receipt.receiverId).isImplicit();
    }

    /**
     * actions.rs action_implicit_account_creation_transfer at 86: the account holds the deposit and,
     * by kind, a NEAR-implicit id's ed25519 key as its full-access key (nonce (height - 1) * 10^6, as an
     * added key's, so the key's first transaction cannot repeat an old hash) taking 100 + 33 + 9 + 40 =
     * 182 bytes; an ETH-implicit id's the wallet contract as a global contract by hash
     * (EthImplicitGlobalContract, 83: 100 + 32 bytes, {@link AccountType#ETH_WALLET_CONTRACT}); a
     * deterministic id's nothing (deterministic_account_id.rs create_deterministic_account: 100 bytes).
     * Its fees (create_account, and add_full_access_key for a key) were paid with the transfer's
     * ({@link Fee#transferExecFee}); it costs account_creation_charge as any created account.
     */
    private void createImplicitAccount(Receipt receipt, BigInteger deposit, AccountDraft draft, long height) {
        draft.exists = true;
        draft.created = true;
        draft.deleted = false;
        draft.balance = deposit;
        draft.locked = BigInteger.ZERO;
        draft.actor = receipt.receiverId;
        draft.storageUsage = ExtCost.STORAGE_NUM_BYTES_ACCOUNT;
        switch (AccountType.of(receipt.receiverId)) {
            case NEAR_IMPLICIT -> {
                PublicKey key = AccountType.nearImplicitKey(receipt.receiverId);
                AccessKey fullAccess = AccessKey.fullAccess((height - 1) * NONCE_RANGE_MULTIPLIER);
                draft.keyChanges.put(key, fullAccess);
                draft.storageUsage += AccountState.keyStorage(key, fullAccess);
            }
            case ETH_IMPLICIT -> {
                // Not checked for existence (nearcore does not): until the wallet's code is distributed
                // on this chain, a call of the account fails with CodeDoesNotExist.
                GlobalContractId wallet = AccountType.ETH_WALLET_CONTRACT;
                GlobalContracts.Code code = simulator.globalContracts().get(wallet);
                draft.global = wallet;
                draft.local = null;
                draft.contract = code == null ? null : code.compiled();
                draft.compileError = code == null ? null : code.compileError();
                draft.contractChanged = true;
                draft.storageUsage += wallet.len();
            }
            case NEAR_DETERMINISTIC -> {
                // The bare account: a DeterministicStateInit gives it its code later.
            }
            case NAMED -> throw new IllegalStateException(receipt.receiverId + " is no implicit account id");
        }
    }

    /** The balances of the account's gas keys as the receipt left them so far. */
    private static BigInteger gasKeyBalances(AccountDraft draft) {
        Map<PublicKey, AccessKey> keys = new LinkedHashMap<>();
        if (!draft.created && draft.account != null) {
            keys.putAll(draft.account.accessKeys());
        }
        keys.putAll(draft.keyChanges);
        BigInteger total = BigInteger.ZERO;
        for (AccessKey key : keys.values()) {
            if (key != null && key.gasKey() != null) {
                total = total.add(key.gasKey().balance());
            }
        }
        return total;
    }

    /**
     * nearcore's action_deploy_global_contract (global_contracts.rs): burns
     * global_contract_storage_amount_per_byte per byte of code from the deployer's balance
     * (LackBalanceForState when it has less), takes the identifier's next nonce and sends the code to
     * be distributed; accounts can use it from the next block on.
     */
    private String deployGlobal(
            Receipt receipt, Action.DeployGlobalContract d, AccountDraft draft, ActionResult result) {
        BigInteger cost = Fee.GLOBAL_CONTRACT_STORAGE_AMOUNT_PER_BYTE.multiply(BigInteger.valueOf(d.code().length));
        if (draft.balance.compareTo(cost) < 0) {
            result.failure = new ExecutionStatus.Failure(
                    null,
                    "LackBalanceForState",
                    null,
                    "account " + receipt.receiverId + " needs " + cost + " yoctoNEAR to deploy a global contract of "
                            + d.code().length + " bytes and has " + draft.balance);
            return "LackBalanceForState";
        }
        draft.balance = draft.balance.subtract(cost);
        result.tokensBurnt = result.tokensBurnt.add(cost);
        GlobalContractId id = d.contractId(receipt.receiverId);
        Long taken = draft.globalNonces.get(id);
        long nonce = (taken != null ? taken : simulator.globalContracts().nonce(id)) + 1;
        draft.globalNonces.put(id, nonce);
        result.distributions.add(new Distribution(id, d.code(), nonce));
        return null;
    }

    /**
     * nearcore's action_deterministic_state_init (runtime/runtime/src/deterministic_account_id.rs,
     * NEP-616): a missing account is created with no balance (the actor stays the predecessor, so
     * the receipt cannot go on to add keys or deploy); an account without code gets the global
     * contract (GlobalContractDoesNotExist otherwise) and the entries, each counting its key, value
     * and 40 bytes of storage; an account with code is left alone. Then the deposit pays what the
     * storage stake lacks (nothing for a zero-balance account) and the rest goes back to the
     * receipt's balance refund receiver; a deposit short of it all goes to the account.
     */
    private String stateInit(
            Receipt receipt, Action.DeterministicStateInit init, AccountDraft draft, ActionResult result) {
        if (!draft.exists) {
            draft.exists = true;
            draft.created = true;
            draft.balance = BigInteger.ZERO;
            draft.locked = BigInteger.ZERO;
            draft.storageUsage = ExtCost.STORAGE_NUM_BYTES_ACCOUNT;
        }
        if (draft.global == null && draft.contract == null) {
            String refused = useGlobal(new Action.UseGlobalContract(init.code()), draft, result);
            if (refused != null) {
                return refused;
            }
            init.data().forEach((key, value) -> {
                draft.changes.put(key, value);
                draft.storageUsage += key.length() + value.length + ExtCost.STORAGE_NUM_EXTRA_BYTES_RECORD;
            });
        }
        BigInteger missing = ContractSimulator.missingStorageStake(draft.balance, draft.locked, draft.storageUsage);
        BigInteger kept = missing.min(init.deposit());
        BigInteger after = draft.balance.add(kept);
        if (after.compareTo(VmLogic.U128_MAX) > 0) {
            return "IntegerOverflow";
        }
        draft.balance = after;
        BigInteger refund = init.deposit().subtract(kept);
        String refundTo = receipt.balanceRefundReceiver();
        if (refund.signum() > 0 && simulator.accountState(refundTo) != null) {
            Receipt back = new Receipt(
                    null,
                    SYSTEM,
                    refundTo,
                    refundTo,
                    receipt.signerKey,
                    List.of(new Action.Transfer(refund)),
                    receipt.tree,
                    null,
                    HostBinding.DIRECT);
            result.produced.add(back);
        }
        return null;
    }

    /**
     * nearcore's action_use_global_contract: GlobalContractDoesNotExist unless the identifier has been
     * distributed; the account's own code (and its storage) gives way to the identifier's length, and
     * its calls run the global code from the next action on.
     */
    private String useGlobal(Action.UseGlobalContract u, AccountDraft draft, ActionResult result) {
        GlobalContracts.Code code = simulator.globalContracts().get(u.contractId());
        if (code == null) {
            // GlobalContractIdentifier in serde's form: {"CodeHash": base58} or {"AccountId": id}
            Map<String, Object> identifier = u.contractId().isHash()
                    ? Map.of("CodeHash", Base58.encode(u.contractId().codeHash()))
                    : Map.of("AccountId", u.contractId().accountId());
            result.failure = new ExecutionStatus.Failure(
                    null,
                    "GlobalContractDoesNotExist",
                    null,
                    "global contract " + u.contractId() + " does not exist",
                    Map.of("identifier", identifier));
            return "GlobalContractDoesNotExist";
        }
        draft.storageUsage += u.contractId().len() - draft.contractStorage();
        draft.global = u.contractId();
        draft.contract = code.compiled();
        draft.local = null;
        draft.compileError = code.compileError();
        draft.contractChanged = true;
        draft.deployedCode = null;
        return null;
    }

    private String call(
            Receipt receipt,
            Action.FunctionCall call,
            AccountDraft draft,
            List<ReceiptContext.PromiseResult> inputs,
            long height,
            ActionResult result) {
        if (draft.contract == null) {
            // No code, or code (own or global) that does not compile: nearcore stores any code, and
            // its call burns no gas before the error (with FixContractLoadingCost off, as at 86,
            // the loading fee is charged only after a successful compilation).
            String error = draft.compileError != null ? draft.compileError : "CodeDoesNotExist: " + receipt.receiverId;
            result.failure = new ExecutionStatus.Failure(null, "FunctionCallError", "CompilationError", error);
            return "FunctionCallError";
        }
        if (draft.balance.add(call.deposit()).compareTo(VmLogic.U128_MAX) > 0) {
            return "IntegerOverflow";
        }
        // nearcore's execute_function_call: only the receipt's last action sees its output data receivers.
        List<String> receivers = new ArrayList<>(receipt.outputDataReceivers.size());
        for (DataReceiver r : result.lastAction ? receipt.outputDataReceivers : List.<DataReceiver>of()) {
            receivers.add(r.receiverId());
        }
        ReceiptContext context = new ReceiptContext(
                receipt.idBytes,
                inputs,
                receivers,
                yieldsSeenBy.apply(result),
                ReceiptIds.actionHash(receipt.idBytes, height, result.actionIndex),
                height);
        ContractSimulator.Block block =
                new ContractSimulator.Block(height, clock.timestampNanos(height), clock.epochHeight(height));
        CallContext callContext = simulator.callContext(
                receipt.receiverId,
                receipt.signerId,
                receipt.signerKey,
                receipt.predecessorId,
                call,
                block,
                draft.balance,
                draft.locked,
                draft.storageUsage,
                AccountContract.of(draft.contract, draft.global),
                receipt.balanceRefundReceiver());
        Outcome outcome;
        if (draft.account != null && !draft.created && draft.changes.isEmpty()) {
            outcome = ContractRuntime.run(
                    draft.contract,
                    callContext,
                    context,
                    simulator.storage(draft.accountId),
                    call.methodName(),
                    receipt.binding);
        } else {
            NavigableMap<Bytes, byte[]> view = draft.account == null || draft.created
                    ? new TreeMap<>()
                    : draft.account.read(snapshot -> new TreeMap<>(snapshot.data()));
            draft.changes.forEach((k, v) -> {
                if (v == null) {
                    view.remove(k);
                } else {
                    view.put(k, v);
                }
            });
            outcome =
                    ContractRuntime.run(draft.contract, callContext, context, view, call.methodName(), receipt.binding);
        }
        result.call = outcome;
        result.logs.addAll(outcome.logs());
        result.gasBurnt = Fee.plus(result.gasBurnt, outcome.gasBurnt());
        result.gasUsed = Fee.plus(result.gasUsed, outcome.gasUsed());
        result.vmBurnt = Fee.plus(result.vmBurnt, outcome.gasBurnt());
        if (!outcome.success()) {
            result.failure = ExecutionStatus.Failure.functionCall(
                    outcome.errorKind(), outcome.errorMessage(), outcome.vmError());
            return "FunctionCallError";
        }
        draft.called = true;
        draft.changes.putAll(outcome.stateChanges());
        draft.balance = outcome.balance();
        draft.storageUsage = outcome.storageUsage();
        PromiseLog promises = outcome.promises();
        int offset = result.created.size();
        result.created.addAll(promises.receipts());
        for (int i = 0; i < promises.receipts().size(); i++) {
            result.createdBase.add(offset);
        }
        result.resumes.addAll(promises.resumes());
        result.produced.addAll(promises.receipts());
        result.produced.addAll(promises.resumes());
        result.returned = promises.returnedReceipt() == null ? null : offset + promises.returnedReceipt();
        result.value = outcome.result();
        return null;
    }

    /**
     * nearcore's apply_delegate_action (runtime/runtime/src/actions.rs), on the sender's account
     * (the transaction's receiver): the signature, max_block_height, the sender, then the sender's
     * access key (validate_delegate_action_key: nonce above the key's and below height * 10^6, a
     * function-call key only for one call without deposit to its receiver and methods), whose nonce
     * becomes the delegate's. Then the inner actions go out as a receipt from the sender, signed by
     * the relayer: its execution fees and gas count as used here and its send fees, prepaid by the
     * relayer's transaction, are burnt here.
     */
    private String delegate(Receipt receipt, Action.Delegate d, AccountDraft draft, long height, ActionResult result) {
        if (!d.signatureValid()) {
            return "DelegateActionInvalidSignature";
        }
        if (Long.compareUnsigned(height, d.maxBlockHeight()) > 0) {
            return "DelegateActionExpired";
        }
        if (!d.senderId().equals(receipt.receiverId)) {
            return "DelegateActionSenderDoesNotMatchTxReceiver";
        }
        AccessKey key = draft.key(d.publicKey());
        if (key == null) {
            return keyError(
                    result,
                    "AccessKeyNotFound",
                    d.senderId() + " has no access key " + d.publicKey(),
                    ordered(
                            "account_id",
                            d.senderId(),
                            "public_key",
                            d.publicKey().toString()));
        }
        // actions.rs validate_delegate_action_key: a plain nonce is the key's own and no gas key's; a
        // DelegateV2's GasKeyNonce is one of a gas key's slots.
        long current;
        if (d.nonceIndex() < 0) {
            if (key.gasKey() != null) {
                return keyError(
                        result,
                        "DelegateActionRequiresNonGasKey",
                        "a gas key signs a delegate action only as DelegateV2 with a nonce slot",
                        Map.of());
            }
            current = key.nonce();
        } else {
            if (key.gasKey() == null) {
                return keyError(
                        result,
                        "DelegateActionRequiresGasKey",
                        "a delegate action naming a nonce slot needs a gas key",
                        Map.of());
            }
            if (d.nonceIndex() >= key.gasKey().numNonces()) {
                result.failure = new ExecutionStatus.Failure(
                        null,
                        "DelegateActionInvalidNonceIndex",
                        null,
                        "the gas key has " + key.gasKey().numNonces() + " nonce slots",
                        ordered(
                                "nonce_index",
                                d.nonceIndex(),
                                "num_nonces",
                                key.gasKey().numNonces()));
                return "DelegateActionInvalidNonceIndex";
            }
            current = key.gasKeyNonces().get(d.nonceIndex());
        }
        if (Long.compareUnsigned(d.nonce(), current) <= 0) {
            result.failure = new ExecutionStatus.Failure(
                    null,
                    "DelegateActionInvalidNonce",
                    null,
                    "delegate nonce " + Long.toUnsignedString(d.nonce()) + " must be larger than the key's "
                            + Long.toUnsignedString(current),
                    ordered("delegate_nonce", d.nonce(), "ak_nonce", current));
            return "DelegateActionInvalidNonce";
        }
        long upperBound = height * NONCE_RANGE_MULTIPLIER;
        if (Long.compareUnsigned(d.nonce(), upperBound) >= 0) {
            result.failure = new ExecutionStatus.Failure(
                    null,
                    "DelegateActionNonceTooLarge",
                    null,
                    "delegate nonce " + Long.toUnsignedString(d.nonce()) + " is not below " + upperBound,
                    ordered("delegate_nonce", d.nonce(), "upper_bound", upperBound));
            return "DelegateActionNonceTooLarge";
        }
        if (key.functionCall() != null) {
            AccessKey.FunctionCallPermission permission = key.functionCall();
            if (d.actions().size() != 1 || !(d.actions().get(0) instanceof Action.FunctionCall call)) {
                return keyError(
                        result, "RequiresFullAccess", "a function-call key signs exactly one function call", Map.of());
            }
            if (call.deposit().signum() > 0) {
                return keyError(
                        result,
                        "DepositWithFunctionCall",
                        "a function-call key cannot sign a call with a deposit",
                        Map.of());
            }
            if (!permission.receiverId().equals(d.receiverId())) {
                return keyError(
                        result,
                        "ReceiverMismatch",
                        "the key may call " + permission.receiverId() + " only",
                        ordered("tx_receiver", d.receiverId(), "ak_receiver", permission.receiverId()));
            }
            if (!permission.allowsMethod(call.methodName())) {
                return keyError(
                        result,
                        "MethodNameMismatch",
                        "the key may not call method " + call.methodName(),
                        ordered("method_name", call.methodName()));
            }
        }
        if (d.nonceIndex() < 0) {
            draft.keyChanges.put(d.publicKey(), key.withNonce(d.nonce()));
        } else {
            List<Long> slots = new ArrayList<>(key.gasKeyNonces());
            slots.set(d.nonceIndex(), d.nonce());
            draft.keyChanges.put(d.publicKey(), new AccessKey(key.nonce(), key.permission(), slots));
        }
        Receipt inner = new Receipt(
                null,
                d.senderId(),
                d.receiverId(),
                receipt.signerId,
                receipt.signerKey,
                d.actions(),
                receipt.tree,
                null,
                HostBinding.DIRECT);
        long required = Fee.action_receipt_creation.execution;
        for (Action action : d.actions()) {
            required = Fee.plus(required, Fee.plus(Fee.execFee(action, d.receiverId()), Fee.prepaidGas(action)));
        }
        long sendFees = Fee.prepaidSendFees(d);
        result.gasUsed = Fee.plus(result.gasUsed, Fee.plus(required, sendFees));
        result.gasBurnt = Fee.plus(result.gasBurnt, sendFees);
        result.produced.add(inner);
        return null;
    }

    /** nearcore's Account::MAX_ACCOUNT_DELETION_STORAGE_USAGE. */
    private static final long MAX_ACCOUNT_DELETION_STORAGE_USAGE = 10_000;

    /** nearcore's ACCESS_KEY_NONCE_RANGE_MULTIPLIER. */
    private static final long NONCE_RANGE_MULTIPLIER = 1_000_000L;

    /** DelegateActionAccessKeyError with nearcore's InvalidAccessKeyError kind and its fields. */
    private static String keyError(
            ActionResult result, String invalidAccessKeyError, String message, Map<String, Object> fields) {
        result.failure = new ExecutionStatus.Failure(
                null, "DelegateActionAccessKeyError", invalidAccessKeyError, message, fields);
        return "DelegateActionAccessKeyError";
    }

    /**
     * nearcore's fields of an ActionErrorKind that {@link #apply} returned (core/primitives/src/errors.rs),
     * read before the action changed anything; empty for a variant without fields, null for a kind
     * nearcore does not have (shown with its message).
     */
    static Map<String, Object> fields(String kind, Receipt receipt, Action action, AccountDraft draft) {
        String account = receipt.receiverId;
        return switch (kind) {
            case "AccountAlreadyExists",
                    "AccountDoesNotExist",
                    "OnlyImplicitAccountCreationAllowed",
                    "TriesToUnstake",
                    "DeleteAccountStaking",
                    "DeleteAccountWithLargeState" -> ordered("account_id", account);
            case "CreateAccountOnlyByRegistrar" ->
                ordered(
                        "account_id",
                        account,
                        "registrar_account_id",
                        REGISTRAR,
                        "predecessor_id",
                        receipt.predecessorId);
            case "CreateAccountNotAllowed" -> ordered("account_id", account, "predecessor_id", receipt.predecessorId);
            case "TriesToStake" ->
                ordered(
                        "account_id",
                        account,
                        "stake",
                        ((Action.Stake) action).stake(),
                        "locked",
                        draft.locked,
                        "balance",
                        draft.balance);
            case "AddKeyAlreadyExists" ->
                ordered(
                        "account_id",
                        account,
                        "public_key",
                        ((Action.AddKey) action).publicKey().toString());
            case "DeleteKeyDoesNotExist" ->
                ordered(
                        "account_id",
                        account,
                        "public_key",
                        ((Action.DeleteKey) action).publicKey().toString());
            case "ActorNoPermission" -> ordered("account_id", account, "actor_id", draft.actor);
            case "GasKeyDoesNotExist" ->
                ordered("account_id", account, "public_key", gasKeyOf(action).toString());
            case "InsufficientGasKeyBalance" -> {
                Action.WithdrawFromGasKey w = (Action.WithdrawFromGasKey) action;
                yield ordered(
                        "account_id",
                        account,
                        "public_key",
                        w.publicKey().toString(),
                        "balance",
                        draft.key(w.publicKey()).gasKey().balance(),
                        "required",
                        w.amount());
            }
            case "GasKeyBalanceTooHigh" ->
                action instanceof Action.DeleteKey delete
                        ? ordered(
                                "account_id",
                                account,
                                "public_key",
                                delete.publicKey().toString(),
                                "balance",
                                draft.key(delete.publicKey()).gasKey().balance())
                        : ordered("account_id", account, "public_key", null, "balance", gasKeyBalances(draft));
            case "DelegateActionInvalidSignature", "DelegateActionExpired" -> Map.of();
            case "DelegateActionSenderDoesNotMatchTxReceiver" ->
                ordered("sender_id", ((Action.Delegate) action).senderId(), "receiver_id", account);
            default -> null;
        };
    }

    /** Fields in nearcore's declaration order: name, value, name, value... */
    static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    static String describe(String kind, Receipt receipt, Action action) {
        return switch (kind) {
            case "AccountAlreadyExists" -> "account " + receipt.receiverId + " already exists";
            case "AccountDoesNotExist" -> "account " + receipt.receiverId + " does not exist";
            case "OnlyImplicitAccountCreationAllowed" ->
                "the implicit account " + receipt.receiverId + " is created only by a transfer that is its receipt's"
                        + " one action";
            case "CreateAccountOnlyByRegistrar" ->
                "a top-level account shorter than " + Fee.MIN_ALLOWED_TOP_LEVEL_ACCOUNT_LENGTH
                        + " characters is created only by the registrar";
            case "CreateAccountNotAllowed" ->
                receipt.predecessorId + " may create only its direct sub-accounts, not " + receipt.receiverId;
            case "IntegerOverflow" -> "the balance of " + receipt.receiverId + " would exceed u128";
            case "TriesToStake" -> "not enough balance to stake " + ((Action.Stake) action).stake();
            case "TriesToUnstake" -> "nothing is staked";
            case "UnsuitableStakingKey" -> "a staking key must be ed25519";
            case "AddKeyAlreadyExists" -> "the key already exists";
            case "DeleteKeyDoesNotExist" -> "the key does not exist";
            case "GasKeyDoesNotExist" -> "the account has no gas key " + gasKeyOf(action);
            case "InsufficientGasKeyBalance" ->
                "the gas key " + gasKeyOf(action) + " holds less than the "
                        + ((Action.WithdrawFromGasKey) action).amount() + " yoctoNEAR to withdraw";
            case "GasKeyBalanceTooHigh" ->
                "a gas key's balance (for DeleteAccount all of them) is burnt on deletion, at most "
                        + AccessKey.MAX_GAS_KEY_BALANCE_TO_BURN + " yoctoNEAR; withdraw the rest first";
            case "DeleteAccountStaking" -> "an account with a stake cannot be deleted";
            case "DeleteAccountWithLargeState" ->
                "an account with over " + MAX_ACCOUNT_DELETION_STORAGE_USAGE
                        + " bytes of storage beside its contract cannot be deleted";
            case "DelegateActionInvalidSignature" -> "the delegate action's signature is not its public key's";
            case "DelegateActionExpired" ->
                "the delegate action was valid up to block " + ((Action.Delegate) action).maxBlockHeight();
            case "ActorNoPermission" ->
                receipt.predecessorId + " may not " + actionName(action) + " on " + receipt.receiverId;
            case "DelegateActionSenderDoesNotMatchTxReceiver" ->
                "the delegate action's sender " + ((Action.Delegate) action).senderId()
                        + " is not the transaction's receiver " + receipt.receiverId;
            default -> kind;
        };
    }

    /** The gas key a TransferToGasKey or a WithdrawFromGasKey names. */
    private static PublicKey gasKeyOf(Action action) {
        return action instanceof Action.WithdrawFromGasKey w
                ? w.publicKey()
                : ((Action.TransferToGasKey) action).publicKey();
    }

    /** The action in nearcore's words, for ActorNoPermission's message. */
    private static String actionName(Action action) {
        return action.getClass().getSimpleName();
    }
}

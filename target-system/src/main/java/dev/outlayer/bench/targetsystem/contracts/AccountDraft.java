package dev.outlayer.bench.targetsystem.contracts;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The receiver's account as a receipt's actions change it ({@link ReceiptActions}); applied by
 * {@link ReceiptEngine} only if all of them succeed.
 */
final class AccountDraft {
    final String accountId;
    final AccountState account;
    boolean exists;
    boolean created;
    boolean deleted;
    BigInteger balance = BigInteger.ZERO;
    BigInteger locked = BigInteger.ZERO;
    long storageUsage;
    /** What the account's calls run: its own code or the global contract it uses (null: none, or it does not compile). */
    CompiledContract contract;
    /** The account's own code as stored, compiled or not (null: none, or a global contract). */
    GlobalContracts.Code local;
    /** The global contract the account uses, or null. */
    GlobalContractId global;
    /** Why the code the account runs (its own or {@link #global}'s) does not compile, or null. */
    String compileError;
    /** A deploy or a UseGlobalContract changed the contract: commit {@link #local} (as deployed) or {@link #global}. */
    boolean contractChanged;

    byte[] deployedCode;
    /** The nonce each DeployGlobalContract of this receipt took, by identifier (TrieKey::GlobalContractNonce). */
    final Map<GlobalContractId, Long> globalNonces = new LinkedHashMap<>();
    /** nearcore's actor_id: the predecessor, the account itself once CreateAccount made it. */
    String actor;

    final Map<Bytes, byte[]> changes = new LinkedHashMap<>();
    final Map<PublicKey, AccessKey> keyChanges = new LinkedHashMap<>();
    /** Gas keys the receipt deleted, whose nonce slots go too (remove_gas_key_nonce). */
    final Map<PublicKey, AccessKey> removedGasKeys = new LinkedHashMap<>();

    boolean called;

    AccountDraft(String accountId, AccountState account, String predecessorId) {
        this.accountId = accountId;
        this.account = account;
        this.actor = predecessorId;
        if (account != null) {
            account.read(s -> {
                exists = true;
                balance = s.balance();
                locked = s.locked();
                storageUsage = s.storageUsage();
                contract = s.contract();
                global = s.globalContract();
                return null;
            });
            local = global == null ? account.localCode() : null;
            compileError = account.compileError();
        }
    }

    /**
     * The storage the contract takes (nearcore's clear_account_contract_storage_usage): the own
     * code's size, or the global contract identifier's length.
     */
    long contractStorage() {
        if (global != null) {
            return global.len();
        }
        return local == null ? 0 : local.code().length;
    }

    AccessKey key(PublicKey key) {
        if (keyChanges.containsKey(key)) {
            return keyChanges.get(key);
        }
        return created || account == null ? null : account.accessKey(key);
    }
}

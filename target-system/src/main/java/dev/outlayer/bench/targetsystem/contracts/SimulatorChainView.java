package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.rpc.ChainView;
import dev.outlayer.bench.targetsystem.state.StateChanges;
import dev.outlayer.bench.targetsystem.state.TrieKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The contract simulator as the RPC emulator sees the chain: {@code view_account},
 * {@code view_code}, {@code view_state} and {@code call_function} answer from the simulator's
 * accounts, read-only.
 */
public final class SimulatorChainView implements ChainView {
    private final ContractSimulator simulator;

    public SimulatorChainView(ContractSimulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public Optional<Account> account(String accountId) {
        return simulator
                .account(accountId)
                .map(account -> account.read(snapshot -> {
                    GlobalContractId global = snapshot.globalContract();
                    // views.rs AccountView: code_hash is the account's own code's; a global contract in
                    // use shows as global_contract_hash or global_contract_account_id instead.
                    byte[] codeHash = global != null || snapshot.codeHash() == null
                            ? Account.NO_CODE
                            : snapshot.codeHash(); // also of code that does not compile
                    return new Account(
                            snapshot.balance(),
                            snapshot.locked(),
                            codeHash,
                            snapshot.storageUsage(),
                            global != null && global.isHash() ? global.codeHash() : null,
                            global != null && !global.isHash() ? global.accountId() : null);
                }));
    }

    @Override
    public Optional<byte[]> globalCode(byte[] codeHash, String accountId) {
        return simulator.globalContractCode(
                codeHash != null ? GlobalContractId.byHash(codeHash) : GlobalContractId.byAccount(accountId));
    }

    @Override
    public java.util.Optional<String> stateChangesNotKept(long height) {
        StateChanges kept = simulator.stateTrie().changes();
        if (kept.hasUnrecordedWrites(height)) {
            return java.util.Optional.of("block " + height + " has writes the emulator does not keep as state changes"
                    + " (of its HTTP call API, sandbox_patch_state, seeded accounts or /contracts deploys)");
        }
        if (!kept.droppedForMemory(height)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the emulator no longer keeps the state changes of block " + height + " (it keeps "
                + (StateChanges.MAX_BYTES >> 20) + " MiB of the latest blocks' writes)");
    }

    @Override
    public List<StateChange> stateChanges(long height) {
        List<StateChange> changes = new ArrayList<>();
        for (StateChanges.Change write : simulator.stateTrie().changes().at(height)) {
            TrieKeys.Parsed key = TrieKeys.parse(write.key());
            if (key == null) {
                continue; // the global contract columns: no account's (nearcore's kinds skip them too)
            }
            byte[] value = write.value();
            String cause = write.cause().type();
            String hash = write.cause().hash();
            switch (key.column()) {
                case TrieKeys.ACCOUNT ->
                    changes.add(new StateChange(
                            write.key(),
                            "account",
                            key.accountId(),
                            null,
                            null,
                            value == null ? null : accountView(StateRecords.account(value)),
                            null,
                            null,
                            cause,
                            hash));
                case TrieKeys.ACCESS_KEY -> {
                    PublicKey publicKey = PublicKey.fromBorsh(key.rest());
                    if (publicKey == null || !java.util.Arrays.equals(publicKey.toBorsh(), key.rest())) {
                        continue; // a gas key's nonce slot (TrieKey::GasKeyNonce), no access key of its own
                    }
                    changes.add(new StateChange(
                            write.key(),
                            "access_key",
                            key.accountId(),
                            null,
                            publicKey.toString(),
                            null,
                            value == null
                                    ? null
                                    : dev.outlayer.bench.targetsystem.transactions.AccessKeyView.of(
                                            StateRecords.accessKey(value)),
                            null,
                            cause,
                            hash));
                }
                case TrieKeys.CONTRACT_DATA ->
                    changes.add(new StateChange(
                            write.key(), "data", key.accountId(), key.rest(), null, null, null, value, cause, hash));
                case TrieKeys.CONTRACT_CODE ->
                    changes.add(new StateChange(
                            write.key(), "contract_code", key.accountId(), null, null, null, null, value, cause, hash));
                default -> {}
            }
        }
        return changes;
    }

    /** A stored account record as views.rs AccountView shows it (a global contract's in its own members). */
    private static Account accountView(StateRecords.AccountRecord record) {
        GlobalContractId global = record.global();
        byte[] codeHash = global != null || record.codeHash() == null ? Account.NO_CODE : record.codeHash();
        return new Account(
                record.amount(),
                record.locked(),
                codeHash,
                record.storageUsage(),
                global != null && global.isHash() ? global.codeHash() : null,
                global != null && !global.isHash() ? global.accountId() : null);
    }

    @Override
    public byte[] stateRoot(long height) {
        return simulator.stateTrie().stateRoot(height);
    }

    @Override
    public long firstKeptBlock() {
        return simulator.stateTrie().firstKeptBlock();
    }

    @Override
    public Optional<byte[]> code(String accountId) {
        return simulator.account(accountId).map(AccountState::code);
    }

    @Override
    public List<byte[]> stateProof(String accountId, byte[] prefix) {
        byte[] account = dev.outlayer.bench.targetsystem.state.TrieKeys.contractDataPrefix(accountId);
        byte[] query = java.util.Arrays.copyOf(account, account.length + prefix.length);
        System.arraycopy(prefix, 0, query, account.length, prefix.length);
        return simulator.stateTrie().current().prefixSeekNodes(query);
    }

    @Override
    public List<StateEntry> state(String accountId, byte[] prefix) {
        return simulator
                .account(accountId)
                .map(account -> account.read(snapshot -> {
                    List<StateEntry> entries = new ArrayList<>();
                    for (Map.Entry<Bytes, byte[]> e :
                            snapshot.data().tailMap(Bytes.wrap(prefix), true).entrySet()) {
                        if (!e.getKey().startsWith(prefix)) {
                            break;
                        }
                        entries.add(new StateEntry(
                                e.getKey().array().clone(), e.getValue().clone()));
                    }
                    return entries;
                }))
                .orElse(List.of());
    }

    @Override
    public ViewOutcome view(String accountId, String method, byte[] args, BlockContext block) {
        Outcome outcome;
        try {
            outcome = simulator.execute(
                    CallRequest.view(accountId, method, args),
                    new ContractSimulator.Block(block.height(), block.timestampNanos(), block.epochHeight()));
        } catch (ContractSimulator.UnknownAccountException e) {
            return new ViewOutcome.Failure(
                    "CompilationError(CodeDoesNotExist { account_id: AccountId(\"" + accountId + "\") })");
        }
        if (outcome.success()) {
            return new ViewOutcome.Success(outcome.result() == null ? new byte[0] : outcome.result(), outcome.logs());
        }
        return new ViewOutcome.Failure(vmError(outcome));
    }

    /**
     * nearcore's Debug rendering of the FunctionCallError, which near-api-js parses: call_function's
     * {@code format!("wasm execution failed with error: {:?}", err)} (runtime/runtime/src/state_viewer/mod.rs,
     * near/nearcore 0145c93); a host error or trap from its typed form, with its fields.
     */
    static String vmError(Outcome outcome) {
        if (outcome.vmError() != null) {
            return outcome.vmError().debug();
        }
        String message = outcome.errorMessage();
        String detail = message.contains(": ") ? message.substring(message.indexOf(": ") + 2) : message;
        String variant = message.contains(":") ? message.substring(0, message.indexOf(':')) : message;
        return switch (outcome.errorKind()) {
            case "GasExceeded" -> "HostError(GasExceeded)";
            case "GasLimitExceeded" -> "HostError(GasLimitExceeded)";
            case "MethodNotFound" -> "MethodResolveError(" + variant + ")";
            case "LinkError" -> "LinkError { msg: " + quoted(detail) + " }";
            case "CompilationError" -> {
                String debug = CompilationErrors.debug(message);
                yield debug != null ? debug : "CompilationError(" + quoted(message) + ")";
            }
            case "WasmTrap" -> "WasmTrap(" + variant + ")"; // the host out of memory, not a trap of nearcore's
            default -> outcome.errorKind() + "(" + quoted(message) + ")";
        };
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

package dev.outlayer.bench.targetsystem.wasm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may run a project: the manifest's {@code callers} block (OutLayer's worker {@code callers.rs}, at
 * out-layer/outlayer d88a798, the version 516d136's main.rs runs). A run comes through one of four doors,
 * told apart from facts the job carries, never from the guest or its input: {@code https} (an HTTPS call),
 * {@code meta_tx} (on chain, relayed as a NEP-366 delegate action), {@code direct} (on chain, the account
 * that called OutLayer signed the transaction) and {@code contract} (on chain, anything else). Every door is
 * {@code "allow"} or {@code "deny"}, absent meaning allow, but {@code meta_tx}, absent meaning deny; {@code
 * contract} may instead be {@code {"only": [account ids]}}: then a run is admitted exactly when it came on
 * chain and the account that called OutLayer is listed, whatever its door. A manifest without the block
 * admits every door, meta-transactions included.
 *
 * <p>A block that breaks a rule does not parse (so the manifest refuses every run): an unknown member, a
 * value outside the words, an {@code only} list that is empty, names more than {@value #MAX_ALLOWLIST}
 * accounts, a string that is no account id or one account twice, and {@code only} beside an explicit {@code
 * "allow"} on another door (which could never apply). The sentences are OutLayer's.
 */
public record ManifestCallers(Door direct, Door contract, List<String> only, Door https, Door metaTx) {

    /** OutLayer's {@code MAX_CONTRACT_ALLOWLIST}. */
    public static final int MAX_ALLOWLIST = 32;

    private static final List<String> MEMBERS = List.of("direct", "contract", "https", "meta_tx");

    /** A door that is open or shut. */
    public enum Door {
        ALLOW,
        DENY
    }

    /** Which door a run came through (OutLayer's {@code CallerDoor}). */
    public enum CallerDoor {
        DIRECT,
        CONTRACT,
        META_TRANSACTION,
        HTTPS
    }

    /**
     * What the job says about how it was called (OutLayer's {@code RunCaller}), from the job only.
     *
     * @param userAccountId the job's {@code user_account_id}: on chain the signer (of the delegate action for
     *     a meta-transaction), over HTTPS the payment key's owner
     * @param predecessorId the account that called OutLayer's contract; over HTTPS the payer
     * @param relayerId the account that signed and relayed a meta-transaction; null when the call was not one
     */
    public record RunCaller(boolean httpsCall, String userAccountId, String predecessorId, String relayerId) {

        /** The door this run came through, or empty when it cannot be told (no predecessor on chain). */
        public Optional<CallerDoor> door() {
            if (httpsCall) {
                return Optional.of(CallerDoor.HTTPS);
            }
            if (predecessorId == null) {
                return Optional.empty();
            }
            if (relayerId != null) {
                return Optional.of(CallerDoor.META_TRANSACTION);
            }
            return Optional.of(predecessorId.equals(userAccountId) ? CallerDoor.DIRECT : CallerDoor.CONTRACT);
        }
    }

    /** The block as written: its defaults applied and its rules checked, or the reason it does not parse. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ManifestCallers of(JsonNode block) {
        if (block == null || block.isNull()) {
            return null;
        }
        if (!block.isObject()) {
            throw new IllegalArgumentException("'callers' must be an object");
        }
        // member by member in the order written, as serde reads them: the first bad one is the one named
        Map<String, Door> doors = new LinkedHashMap<>();
        List<String> only = null;
        for (Iterator<Map.Entry<String, JsonNode>> members = block.fields(); members.hasNext(); ) {
            Map.Entry<String, JsonNode> member = members.next();
            String name = member.getKey();
            if (!MEMBERS.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown field `" + name + "`, expected one of `direct`, `contract`, `https`, `meta_tx`");
            }
            if (name.equals("contract") && member.getValue().isObject()) {
                only = onlyList(member.getValue());
            } else {
                Door door = door(name, member.getValue());
                if (door != null) {
                    doors.put(name, door);
                }
            }
        }
        if (only != null) {
            checkAllowlist(only);
            for (String other : List.of("direct", "https", "meta_tx")) {
                if (doors.get(other) == Door.ALLOW) {
                    throw new IllegalArgumentException("callers.contract.only admits only the accounts it names, so"
                            + " callers." + other + ": \"allow\" would never apply: remove it");
                }
            }
        }
        return new ManifestCallers(
                doors.getOrDefault("direct", Door.ALLOW),
                only != null ? null : doors.getOrDefault("contract", Door.ALLOW),
                only,
                doors.getOrDefault("https", Door.ALLOW),
                doors.getOrDefault("meta_tx", Door.DENY));
    }

    /** A door as declared: null for JSON null (serde's {@code Option}: as if absent). */
    private static Door door(String name, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            switch (value.asText()) {
                case "allow":
                    return Door.ALLOW;
                case "deny":
                    return Door.DENY;
                case "only":
                    if (name.equals("contract")) {
                        throw new IllegalArgumentException("invalid type: unit variant, expected newtype variant");
                    }
                    break;
                default:
                    break;
            }
            throw new IllegalArgumentException("unknown variant `" + value.asText() + "`, expected "
                    + (name.equals("contract") ? "one of `allow`, `deny`, `only`" : "`allow` or `deny`"));
        }
        throw new IllegalArgumentException("'callers." + name + "' must be "
                + (name.equals("contract")
                        ? "\"allow\", \"deny\" or {\"only\": [account ids]}"
                        : "\"allow\" or \"deny\""));
    }

    /** {@code contract} in its object form: {@code {"only": [...]}}, the list of account ids as written. */
    private static List<String> onlyList(JsonNode contract) {
        Iterator<String> names = contract.fieldNames();
        String variant = names.hasNext() ? names.next() : null;
        if (variant == null || names.hasNext()) {
            throw new IllegalArgumentException(
                    "'callers.contract' must be \"allow\", \"deny\" or {\"only\": [account ids]}");
        }
        if (!variant.equals("only")) {
            throw new IllegalArgumentException(
                    "unknown variant `" + variant + "`, expected one of `allow`, `deny`, `only`");
        }
        JsonNode list = contract.get("only");
        List<String> ids = new ArrayList<>();
        if (list.isArray()) {
            for (JsonNode id : list) {
                if (!id.isTextual()) {
                    ids = null;
                    break;
                }
                ids.add(id.asText());
            }
        }
        if (!list.isArray() || ids == null) {
            throw new IllegalArgumentException("'callers.contract.only' must be an array of strings");
        }
        return List.copyOf(ids);
    }

    /** OutLayer's {@code check_allowlist}, in its order: empty, too long, then each id in turn. */
    private static void checkAllowlist(List<String> list) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("callers.contract.only admits nobody: write \"deny\" instead");
        }
        if (list.size() > MAX_ALLOWLIST) {
            throw new IllegalArgumentException("callers.contract.only names " + list.size() + " accounts, at most "
                    + MAX_ALLOWLIST + " are allowed");
        }
        for (int i = 0; i < list.size(); i++) {
            String id = list.get(i);
            if (!AccountIds.isValid(id)) {
                throw new IllegalArgumentException("callers.contract.only: \"" + id + "\" is not a NEAR account id");
            }
            if (list.subList(0, i).contains(id)) {
                throw new IllegalArgumentException("callers.contract.only names " + id + " twice");
            }
        }
    }

    /** Whether the owner calling OutLayer directly is admitted (what a task's owner does on a new device). */
    public boolean admitsDirect() {
        return only == null && direct == Door.ALLOW;
    }

    /** Whether a call over HTTPS is admitted (what the run of an approved task is). */
    public boolean admitsHttps() {
        return only == null && https == Door.ALLOW;
    }

    /**
     * The sentence that refuses {@code run}, or empty when it is admitted (OutLayer's {@code admit}): a
     * manifest without the block ({@code rule} null) admits every run.
     */
    public static Optional<String> refusal(ManifestCallers rule, RunCaller run) {
        if (rule == null) {
            return Optional.empty();
        }
        Optional<CallerDoor> told = run.door();
        if (told.isEmpty()) {
            return Optional.of("This project's manifest declares who may call it, and this run does not say which"
                    + " account called OutLayer. Nothing was executed.");
        }
        CallerDoor door = told.get();
        String signer = named(run.userAccountId());
        String predecessor = named(run.predecessorId());
        String relayer = named(run.relayerId());
        if (rule.only != null) {
            if (door == CallerDoor.HTTPS) {
                return Optional.of("This project's manifest admits calls only from the contracts it names, and an"
                        + " HTTPS call comes through no contract. Nothing was executed.");
            }
            if (rule.only.contains(run.predecessorId())) {
                return Optional.empty();
            }
            String how = switch (door) {
                case DIRECT -> "directly";
                case META_TRANSACTION -> "through a meta-transaction relayed by " + relayer;
                default -> "on behalf of " + signer;
            };
            return Optional.of("This project's manifest admits calls only from the contracts it names: OutLayer was"
                    + " called by " + predecessor + " " + how + ", which is not one of them. Nothing was executed.");
        }
        return switch (door) {
            case HTTPS ->
                rule.https == Door.DENY
                        ? Optional.of("This project's manifest does not admit HTTPS calls (callers.https is \"deny\"):"
                                + " call it on chain. Nothing was executed.")
                        : Optional.empty();
            case DIRECT ->
                rule.direct == Door.DENY
                        ? Optional.of("This project's manifest does not admit direct calls: OutLayer was called by "
                                + predecessor + ", the account that signed the transaction, and callers.direct is"
                                + " \"deny\". Nothing was executed.")
                        : Optional.empty();
            case META_TRANSACTION ->
                rule.metaTx == Door.DENY
                        ? Optional.of("This project's manifest does not admit meta-transactions: " + predecessor
                                + " signed the call and " + relayer + " relayed it, and a callers block admits"
                                + " meta-transactions only with callers.meta_tx: \"allow\". Nothing was executed.")
                        : Optional.empty();
            case CONTRACT ->
                rule.contract == Door.DENY
                        ? Optional.of("This project's manifest does not admit calls made through a contract: this run"
                                + " was signed by " + signer + " and OutLayer was called by " + predecessor
                                + ", and callers.contract is \"deny\". Nothing was executed.")
                        : Optional.empty();
        };
    }

    private static String named(String account) {
        return account == null ? "an unnamed account" : account;
    }
}

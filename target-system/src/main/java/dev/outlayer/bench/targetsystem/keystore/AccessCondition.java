package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may have a profile's secrets decrypted, checked against the {@code user_account_id} of a
 * decrypt request. The JSON and the rules are OutLayer keystore-worker's ({@code types.rs}; serde's
 * externally tagged enum, as near-sdk writes it): {@code "AllowAll"}, {@code Whitelist},
 * {@code AccountPattern}, {@code Not}, {@code Logic}, the on-chain {@code NearBalance},
 * {@code FtBalance}, {@code NftOwned} and {@code DaoMember}, {@code ValidUntil}, {@code WasmHash}
 * (judged against the {@code executed_wasm_sha256} the worker measured on the module it runs), and
 * {@code Predecessor} (its condition judged against the account that called the contract, the
 * {@code predecessor_id} the worker reports, rather than the signer). What the worker reports of the
 * run is {@link RunFacts}, as OutLayer's keystore names it.
 *
 * <p>On-chain conditions read the chain through {@link ChainView}. As in OutLayer's newest keystore,
 * a condition that cannot be evaluated is UNKNOWN: an error (ApiException UNPROCESSABLE), never a
 * verdict, because under {@code Not} a denial would admit. So is an on-chain leaf judged by a keystore
 * without a chain (OutLayer's without a NEAR client) or whose read fails (no such account or
 * contract, an answer that does not parse), a {@code WasmHash} leaf judged for a request that reports
 * no build, a {@code Predecessor} leaf for one that reports no calling account.
 * {@code And} and {@code Or} combine it as OutLayer's newest keystore does ({@code types.rs}
 * {@code evaluate}): a branch that decides ({@code false} under {@code And}, {@code true} under
 * {@code Or}) settles the answer wherever it is written, so the order of branches never changes the
 * verdict; otherwise an unknown branch makes the whole unknown.
 *
 * <p>A condition is judged through {@link AccessDoor} (OutLayer's {@code judge_access}): its bounds
 * first, then every {@code AccountPattern} compiled ({@link CompiledPatterns}), then the verdict
 * ({@link #evaluate}), then the refusal's wording.
 */
public sealed interface AccessCondition {
    int MAX_DEPTH = 16;
    int MAX_NODES = 256;
    int MAX_ACCOUNTS = 1_000;

    /**
     * What the worker reported of the run with its decrypt (OutLayer's {@code RunFacts}): the SHA-256
     * (hex) of the module it runs ({@code executed_wasm_sha256}) and the account that called the
     * contract ({@code predecessor_id}: on chain the receipt's predecessor, over HTTPS the payer); null
     * where the request reports none.
     */
    record RunFacts(String executedWasmSha256, String predecessorId) {
        /** A request that reports neither. */
        public static final RunFacts NONE = new RunFacts(null, null);
    }

    /**
     * Whether {@code caller} (the signer) is allowed, for the run and with the patterns {@code
     * judgement} carries (OutLayer's {@code evaluate}).
     *
     * @throws ApiException (UNPROCESSABLE) when the condition cannot be evaluated: an on-chain
     *     condition that cannot be read, a {@code WasmHash} leaf with no build reported, a {@code
     *     Predecessor} leaf with no calling account reported, a time limit on a clock before the epoch
     */
    boolean evaluate(String caller, Judgement judgement);

    /**
     * As OutLayer's test-only {@code validate}: every pattern compiled, then the verdict, without
     * the bounds {@link AccessDoor} applies first. For tests and tools; the keystore judges through
     * the door.
     *
     * @throws CompiledPatterns.UnreadablePattern when a pattern cannot be compiled
     */
    default boolean allows(String accountId, ChainView chain, RunFacts facts) {
        return evaluate(accountId, Judgement.starting(chain, facts, CompiledPatterns.of(this), Clock.systemUTC()));
    }

    /** For a request that reports neither a build nor a calling account. */
    default boolean allows(String accountId, ChainView chain) {
        return allows(accountId, chain, RunFacts.NONE);
    }

    /** For conditions that read nothing on chain. */
    default boolean allows(String accountId) {
        return allows(accountId, ChainView.NONE);
    }

    /** Whether judging this condition may read the chain (a contract's view call: not for an IO thread). */
    default boolean readsChain() {
        return false;
    }

    JsonNode toJson();

    /** OutLayer's refusal (types.rs {@code denial_message_in}), with nothing more to name. */
    String DENIED = "Access denied by access condition";

    /**
     * Why a build refused this run, when a build is what refused it (OutLayer's {@code
     * build_refusal}): a bare {@code WasmHash} naming another build is "locked to" it; {@code Not}
     * over one naming the running build "refuses" it; under {@code And} the first branch a build
     * refused; under {@code Or} only when every branch did (a branch that says nothing of builds
     * refused for its own reason). Every other condition says nothing of builds, {@code
     * Predecessor} included, as in OutLayer's.
     */
    default Optional<String> buildRefusal(String executedWasmSha256) {
        return Optional.empty();
    }

    record AllowAll() implements AccessCondition {
        @Override
        public boolean evaluate(String accountId, Judgement judgement) {
            return true;
        }

        @Override
        public JsonNode toJson() {
            return JsonNodeFactory.instance.textNode("AllowAll");
        }
    }

    record Whitelist(Set<String> accounts) implements AccessCondition {
        public Whitelist {
            accounts = Set.copyOf(accounts);
        }

        @Override
        public boolean evaluate(String accountId, Judgement judgement) {
            return accounts.contains(accountId);
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ArrayNode list = body.putArray("accounts");
            accounts.stream().sorted().forEach(list::add);
            return tagged("Whitelist", body);
        }
    }

    /**
     * A regular expression that must match the whole account id, as OutLayer's keystore anchors it
     * ({@code \A(?:pattern)\z}): {@code alice} grants {@code alice} only, never {@code malice.near}.
     * Stored as written, as OutLayer's contract stores it; compiled when judged ({@link
     * CompiledPatterns}: one that cannot be compiled refuses the whole condition). RE2/J runs in time
     * linear in the input; {@link PatternCost} bounds the program before it is compiled, and no input
     * longer than an account id is ever matched.
     */
    record AccountPattern(String pattern) implements AccessCondition {
        @Override
        public boolean evaluate(String accountId, Judgement judgement) {
            Pattern compiled = judgement.patterns().get(pattern);
            if (compiled == null) {
                throw unreadable("AccountPattern", "the pattern was not compiled before evaluation");
            }
            return matches(compiled, accountId);
        }

        static boolean matches(Pattern compiled, String accountId) {
            return accountId.length() <= PatternCost.MAX_INPUT_CHARS
                    && compiled.matcher(accountId).matches();
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("pattern", pattern);
            return tagged("AccountPattern", body);
        }
    }

    record Not(AccessCondition condition) implements AccessCondition {
        @Override
        public boolean evaluate(String accountId, Judgement judgement) {
            return !condition.evaluate(accountId, judgement);
        }

        @Override
        public boolean readsChain() {
            return condition.readsChain();
        }

        @Override
        public Optional<String> buildRefusal(String executedWasmSha256) {
            // "any build but this one", refused by the one it names
            if (condition instanceof WasmHash leaf && leaf.admits(executedWasmSha256)) {
                return Optional.of(DENIED + ": this secret refuses the running build " + executedWasmSha256);
            }
            return Optional.empty();
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("condition", condition.toJson());
            return tagged("Not", body);
        }
    }

    enum Operator {
        And,
        Or
    }

    record Logic(Operator operator, List<AccessCondition> conditions) implements AccessCondition {
        public Logic {
            conditions = List.copyOf(conditions);
        }

        @Override
        public boolean evaluate(String accountId, Judgement judgement) {
            boolean decidingValue = operator == Operator.Or;
            ApiException unknown = null;
            for (AccessCondition c : conditions) {
                try {
                    if (c.evaluate(accountId, judgement) == decidingValue) {
                        return decidingValue;
                    }
                } catch (ApiException e) {
                    if (e.kind() != ApiException.Kind.UNPROCESSABLE || e instanceof Judgement.DeadlinePassed) {
                        throw e;
                    }
                    // unknown: carried, so that a branch written after it still decides
                    if (unknown == null) {
                        unknown = e;
                    }
                }
            }
            if (unknown != null) {
                throw unknown;
            }
            return !decidingValue;
        }

        @Override
        public Optional<String> buildRefusal(String executedWasmSha256) {
            if (operator == Operator.And) {
                for (AccessCondition c : conditions) {
                    Optional<String> refusal = c.buildRefusal(executedWasmSha256);
                    if (refusal.isPresent()) {
                        return refusal;
                    }
                }
                return Optional.empty();
            }
            Optional<String> first = Optional.empty();
            for (AccessCondition c : conditions) {
                Optional<String> refusal = c.buildRefusal(executedWasmSha256);
                if (refusal.isEmpty()) {
                    return Optional.empty();
                }
                if (first.isEmpty()) {
                    first = refusal;
                }
            }
            return first;
        }

        @Override
        public boolean readsChain() {
            return conditions.stream().anyMatch(AccessCondition::readsChain);
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("operator", operator.name());
            ArrayNode list = body.putArray("conditions");
            conditions.forEach(c -> list.add(c.toJson()));
            return tagged("Logic", body);
        }
    }

    /** OutLayer's {@code ComparisonOperator}, applied as {@code actual OP required}. */
    enum Comparison {
        Gte,
        Lte,
        Gt,
        Lt,
        Eq,
        Ne;

        boolean holds(BigInteger actual, BigInteger required) {
            int c = actual.compareTo(required);
            return switch (this) {
                case Gte -> c >= 0;
                case Lte -> c <= 0;
                case Gt -> c > 0;
                case Lt -> c < 0;
                case Eq -> c == 0;
                case Ne -> c != 0;
            };
        }
    }

    /**
     * A condition read from the chain; without one it cannot be evaluated (unknown, never a denial:
     * under {@code Not} a denial would admit), as OutLayer's newest keystore without a NEAR client.
     */
    sealed interface OnChain extends AccessCondition {
        /** The verdict from the chain's state; throws (UNPROCESSABLE) when the chain cannot answer. */
        boolean readFrom(ChainView chain, String accountId);

        @Override
        default boolean evaluate(String accountId, Judgement judgement) {
            String leaf = getClass().getSimpleName();
            if (!judgement.chain().available()) {
                throw unreadable(leaf, "this keystore has no NEAR client configured");
            }
            judgement.requireWithinDeadline();
            return readFrom(judgement.chain(), accountId);
        }

        @Override
        default boolean readsChain() {
            return true;
        }
    }

    /** The caller's NEAR balance ({@code view_account}'s amount, yoctoNEAR) compared with {@code value}. */
    record NearBalance(Comparison operator, BigInteger value) implements OnChain {
        @Override
        public boolean readFrom(ChainView chain, String accountId) {
            Optional<BigInteger> found;
            try {
                found = chain.balance(accountId);
            } catch (ChainView.ViewFailedException e) {
                throw unreadable("NearBalance", "view_account failed: " + e.getMessage());
            }
            BigInteger balance =
                    found.orElseThrow(() -> unreadable("NearBalance", "account " + accountId + " does not exist"));
            return operator.holds(balance, value);
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("operator", operator.name());
            body.put("value", value.toString());
            return tagged("NearBalance", body);
        }
    }

    /** The caller's balance of a NEP-141 token ({@code ft_balance_of}) compared with {@code value}. */
    record FtBalance(String contract, Comparison operator, BigInteger value) implements OnChain {
        @Override
        public boolean readFrom(ChainView chain, String accountId) {
            JsonNode answer = view(chain, "FtBalance", contract, "ft_balance_of", args("account_id", accountId));
            if (!answer.isTextual()) {
                throw unreadable(
                        "FtBalance",
                        contract + " answered ft_balance_of with " + answer.getNodeType() + ", not a U128 string");
            }
            return operator.holds(u128(answer.textValue(), "FtBalance", contract), value);
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("contract", contract);
            body.put("operator", operator.name());
            body.put("value", value.toString());
            return tagged("FtBalance", body);
        }
    }

    /**
     * The caller owns a NEP-171 token of {@code contract}: that token ({@code nft_token}, its
     * {@code owner_id}), or any ({@code nft_tokens_for_owner} with limit 1 is not empty).
     */
    record NftOwned(String contract, String tokenId) implements OnChain {
        @Override
        public boolean readFrom(ChainView chain, String accountId) {
            if (tokenId != null) {
                JsonNode token = view(chain, "NftOwned", contract, "nft_token", args("token_id", tokenId));
                if (token.isNull()) {
                    return false;
                }
                JsonNode owner = token.get("owner_id");
                if (owner == null || !owner.isTextual()) {
                    throw unreadable("NftOwned", contract + " answered token " + tokenId + " with no owner_id");
                }
                return owner.textValue().equals(accountId);
            }
            ObjectNode query = args("account_id", accountId);
            query.put("limit", 1);
            JsonNode tokens = view(chain, "NftOwned", contract, "nft_tokens_for_owner", query);
            if (!tokens.isArray()) {
                throw unreadable("NftOwned", contract + " answered nft_tokens_for_owner with no array");
            }
            return !tokens.isEmpty();
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("contract", contract);
            if (tokenId == null) {
                body.putNull("token_id");
            } else {
                body.put("token_id", tokenId);
            }
            return tagged("NftOwned", body);
        }
    }

    /**
     * The caller is in a Sputnik v2 DAO's role ({@code get_policy}): a role of kind
     * {@code "Everyone"} admits all, {@code {"Group":[...]}} its accounts; a missing role denies; a
     * {@code Member} (token-weighted) role or an unknown kind cannot be read, as in OutLayer.
     */
    record DaoMember(String daoContract, String role) implements OnChain {
        @Override
        public boolean readFrom(ChainView chain, String accountId) {
            JsonNode policy = view(chain, "DaoMember", daoContract, "get_policy", null);
            JsonNode roles = policy.get("roles");
            if (roles == null || !roles.isArray()) {
                throw unreadable("DaoMember", daoContract + "'s policy has no 'roles' array");
            }
            for (JsonNode candidate : roles) {
                if (!role.equals(candidate.path("name").asText(null))) {
                    continue;
                }
                JsonNode kind = candidate.get("kind");
                if (kind == null) {
                    throw unreadable("DaoMember", "role '" + role + "' on " + daoContract + " has no 'kind'");
                }
                if (kind.isTextual() && kind.textValue().equals("Everyone")) {
                    return true;
                }
                JsonNode group = kind.get("Group");
                if (group != null && group.isArray()) {
                    for (JsonNode member : group) {
                        if (member.isTextual() && member.textValue().equals(accountId)) {
                            return true;
                        }
                    }
                    return false;
                }
                if (kind.has("Member")) {
                    throw unreadable(
                            "DaoMember",
                            "role '" + role + "' uses Member kind (token-weighted), which is not supported;"
                                    + " use a Group role with explicit accounts");
                }
                throw unreadable(
                        "DaoMember",
                        "role '" + role + "' on " + daoContract + " has a kind this keystore" + " does not understand");
            }
            return false;
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("dao_contract", daoContract);
            body.put("role", role);
            return tagged("DaoMember", body);
        }
    }

    /**
     * Admits strictly before {@code untilNs} (nanoseconds since the epoch, this host's clock), as
     * OutLayer. A clock that reads before the epoch cannot judge it: unknown, never a verdict (a
     * lapsed limit admits everyone under {@code Not}, a live one every dated grant).
     */
    record ValidUntil(long untilNs) implements AccessCondition {
        @Override
        public boolean evaluate(String accountId, Judgement judgement) {
            return Long.compareUnsigned(judgement.nowNs(), untilNs) < 0;
        }

        /** Whether this limit has passed at {@code nowNs} (OutLayer's {@code lapsed_limit}). */
        boolean lapsedAt(long nowNs) {
            return Long.compareUnsigned(untilNs, nowNs) <= 0;
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("until_ns", Long.toUnsignedString(untilNs));
            return tagged("ValidUntil", body);
        }
    }

    /**
     * Admits only a run of one exact build: the SHA-256 of the WebAssembly bytes executing, as the
     * worker measured them on the module it loaded and reports in its decrypt ({@code
     * executed_wasm_sha256}). Compared case-insensitively, as OutLayer's keystore; a request that
     * reports no build leaves the leaf unknown (see the interface), never a guess.
     */
    record WasmHash(String hash) implements AccessCondition {
        /** Whether {@code executedWasmSha256} is this leaf's build. */
        boolean admits(String executedWasmSha256) {
            return executedWasmSha256 != null && executedWasmSha256.equalsIgnoreCase(hash);
        }

        @Override
        public boolean evaluate(String accountId, Judgement judgement) {
            String executed = judgement.facts().executedWasmSha256();
            if (executed == null) {
                throw unreadable(
                        "WasmHash", "the condition admits one build, but this request reports no executing wasm hash");
            }
            return admits(executed);
        }

        @Override
        public Optional<String> buildRefusal(String executedWasmSha256) {
            return admits(executedWasmSha256)
                    ? Optional.empty()
                    : Optional.of(DENIED + ": this secret is locked to build " + hash + " and the running build is "
                            + executedWasmSha256);
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("hash", hash);
            return tagged("WasmHash", body);
        }
    }

    /**
     * Its condition judged against the account that called the contract ({@code
     * predecessor_account_id}, the {@code predecessor_id} the worker reports) instead of the signer, as
     * OutLayer's contract and keystore have it: {@code And[Whitelist[me], Predecessor{Whitelist[me]}]}
     * admits only a call the owner makes directly, {@code Predecessor{Whitelist[dao]}} calls through
     * that contract only. Over HTTPS the payer is the calling account, so there {@code Predecessor{X}}
     * is {@code X}. The calling account has no predecessor of its own: nested, it judges the same
     * account again. A request that reports no calling account leaves it unknown (see the interface).
     * Its patterns are compiled and its leaves counted with the rest ({@link CompiledPatterns},
     * {@link AccessBounds}). OutLayer's wording ({@code build_refusal}, {@code lapsed_grant_in}) does
     * not reach into it; a refusal of a tree that holds one carries the run's two accounts instead
     * ({@link AccessDoor#denialMessage}). As keystore-worker {@code types.rs} at out-layer/outlayer
     * 802bf37.
     */
    record Predecessor(AccessCondition condition) implements AccessCondition {
        @Override
        public boolean evaluate(String accountId, Judgement judgement) {
            String predecessor = judgement.facts().predecessorId();
            if (predecessor == null) {
                throw unreadable(
                        "Predecessor",
                        "the condition is judged on the account that called the contract, but this request reports"
                                + " none");
            }
            return condition.evaluate(predecessor, judgement);
        }

        @Override
        public boolean readsChain() {
            return condition.readsChain();
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("condition", condition.toJson());
            return tagged("Predecessor", body);
        }
    }

    BigInteger U128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    /** A decimal u128, as OutLayer parses its {@code value} strings. */
    static BigInteger u128(String text, String condition, String where) {
        if (text == null || !text.matches("[0-9]{1,39}")) {
            throw unreadable(condition, where + " gave '" + truncate(text) + "', not a u128");
        }
        BigInteger value = new BigInteger(text);
        if (value.compareTo(U128_MAX) > 0) {
            throw unreadable(condition, where + " gave a number above u128::MAX");
        }
        return value;
    }

    private static ObjectNode args(String name, String value) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put(name, value);
        return node;
    }

    private static JsonNode view(ChainView chain, String condition, String contract, String method, JsonNode args) {
        byte[] answer;
        try {
            answer = chain.viewCall(contract, method, args == null ? new byte[0] : JsonCodec.bytes(args));
        } catch (ChainView.ViewFailedException e) {
            throw unreadable(condition, contract + "." + method + " failed: " + e.getMessage());
        }
        try {
            JsonNode node = JsonCodec.MAPPER.readTree(answer);
            if (node == null || node.isMissingNode()) {
                throw unreadable(condition, contract + "." + method + " returned nothing");
            }
            return node;
        } catch (java.io.IOException e) {
            throw unreadable(condition, contract + "." + method + " returned something that is not JSON");
        }
    }

    /** Evaluation could not finish: refused rather than guessed (OutLayer answers such a request with an error). */
    static ApiException unreadable(String condition, String why) {
        return new ApiException(
                ApiException.Kind.UNPROCESSABLE, "access condition cannot be evaluated: " + condition + ": " + why);
    }

    private static String truncate(String s) {
        return s == null ? "null" : s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Parses OutLayer's JSON; anything else is an ApiException (INVALID) saying what is wrong. */
    static AccessCondition parse(JsonNode json) {
        requirePresent(json);
        return new AccessConditionParser(false).parse(json);
    }

    private static void requirePresent(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            throw ApiException.invalid(
                    "access is required, e.g. \"AllowAll\" or {\"Whitelist\":{\"accounts\":[\"alice.near\"]}}");
        }
    }

    /**
     * As {@link #parse}, reading the condition as OutLayer's contract reads the one it is asked to store:
     * every account id in it must be one (a whitelist's too), refused in near-sdk's words.
     */
    static AccessCondition parseForStore(JsonNode json) {
        requirePresent(json);
        return new AccessConditionParser(true).parse(json);
    }

    static ObjectNode tagged(String tag, JsonNode body) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set(tag, body);
        return node;
    }
}

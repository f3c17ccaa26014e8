package dev.outlayer.bench.targetsystem.keystore;

import static dev.outlayer.bench.targetsystem.keystore.AccessCondition.MAX_ACCOUNTS;
import static dev.outlayer.bench.targetsystem.keystore.AccessCondition.MAX_DEPTH;
import static dev.outlayer.bench.targetsystem.keystore.AccessCondition.MAX_NODES;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.AccountPattern;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.AllowAll;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Comparison;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.DaoMember;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.FtBalance;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Logic;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.NearBalance;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.NftOwned;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Not;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Operator;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Predecessor;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.ValidUntil;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.WasmHash;
import dev.outlayer.bench.targetsystem.keystore.AccessCondition.Whitelist;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks access-condition JSON with limits on depth and size, so a hostile condition cannot exhaust the stack.
 * A condition being stored is read as OutLayer's contract reads its arguments ({@code forStore}: every account
 * id one, in near-sdk's words, {@link StoreRules#accountId}); one loaded from the store is read as it was
 * stored, so a row stored before a rule is judged as it was.
 */
final class AccessConditionParser {
    private static final String TAGS = "AllowAll, Whitelist, AccountPattern, Not, Logic, NearBalance, FtBalance,"
            + " NftOwned, DaoMember, ValidUntil, WasmHash or Predecessor";
    private static final java.util.regex.Pattern SHA256_HEX = java.util.regex.Pattern.compile("[0-9a-f]{64}");
    private final boolean forStore;
    private int nodes;

    AccessConditionParser(boolean forStore) {
        this.forStore = forStore;
    }

    AccessCondition parse(JsonNode json) {
        return parse(json, 1);
    }

    private AccessCondition parse(JsonNode json, int depth) {
        if (depth > MAX_DEPTH) {
            throw ApiException.invalid("access condition nests deeper than " + MAX_DEPTH + " levels");
        }
        if (++nodes > MAX_NODES) {
            throw ApiException.invalid("access condition has more than " + MAX_NODES + " conditions");
        }
        String tag;
        JsonNode body;
        if (json.isTextual()) {
            tag = json.textValue();
            body = null;
        } else if (json.isObject() && json.size() == 1) {
            Map.Entry<String, JsonNode> only = json.fields().next();
            tag = only.getKey();
            body = only.getValue();
        } else {
            throw ApiException.invalid(
                    "an access condition is a string like \"AllowAll\" or an object with exactly one key" + " (" + TAGS
                            + ")");
        }
        return switch (tag) {
            case "AllowAll" -> {
                if (body != null && !body.isNull() && !(body.isObject() && body.isEmpty())) {
                    throw ApiException.invalid("AllowAll takes no fields");
                }
                yield new AllowAll();
            }
            case "Whitelist" -> new Whitelist(accounts(field(body, tag, "accounts"), forStore));
            case "AccountPattern" -> new AccountPattern(pattern(field(body, tag, "pattern")));
            case "Not" -> new Not(parse(field(body, tag, "condition"), depth + 1));
            case "Logic" -> logic(body, depth);
            case "NearBalance" -> new NearBalance(comparison(body, tag), amount(field(body, tag, "value"), tag));
            case "FtBalance" ->
                new FtBalance(
                        account(field(body, tag, "contract"), tag + ".contract"),
                        comparison(body, tag),
                        amount(field(body, tag, "value"), tag));
            case "NftOwned" ->
                new NftOwned(
                        account(field(body, tag, "contract"), tag + ".contract"), optionalText(body, tag, "token_id"));
            case "DaoMember" ->
                new DaoMember(
                        account(field(body, tag, "dao_contract"), tag + ".dao_contract"),
                        text(field(body, tag, "role"), tag + ".role"));
            case "ValidUntil" -> new ValidUntil(untilNs(field(body, tag, "until_ns")));
            case "WasmHash" -> new WasmHash(buildHash(field(body, tag, "hash")));
            case "Predecessor" -> new Predecessor(parse(field(body, tag, "condition"), depth + 1));
            default -> throw ApiException.invalid("unknown access condition '" + truncate(tag) + "'; expected " + TAGS);
        };
    }

    private Logic logic(JsonNode body, int depth) {
        String operator = field(body, "Logic", "operator").asText("");
        Operator op;
        try {
            op = Operator.valueOf(operator);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("Logic.operator must be \"And\" or \"Or\", got '" + truncate(operator) + "'");
        }
        JsonNode list = field(body, "Logic", "conditions");
        // Empty is allowed and means what OutLayer's types.rs evaluates it to: And of nothing
        // admits everyone, Or of nothing admits nobody.
        if (!list.isArray()) {
            throw ApiException.invalid("Logic.conditions must be an array");
        }
        List<AccessCondition> conditions = new ArrayList<>(list.size());
        for (JsonNode item : list) {
            conditions.add(parse(item, depth + 1));
        }
        return new Logic(op, conditions);
    }

    private static Set<String> accounts(JsonNode list, boolean forStore) {
        if (!list.isArray()) {
            throw ApiException.invalid("Whitelist.accounts must be an array of account ids");
        }
        if (list.size() > MAX_ACCOUNTS) {
            throw ApiException.invalid("Whitelist.accounts has more than " + MAX_ACCOUNTS + " entries");
        }
        Set<String> accounts = new LinkedHashSet<>();
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            JsonNode account = it.next();
            if (account.isTextual() && forStore) {
                accounts.add(StoreRules.accountId(account.textValue()));
                continue;
            }
            if (!account.isTextual() || account.textValue().isEmpty()) {
                throw ApiException.invalid("Whitelist.accounts must hold non-empty strings");
            }
            accounts.add(account.textValue());
        }
        return accounts;
    }

    /**
     * Any string, as OutLayer's contract stores it: a pattern is compiled only when the condition is
     * judged ({@link CompiledPatterns}), where one that cannot be compiled refuses everyone. How many
     * patterns and how much text a condition holds is bounded where it is stored ({@link
     * AccessBounds}).
     */
    private static String pattern(JsonNode node) {
        if (!node.isTextual()) {
            throw ApiException.invalid("AccountPattern.pattern must be a string");
        }
        return node.textValue();
    }

    private static Comparison comparison(JsonNode body, String tag) {
        String operator = field(body, tag, "operator").asText("");
        try {
            return Comparison.valueOf(operator);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(
                    tag + ".operator must be Gte, Lte, Gt, Lt, Eq or Ne, got '" + truncate(operator) + "'");
        }
    }

    /** A u128 in a decimal string, as near-sdk writes NearToken and U128 (OutLayer parses it as u128). */
    private static BigInteger amount(JsonNode node, String tag) {
        if (!node.isTextual()) {
            throw ApiException.invalid(
                    tag + ".value must be a decimal string of yocto units, e.g. \"1000000000000000000000000\"");
        }
        String text = node.textValue();
        if (!text.matches("[0-9]{1,39}") || new BigInteger(text).compareTo(AccessCondition.U128_MAX) > 0) {
            throw ApiException.invalid(tag + ".value must be an unsigned 128-bit integer in decimal");
        }
        return new BigInteger(text);
    }

    private static long untilNs(JsonNode node) {
        String text = node.isTextual() ? node.textValue() : "";
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(
                    "ValidUntil.until_ns must be a decimal string of nanoseconds since the epoch (u64)");
        }
    }

    /**
     * A build, as OutLayer's contract stores one: the SHA-256 of the wasm in 64 lowercase hex
     * characters. Any other spelling could never equal a hash the worker reports, so its contract
     * refuses it wherever it sits in a condition, and so does this keystore.
     */
    private static String buildHash(JsonNode node) {
        if (!node.isTextual() || !SHA256_HEX.matcher(node.textValue()).matches()) {
            String got = node.isTextual()
                    ? "'" + truncate(node.textValue()) + "'"
                    : node.getNodeType().toString();
            throw ApiException.invalid(
                    "WasmHash.hash must be the SHA-256 of the wasm as 64 lowercase hex characters," + " got " + got);
        }
        return node.textValue();
    }

    /**
     * A NEAR account id, as near-sdk's AccountId parses a contract's name, refused in its words (here the same
     * whether stored or loaded: these fields were always account ids).
     */
    private static String account(JsonNode node, String what) {
        if (!node.isTextual()) {
            throw ApiException.invalid(what + " must be a NEAR account id (a string)");
        }
        return StoreRules.accountId(node.textValue());
    }

    private static String text(JsonNode node, String what) {
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw ApiException.invalid(what + " must be a non-empty string");
        }
        if (node.textValue().length() > 256) {
            throw ApiException.invalid(what + " is longer than 256 characters");
        }
        return node.textValue();
    }

    private static String optionalText(JsonNode body, String tag, String name) {
        JsonNode value = body == null ? null : body.get(name);
        return value == null || value.isNull() ? null : text(value, tag + "." + name);
    }

    private static JsonNode field(JsonNode body, String tag, String name) {
        JsonNode value = body == null ? null : body.get(name);
        if (value == null || value.isNull()) {
            throw ApiException.invalid(tag + " needs the field '" + name + "'");
        }
        return value;
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}

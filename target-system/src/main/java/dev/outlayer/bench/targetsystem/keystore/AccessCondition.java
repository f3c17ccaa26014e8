package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.List;
import java.util.Set;

/**
 * Who may have a profile's secrets decrypted, checked against the {@code user_account_id} of a
 * decrypt request. The JSON is OutLayer's (serde's externally tagged enum, as near-sdk writes it):
 * {@code "AllowAll"}, {@code {"Whitelist":{"accounts":[...]}}}, {@code {"AccountPattern":{"pattern":"..."}}},
 * {@code {"Not":{"condition":...}}}, {@code {"Logic":{"operator":"And"|"Or","conditions":[...]}}}.
 */
public sealed interface AccessCondition {
    int MAX_DEPTH = 16;
    int MAX_NODES = 256;
    int MAX_ACCOUNTS = 1_000;
    int MAX_PATTERN_CHARS = 512;

    boolean allows(String accountId);

    JsonNode toJson();

    record AllowAll() implements AccessCondition {
        @Override
        public boolean allows(String accountId) {
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
        public boolean allows(String accountId) {
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
     * RE2/J runs in time linear in the input; {@link PatternCost} bounds the program before it is
     * compiled, and no input longer than an account id is ever matched.
     */
    record AccountPattern(Pattern pattern) implements AccessCondition {
        @Override
        public boolean allows(String accountId) {
            return accountId.length() <= PatternCost.MAX_INPUT_CHARS
                    && pattern.matcher(accountId).matches();
        }

        @Override
        public JsonNode toJson() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("pattern", pattern.pattern());
            return tagged("AccountPattern", body);
        }
    }

    record Not(AccessCondition condition) implements AccessCondition {
        @Override
        public boolean allows(String accountId) {
            return !condition.allows(accountId);
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
        public boolean allows(String accountId) {
            if (operator == Operator.And) {
                return conditions.stream().allMatch(c -> c.allows(accountId));
            }
            return conditions.stream().anyMatch(c -> c.allows(accountId));
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

    /** Parses OutLayer's JSON; anything else is an ApiException (INVALID) saying what is wrong. */
    static AccessCondition parse(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            throw ApiException.invalid(
                    "access is required, e.g. \"AllowAll\" or {\"Whitelist\":{\"accounts\":[\"alice.near\"]}}");
        }
        return new AccessConditionParser().parse(json);
    }

    static ObjectNode tagged(String tag, JsonNode body) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.set(tag, body);
        return node;
    }
}

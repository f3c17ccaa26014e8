package dev.outlayer.bench.simulations.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.core.Session;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The coordinator's contract API as Gatling requests: {@code PUT /contracts/{account}} (deploy),
 * {@code POST /contracts/{account}/call} and {@code .../view}. Every request goes through {@link Observed}
 * under the name given, and must succeed: 201 with a code hash for a deploy, 200 with
 * {@code status: "success"} for a call or view (a 422's panic message is what the report shows).
 */
public final class ContractApi {
    /** The account that signs and calls change methods, unless a simulation names another. */
    public static final String CALLER = Params.string("contracts.caller", "bench.test.near");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContractApi() {
    }

    /** Deploys {@code code} to {@code account}. */
    public static ChainBuilder deploy(String name, String account, byte[] code) {
        return deploy(name, session -> account, session -> code);
    }

    /** Deploys the code this virtual user's session gives to the account it gives. */
    public static ChainBuilder deploy(String name, Function<Session, String> account, Function<Session, byte[]> code) {
        return Observed.send(name, http(name).put(session -> "/contracts/" + account.apply(session))
                .header("Content-Type", "application/wasm")
                .body(ByteArrayBody(code))
                .check(status().is(201), jsonPath("$.code_hash").exists()));
    }

    /** A change call of {@code method} by {@link #CALLER} with no deposit. */
    public static ChainBuilder call(String name, String account, String method,
                                    Function<Session, Map<String, Object>> args, CheckBuilder... checks) {
        return call(name, account, method, args, CALLER, BigInteger.ZERO, checks);
    }

    /** A change call of {@code method} in direct mode, signed and sent by {@code caller}, attaching {@code deposit}. */
    public static ChainBuilder call(String name, String account, String method,
                                    Function<Session, Map<String, Object>> args, String caller, BigInteger deposit,
                                    CheckBuilder... checks) {
        Function<Session, String> body = session -> {
            ObjectNode call = JSON.createObjectNode()
                    .put("method", method)
                    .put("mode", "direct")
                    .put("signer_id", caller)
                    .put("predecessor_id", caller)
                    .put("attached_deposit", deposit.toString()); // u128 as a decimal string, as NEAR's JSON does
            call.set("args", JSON.valueToTree(args.apply(session)));
            return write(call);
        };
        // A String path, not a function: callers may pass Gatling EL such as "#{account}".
        return Observed.send(name, http(name).post("/contracts/" + account + "/call")
                .body(StringBody(body))
                .check(succeeded(checks)));
    }

    /** A read-only call of {@code method}. */
    public static ChainBuilder view(String name, String account, String method,
                                    Function<Session, Map<String, Object>> args, CheckBuilder... checks) {
        Function<Session, String> body = session -> {
            ObjectNode view = JSON.createObjectNode().put("method", method);
            view.set("args", JSON.valueToTree(args.apply(session)));
            return write(view);
        };
        return Observed.send(name, http(name).post("/contracts/" + account + "/view")
                .body(StringBody(body))
                .check(succeeded(checks)));
    }

    /** No arguments: near-sdk methods without parameters take {@code {}}. */
    public static Function<Session, Map<String, Object>> noArgs() {
        return session -> Map.of();
    }

    /**
     * The value the method returned, parsed as JSON from {@code result_base64} (the raw bytes, whatever the
     * contract wrote), for a check to transform and compare.
     */
    public static CheckBuilder.Validate<JsonNode> result() {
        return jsonPath("$.result_base64").ofString().transform(ContractApi::parseResult);
    }

    private static JsonNode parseResult(String base64) {
        try {
            return JSON.readTree(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("the method's return value is not JSON: " + e.getMessage(), e);
        }
    }

    /** The panic message first (so that a failed call's report names it), then the status, then the caller's checks. */
    private static CheckBuilder[] succeeded(CheckBuilder... checks) {
        List<CheckBuilder> all = new ArrayList<>(List.of(
                jsonPath("$.error.message").notExists(),
                status().is(200),
                jsonPath("$.status").is("success")));
        all.addAll(List.of(checks));
        return all.toArray(CheckBuilder[]::new);
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

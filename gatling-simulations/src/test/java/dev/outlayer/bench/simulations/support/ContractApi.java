package dev.outlayer.bench.simulations.support;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatling.javaapi.core.Body;
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

/**
 * The coordinator's contract API as Gatling requests: {@code PUT /contracts/{account}} (deploy),
 * {@code POST /contracts/{account}/call} and {@code .../view}. Every request goes through {@link Observed}
 * under the name given, and must succeed: 201 with a code hash for a deploy, 200 with
 * {@code status: "success"} for a call or view (a 422's panic message is what the report shows).
 */
public final class ContractApi {
    /** The account that signs and calls change methods, unless a simulation names another. */
    public static final String CALLER = Params.string("contracts.caller", "bench.test.near");

    /** A call or view as docs/target-system-api.md has it; null fields are left out. */
    private record Request(
            String method,
            Object args,
            String mode,
            String signerId,
            String predecessorId,
            String attachedDeposit,
            Boolean coldStart) {}

    private ContractApi() {}

    /** Deploys {@code code} to {@code account}. */
    public static ChainBuilder deploy(String name, String account, byte[] code) {
        return deploy(name, session -> account, session -> code);
    }

    /** Deploys the code this virtual user's session gives to the account it gives. */
    public static ChainBuilder deploy(String name, Function<Session, String> account, Function<Session, byte[]> code) {
        return Observed.send(
                name,
                http(name)
                        .put(session -> "/contracts/" + account.apply(session))
                        .header("Content-Type", "application/wasm")
                        .body(ByteArrayBody(code))
                        .check(status().is(201), jsonPath("$.code_hash").exists()));
    }

    /** A change call of {@code method} by {@link #CALLER} with no deposit. */
    public static ChainBuilder call(
            String name,
            String account,
            String method,
            Function<Session, Map<String, Object>> args,
            CheckBuilder... checks) {
        return call(name, account, method, args, CALLER, BigInteger.ZERO, "direct", false, checks);
    }

    /**
     * A change call of {@code method} in {@code mode} ({@code direct} or {@code linux}), signed and sent by
     * {@code caller}, attaching {@code deposit}; {@code coldStart} asks for a newly booted Linux task worker.
     */
    public static ChainBuilder call(
            String name,
            String account,
            String method,
            Function<Session, Map<String, Object>> args,
            String caller,
            BigInteger deposit,
            String mode,
            boolean coldStart,
            CheckBuilder... checks) {
        // The deposit is a u128 as a decimal string, as NEAR's JSON has it.
        Body body = Json.body(session -> new Request(
                method,
                args.apply(session),
                mode,
                caller,
                caller,
                deposit.toString(),
                coldStart ? Boolean.TRUE : null));
        // A String path, not a function: callers may pass Gatling EL such as "#{account}".
        return Observed.send(
                name,
                http(name).post("/contracts/" + account + "/call").body(body).check(succeeded(checks)));
    }

    /** A read-only call of {@code method}. */
    public static ChainBuilder view(
            String name,
            String account,
            String method,
            Function<Session, Map<String, Object>> args,
            CheckBuilder... checks) {
        Body body = Json.body(session -> new Request(method, args.apply(session), null, null, null, null, null));
        return Observed.send(
                name,
                http(name).post("/contracts/" + account + "/view").body(body).check(succeeded(checks)));
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
            return Json.read(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
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
}

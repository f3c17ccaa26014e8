package dev.outlayer.bench.targetsystem.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.http.Routes;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.http.Responses;
import dev.outlayer.bench.targetsystem.http.TooLarge;
import dev.outlayer.bench.targetsystem.http.ServerTiming;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.SameThreadExecutor;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The coordinator's {@code /contracts/...} routes (target-system-api.md, "Contracts"). Bodies
 * are read on the IO thread; compiling and executing run on the {@link CallScheduler}'s
 * workers, one call at a time per account; a full queue answers 503.
 */
public final class ContractsApi {
    private final ContractSimulator simulator;
    private final CallScheduler scheduler;
    private final long maxWasmBytes;
    private final long maxBodyBytes;
    private LinuxMode linux;

    public ContractsApi(ContractSimulator simulator, CallScheduler scheduler, long maxWasmBytes, long maxBodyBytes) {
        this.simulator = simulator;
        this.scheduler = scheduler;
        this.maxWasmBytes = maxWasmBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Enables {@code mode: "linux"} on calls and views. */
    public ContractsApi withLinuxMode(LinuxMode linuxMode) {
        this.linux = linuxMode;
        return this;
    }

    public void register(Routes coordinator) {
        coordinator.route(Methods.PUT, "/contracts/{account_id}", this::deploy);
        coordinator.route(Methods.POST, "/contracts/{account_id}/call", exchange -> call(exchange, false));
        coordinator.route(Methods.POST, "/contracts/{account_id}/view", exchange -> call(exchange, true));
        coordinator.route(Methods.GET, "/contracts/{account_id}", this::summary);
        coordinator.health("contracts", () -> Map.of(
                "accounts", simulator.accounts().size(),
                "compiled_modules", simulator.compiledModules(),
                "queued", scheduler.queued(),
                "queue_capacity", scheduler.capacity()));
    }

    private static String accountId(HttpServerExchange exchange) {
        // The coordinator's router keeps path parameters in the match, not in the query.
        return exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("account_id");
    }

    // ---- PUT /contracts/{account_id} ----

    private void deploy(HttpServerExchange exchange) {
        String accountId = accountId(exchange);
        if (!AccountIds.isValid(accountId)) {
            Responses.error(exchange, 400, "invalid NEAR account id: " + accountId);
            return;
        }
        readBody(exchange, maxWasmBytes, "wasm", (ex, code) -> onWorker(ex, accountId, () -> {
            try {
                ContractSimulator.Deployed deployed = simulator.deploy(accountId, code);
                ObjectNode body = JsonCodec.object();
                body.put("account_id", deployed.accountId());
                body.put("code_hash", deployed.codeHash());
                body.put("code_size", deployed.codeSize());
                Responses.json(ex, 201, body);
            } catch (InvalidContractException e) {
                Responses.error(ex, 400, e.getMessage());
            }
        }));
    }

    // ---- POST /contracts/{account_id}/call and /view ----

    private void call(HttpServerExchange exchange, boolean view) {
        String accountId = accountId(exchange);
        readBody(exchange, maxBodyBytes, "JSON", (ex, body) -> {
            ParsedCall parsed;
            try {
                parsed = parseCall(accountId, body, view, linux != null);
            } catch (BadRequest e) {
                Responses.error(ex, 400, e.getMessage());
                return;
            }
            if (simulator.account(accountId).map(a -> a.contract() == null).orElse(true)) {
                Responses.error(ex, 404, "account " + accountId + " has no contract deployed");
                return;
            }
            long queuedAt = System.nanoTime();
            onWorker(ex, view ? null : accountId, () -> {
                ServerTiming timing = ServerTiming.of(ex);
                timing.since("queue", queuedAt);
                CallRequest request = parsed.request();
                LinuxMode.Call linuxCall;
                try {
                    linuxCall = parsed.linux() ? linux.start(request, parsed.coldStart(), parsed.secrets(), timing) : null;
                } catch (LinuxMode.SecretsRefused e) {
                    Responses.error(ex, e.status, e.getMessage());
                    return;
                }
                Outcome outcome;
                try {
                    outcome = linuxCall == null ? simulator.execute(request) : simulator.execute(request, linuxCall);
                } catch (ContractSimulator.UnknownAccountException e) {
                    Responses.error(ex, 404, e.getMessage());
                    return;
                }
                if (linuxCall != null) {
                    timing.add(linuxCall.coldStart() ? "boot" : "worker", linuxCall.workerNanos());
                }
                timing.add("instantiate", outcome.instantiateNanos());
                timing.add("exec", outcome.execNanos());
                ObjectNode response = outcome.success() ? success(accountId, outcome) : failure(outcome);
                if (linuxCall != null) {
                    response.put("mode", "linux");
                    linuxCall.describe(response, outcome);
                }
                Responses.json(ex, outcome.success() ? 200 : 422, response);
            });
        });
    }

    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    /** A parsed call body: the request, whether it runs in linux mode, and on a cold worker. */
    private record ParsedCall(CallRequest request, boolean linux, boolean coldStart, JsonNode secrets) {
    }

    private static ParsedCall parseCall(String accountId, byte[] body, boolean view, boolean linuxAvailable)
            throws BadRequest {
        JsonNode json;
        try {
            json = JsonCodec.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest("body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest("body is not JSON: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new BadRequest("body must be a JSON object {method, args | args_base64, ...}");
        }
        JsonNode method = json.get("method");
        if (method == null || !method.isTextual() || method.asText().isEmpty()) {
            throw new BadRequest("method is required and must be a non-empty string");
        }
        String mode = text(json, "mode", "direct");
        boolean linuxMode = mode.equals("linux") && linuxAvailable;
        if (!mode.equals("direct") && !linuxMode) {
            throw new BadRequest("mode \"" + mode + "\" is not available here; use \"direct\""
                    + (mode.equals("linux") ? " (the Linux emulator mode is not part of this build)" : " or \"linux\""));
        }
        byte[] args = args(json);
        String signer = text(json, "signer_id", CallRequest.DEFAULT_SIGNER);
        String predecessor = text(json, "predecessor_id", signer);
        for (String id : new String[] {signer, predecessor}) {
            if (!AccountIds.isValid(id)) {
                throw new BadRequest("invalid NEAR account id: " + id);
            }
        }
        BigInteger deposit = unsigned(json.get("attached_deposit"), "attached_deposit", BigInteger.ZERO,
                BigInteger.ONE.shiftLeft(128));
        BigInteger gas = unsigned(json.get("gas"), "gas", BigInteger.valueOf(CallRequest.DEFAULT_GAS),
                BigInteger.valueOf(CallRequest.DEFAULT_GAS).add(BigInteger.ONE));
        if (view && deposit.signum() != 0) {
            throw new BadRequest("a view cannot attach a deposit");
        }
        JsonNode coldStart = json.get("cold_start");
        JsonNode secrets = json.get("secrets");
        if (secrets != null && secrets.isNull()) {
            secrets = null;
        }
        if (secrets != null && !linuxMode) {
            throw new BadRequest("secrets become environment variables of a linux-mode process: add \"mode\": \"linux\"");
        }
        return new ParsedCall(new CallRequest(accountId, method.asText(), args, signer, predecessor, deposit,
                gas.longValueExact(), view), linuxMode, coldStart != null && coldStart.asBoolean(false), secrets);
    }

    private static String text(JsonNode json, String field, String fallback) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? fallback : node.asText();
    }

    /** {@code args}: any JSON value, sent as its JSON text; {@code args_base64}: raw bytes. */
    private static byte[] args(JsonNode json) throws BadRequest {
        JsonNode args = json.get("args");
        JsonNode base64 = json.get("args_base64");
        if (args != null && !args.isNull() && base64 != null && !base64.isNull()) {
            throw new BadRequest("give args or args_base64, not both");
        }
        if (base64 != null && !base64.isNull()) {
            try {
                return Base64.getDecoder().decode(base64.asText());
            } catch (IllegalArgumentException e) {
                throw new BadRequest("args_base64 is not base64: " + e.getMessage());
            }
        }
        if (args == null || args.isNull()) {
            return new byte[0];
        }
        return JsonCodec.bytes(args);
    }

    /** A u64/u128 given as a JSON number or a decimal string (NEAR sends big amounts as strings). */
    private static BigInteger unsigned(JsonNode node, String field, BigInteger fallback, BigInteger limit)
            throws BadRequest {
        if (node == null || node.isNull()) {
            return fallback;
        }
        BigInteger value;
        try {
            value = node.isIntegralNumber() ? node.bigIntegerValue() : new BigInteger(node.asText().trim());
        } catch (NumberFormatException e) {
            throw new BadRequest(field + " must be a non-negative integer (number or decimal string)");
        }
        if (value.signum() < 0 || value.compareTo(limit) >= 0) {
            throw new BadRequest(field + " must be between 0 and " + limit.subtract(BigInteger.ONE));
        }
        return value;
    }

    private static ObjectNode success(String accountId, Outcome outcome) {
        ObjectNode body = JsonCodec.object();
        body.put("status", "success");
        byte[] result = outcome.result();
        body.set("result", decodeResult(result));
        if (result == null) {
            body.putNull("result_base64");
        } else {
            body.put("result_base64", Base64.getEncoder().encodeToString(result));
        }
        logs(body, outcome);
        body.put("gas_burnt", outcome.gasBurnt());
        body.put("instructions", outcome.instructions());
        body.put("mode", "direct");
        body.put("execution_time_us", (outcome.instantiateNanos() + outcome.execNanos()) / 1000);
        ArrayNode changes = body.putArray("state_changes");
        outcome.stateChanges().forEach((key, value) -> {
            ObjectNode change = changes.addObject();
            change.put("type", value == null ? "data_deletion" : "data_update");
            ObjectNode detail = change.putObject("change");
            detail.put("account_id", accountId);
            detail.put("key_base64", Base64.getEncoder().encodeToString(key.array()));
            if (value != null) {
                detail.put("value_base64", Base64.getEncoder().encodeToString(value));
            }
        });
        receipts(body, outcome);
        return body;
    }

    private static void receipts(ObjectNode body, Outcome outcome) {
        ArrayNode receipts = body.putArray("receipts");
        outcome.promises().promises().forEach(receipts::add);
        body.put("receipts_executed", false);
    }

    /** The value as JSON when it is JSON (near-sdk returns JSON), else as text, else null. */
    private static JsonNode decodeResult(byte[] result) {
        if (result == null || result.length == 0) {
            return JsonCodec.MAPPER.nullNode();
        }
        try {
            return JsonCodec.MAPPER.readTree(result);
        } catch (IOException notJson) {
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(result)).toString();
                return JsonCodec.MAPPER.getNodeFactory().textNode(text);
            } catch (CharacterCodingException binary) {
                return JsonCodec.MAPPER.nullNode();
            }
        }
    }

    private static ObjectNode failure(Outcome outcome) {
        ObjectNode body = JsonCodec.object();
        body.put("status", "failure");
        ObjectNode error = body.putObject("error");
        error.put("kind", outcome.errorKind());
        error.put("message", outcome.errorMessage());
        logs(body, outcome);
        body.put("gas_burnt", outcome.gasBurnt());
        body.put("instructions", outcome.instructions());
        body.put("mode", "direct");
        body.put("execution_time_us", (outcome.instantiateNanos() + outcome.execNanos()) / 1000);
        return body;
    }

    private static void logs(ObjectNode body, Outcome outcome) {
        ArrayNode logs = body.putArray("logs");
        outcome.logs().forEach(logs::add);
    }

    // ---- GET /contracts/{account_id} ----

    private void summary(HttpServerExchange exchange) {
        String accountId = accountId(exchange);
        var account = simulator.account(accountId);
        if (account.isEmpty()) {
            Responses.error(exchange, 404, "unknown account " + accountId);
            return;
        }
        ObjectNode body = account.get().read(snapshot -> {
            ObjectNode out = JsonCodec.object();
            out.put("account_id", accountId);
            CompiledContract contract = snapshot.contract();
            out.put("code_hash", contract == null ? "11111111111111111111111111111111" : contract.codeHash());
            out.put("code_size", contract == null ? 0 : contract.codeSize());
            out.put("amount", snapshot.balance().toString());
            out.put("locked", "0");
            out.put("storage_usage", snapshot.storageUsage());
            out.put("state_entries", snapshot.data().size());
            out.put("calls", snapshot.calls());
            out.put("metered", contract != null && contract.metered());
            ArrayNode methods = out.putArray("methods");
            if (contract != null) {
                contract.methods().forEach(methods::add);
            }
            return out;
        });
        Responses.json(exchange, 200, body);
    }

    // ---- plumbing ----

    private interface BodyHandler {
        void accept(HttpServerExchange exchange, byte[] body);
    }

    private static void readBody(HttpServerExchange exchange, long limit, String what, BodyHandler handler) {
        if (exchange.getRequestContentLength() > limit) {
            tooLarge(exchange, limit, what);
            return;
        }
        exchange.setMaxEntitySize(limit);
        Receiver receiver = exchange.getRequestReceiver();
        receiver.receiveFullBytes(handler::accept, (ex, e) -> {
            if (e instanceof RequestTooBigException) {
                TooLarge.afterFailedRead(ex, tooLargeError(limit, what));
            } else {
                Responses.error(ex, 400, "could not read the request body: " + e.getMessage());
            }
        });
    }

    private static void tooLarge(HttpServerExchange exchange, long limit, String what) {
        TooLarge.reject(exchange, tooLargeError(limit, what));
    }

    private static Object tooLargeError(long limit, String what) {
        var error = JsonCodec.object();
        error.put("error", what + " body exceeds " + limit + " bytes");
        error.put("status", 413);
        return error;
    }

    /** Leaves the IO thread: runs {@code work} on a contract worker, or answers 503 when the queue is full. */
    private void onWorker(HttpServerExchange exchange, String serialAccount, Runnable work) {
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            try {
                scheduler.submit(serialAccount, () -> {
                    try {
                        work.run();
                    } catch (RuntimeException | Error e) {
                        // Every exchange gets an answer, whatever went wrong on the worker.
                        if (!exchange.isResponseStarted()) {
                            Responses.error(exchange, 500, "contract simulator failed: " + e);
                        }
                    }
                });
            } catch (CallScheduler.OverloadedException e) {
                exchange.getResponseHeaders().put(io.undertow.util.Headers.RETRY_AFTER, "1");
                Responses.error(exchange, 503, e.getMessage());
            }
        });
    }
}

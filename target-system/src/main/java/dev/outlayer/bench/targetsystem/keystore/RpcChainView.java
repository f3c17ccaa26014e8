package dev.outlayer.bench.targetsystem.keystore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The chain over NEAR JSON-RPC, as OutLayer's keystore reads it ({@code query} with
 * {@code view_account}, {@code call_function} and {@code view_access_key_list}, optimistic finality): for a keystore that runs
 * without the simulator in its JVM, pointed at the stand-in's RPC emulator or at a real node.
 */
public final class RpcChainView implements ChainView {
    private final URI rpc;
    private final Duration timeout;
    private final HttpClient http;

    public RpcChainView(String rpcUrl, Duration timeout) {
        this.rpc = URI.create(rpcUrl);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    public Optional<BigInteger> balance(String accountId) {
        ObjectNode params =
                JsonCodec.object().put("request_type", "view_account").put("account_id", accountId);
        JsonNode answer = query(params);
        JsonNode error = answer.get("error");
        if (error != null) {
            if ("UNKNOWN_ACCOUNT".equals(error.path("cause").path("name").asText())) {
                return Optional.empty();
            }
            throw failed("view_account", error);
        }
        String amount = answer.path("result").path("amount").asText("");
        if (!amount.matches("[0-9]{1,39}")) {
            throw new ViewFailedException("view_account of " + accountId + " answered no amount");
        }
        return Optional.of(new BigInteger(amount));
    }

    @Override
    public byte[] viewCall(String contractId, String method, byte[] args) {
        ObjectNode params = JsonCodec.object()
                .put("request_type", "call_function")
                .put("account_id", contractId)
                .put("method_name", method)
                .put("args_base64", Base64.getEncoder().encodeToString(args));
        JsonNode answer = query(params);
        if (answer.has("error")) {
            throw failed("call_function", answer.get("error"));
        }
        JsonNode result = answer.path("result");
        if (result.has("error")) {
            throw new ViewFailedException(result.get("error").asText());
        }
        JsonNode bytes = result.get("result");
        if (bytes == null || !bytes.isArray()) {
            throw new ViewFailedException("call_function answered no result");
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) bytes.get(i).asInt();
        }
        return out;
    }

    @Override
    public Optional<List<String>> accessKeys(String accountId) {
        JsonNode answer = query(
                JsonCodec.object().put("request_type", "view_access_key_list").put("account_id", accountId));
        JsonNode error = answer.get("error");
        if (error != null) {
            if ("UNKNOWN_ACCOUNT".equals(error.path("cause").path("name").asText())) {
                return Optional.empty();
            }
            throw failed("view_access_key_list", error);
        }
        JsonNode keys = answer.path("result").path("keys");
        if (!keys.isArray()) {
            throw new ViewFailedException("view_access_key_list of " + accountId + " answered no keys");
        }
        List<String> publicKeys = new ArrayList<>();
        keys.forEach(key -> publicKeys.add(key.path("public_key").asText()));
        return Optional.of(publicKeys);
    }

    private JsonNode query(ObjectNode params) {
        params.put("finality", "optimistic");
        ObjectNode body =
                JsonCodec.object().put("jsonrpc", "2.0").put("id", "keystore").put("method", "query");
        body.set("params", params);
        HttpRequest request = HttpRequest.newBuilder(rpc)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.bytes(body)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new ViewFailedException(
                    "NEAR RPC at " + rpc + " did not answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new ViewFailedException("NEAR RPC at " + rpc + " unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewFailedException("interrupted while reading the chain");
        }
        JsonNode answer;
        try {
            answer = JsonCodec.MAPPER.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            throw new ViewFailedException(
                    "NEAR RPC at " + rpc + " answered " + response.statusCode() + " without a JSON object");
        }
        return answer;
    }

    private static ViewFailedException failed(String what, JsonNode error) {
        String name = error.path("cause").path("name").asText(error.path("name").asText("error"));
        return new ViewFailedException(what + ": " + name);
    }
}

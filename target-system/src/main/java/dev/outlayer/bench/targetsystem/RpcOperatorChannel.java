package dev.outlayer.bench.targetsystem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.executions.OperatorChannel;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.transactions.SignedTransaction;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operator account's transactions through the RPC emulator's JSON-RPC {@code send_tx}, as
 * OutLayer's worker sends them (300 TGas, no deposit, waiting for the execution). Every worker
 * signs with its own full-access key of the operator account, created here, so their nonces
 * never race. The keys never leave the process.
 */
final class RpcOperatorChannel implements OperatorChannel {
    static final long RESOLVE_GAS = 300_000_000_000_000L;

    private final String operatorId;
    private final String contractId;
    private final ContractSimulator contracts;
    private final NearRpcEmulator rpc;
    private final BlockClock clock;
    private final Map<String, WorkerKey> keys = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private record WorkerKey(TransactionSigner signer, AtomicLong nonce) {}

    RpcOperatorChannel(
            String operatorId, String contractId, ContractSimulator contracts, NearRpcEmulator rpc, BlockClock clock) {
        this.operatorId = operatorId;
        this.contractId = contractId;
        this.contracts = contracts;
        this.rpc = rpc;
        this.clock = clock;
        if (contracts.account(operatorId).isEmpty()) {
            contracts.putAccount(operatorId, ContractSimulator.DEFAULT_BALANCE);
        }
    }

    @Override
    public SignedCall sign(String workerId, String method, byte[] argsJson) {
        WorkerKey key = keys.computeIfAbsent(workerId, this::newKey);
        byte[] blockHash = Base58.decode(clock.hash(clock.latestHeight()));
        List<Action> actions = List.of(new Action.FunctionCall(method, argsJson, RESOLVE_GAS, BigInteger.ZERO, 1));
        byte[] signed = key.signer().sign(contractId, key.nonce().incrementAndGet(), blockHash, actions);
        return new SignedCall(SignedTransaction.decode(signed).hashText(), signed);
    }

    private WorkerKey newKey(String workerId) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        TransactionSigner signer = TransactionSigner.fromSeed(operatorId, seed);
        contracts.putAccessKey(operatorId, signer.publicKey(), AccessKey.fullAccess(0));
        return new WorkerKey(signer, new AtomicLong());
    }

    /**
     * A view method of the contract through the emulator's JSON-RPC {@code query} ({@code
     * call_function} at the latest block), as OutLayer's coordinator reads its pricing and its
     * event monitor a request's large input.
     */
    Optional<JsonNode> view(String method, String argsJson) {
        ObjectNode request = JsonCodec.object();
        request.put("jsonrpc", "2.0");
        request.put("id", "coordinator");
        request.put("method", "query");
        ObjectNode params = request.putObject("params");
        params.put("request_type", "call_function");
        params.put("finality", "optimistic");
        params.put("account_id", contractId);
        params.put("method_name", method);
        params.put("args_base64", Base64.getEncoder().encodeToString(argsJson.getBytes(StandardCharsets.UTF_8)));
        try {
            JsonNode body = JsonCodec.MAPPER.readTree(
                    rpc.handle(JsonCodec.bytes(request), "127.0.0.1").body());
            if (body.path("result").has("error")) {
                // The contract's call failed for these arguments (e.g. a key longer than its storage
                // takes): they name nothing it holds, which is not the contract being unreadable.
                return Optional.of(NullNode.instance);
            }
            JsonNode result = body.path("result").path("result");
            if (!result.isArray()) {
                return Optional.empty();
            }
            byte[] bytes = new byte[result.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) result.get(i).asInt();
            }
            return Optional.of(JsonCodec.MAPPER.readTree(bytes));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Sent send(SignedCall call) {
        ObjectNode request = JsonCodec.object();
        request.put("jsonrpc", "2.0");
        request.put("id", "operator");
        request.put("method", "send_tx");
        ObjectNode params = request.putObject("params");
        params.put("signed_tx_base64", Base64.getEncoder().encodeToString(call.signedTransaction()));
        params.put("wait_until", "EXECUTED_OPTIMISTIC");
        NearRpcEmulator.Response response = rpc.handle(JsonCodec.bytes(request), "127.0.0.1");
        JsonNode body;
        try {
            body = JsonCodec.MAPPER.readTree(response.body());
        } catch (IOException e) {
            return new Sent(call.txHash(), false, "unreadable send_tx answer");
        }
        if (body.has("error")) {
            return new Sent(
                    call.txHash(),
                    false,
                    body.path("error").path("cause").path("name").asText("error") + ": "
                            + body.path("error").path("data").toString());
        }
        JsonNode status = body.path("result").path("status");
        if (status.has("Failure")) {
            return new Sent(call.txHash(), false, status.get("Failure").toString());
        }
        for (JsonNode receipt : body.path("result").path("receipts_outcome")) {
            JsonNode receiptStatus = receipt.path("outcome").path("status");
            if (receiptStatus.has("Failure")) {
                return new Sent(
                        call.txHash(), false, receiptStatus.get("Failure").toString());
            }
        }
        return new Sent(call.txHash(), true, null);
    }
}

package dev.outlayer.bench.targetsystem;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.SimulatorChainView;
import dev.outlayer.bench.targetsystem.json.JsonCodec;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import dev.outlayer.bench.targetsystem.rpc.NearRpcEmulator;
import dev.outlayer.bench.targetsystem.transactions.AccountsFeeder;
import dev.outlayer.bench.targetsystem.transactions.TransactionEngine;
import dev.outlayer.bench.targetsystem.transactions.TransactionLimits;
import dev.outlayer.bench.targetsystem.transactions.TransactionSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node for the signed-transaction tests, in process: the JSON-RPC emulator over a real contract
 * simulator and receipt engine, on a block clock the test moves ({@link #now}), with accounts seeded
 * as {@code --accounts-file} seeds them (one full-access key each). Closing it closes its simulator.
 */
public final class RpcNode implements AutoCloseable {
    static final long GENESIS_MILLIS = 1_700_000_000_000L;
    static final long BLOCK_MILLIS = 1_000;

    public final AtomicLong now = new AtomicLong(GENESIS_MILLIS + 10 * BLOCK_MILLIS + 500);
    final BlockClock clock = new BlockClock(GENESIS_MILLIS, BLOCK_MILLIS, now::get);
    public final ContractSimulator simulator = new ContractSimulator(true, clock);
    private final NearRpcEmulator rpc;

    public RpcNode(List<AccountsFeeder.Seed> accounts) {
        SimulatorTransactionChain chain = new SimulatorTransactionChain(simulator);
        AccountsFeeder.seed(accounts, chain);
        rpc = new NearRpcEmulator(
                clock,
                "outlayer-test",
                new SimulatorChainView(simulator),
                // The wait timeout bounds waits that answer as soon as they can: 100 ms ran out on a loaded machine.
                new TransactionEngine(clock, chain, TransactionLimits.PINNED, 2_000));
    }

    /** The emulator itself, for callers that post bytes and read bytes (QueryBench). */
    NearRpcEmulator rpc() {
        return rpc;
    }

    /** One JSON-RPC call: the answer's bytes as sent. */
    public byte[] answer(String method, String params) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        return rpc.handle(body.getBytes(StandardCharsets.UTF_8), null).body();
    }

    @Override
    public void close() {
        simulator.close();
    }

    /** The 32 bytes a test key is made from: {@code value} in each. */
    public static byte[] seed(int value) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) value);
        return seed;
    }

    public static AccountsFeeder.Seed account(TransactionSigner signer, java.math.BigInteger balance) {
        return new AccountsFeeder.Seed(signer.signerId(), signer.publicKey(), balance);
    }

    /** One JSON-RPC call: the whole answer. */
    JsonNode call(String method, String params) {
        return call(rpc, method, params);
    }

    /** One JSON-RPC call to {@code rpc}, as a client posts it: the whole answer. */
    static JsonNode call(NearRpcEmulator rpc, String method, String params) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
        try {
            return JsonCodec.MAPPER.readTree(
                    rpc.handle(body.getBytes(StandardCharsets.UTF_8), null).body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hash of the final block, to sign a transaction against. */
    public byte[] finalBlock() {
        return Base58.decode(clock.hash(clock.latestHeight() - 2));
    }

    /** send_tx of {@code signed} waiting for {@code waitUntil}: the whole answer. */
    JsonNode send(byte[] signed, String waitUntil) {
        return call(
                "send_tx",
                "{\"signed_tx_base64\":\"" + Base64.getEncoder().encodeToString(signed) + "\",\"wait_until\":\""
                        + waitUntil + "\"}");
    }

    /** The height of the block {@code blockHash} names. */
    long heightOf(String blockHash) {
        return call("block", "{\"block_id\":\"" + blockHash + "\"}")
                .at("/result/header/height")
                .asLong();
    }
}

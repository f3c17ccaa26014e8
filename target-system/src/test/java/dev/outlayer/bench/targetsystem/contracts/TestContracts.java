package dev.outlayer.bench.targetsystem.contracts;

import dev.outlayer.bench.targetsystem.rpc.BlockClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Loads the test contracts (src/test/resources/wat, rebuilt by build.sh) and makes simulators. */
public final class TestContracts {
    private TestContracts() {}

    public static byte[] wasm(String name) {
        try (InputStream in = TestContracts.class.getResourceAsStream("/wat/" + name + ".wasm")) {
            if (in == null) {
                throw new IllegalArgumentException("no test contract " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A VmLogic for calling host functions directly: a function call on c.test.near with the default gas. */
    public static VmLogic hostFunctionLogic() {
        return new VmLogic(
                callContext("c.test.near", CallRequest.DEFAULT_GAS),
                new dev.outlayer.bench.targetsystem.wasm.GasMeter(CallRequest.DEFAULT_GAS),
                new StateOverlay(new java.util.TreeMap<>()));
    }

    /** A function call on {@code accountId} with {@code gas}, signed by signer.test.near for pred.test.near. */
    static CallContext callContext(String accountId, long gas) {
        return new CallContext(
                accountId,
                "signer.test.near",
                new byte[33],
                "pred.test.near",
                new byte[0],
                7,
                1_700_000_000_000_000_000L,
                3,
                ContractSimulator.DEFAULT_BALANCE,
                java.math.BigInteger.ZERO,
                java.math.BigInteger.ZERO,
                gas,
                new byte[32],
                1000,
                false,
                AccountContract.NONE,
                "pred.test.near");
    }

    public static ContractSimulator simulator(boolean metered) {
        return new ContractSimulator(metered, BlockClock.startingNow(1000));
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The i32 a test contract returned little-endian at {@code offset} of its result. */
    public static int le32(byte[] b, int offset) {
        return java.nio.ByteBuffer.wrap(b, offset, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt();
    }

    public static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A signed-by-itself call of {@code method} on {@code contract} by {@code caller}, every receipt run. */
    public static TxOutcome call(
            ContractSimulator simulator,
            String contract,
            String caller,
            String method,
            String args,
            BigInteger deposit) {
        return simulator.call(
                CallRequest.call(contract, method, utf8(args))
                        .withCaller(caller, caller)
                        .withDeposit(deposit),
                WaitMode.ALL_RECEIPTS,
                HostBinding.DIRECT);
    }

    /**
     * The bundled OutLayer contract (operator {@code operator}) and ft.wasm as its payment token
     * {@link ContractSimulator#PAYMENT_TOKEN}, whose 10^9 units {@code tokenHolder} holds.
     */
    public static void outlayerWithPaymentToken(ContractSimulator simulator, String operator, String tokenHolder)
            throws IOException {
        String outlayer = ContractSimulator.OUTLAYER_ACCOUNT;
        String token = ContractSimulator.PAYMENT_TOKEN;
        Path contracts = Path.of(System.getProperty("outlayer.root", ".."), "resources/contracts");
        simulator.deploy(outlayer, Files.readAllBytes(contracts.resolve("outlayer/outlayer.wasm")));
        simulator.deploy(token, Files.readAllBytes(contracts.resolve("ft.wasm")));
        List<TxOutcome> setUp = List.of(
                call(
                        simulator,
                        outlayer,
                        outlayer,
                        "new",
                        "{\"owner_id\":\"" + outlayer + "\",\"operator_id\":\"" + operator + "\"}",
                        BigInteger.ZERO),
                call(
                        simulator,
                        token,
                        token,
                        "new_default_meta",
                        "{\"owner_id\":\"" + tokenHolder + "\",\"total_supply\":\"1000000000\"}",
                        BigInteger.ZERO),
                call(
                        simulator,
                        outlayer,
                        outlayer,
                        "set_payment_token_contract",
                        "{\"token_contract\":\"" + token + "\"}",
                        BigInteger.ZERO));
        for (TxOutcome outcome : setUp) {
            if (!(outcome.finalStatus() instanceof ExecutionStatus.SuccessValue)) {
                throw new IllegalStateException("setting up the OutLayer contract failed: " + outcome);
            }
        }
    }
}

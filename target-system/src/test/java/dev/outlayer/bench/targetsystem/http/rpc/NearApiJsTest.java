package dev.outlayer.bench.targetsystem.http.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.TargetOptions;
import dev.outlayer.bench.targetsystem.TargetSystem;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.ExecutionStatus;
import dev.outlayer.bench.targetsystem.contracts.HostBinding;
import dev.outlayer.bench.targetsystem.contracts.TxOutcome;
import dev.outlayer.bench.targetsystem.contracts.WaitMode;
import dev.outlayer.bench.targetsystem.linux.TestPrograms;
import dev.outlayer.bench.targetsystem.testing.RequiredTools;
import dev.outlayer.bench.targetsystem.throttle.ThrottleFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real near-api-js (npm, 5.x and 7.x) calls status, block, gasPrice and query against the
 * emulator, directly and through the coordinator's throttled {@code /near-rpc} proxy; then 7.x's
 * {@code Account} with a {@code KeyPairSigner} (alice.test.near's key from feeders/accounts.csv)
 * signs function calls to the bundled counter both ways, and a NEP-141 {@code ft_transfer_call}
 * (the near-sdk-as token and receiver) with its refund, and a NEP-366 meta transaction that
 * bob.test.near signs ({@code createSignedMetaTransaction}) and alice.test.near relays. Needs Node 20+ and the npm packages:
 * {@code npm ci --prefix target-system/src/test/node}.
 */
@Tag(RequiredTools.NODE)
@Tag(RequiredTools.NEAR_API_JS)
@ExtendWith(RequiredTools.class)
class NearApiJsTest {
    static final Path NODE_PROJECT = Path.of(System.getProperty("basedir", "."), "src", "test", "node");

    @TempDir
    Path dir;

    @Test
    void nearApiJsJsonRpcProviderWorksDirectlyAndThroughTheProxy() throws Exception {
        ThrottleFixture tiers =
                new ThrottleFixture(dir); // anonymous: 5 rps, burst 10; the script makes 9 calls per URL
        TargetOptions options = new TargetOptions();
        options.host = "127.0.0.1";
        options.coordinatorPort = 0;
        options.rpcPort = 0;
        options.components = EnumSet.of(TargetOptions.Component.coordinator, TargetOptions.Component.rpc);
        options.tiersFile = tiers.tiers;
        options.apiKeysFile = tiers.keys;
        options.blockTimeMillis = 200;
        options.contractsDir = TestPrograms.root().resolve("resources/contracts");
        options.accountsFile = TestPrograms.root().resolve("feeders/accounts.csv");
        String secretKey = secretKeyOf("alice.test.near", options.accountsFile);
        try (TargetSystem system = TargetSystem.start(options)) {
            deployToken(system.contracts());
            // The transactions go through the proxy with a standard-tier key: more calls than the anonymous burst.
            NodeRun run = runCheck(List.of(
                    "--signer",
                    "alice.test.near",
                    secretKey,
                    "--api-key",
                    "key-a",
                    "--ft",
                    "ft.test.near",
                    "receiver.test.near",
                    "--relay",
                    "bob.test.near",
                    secretKeyOf("bob.test.near", options.accountsFile),
                    "--implicit",
                    system.rpcUrl(),
                    system.coordinatorUrl() + "/near-rpc"));
            System.out.print(run.output());

            assertThat(run.exitCode())
                    .as("near-api-js check output:%n%s", run.output())
                    .isZero();
            assertThat(run.output())
                    .contains("OK " + system.rpcUrl())
                    .contains("OK " + system.coordinatorUrl() + "/near-rpc")
                    .contains("OK " + system.rpcUrl() + ": near-api-js 7.x Account + KeyPairSigner functionCall")
                    .contains("OK " + system.coordinatorUrl()
                            + "/near-rpc: near-api-js 7.x Account + KeyPairSigner functionCall")
                    .contains("ft_transfer_call on ft.test.near refunded")
                    .contains("meta transaction of bob.test.near relayed")
                    .contains("implicit account created and signing");
        }
    }

    /** The near-sdk-as NEP-141 token with alice.test.near holding its supply, and its receiver. */
    private static void deployToken(ContractSimulator contracts) throws IOException {
        Path built = TestPrograms.root().resolve("resources/contracts");
        contracts.deploy("ft.test.near", Files.readAllBytes(built.resolve("ft.wasm")));
        contracts.deploy("receiver.test.near", Files.readAllBytes(built.resolve("ft-receiver.wasm")));
        TxOutcome init = contracts.call(
                CallRequest.call(
                                "ft.test.near",
                                "new_default_meta",
                                "{\"owner_id\":\"alice.test.near\",\"total_supply\":\"1000\"}"
                                        .getBytes(StandardCharsets.UTF_8))
                        .withCaller("ft.test.near", "ft.test.near"),
                WaitMode.ALL_RECEIPTS,
                HostBinding.DIRECT);
        assertThat(init.finalStatus()).isInstanceOf(ExecutionStatus.SuccessValue.class);
    }

    /** The private_key column of the account's row in the accounts feeder. */
    static String secretKeyOf(String accountId, Path accountsCsv) throws IOException {
        return Files.readAllLines(accountsCsv).stream()
                .map(line -> line.split(","))
                .filter(columns -> columns.length >= 4 && columns[0].equals(accountId))
                .map(columns -> columns[3].strip())
                .findFirst()
                .orElseThrow(() -> new AssertionError(accountsCsv + " has no private_key for " + accountId));
    }

    record NodeRun(int exitCode, String output) {}

    static NodeRun runCheck(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "near-api-js-check.mjs"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command)
                .directory(NODE_PROJECT.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("near-api-js check did not finish within 60 s");
            }
            return new NodeRun(
                    process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }
}

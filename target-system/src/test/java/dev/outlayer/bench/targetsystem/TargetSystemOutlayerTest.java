package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outlayer.bench.targetsystem.contracts.AccessKey;
import dev.outlayer.bench.targetsystem.contracts.CallRequest;
import dev.outlayer.bench.targetsystem.contracts.ContractSimulator;
import dev.outlayer.bench.targetsystem.contracts.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** At start the target system deploys the OutLayer contract and creates its operator with a key it keeps. */
class TargetSystemOutlayerTest {
    @Test
    void outlayerContractIsDeployedWithTheOperatorWhoseKeyTheSystemHolds() {
        TargetOptions options = new TargetOptions();
        new CommandLine(options)
                .parseArgs(
                        "--components",
                        "rpc",
                        "--rpc-port",
                        "0",
                        "--host",
                        "127.0.0.1",
                        "--shutdown-grace-ms",
                        "500",
                        "--contracts-dir",
                        Path.of(System.getProperty("outlayer.root", ".."))
                                .resolve("resources/contracts")
                                .toString());
        try (TargetSystem system = TargetSystem.start(options)) {
            ContractSimulator contracts = system.contracts();
            Outcome config = contracts.execute(CallRequest.view(
                    ContractSimulator.OUTLAYER_ACCOUNT, "get_config", "".getBytes(StandardCharsets.UTF_8)));
            assertThat(config.success()).as(config.errorMessage()).isTrue();
            assertThat(new String(config.result(), StandardCharsets.UTF_8))
                    .isEqualTo("[\"outlayer.test.near\",\"operator.test.near\"]");
            assertThat(system.operatorSigner().signerId()).isEqualTo(ContractSimulator.OUTLAYER_OPERATOR);
            assertThat(contracts.accessKey(
                            ContractSimulator.OUTLAYER_OPERATOR,
                            system.operatorSigner().publicKey()))
                    .hasValueSatisfying(key -> assertThat(key.permission()).isInstanceOf(AccessKey.FullAccess.class));
        }
    }
}

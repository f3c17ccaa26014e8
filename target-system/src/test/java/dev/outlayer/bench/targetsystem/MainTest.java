package dev.outlayer.bench.targetsystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    @Test
    void helpListsEveryFlagWithItsEnvironmentVariable() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        String help = out.toString();
        for (Field field : TargetOptions.class.getFields()) {
            CommandLine.Option option = field.getAnnotation(CommandLine.Option.class);
            if (option == null) {
                continue;
            }
            assertThat(help).contains(option.names()[0]);
            if (option.defaultValue().startsWith("${env:")) {
                String variable =
                        option.defaultValue().substring(6, option.defaultValue().indexOf(':', 6));
                assertThat(option.description()[0]).as(option.names()[0]).contains(variable);
            }
        }
    }

    @Test
    void theProxyWaitsLongerThanTheNodeBehindIt() {
        // A tx call the node answers with TIMEOUT_ERROR after its wait must reach the client as that
        // answer, as through OutLayer's proxy (no timeout), not race the proxy's own 504.
        Main main = new Main();
        new CommandLine(main).parseArgs();
        assertThat(main.options.upstreamTimeoutMillis).isGreaterThanOrEqualTo(2 * main.options.txWaitTimeoutMillis);
    }

    @Test
    void flagsOverrideDefaults() {
        Main main = new Main();
        new CommandLine(main)
                .parseArgs("--coordinator-port", "0", "--components", "coordinator,rpc", "--max-body-bytes", "10");
        assertThat(main.options.coordinatorPort).isZero();
        assertThat(main.options.components)
                .containsExactlyInAnyOrder(TargetOptions.Component.coordinator, TargetOptions.Component.rpc);
        assertThat(main.options.maxBodyBytes).isEqualTo(10);
        assertThat(main.options.rpcPort).isEqualTo(3030);
    }
}

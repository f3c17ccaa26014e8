package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.keystore.EncryptSecretsCommand;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Entry point: parses flags, starts the target system, stops it gracefully on SIGTERM. */
@Command(
        name = "outlayer-target-system",
        mixinStandardHelpOptions = true,
        version = "0.1.0",
        subcommands = {EncryptSecretsCommand.class},
        description =
                "Coordinator (throttled JSON-RPC proxy, contracts, Linux emulator), keystore and NEAR RPC emulator.")
public final class Main implements Callable<Integer> {

    @Mixin
    TargetOptions options = new TargetOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        TargetSystem system = TargetSystem.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            system.close();
                            stopped.countDown();
                        },
                        "shutdown"));
        // A parent that embeds us reads this line to learn the ports.
        System.out.println("READY " + system.describe());
        System.out.flush();
        if (options.exitOnStdinEof) {
            StdinWatchdog.exitWhenClosed();
        }
        stopped.await();
        return 0;
    }
}

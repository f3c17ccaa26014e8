package dev.outlayer.bench.targetsystem;

import dev.outlayer.bench.targetsystem.errors.FatalErrors;
import dev.outlayer.bench.targetsystem.keystore.EncryptSecretsCommand;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Mixin
    TargetOptions options = new TargetOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        haltOnFatalErrors();
        TargetSystem system = TargetSystem.start(options);
        CountDownLatch stopped =
                closeOnShutdown(system::close, options.shutdownGraceMillis + ShutdownDeadline.CLOSE_MARGIN_MILLIS);
        // A parent that embeds us reads this line to learn the ports.
        System.out.println("READY " + system.describe());
        System.out.flush();
        if (options.exitOnStdinEof) {
            StdinWatchdog.exitWhenClosed();
        }
        stopped.await();
        return 0;
    }

    /** On SIGTERM runs {@code close}, halting the JVM if it has not ended by the deadline; the latch opens after. */
    static CountDownLatch closeOnShutdown(Runnable close, long deadlineMillis) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            ShutdownDeadline.run(close, deadlineMillis, () -> ShutdownDeadline.halt(deadlineMillis));
                            stopped.countDown();
                        },
                        "shutdown"));
        return stopped;
    }

    /**
     * A thread that dies of an OutOfMemoryError takes the process with it (FatalErrors), whatever
     * thread it is; and without -XX:+ExitOnOutOfMemoryError (the documented launch has it) errors
     * caught inside Undertow's IO threads could still leave it up, so say so at start.
     */
    static void haltOnFatalErrors() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
            FatalErrors.haltIfFatal(failure);
            if (previous != null) {
                previous.uncaughtException(thread, failure);
            } else {
                LOG.error("uncaught in thread {}", thread.getName(), failure);
            }
        });
        if (!ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+ExitOnOutOfMemoryError")) {
            LOG.warn(
                    "started without -XX:+ExitOnOutOfMemoryError: an OutOfMemoryError inside a listener's IO"
                            + " thread may leave this process up but unable to serve; see README, Running the target system alone");
        }
        warnIfHugeMethodsStayInterpreted();
    }

    /**
     * HotSpot never JIT-compiles a method over 8,000 bytecode bytes unless told to: Chicory's
     * validator ({@code Validator.validateFunction}, 9 KB) then runs interpreted on every deploy,
     * about 4x slower (issue 14), and so would a large function of a compiled contract.
     */
    static void warnIfHugeMethodsStayInterpreted() {
        var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        if (hotspot != null
                && "true".equals(hotspot.getVMOption("DontCompileHugeMethods").getValue())) {
            LOG.warn("started without -XX:-DontCompileHugeMethods: contract deploys validate about 4x slower;"
                    + " see README, Running the target system alone");
        }
    }
}

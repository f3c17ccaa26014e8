package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.keystore.SecretsRef;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One process to run (also one pipeline stage): its arguments after {@code argv[0]} (which is
 * always the program's name), the caller's environment, stdin, the secrets to inject (or null),
 * its limits, the NEAR context, and whether it must run on a newly booted task worker (a
 * cold-start measurement).
 */
public record RunRequest(
        List<String> argv,
        Map<String, String> env,
        byte[] stdin,
        SecretsRef secrets,
        ProcessLimits limits,
        String senderId,
        String predecessorId,
        String contractId,
        boolean coldStart) {
    public RunRequest {
        if (argv != null && argv.stream().anyMatch(Objects::isNull)) {
            throw ApiException.invalid("argv must be an array of strings");
        }
        argv = argv == null ? List.of() : List.copyOf(argv);
        Map<String, String> copy = new LinkedHashMap<>();
        if (env != null) {
            env.forEach((name, value) -> {
                if (value == null) {
                    throw ApiException.invalid("env." + name + " must be a string");
                }
                copy.put(name, value);
            });
        }
        env = Collections.unmodifiableMap(copy);
        stdin = stdin == null ? new byte[0] : stdin;
        if (limits == null) {
            throw new IllegalArgumentException(
                    "a run needs its limits (the emulator's defaultLimits() when the request names none)");
        }
    }
}

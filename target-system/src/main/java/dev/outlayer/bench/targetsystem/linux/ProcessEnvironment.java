package dev.outlayer.bench.targetsystem.linux;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a process's environment the way OutLayer's worker does: fixed defaults, then the
 * caller's variables, then injected secrets, then the NEAR execution context last so that
 * nothing can override it. Names under NEAR_ and OUTLAYER_ are reserved for the worker.
 */
final class ProcessEnvironment {
    private final Map<String, String> vars = new LinkedHashMap<>();

    private ProcessEnvironment() {}

    static ProcessEnvironment defaults() {
        ProcessEnvironment env = new ProcessEnvironment();
        env.vars.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.vars.put("HOME", FileSystemImage.HOME);
        env.vars.put("USER", FileSystemImage.USER);
        env.vars.put("LOGNAME", FileSystemImage.USER);
        env.vars.put("SHELL", "/bin/sh");
        env.vars.put("HOSTNAME", FileSystemImage.HOSTNAME);
        env.vars.put("TERM", "dumb");
        env.vars.put("TZ", "UTC");
        env.vars.put("LANG", "C");
        env.vars.put("LC_ALL", "C");
        env.vars.put("PWD", "/");
        return env;
    }

    static boolean isReserved(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.startsWith("NEAR_") || upper.startsWith("OUTLAYER_");
    }

    /** A valid POSIX-ish name: non-empty, no '=' or NUL. */
    static void requireValidName(String name) {
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            throw ApiException.invalid("invalid environment variable name '" + name + "'");
        }
    }

    /** The caller's own variables (the request's env); reserved names are refused. */
    ProcessEnvironment withUserVariables(Map<String, String> user) {
        return withUnreserved(user, "env");
    }

    /**
     * Where secrets become environment variables (the keystore's decrypted plaintext). Like
     * OutLayer's keystore, reserved names are refused rather than silently dropped.
     */
    ProcessEnvironment withSecrets(Map<String, String> secrets) {
        return withUnreserved(secrets, "secret");
    }

    private ProcessEnvironment withUnreserved(Map<String, String> variables, String what) {
        variables.forEach((name, value) -> {
            requireValidName(name);
            if (isReserved(name)) {
                throw ApiException.invalid(
                        what + " name " + name + " is reserved (NEAR_* and OUTLAYER_* are set by the worker)");
            }
            if (value.indexOf('\0') >= 0) {
                throw ApiException.invalid(what + " " + name + " contains a NUL byte");
            }
            vars.put(name, value);
        });
        return this;
    }

    /** The NEAR execution context and limits, exactly as the worker names them. */
    ProcessEnvironment withNearContext(NearContext context, ProcessLimits limits, long requestId) {
        putIfPresent("NEAR_SENDER_ID", context.senderId());
        putIfPresent("NEAR_CONTRACT_ID", context.contractId());
        putIfPresent("NEAR_PREDECESSOR_ID", context.predecessorId());
        vars.put("NEAR_BLOCK_HEIGHT", Long.toString(context.blockHeight()));
        vars.put("NEAR_BLOCK_TIMESTAMP", Long.toString(context.blockTimestampNanos()));
        vars.put("NEAR_MAX_INSTRUCTIONS", Long.toString(limits.maxInstructions()));
        vars.put("NEAR_MAX_MEMORY_MB", Integer.toString(limits.maxMemoryMb()));
        vars.put("NEAR_MAX_EXECUTION_SECONDS", Long.toString((long) Math.ceil(limits.maxSeconds())));
        vars.put("NEAR_REQUEST_ID", Long.toString(requestId));
        return this;
    }

    private void putIfPresent(String name, String value) {
        if (value != null && !value.isEmpty()) {
            vars.put(name, value);
        }
    }

    Map<String, String> toMap() {
        return vars;
    }
}

package dev.outlayer.bench.targetsystem.linux;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code POST /programs/{name}/run} body (also one pipeline stage):
 * {@code {argv, env, stdin | stdin_base64, secrets?, limits:{max_instructions, max_memory_mb,
 * max_seconds}, context?:{sender_id, predecessor_id, contract_id}, cold_start?}}: with
 * {@code cold_start: true} the process runs on a newly booted task worker (a cold-start measurement). Bad input throws
 * IllegalArgumentException with a message fit for the client.
 */
record RunRequest(List<String> argv, Map<String, String> env, byte[] stdin, JsonNode secrets,
                  ProcessLimits limits, String senderId, String predecessorId, String contractId, boolean coldStart) {

    static RunRequest parse(JsonNode body, ProcessLimits defaults) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            body = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        } else if (!body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        List<String> argv = new ArrayList<>();
        JsonNode argvNode = body.path("argv");
        if (!argvNode.isMissingNode() && !argvNode.isNull()) {
            if (!argvNode.isArray()) {
                throw new IllegalArgumentException("argv must be an array of strings");
            }
            argvNode.forEach(arg -> {
                if (!arg.isTextual()) {
                    throw new IllegalArgumentException("argv must be an array of strings");
                }
                argv.add(arg.asText());
            });
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envNode = body.path("env");
        if (!envNode.isMissingNode() && !envNode.isNull()) {
            if (!envNode.isObject()) {
                throw new IllegalArgumentException("env must be an object of strings");
            }
            envNode.fields().forEachRemaining(field -> {
                if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                    throw new IllegalArgumentException("env." + field.getKey() + " must be a string");
                }
                env.put(field.getKey(), field.getValue().asText());
            });
        }
        JsonNode secrets = body.path("secrets");
        JsonNode context = body.path("context");
        return new RunRequest(argv, env, stdin(body), secrets.isMissingNode() || secrets.isNull() ? null : secrets,
                limits(body.path("limits"), defaults), text(context, "sender_id"), text(context, "predecessor_id"),
                text(context, "contract_id"), body.path("cold_start").asBoolean(false));
    }

    static byte[] stdin(JsonNode body) {
        boolean text = body.hasNonNull("stdin");
        boolean binary = body.hasNonNull("stdin_base64");
        if (text && binary) {
            throw new IllegalArgumentException("give stdin or stdin_base64, not both");
        }
        if (binary) {
            try {
                return Base64.getDecoder().decode(body.get("stdin_base64").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("stdin_base64 is not valid base64");
            }
        }
        if (text) {
            JsonNode stdin = body.get("stdin");
            // A JSON value that is not a string is passed as its JSON text: stdin is usually JSON.
            String value = stdin.isTextual() ? stdin.asText() : stdin.toString();
            return value.getBytes(StandardCharsets.UTF_8);
        }
        return new byte[0];
    }

    static ProcessLimits limits(JsonNode node, ProcessLimits defaults) {
        if (node.isMissingNode() || node.isNull()) {
            return defaults;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("limits must be an object");
        }
        long instructions = positiveLong(node, "max_instructions", defaults.maxInstructions());
        long memory = positiveLong(node, "max_memory_mb", defaults.maxMemoryMb());
        double seconds = node.has("max_seconds") ? node.get("max_seconds").asDouble(-1) : defaults.maxSeconds();
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("limits.max_seconds must be a positive number");
        }
        return new ProcessLimits(instructions, (int) Math.min(memory, Integer.MAX_VALUE), seconds);
    }

    private static long positiveLong(JsonNode node, String field, long fallback) {
        if (!node.has(field)) {
            return fallback;
        }
        JsonNode value = node.get(field);
        if (!value.canConvertToLong() || value.asLong() <= 0) {
            throw new IllegalArgumentException("limits." + field + " must be a positive integer");
        }
        return value.asLong();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}

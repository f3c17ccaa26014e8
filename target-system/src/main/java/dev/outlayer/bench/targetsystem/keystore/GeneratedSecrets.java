package dev.outlayer.bench.targetsystem.keystore;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.rpc.Base58;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Secrets the keystore generates itself, as OutLayer keystore-worker's {@code secret_generation.rs}
 * does for {@code /add_generated_secret} and {@code generate_protected} of {@code
 * /update_user_secrets}: values from the platform's CSPRNG that nobody outside the keystore ever
 * sees in plaintext, under names that start with {@code PROTECTED_} (the prefix proves it). Types:
 * {@code hex16}, {@code hex32}, {@code hex64} (that many random bytes, hex), {@code ed25519} (a
 * fresh Ed25519 private key as OutLayer writes it: {@code ed25519:} and the base58 of its 32-byte
 * secret, ed25519-dalek's {@code SigningKey::to_bytes}), {@code ed25519_seed} (32 bytes, hex) and
 * {@code password} / {@code password:N} (N characters of {@code A-Za-z0-9}, 32 by default).
 */
public final class GeneratedSecrets {
    /**
     * At most this many secrets are generated in one call: OutLayer's {@code MAX_GENERATED_SECRETS} of {@code
     * /add_generated_secret}, its first check (api.rs); ours for {@code generate_protected} too, which OutLayer does
     * not count.
     */
    public static final int MAX_PER_CALL = 16;
    /** OutLayer's default password length. */
    public static final int DEFAULT_PASSWORD_LENGTH = 32;
    /**
     * The longest password generated. OutLayer parses N as any usize (0 gives an empty secret, a
     * huge N would take the keystore's memory); here N is 1 to this.
     */
    public static final int MAX_PASSWORD_LENGTH = 1024;
    /** OutLayer's password alphabet ({@code CHARSET} in secret_generation.rs). */
    static final String PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One secret to generate: its name and its generation type ({@code hex32}, {@code password:64}, ...). */
    public record Spec(String name, String generationType) {}

    private GeneratedSecrets() {}

    /**
     * Checks every spec before anything is generated: a name and a type each, names with OutLayer's
     * {@code PROTECTED_} prefix that an environment can hold, none twice, at most {@link
     * #MAX_PER_CALL}, and types OutLayer knows. A refusal names the secrets, in OutLayer's words
     * where it has them.
     */
    public static void check(List<Spec> specs) {
        if (specs.size() > MAX_PER_CALL) {
            // OutLayer's sentence
            throw ApiException.invalid("too many generated secrets in one request: " + specs.size() + " (limit "
                    + MAX_PER_CALL + "). Split them across several calls.");
        }
        Set<String> seen = new HashSet<>();
        List<String> twice = new ArrayList<>();
        for (Spec spec : specs) {
            if (spec == null || spec.name() == null || spec.name().isEmpty()) {
                throw ApiException.invalid("every secret to generate needs a 'name'");
            }
            if (spec.generationType() == null || spec.generationType().isEmpty()) {
                throw ApiException.invalid("secret '" + shortName(spec.name()) + "' needs a 'generation_type'");
            }
            if (!seen.add(spec.name())) {
                twice.add(spec.name());
            }
        }
        List<String> missingPrefix = specs.stream()
                .map(Spec::name)
                .filter(name -> !name.startsWith(SecretsPayload.PROTECTED_PREFIX))
                .map(GeneratedSecrets::shortName)
                .toList();
        if (!missingPrefix.isEmpty()) {
            // OutLayer's sentence (api.rs add_generated_secret_handler).
            throw ApiException.invalid("Generated secrets must start with 'PROTECTED_' prefix: "
                    + String.join(", ", missingPrefix)
                    + ". This prefix proves that secrets were generated in TEE and never seen by anyone.");
        }
        if (!twice.isEmpty()) {
            throw ApiException.invalid(
                    "each secret can be generated once a call: " + String.join(", ", twice) + " named more than once");
        }
        for (Spec spec : specs) {
            SecretsPayload.checkName(spec.name());
            generator(spec);
        }
    }

    /** Generates one checked spec's value. */
    public static String generate(Spec spec) {
        return generator(spec).next();
    }

    /** The names of {@code specs} already in {@code existing}, for a refusal naming them all. */
    static List<String> collisions(Collection<Spec> specs, Set<String> existing) {
        return specs.stream().map(Spec::name).filter(existing::contains).toList();
    }

    private interface Generator {
        String next();
    }

    /**
     * The generator for a spec, or OutLayer's refusal of its type: {@code TYPE[:PARAM]}, the
     * parameter read only by {@code password} (as OutLayer splits the spec).
     */
    private static Generator generator(Spec spec) {
        String[] parts = spec.generationType().split(":", -1);
        String type = parts[0];
        String param = parts.length > 1 ? parts[1] : null;
        return switch (type) {
            case "hex16" -> () -> randomHex(16);
            case "hex32", "ed25519_seed" -> () -> randomHex(32);
            case "hex64" -> () -> randomHex(64);
            case "ed25519" -> GeneratedSecrets::ed25519PrivateKey;
            case "password" -> {
                int length = passwordLength(param, spec);
                yield () -> password(length);
            }
            default -> throw failed(spec, "Unknown secret type: " + shortName(type));
        };
    }

    private static int passwordLength(String param, Spec spec) {
        if (param == null) {
            return DEFAULT_PASSWORD_LENGTH;
        }
        int length;
        try {
            length = param.matches("[0-9]{1,9}") ? Integer.parseInt(param) : -1;
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0) {
            throw failed(spec, "Invalid password length: " + shortName(param));
        }
        if (length < 1 || length > MAX_PASSWORD_LENGTH) {
            throw failed(
                    spec,
                    "Invalid password length: " + length + " (a password has 1 to " + MAX_PASSWORD_LENGTH
                            + " characters)");
        }
        return length;
    }

    /** OutLayer's wrapping of a generation error (api.rs). */
    private static ApiException failed(Spec spec, String why) {
        return ApiException.invalid("Failed to generate secret '" + shortName(spec.name()) + "' with type '"
                + shortName(spec.generationType()) + "': " + why);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** A fresh Ed25519 private key: any 32 random bytes are one (RFC 8032 hashes them into the scalar). */
    private static String ed25519PrivateKey() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return "ed25519:" + Base58.encode(secret);
    }

    /** Uniform over the alphabet: SecureRandom.nextInt(bound) rejects the biased tail, as rand's gen_range does. */
    private static String password(int length) {
        StringBuilder password = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    /** A name or type as quoted in an error: never more than 64 characters of what the client sent. */
    private static String shortName(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}

package dev.outlayer.bench.targetsystem.keystore;

import dev.outlayer.bench.targetsystem.json.RustDebug;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The shape a {@code secrets_ref} must have to name a row OutLayer's contract could hold, and the
 * sentence its worker refuses one with before any keystore round trip (shared_tee_helpers
 * {@code secrets_ref::well_formed_secrets_ref}, mirroring the contract's {@code profile_shape_error}):
 * a profile of 1 to 64 BYTES whose ASCII characters are letters, digits, '-' or '_' (a non-ASCII
 * character is the contract's to judge, so it passes here), and a NEAR account id. The profile is
 * judged first.
 */
public final class SecretsRefShape {
    /** OutLayer's {@code PROFILE_RULE}. */
    public static final String PROFILE_RULE = "1\u201364 bytes of letters, digits, '-' or '_'";

    private static final int PROFILE_MAX_BYTES = 64;
    private static final int ACCOUNT_SHOWN_CHARS = 80;

    private SecretsRefShape() {}

    /** Why the reference can name no stored row, in OutLayer's words; empty when it is well formed. */
    public static Optional<String> problem(String profile, String accountId) {
        return problem(profile, accountId, "secrets_ref.profile", "secrets_ref.account_id");
    }

    /**
     * As {@link #problem(String, String)}, naming the two halves as the caller's document does (a manifest's
     * {@code author_secrets.profile} and {@code author_secrets.owner}).
     */
    public static Optional<String> problem(String profile, String accountId, String profileField, String accountField) {
        String profileText = profile == null ? "" : profile;
        int bytes = profileText.getBytes(StandardCharsets.UTF_8).length;
        String why = null;
        if (bytes < 1 || bytes > PROFILE_MAX_BYTES) {
            why = "got " + bytes + " bytes";
        } else {
            for (int i = 0; i < profileText.length(); i++) {
                char c = profileText.charAt(i);
                if (c < 0x80 && !(Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                    why = "it contains " + RustDebug.character(c);
                    break;
                }
            }
        }
        if (why != null) {
            return Optional.of(
                    profileField + " must be " + PROFILE_RULE + " (" + why + "); the contract stores no such profile");
        }
        String account = accountId == null ? "" : accountId;
        if (!AccountIds.isValid(account)) {
            String shown = account.codePointCount(0, account.length()) > ACCOUNT_SHOWN_CHARS
                    ? account.substring(0, account.offsetByCodePoints(0, ACCOUNT_SHOWN_CHARS))
                    : account;
            return Optional.of(accountField + " " + RustDebug.string(shown)
                    + " is not a NEAR account id (2\u201364 lowercase letters, digits, '_', '-', '.'); no secret can"
                    + " be stored under it");
        }
        return Optional.empty();
    }
}

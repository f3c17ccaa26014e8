package dev.outlayer.bench.targetsystem.rpc;

/**
 * NEAR account id rules (the near-account-id crate): 2 to 64 characters; dot-separated parts of
 * lowercase letters and digits, each part possibly joined by single '-' or '_'. nearcore
 * validates ids while deserialising params, so a bad id is a parse error, with these messages. And
 * what a spelling alone says of an id: the chain's implicit accounts are lowercase hex, a
 * NEAR-implicit one 64 characters of it (the hex of an ed25519 key), the one spelling the chain
 * accepts for it ({@code get_account_type}; the contracts' {@code AccountType} and the keystore's
 * agent secrets both go by it).
 */
public final class AccountIds {
    public static final int MIN_LEN = 2;
    public static final int MAX_LEN = 64;
    public static final int NEAR_IMPLICIT_LEN = 64;

    private AccountIds() {}

    /** Why {@code id} is not a valid account id, or null when it is. */
    public static String problem(String id) {
        if (id.length() < MIN_LEN) {
            return "the Account ID is too short";
        }
        if (id.length() > MAX_LEN) {
            return "the Account ID is too long";
        }
        boolean lastWasSeparator = true; // an id may not start with a separator
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean separator = c == '.' || c == '-' || c == '_';
            if (separator) {
                if (lastWasSeparator) {
                    return "the Account ID has a redundant separator '" + c + "' at index " + i;
                }
            } else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                return "the Account ID contains an invalid character '" + c + "' at index " + i;
            }
            lastWasSeparator = separator;
        }
        if (lastWasSeparator) {
            return "the Account ID has a redundant separator '" + id.charAt(id.length() - 1) + "' at index "
                    + (id.length() - 1);
        }
        return null;
    }

    public static boolean isValid(String id) {
        return problem(id) == null;
    }

    /** Whether {@code id} is a NEAR-implicit account id: 64 lowercase hex characters. */
    public static boolean isNearImplicit(String id) {
        return id.length() == NEAR_IMPLICIT_LEN && isLowercaseHex(id, 0);
    }

    /** Whether every character of {@code id} from index {@code from} on is a lowercase hex digit. */
    public static boolean isLowercaseHex(String id, int from) {
        for (int i = from; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}

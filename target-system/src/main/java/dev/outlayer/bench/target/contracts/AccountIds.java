package dev.outlayer.bench.target.contracts;

import java.util.regex.Pattern;

/** NEAR account id rules: 2-64 chars of lowercase letters, digits and single separators -_. */
public final class AccountIds {
    private static final Pattern VALID = Pattern.compile("^(([a-z\\d]+[-_])*[a-z\\d]+\\.)*([a-z\\d]+[-_])*[a-z\\d]+$");

    private AccountIds() {
    }

    public static boolean isValid(String id) {
        return id != null && id.length() >= 2 && id.length() <= 64 && VALID.matcher(id).matches();
    }
}

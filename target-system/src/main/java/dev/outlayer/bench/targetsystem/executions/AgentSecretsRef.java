package dev.outlayer.bench.targetsystem.executions;

import dev.outlayer.bench.targetsystem.errors.ApiException;
import dev.outlayer.bench.targetsystem.rpc.AccountIds;

/**
 * OutLayer's {@code X-Use-Owner-Secret} header (its newest coordinator's call.rs {@code agent_secrets_ref}, as its
 * docs/CONNECTORS.md §4.2, connector-probe README and tests/connector_pricing_e2e.sh C6 describe it; the
 * coordinator's code is not public): without it an HTTPS call that names no {@code secrets_ref} has nothing looked
 * up; with it the coordinator builds the reference from the payment key's owner, {@code {account_id: owner,
 * profile: owner}}, the row a custody wallet stores for itself ({@code store_agent_secret}: owner and profile its
 * implicit account). Only for an owner that is a NEAR-implicit account: a named account's holder names their rows
 * in the body, and for one the coordinator builds nothing. A body {@code secrets_ref} is used instead when present.
 */
public final class AgentSecretsRef {
    /** The header, as OutLayer's docs spell it. */
    public static final String HEADER = "X-Use-Owner-Secret";

    private AgentSecretsRef() {}

    /**
     * Whether the header asks for the owner's secret: {@code 1} or {@code true} (OutLayer's documented values) yes;
     * absent, {@code 0} or {@code false} no; {@code true} and {@code false} in any case, around them blanks. Any
     * other value is a 400 here, changing nothing (what OutLayer does with one is not in its published material).
     */
    public static boolean asked(String headerValue) {
        if (headerValue == null) {
            return false;
        }
        String value = headerValue.strip();
        if (value.equals("1") || value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equals("0") || value.equalsIgnoreCase("false")) {
            return false;
        }
        throw ApiException.invalid("Invalid " + HEADER
                + " header: 1 or true uses the secrets the payment key's owner stored for itself; 0, false or no"
                + " header uses none");
    }

    /**
     * The reference a call's task carries: the body's when it names one (it wins over the header); else, when the
     * header asked and the payment key's owner is an agent's implicit account, that account's own row; else none.
     */
    public static SecretsReference forCall(SecretsReference body, boolean asked, String paymentKeyOwner) {
        if (body != null) {
            return body;
        }
        if (!asked || !AccountIds.isNearImplicit(paymentKeyOwner)) {
            return null;
        }
        return new SecretsReference(paymentKeyOwner, paymentKeyOwner);
    }
}

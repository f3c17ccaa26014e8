package dev.outlayer.bench.targetsystem.transactions;

import dev.outlayer.bench.targetsystem.contracts.Action;
import dev.outlayer.bench.targetsystem.contracts.ActionValidation;
import java.util.List;

/**
 * nearcore's {@code validate_actions} of a transaction before any state is read
 * ({@link ActionValidation}, the same check the receipts contracts create pass), each refusal an
 * {@code ActionsValidation} error.
 */
final class ActionsValidation {
    private ActionsValidation() {}

    static void check(List<Action> actions, String receiverId) {
        ActionValidation.Error refused = ActionValidation.validate(actions, receiverId);
        if (refused != null) {
            throw InvalidTx.actionsValidation(refused);
        }
    }
}

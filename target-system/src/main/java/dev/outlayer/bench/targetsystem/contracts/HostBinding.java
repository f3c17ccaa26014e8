package dev.outlayer.bench.targetsystem.contracts;

import com.dylibso.chicory.runtime.ImportValues;

/**
 * Where a call's {@code env.*} host functions come from. Direct mode binds {@link NearImports}
 * straight into the instance; linux mode (the Linux emulator) binds its kernel's syscall table,
 * whose NEAR syscalls run the same {@link NearImports} bodies on the same {@link VmLogic}, so the
 * two modes differ only in the path a host call takes.
 */
public interface HostBinding {
    HostBinding DIRECT = new HostBinding() {
        @Override
        public ImportValues imports() {
            return NearImports.importValues();
        }

        @Override
        public void enter(VmLogic logic) {}

        @Override
        public void exit() {}
    };

    /**
     * Called once before a call is charged to its signer: a binding that must refuse the call
     * (linux mode: no task worker came free, the caller's share is used up) refuses it here, with
     * nothing changed yet. {@link #exit} releases what it took if the call then does not run.
     */
    default void admit() {}

    /** The host functions to instantiate the call's module with (at least every env.* import). */
    ImportValues imports();

    /** Called on the call's thread before the instance is built, with the call's logic. */
    void enter(VmLogic logic);

    /**
     * Called on the call's thread when one run of the call ends. A call stopped on the interpreter
     * for its just-compiled code runs again ({@link #enter} once more) before {@link #exit}, so what
     * {@link #admit} took is kept until then: given back between the runs, the second could be
     * refused after the signer paid.
     */
    default void endRun() {}

    /** Called on the call's thread when the call is over, whatever its outcome. */
    void exit();
}

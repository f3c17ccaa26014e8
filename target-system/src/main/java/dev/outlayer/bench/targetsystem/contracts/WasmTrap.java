package dev.outlayer.bench.targetsystem.contracts;

/** nearcore's WasmTrap variants and their Display (errors.rs, near/nearcore 02e1c92). */
public enum WasmTrap implements VmError {
    Unreachable("An `unreachable` opcode was executed."),
    IncorrectCallIndirectSignature("Call indirect incorrect signature trap."),
    MemoryOutOfBounds("Memory out of bounds trap."),
    CallIndirectOOB("Call indirect out of bounds trap."),
    IllegalArithmetic("An arithmetic exception, e.g. divided by zero."),
    MisalignedAtomicAccess("Misaligned atomic access trap."),
    IndirectCallToNull("Indirect call to null."),
    StackOverflow("Stack overflow."),
    GenericTrap("Generic trap.");

    private final String sentence;

    WasmTrap(String sentence) {
        this.sentence = sentence;
    }

    @Override
    public String display() {
        return "WebAssembly trap: " + sentence;
    }

    @Override
    public String debug() {
        return "WasmTrap(" + name() + ")";
    }
}

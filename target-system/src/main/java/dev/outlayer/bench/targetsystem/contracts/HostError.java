package dev.outlayer.bench.targetsystem.contracts;

/**
 * A failure raised by a host function, named like nearcore's {@code HostError} variants
 * ({@code GuestPanic}, {@code InvalidRegisterId}, {@code ProhibitedInView}, ...).
 */
public final class HostError extends RuntimeException {
    private final String variant;

    public HostError(String variant, String message) {
        super(message, null, false, false);
        this.variant = variant;
    }

    public String variant() {
        return variant;
    }

    static HostError guestPanic(String message) {
        return new HostError("GuestPanic", "Smart contract panicked: " + message);
    }

    static HostError prohibitedInView(String method) {
        return new HostError("ProhibitedInView", method + " is not allowed in view calls");
    }

    static HostError memoryAccessViolation() {
        return new HostError("MemoryAccessViolation", "memory access out of bounds of the contract's linear memory");
    }
}

package dev.outlayer.bench.targetsystem.keystore;

/** A ciphertext that cannot be opened; the message names the reason and never any content. */
public final class BadCiphertextException extends Exception {
    public BadCiphertextException(String message) {
        super(message);
    }
}

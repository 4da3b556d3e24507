package dev.handshake.tls.state;

/** Serialized state that cannot be decoded: truncated, tampered with, or from an incompatible version. */
public final class CorruptStateException extends RuntimeException {

    public CorruptStateException(String message) {
        super(message, null, false, false);
    }
}

package dev.handshake.tls.suite;

import dev.handshake.tls.crypto.Primitive;

/** The record MAC of a non-AEAD suite (RFC 5246 §6.2.3.1); AEAD suites have none. */
public enum MacAlgorithm {
    NONE(null, 0, 0),
    HMAC_SHA1(Primitive.HMAC_SHA1, 20, 64),
    HMAC_SHA256(Primitive.HMAC_SHA256, 32, 64),
    HMAC_SHA384(Primitive.HMAC_SHA384, 48, 128);

    private final Primitive primitive;
    private final int length;
    private final int hashBlockSize;

    MacAlgorithm(Primitive primitive, int length, int hashBlockSize) {
        this.primitive = primitive;
        this.length = length;
        this.hashBlockSize = hashBlockSize;
    }

    public Primitive primitive() {
        return primitive;
    }

    public int length() {
        return length;
    }

    /** The underlying hash's block size, for the Lucky13 countermeasure's compression-function count. */
    public int hashBlockSize() {
        return hashBlockSize;
    }
}

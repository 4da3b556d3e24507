package dev.handshake.tls.suite;

import dev.handshake.tls.crypto.Primitive;

/**
 * The hash of a suite's PRF and handshake transcript (RFC 5246 §5: SHA-256 unless the suite says otherwise), and of
 * its TLS 1.3 HKDF.
 */
public enum PrfHash {
    SHA256(Primitive.SHA256, Primitive.HMAC_SHA256, 32),
    SHA384(Primitive.SHA384, Primitive.HMAC_SHA384, 48);

    private final Primitive digest;
    private final Primitive hmac;
    private final int length;

    PrfHash(Primitive digest, Primitive hmac, int length) {
        this.digest = digest;
        this.hmac = hmac;
        this.length = length;
    }

    public Primitive digest() {
        return digest;
    }

    public Primitive hmac() {
        return hmac;
    }

    public int length() {
        return length;
    }
}

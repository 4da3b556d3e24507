package dev.handshake.tls.suite;

import dev.handshake.tls.wire.CipherSuiteId;

/** What a cipher suite code point means: key exchange, record protection, MAC and PRF hash. */
public record CipherSuite(CipherSuiteId id, KeyExchange keyExchange, BulkCipher cipher, MacAlgorithm mac, PrfHash prfHash) {

    public boolean isTls13() {
        return keyExchange == KeyExchange.TLS13;
    }

    public boolean isAead() {
        return cipher.kind() == BulkCipher.Kind.AEAD;
    }

    public String name() {
        return id.name();
    }

    @Override
    public String toString() {
        return id.name();
    }
}

package dev.handshake.tls.crypto;

import dev.handshake.tls.wire.NamedGroup;

/**
 * One side's ephemeral key pair for a key-exchange group: the private key as PKCS#8 (so it can live in connection
 * state between ServerKeyExchange and ClientKeyExchange), and the public value in its wire encoding.
 */
public record KeyShare(NamedGroup group, Secret privateKey, byte[] publicKey) {
}

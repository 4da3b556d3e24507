package dev.handshake.tls.resumption;

import dev.handshake.tls.crypto.CryptoProvider;
import java.util.Optional;

/**
 * Where a TLS 1.3 server looks up a PSK identity a client offers in pre_shared_key (RFC 8446 §4.2.11): the resumption
 * PSK, its cipher suite, ticket_age_add, issue time, lifetime and server name, as {@link TicketContents}. The default
 * is our own tickets, sealed with the server's ticket keys ({@link SealedTicketStore}); another store can hold tickets
 * another server issued, such as the RFC 8448 trace's. Every check of what comes back (version, hash, age, name,
 * binder) stays in the handshake, so no store can weaken it.
 */
@FunctionalInterface
public interface PskStore {

    /**
     * What {@code identity} names, or empty when this store does not know it (then the server tries the next identity
     * or does a full handshake; an unknown identity is never an error).
     */
    Optional<TicketContents> resolve(CryptoProvider crypto, byte[] identity);
}

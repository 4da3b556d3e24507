package dev.handshake.tls.resumption;

import dev.handshake.tls.TicketKeys;
import dev.handshake.tls.crypto.CryptoProvider;
import java.util.Optional;

/**
 * The default {@link PskStore}: the identity is a ticket we issued, which carries its own contents sealed with one of
 * our {@link TicketKeys}, so the server keeps no per-session state (RFC 8446 §4.6.1, RFC 5077 §4).
 */
public record SealedTicketStore(TicketKeys keys) implements PskStore {

    @Override
    public Optional<TicketContents> resolve(CryptoProvider crypto, byte[] identity) {
        return TicketSealer.open(crypto, keys, identity);
    }
}
